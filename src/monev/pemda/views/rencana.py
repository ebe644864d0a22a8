"""The quarterly plans (targets per quarter) of a Renja, behind the early warning."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from monev.io.excel_csv import angka
from monev.io.flat import InputError
from monev.pemda import selectors, services
from monev.pemda.views.common import (
    ROMAWI,
    csv_response,
)
from monev.web import access
from monev.web.access import ALL_ROLES, role_required
from monev.web.models import Indikator, Renja, Simpul


@require_GET
@role_required(*ALL_ROLES)
def rencana(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    k, rp = selectors.rencana_of(renja)
    simpul_list = list(Simpul.objects.filter(renja=renja).order_by("urutan"))
    parents = {s.induk_id for s in simpul_list if s.induk_id}
    indikator: dict[int, list[Indikator]] = {}
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator.setdefault(item.simpul_id, []).append(item)
    rows = [
        (
            s,
            [(i, k.get(i.pk, services.KOSONG)) for i in indikator.get(s.pk, [])],
            rp.get(s.pk, services.KOSONG) if s.pk not in parents else None,
        )
        for s in simpul_list
    ]
    return render(
        request,
        "pemda/rencana.html",
        {
            "renja": renja,
            "rows": rows,
            "bisa_ubah": access.can_edit_realisasi(request.user, renja),
            "jumlah_k": len(k),
            "jumlah_rp": len(rp),
            "romawi": ROMAWI,
        },
    )


def _back_to_rencana(renja: Renja, anchor: str = "") -> HttpResponse:
    return redirect(reverse("pemda:rencana", args=[renja.pk]) + (f"#{anchor}" if anchor else ""))


def _quarters_from(request: HttpRequest, places: int) -> Any:
    return services.parse_quarters(
        [request.POST.get(f"tw{q}", "") for q in range(1, 5)], places=places
    )


@require_POST
@role_required(*ALL_ROLES)
def rencana_k(request: HttpRequest, renja_id: int, indikator_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja"), pk=indikator_id, simpul__renja=renja
    )
    try:
        nilai = _quarters_from(request, services.MAX_K_PLACES)
    except ValidationError as exc:
        messages.error(request, f"{indikator.simpul.kode}: " + "; ".join(exc.messages))
        return _back_to_rencana(renja, f"k-{indikator.pk}")
    services.rencana_k_update(user=request.user, indikator=indikator, nilai=nilai)
    messages.success(request, f"Rencana triwulan {indikator.simpul.kode} tersimpan.")
    return _back_to_rencana(renja, f"k-{indikator.pk}")


@require_POST
@role_required(*ALL_ROLES)
def rencana_rp(request: HttpRequest, renja_id: int, simpul_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    node = get_object_or_404(Simpul.objects.select_related("renja"), pk=simpul_id, renja=renja)
    try:
        nilai = _quarters_from(request, services.MAX_RP_PLACES)
        services.rencana_rp_update(user=request.user, simpul=node, nilai=nilai)
    except ValidationError as exc:
        messages.error(request, f"{node.kode}: " + "; ".join(exc.messages))
        return _back_to_rencana(renja, f"rp-{node.pk}")
    messages.success(request, f"Rencana penarikan dana {node.kode} tersimpan.")
    return _back_to_rencana(renja, f"rp-{node.pk}")


@require_POST
@role_required(*ALL_ROLES)
def rencana_impor(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    upload = request.FILES.get("berkas")
    if upload is None:
        messages.error(request, "Pilih berkas CSV atau XLSX.")
        return _back_to_rencana(renja, "impor")
    try:
        lines = services.read_rencana(renja, upload.name or "rencana.csv", upload.read())
    except InputError as exc:
        for problem in exc.masalah[:50]:
            messages.error(request, str(problem))
        if len(exc.masalah) > 50:
            messages.error(request, f"… dan {len(exc.masalah) - 50} masalah lain.")
        messages.error(request, "Tidak ada yang disimpan: perbaiki berkasnya lalu unggah lagi.")
        return _back_to_rencana(renja, "impor")
    if request.POST.get("coba") == "1":
        messages.success(
            request, f"Berkas benar: {len(lines)} baris rencana siap disimpan (belum disimpan)."
        )
        return _back_to_rencana(renja, "impor")
    changed = services.rencana_import(user=request.user, renja=renja, lines=lines)
    messages.success(
        request, f"{len(lines)} baris rencana dibaca; {changed} berubah dan tersimpan."
    )
    return _back_to_rencana(renja, "impor")


@require_GET
@role_required(*ALL_ROLES)
def rencana_csv(request: HttpRequest, renja_id: int) -> HttpResponse:
    """Return the Renja's plan lines as a CSV that can be filled in and imported again."""
    renja = access.renja_for(request.user, renja_id)
    k, rp = selectors.rencana_of(renja)
    rows: list[list[Any]] = [["kode", "jenis", "indikator", "tw1", "tw2", "tw3", "tw4"]]
    simpul_list = list(Simpul.objects.filter(renja=renja).order_by("urutan"))
    parents = {s.induk_id for s in simpul_list if s.induk_id}
    indikator: dict[int, list[Indikator]] = {}
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator.setdefault(item.simpul_id, []).append(item)
    for s in simpul_list:
        for n, item in enumerate(indikator.get(s.pk, []), start=1):
            values = k.get(item.pk, services.KOSONG)
            rows.append([s.kode, "k", n, *(angka(v) for v in values)])
        if s.pk not in parents:
            values = rp.get(s.pk, services.KOSONG)
            rows.append([s.kode, "rp", "", *(angka(v) for v in values)])
    return csv_response(rows, f"rencana-{renja.perangkat_daerah.kode}-{renja.tahun}.csv")
