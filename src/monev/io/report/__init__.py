"""The official report files: one report model (`build_report` for a PD, `build_konsolidasi_report`
for the pemda, `build_e80_report` for a Renstra's period), rendered as XLSX or PDF.

CSV and JSON of the same evaluation are `monev.io.tabular`'s.
"""

from monev.io.report.context import (
    TATA_LETAK_PD,
    Kertas,
    KonteksLaporan,
    Penandatangan,
    TataLetak,
)
from monev.io.report.e80 import build_e80_report
from monev.io.report.konsolidasi import build_konsolidasi_report
from monev.io.report.model import Laporan, build_report
from monev.io.report.pdf import render_pdf
from monev.io.report.xlsx import render_pemda_xlsx, render_xlsx

__all__ = [
    "TATA_LETAK_PD",
    "Kertas",
    "KonteksLaporan",
    "Laporan",
    "Penandatangan",
    "TataLetak",
    "build_e80_report",
    "build_konsolidasi_report",
    "build_report",
    "render_pdf",
    "render_pemda_xlsx",
    "render_xlsx",
]
