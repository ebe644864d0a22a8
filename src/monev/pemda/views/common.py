"""Helpers shared by the pemda views: the chosen year, quarter and filters, CSV and SVG answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from monev.io import excel_csv
from monev.pemda import dasbor_tarikan, dashboard, selectors
from monev.pemda.charts import Grafik
from monev.pemda.projection import Dasar
from monev.web import access
from monev.web.models import Pemda

ROMAWI = dashboard.ROMAWI


#: Bappeda and the pemda's leaders read the whole pemda; operators see their own PD only.
PEMDA_ROLES = access.WHOLE_PEMDA_ROLES
DASAR_LABEL = {
    Dasar.RENCANA: "terhadap rencana triwulan",
    Dasar.TREN: "laju sejauh ini",
    Dasar.BELUM_ADA_DATA: "belum ada data",
    Dasar.TANPA_TARGET: "tanpa target",
}


def parse_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Pilihan:
    """The pemda, year and quarter a page shows, as chosen in the query string (the pemda also on
    the "Pilih pemda" page)."""

    pemda: Pemda
    tahun: int
    triwulan: int
    tahun_list: list[int]
    pemda_list: list[Pemda]
    data: selectors.PemdaTahun

    def query(self, **extra: Any) -> str:
        values = {"tahun": self.tahun, "triwulan": self.triwulan}
        if len(self.pemda_list) > 1:
            values["pemda"] = self.pemda.pk
        values.update(extra)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def pilihan_of(request: HttpRequest) -> Pilihan | None:
    # Only the pemda the user may read: another's is 404 (`access.active_pemda`).
    pemda = access.active_pemda(request)
    if pemda is None:
        return None
    pemda_list = list(access.visible_pemda(request.user).order_by("nama"))
    years = selectors.years_of(pemda)
    if not years:
        return None
    tahun = parse_int(request.GET.get("tahun"))
    tahun = tahun if tahun in years else years[0]
    data = selectors.pemda_year(pemda, tahun)
    triwulan = parse_int(request.GET.get("triwulan"))
    if triwulan not in (1, 2, 3, 4):
        triwulan = data.default_triwulan()
    return Pilihan(pemda, tahun, triwulan, years, pemda_list, data)


def base_context(pilihan: Pilihan) -> dict[str, Any]:
    return {
        "pilihan": pilihan,
        "romawi": ROMAWI[pilihan.triwulan - 1],
        "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
    }


def pulled_pemda(request: HttpRequest) -> Pemda | None:
    """Return the pemda the request asks for when this server holds it through pulled rows only
    (it has no Renja here, so `pilihan_of` finds nothing), else None."""
    pemda = access.active_pemda(request)
    return pemda if pemda is not None and dasbor_tarikan.is_pulled(pemda) else None


def empty_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pemda/kosong.html")


def svg_markup(grafik: Grafik) -> Any:
    return mark_safe(grafik.svg)  # built by monev.pemda.charts, every text escaped


def csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    """Return rows as a CSV download for Excel set to Indonesian (`monev.io.excel_csv`): the
    numbers in them already written with `excel_csv.angka` or `excel_csv.persen`."""
    response = HttpResponse(excel_csv.render(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
