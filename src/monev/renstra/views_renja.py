"""Pages of one Renja and its place in the period: its Renstra and links (with the earlier years
behind column 7), the next year in one step, the Renja perubahan and its comparison, and the E.81
of a quarter on the version in force at that quarter's end."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.core.evaluation import evaluate
from monev.core.renstra import SUMBER_LABEL
from monev.io.report.model import build_report
from monev.renstra import perubahan as perubahan_mod
from monev.renstra import salin, selectors, services
from monev.renstra.banding import banding as banding_of
from monev.renstra.models import PerubahanRenja, Renstra
from monev.web import access, reports
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.models import Indikator, Renja
from monev.web.selectors import renja_data


@require_safe
@role_required(*ALL_ROLES)
def renja(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    renstra = selectors.renstra_of(renja)
    pilihan = Renstra.objects.filter(
        perangkat_daerah=renja.perangkat_daerah,
        tahun_awal__lte=renja.tahun,
        tahun_akhir__gte=renja.tahun,
    )
    usul = selectors.usul_tautan(renja, renstra) if renstra else None
    kolom = selectors.kolom_renstra(renja) if renstra else None
    asal: list[tuple[Indikator, list[str]]] = []
    if kolom is not None:
        by_id = {
            i.pk: i for i in Indikator.objects.filter(simpul__renja=renja).select_related("simpul")
        }
        for indikator_id, years in kolom.asal_k.items():
            if indikator_id in by_id:
                asal.append(
                    (
                        by_id[indikator_id],
                        [
                            f"{v.tahun}: {reports_value(v.realisasi)} ({SUMBER_LABEL[v.sumber]})"
                            for v in years
                        ],
                    )
                )
        asal.sort(key=lambda pair: (pair[0].simpul.urutan, pair[0].urutan))
    perubahan = PerubahanRenja.objects.filter(renja=renja).select_related("asal").first()
    digantikan = PerubahanRenja.objects.filter(asal=renja).select_related("renja").first()
    return render(
        request,
        "renstra/renja.html",
        {
            "renja": renja,
            "renstra": renstra,
            "pilihan": pilihan,
            "usul": usul,
            "asal": asal,
            "perubahan": perubahan,
            "digantikan": digantikan,
            "versi": perubahan_mod.keterangan_versi(renja),
            "berikut_ada": Renja.objects.filter(
                perangkat_daerah=renja.perangkat_daerah, tahun=renja.tahun + 1
            ).first(),
        },
    )


def reports_value(value: object) -> str:
    from monev.core.numbers import format_nilai

    return format_nilai(value)  # type: ignore[arg-type]


def _admin_renja(request: HttpRequest, renja_id: int) -> Renja:
    return access.renja_for(request.user, renja_id)


@require_POST
@role_required(Peran.ADMIN)
def tautkan(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = _admin_renja(request, renja_id)
    renstra_id = request.POST.get("renstra", "")
    renstra = Renstra.objects.filter(pk=renstra_id).first() if renstra_id.isdigit() else None
    if renstra is None:
        messages.error(request, "Pilih Renstra yang akan ditautkan.")
        return redirect("renstra:renja", renja.pk)
    try:
        hasil = services.tautan_terapkan(user=request.user, renja=renja, renstra=renstra)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("renstra:renja", renja.pk)
    messages.success(
        request,
        f"Tertaut ke {renstra}: {hasil.simpul} simpul dan {hasil.indikator} indikator baru "
        f"ditautkan; {len(hasil.tanpa_pasangan)} baris tanpa pasangan.",
    )
    return redirect("renstra:renja", renja.pk)


@require_POST
@role_required(Peran.ADMIN)
def tahun_berikut(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = _admin_renja(request, renja_id)
    try:
        hasil = salin.renja_tahun_berikut(
            user=request.user,
            perangkat_daerah=renja.perangkat_daerah,
            tahun=renja.tahun + 1,
            asal=renja,
        )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("renstra:renja", renja.pk)
    return render(request, "renstra/tahun_berikut.html", {"hasil": hasil, "asal": renja})


@require_POST
@role_required(Peran.ADMIN)
def perubahan(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = _admin_renja(request, renja_id)
    text = request.POST.get("triwulan_mulai", "")
    try:
        if text not in ("2", "3", "4"):
            raise ValidationError("Pilih triwulan mulai berlakunya perubahan (II, III, atau IV).")
        baru = perubahan_mod.renja_perubahan(
            user=request.user,
            renja=renja,
            triwulan_mulai=int(text),
            alasan=request.POST.get("alasan", "").strip(),
        )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("renstra:renja", renja.pk)
    messages.success(
        request,
        "Renja perubahan dibuat; ubah target dan pagu di halaman Renja-nya. Realisasi yang sudah "
        "dientri ikut dibawa.",
    )
    return redirect("renja", baru.pk)


@require_safe
@role_required(*ALL_ROLES)
def banding(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    found = PerubahanRenja.objects.filter(renja=renja).select_related("asal", "renja").first()
    if found is None:
        found = get_object_or_404(
            PerubahanRenja.objects.select_related("asal", "renja"), asal=renja
        )
    return render(request, "renstra/banding.html", {"banding": banding_of(found), "renja": renja})


@require_safe
@role_required(*ALL_ROLES)
def e81(request: HttpRequest, renja_id: int, triwulan: int, fmt: str) -> HttpResponse:
    """The E.81 of a quarter on the version in force at its end, its title saying which."""
    if triwulan not in (1, 2, 3, 4) or fmt not in ("xlsx", "pdf"):
        raise Http404("triwulan atau format tidak dikenal")
    renja = perubahan_mod.versi_berlaku(access.renja_for(request.user, renja_id), triwulan)
    evaluasi = evaluate(renja_data(renja).core, triwulan)
    konteks = reports.konteks_laporan(renja, triwulan)
    laporan = build_report(evaluasi, konteks)
    laporan = dataclasses.replace(
        laporan, judul=(*laporan.judul, perubahan_mod.keterangan_versi(renja))
    )
    nama = reports.file_name(
        "evaluasi", renja.perangkat_daerah.nama, renja.tahun, renja.versi, f"tw{triwulan}", fmt=fmt
    )
    return reports.laporan_file(laporan, fmt, nama).response()
