"""The consolidated evaluation of the pemda (urusan → bidang urusan → program): page, workbook, E.79."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from monev.io.report.context import Kertas
from monev.pemda import dashboard, reports
from monev.pemda.views.common import (
    PEMDA_ROLES,
    base_context,
    empty_page,
    pilihan_of,
    pulled_pemda,
)
from monev.web.access import role_required


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi(request: HttpRequest) -> HttpResponse:
    pilihan = pilihan_of(request)
    if pilihan is None:
        pulled = pulled_pemda(request)
        if pulled is not None:
            # Its figures per program are its stored rows, which the region's recap groups (the
            # same rule as this page's).
            values = {"pemda": pulled.pk, "kelompok": "program"}
            values.update({k: request.GET[k] for k in ("tahun", "triwulan") if k in request.GET})
            return redirect(f"{reverse('pemda:wilayah')}?{urlencode(values)}")
        return empty_page(request)
    hasil = dashboard.consolidation(pilihan.data, pilihan.triwulan)
    return render(
        request,
        "pemda/konsolidasi.html",
        {
            **base_context(pilihan),
            "urusan": hasil.urusan,
            "total": hasil.total,
            "query": pilihan.query(),
        },
    )


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi_xlsx(request: HttpRequest) -> HttpResponse:
    """Return the pemda's workbook: a summary of every PD, then each PD's E.81 on its own sheet."""
    pilihan = pilihan_of(request)
    if pilihan is None:
        raise Http404("belum ada data")
    return reports.workbook_file(pilihan.data, pilihan.triwulan).response()


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi_e79(request: HttpRequest, fmt: str) -> HttpResponse:
    """Return the pemda's consolidated evaluation (Formulir E.79 style) as XLSX or PDF."""
    pilihan = pilihan_of(request)
    if pilihan is None or fmt not in ("xlsx", "pdf"):
        raise Http404("belum ada data")
    kertas = request.GET.get("kertas", "")
    if kertas not in {k.value for k in Kertas}:
        kertas = Kertas.F4
    return reports.e79_file(pilihan.data, pilihan.triwulan, fmt, kertas).response()
