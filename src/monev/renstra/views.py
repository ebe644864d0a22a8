"""Pages of the Renstra: the list with its imports (Renstra file, code mapping), one Renstra with
its targets per year and history, and its evaluation (Formulir E.80) as a page and as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.core.renstra import SUMBER_LABEL, evaluate_renstra
from monev.io.flat import InputError
from monev.io.renstra_flat import read_renstra
from monev.io.report.context import KonteksLaporan
from monev.io.report.e80 import build_e80_report
from monev.renstra import selectors, services
from monev.renstra.models import (
    IndikatorRenstra,
    Renstra,
    SimpulRenstra,
    TahunIndikator,
    TahunSimpul,
)
from monev.web import access, reports, uploads
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.models import Pemda, Renja, Riwayat
from monev.web.pengaturan import pengaturan_of


def renstra_for(user: Any, renstra_id: int) -> Renstra:
    """Return a Renstra the user may read (an operator: their own PD's only), else 404."""
    return get_object_or_404(
        Renstra.objects.select_related("perangkat_daerah__pemda").filter(
            perangkat_daerah__in=access.visible_pd(user)
        ),
        pk=renstra_id,
    )


def _year(text: str, label: str, problems: list[str]) -> int | None:
    text = text.strip()
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    problems.append(f"{label} harus berupa angka tahun, misalnya 2025.")
    return None


@require_safe
@role_required(*ALL_ROLES)
def daftar(request: HttpRequest) -> HttpResponse:
    renstra = Renstra.objects.filter(perangkat_daerah__in=access.visible_pd(request.user))
    return render(
        request,
        "renstra/daftar.html",
        {
            "daftar_renstra": renstra.select_related("perangkat_daerah__pemda"),
            "daftar_pd": access.writable_pd(request.user).select_related("pemda").order_by("kode"),
        },
    )


@require_POST
@role_required(Peran.ADMIN)
def impor(request: HttpRequest) -> HttpResponse:
    """Import a Renstra file (docs/format-renstra.md): all or nothing, every problem listed."""
    problems: list[str] = []
    pd_id = request.POST.get("perangkat_daerah", "")
    pd = access.writable_pd(request.user).filter(pk=pd_id).first() if pd_id.isdigit() else None
    if pd is None:
        problems.append("Pilih Perangkat Daerah.")
    awal = _year(request.POST.get("tahun_awal", ""), "Tahun awal", problems)
    akhir = _year(request.POST.get("tahun_akhir", ""), "Tahun akhir", problems)
    if awal and akhir and akhir < awal:
        problems.append("Tahun akhir tidak boleh sebelum tahun awal.")
    berkas = uploads.received(
        request,
        problems,
        suffixes=(".csv", ".xlsx", ".xls", ".ods"),
        pilih="Pilih berkas CSV atau XLSX.",
        harus="Berkas harus CSV atau XLSX.",
    )
    renstra = None
    if not problems and berkas and pd and awal and akhir:
        name, data = Path(berkas[0]).name, berkas[1]
        try:
            periode = read_renstra(Path(name), awal, akhir, data)
            renstra = services.renstra_import(
                user=request.user,
                perangkat_daerah=pd,
                periode=periode,
                nama=request.POST.get("nama", "").strip(),
                sumber=name,
            )
        except InputError as exc:
            problems += [str(m) for m in exc.masalah]
        except ValidationError as exc:
            problems += exc.messages
    if problems or renstra is None:
        return render(
            request,
            "renstra/daftar.html",
            {
                "daftar_renstra": Renstra.objects.filter(
                    perangkat_daerah__in=access.visible_pd(request.user)
                ).select_related("perangkat_daerah__pemda"),
                "daftar_pd": access.writable_pd(request.user)
                .select_related("pemda")
                .order_by("kode"),
                "problems": problems,
            },
            status=400,
        )
    messages.success(request, f"{renstra} tersimpan.")
    return redirect("renstra:detail", renstra.pk)


@require_POST
@role_required(Peran.ADMIN)
def pemetaan(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    berkas = uploads.received(
        request,
        problems,
        suffixes=(".csv", ".xlsx", ".xls", ".ods"),
        pilih="Pilih berkas CSV atau XLSX.",
        harus="Berkas harus CSV atau XLSX.",
    )
    if berkas:
        try:
            jumlah = services.pemetaan_import(user=request.user, data=berkas[1], berkas=berkas[0])
            messages.success(request, f"{jumlah} baris pemetaan kode dimuat dari {berkas[0]}.")
        except ValidationError as exc:
            problems += exc.messages
    for p in problems:
        messages.error(request, p)
    return redirect("renstra:daftar")


@require_safe
@role_required(*ALL_ROLES)
def detail(request: HttpRequest, renstra_id: int) -> HttpResponse:
    renstra = renstra_for(request.user, renstra_id)
    nodes = list(SimpulRenstra.objects.filter(renstra=renstra).order_by("urutan"))
    items: dict[int, list[IndikatorRenstra]] = {}
    for item in IndikatorRenstra.objects.filter(simpul__renstra=renstra).order_by("urutan"):
        items.setdefault(item.simpul_id, []).append(item)
    years_k: dict[int, dict[int, TahunIndikator]] = {}
    for t in TahunIndikator.objects.filter(indikator__simpul__renstra=renstra):
        years_k.setdefault(t.indikator_id, {})[t.tahun] = t
    years_rp: dict[int, dict[int, TahunSimpul]] = {}
    for t in TahunSimpul.objects.filter(simpul__renstra=renstra):
        years_rp.setdefault(t.simpul_id, {})[t.tahun] = t
    tahun = list(renstra.tahun)
    rows = [
        (
            s,
            [years_rp.get(s.pk, {}).get(y) for y in tahun],
            [(i, [years_k.get(i.pk, {}).get(y) for y in tahun]) for i in items.get(s.pk, [])],
        )
        for s in nodes
    ]
    held = {
        r.tahun: r
        for r in Renja.objects.filter(
            perangkat_daerah=renstra.perangkat_daerah, berlaku=True, tahun__in=tahun
        )
    }
    riwayat = Riwayat.objects.filter(
        keterangan__startswith=services.label(renstra) + ":"
    ).select_related("pengguna")[:200]
    return render(
        request,
        "renstra/detail.html",
        {
            "renstra": renstra,
            "tahun": tahun,
            "rows": rows,
            "renja_tahun": [(y, held.get(y)) for y in tahun],
            "riwayat": riwayat,
        },
    )


def _sampai(request: HttpRequest, renstra: Renstra) -> int:
    text = request.GET.get("sampai", "")
    if text.isdigit() and renstra.tahun_awal <= int(text) <= renstra.tahun_akhir:
        return int(text)
    return renstra.tahun_akhir


def _e80(request: HttpRequest, renstra: Renstra) -> Any:
    return evaluate_renstra(
        selectors.periode(renstra),
        _sampai(request, renstra),
        pengaturan_of(renstra.perangkat_daerah.pemda),  # the pemda's rules and bands
    )


@require_safe
@role_required(*ALL_ROLES)
def e80(request: HttpRequest, renstra_id: int) -> HttpResponse:
    renstra = renstra_for(request.user, renstra_id)
    evaluasi = _e80(request, renstra)
    return render(
        request,
        "renstra/e80.html",
        {
            "renstra": renstra,
            "evaluasi": evaluasi,
            "tahun": list(renstra.tahun),
            "sumber_label": {k.value: v for k, v in SUMBER_LABEL.items()},
        },
    )


@require_safe
@role_required(*ALL_ROLES)
def e80_file(request: HttpRequest, renstra_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404("format tidak dikenal")
    renstra = renstra_for(request.user, renstra_id)
    evaluasi = _e80(request, renstra)
    pd = renstra.perangkat_daerah
    konteks: KonteksLaporan = reports.konteks_pd(pd, evaluasi.sampai_tahun)
    laporan = build_e80_report(evaluasi, konteks)
    nama = reports.file_name("e80", pd.nama, f"{renstra.tahun_awal}-{renstra.tahun_akhir}", fmt=fmt)
    return reports.laporan_file(laporan, fmt, nama).response()


# -- the whole pemda by program (Bappeda) --------------------------------------------------------

BAPPEDA = access.WHOLE_PEMDA_ROLES


def _pemda_periode(
    request: HttpRequest,
) -> tuple[Pemda, list[tuple[int, int]], tuple[int, int] | None]:
    pemda = access.active_pemda(request)  # `?pemda=` of another pemda: 404
    if pemda is None:
        raise Http404("belum ada pemda")
    daftar = selectors.periode_list(pemda.pk)
    chosen = daftar[0] if daftar else None
    text = request.GET.get("periode", "")
    for awal, akhir in daftar:
        if text == f"{awal}-{akhir}":
            chosen = (awal, akhir)
    return pemda, daftar, chosen


def _e80_pemda(request: HttpRequest) -> tuple[Pemda, list[tuple[int, int]], Any]:
    pemda, daftar, chosen = _pemda_periode(request)
    if chosen is None:
        return pemda, daftar, None
    awal, akhir = chosen
    text = request.GET.get("sampai", "")
    sampai = int(text) if text.isdigit() and awal <= int(text) <= akhir else akhir
    periode = selectors.periode_pemda(pemda, awal, akhir)
    return pemda, daftar, evaluate_renstra(periode, sampai, pengaturan_of(pemda))


@require_safe
@role_required(*BAPPEDA)
def e80_pemda(request: HttpRequest) -> HttpResponse:
    pemda, daftar, evaluasi = _e80_pemda(request)
    return render(
        request,
        "renstra/e80_pemda.html",
        {
            "pemda": pemda,
            "daftar_pemda": access.visible_pemda(request.user).order_by("nama"),
            "daftar_periode": daftar,
            "evaluasi": evaluasi,
            "tahun": list(evaluasi.renstra.daftar_tahun) if evaluasi else [],
            "sumber_label": {k.value: v for k, v in SUMBER_LABEL.items()},
        },
    )


@require_safe
@role_required(*BAPPEDA)
def e80_pemda_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404("format tidak dikenal")
    pemda, _, evaluasi = _e80_pemda(request)
    if evaluasi is None:
        raise Http404("belum ada Renstra di pemda ini")
    r = evaluasi.renstra
    konteks = KonteksLaporan(
        perangkat_daerah="Seluruh Perangkat Daerah (menurut program)",
        pemda=pemda.nama,
        tempat=pemda.tempat_tanda_tangan,
        tanggal=reports.tanggal_indonesia(),
        kepala_bappeda=reports.kepala_bappeda_of(pemda),
    )
    laporan = build_e80_report(evaluasi, konteks)
    nama = reports.file_name("e80", pemda.nama, f"{r.tahun_awal}-{r.tahun_akhir}", fmt=fmt)
    return reports.laporan_file(laporan, fmt, nama).response()
