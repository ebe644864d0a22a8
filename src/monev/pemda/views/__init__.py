"""The pemda's pages, one module per part of the work: the dashboard, early warning, the
quarterly plans, the consolidation, the regional summary, and the API's own pages. Short views: access helper, parse,
selector or service, render."""

from monev.pemda.views.api_halaman import api_akar, api_dokumentasi, openapi, token, token_cabut
from monev.pemda.views.dasbor import dasbor, grafik, pd, simpul
from monev.pemda.views.konsolidasi import konsolidasi, konsolidasi_e79, konsolidasi_xlsx
from monev.pemda.views.peringatan import peringatan, peringatan_csv
from monev.pemda.views.rencana import rencana, rencana_csv, rencana_impor, rencana_k, rencana_rp
from monev.pemda.views.tarik import sumber_aktif, sumber_data, sumber_hapus, sumber_tarik
from monev.pemda.views.wilayah import wilayah, wilayah_csv

__all__ = [
    "api_akar",
    "api_dokumentasi",
    "dasbor",
    "grafik",
    "konsolidasi",
    "konsolidasi_e79",
    "konsolidasi_xlsx",
    "openapi",
    "pd",
    "peringatan",
    "peringatan_csv",
    "rencana",
    "rencana_csv",
    "rencana_impor",
    "rencana_k",
    "rencana_rp",
    "simpul",
    "sumber_aktif",
    "sumber_data",
    "sumber_hapus",
    "sumber_tarik",
    "token",
    "token_cabut",
    "wilayah",
    "wilayah_csv",
]
