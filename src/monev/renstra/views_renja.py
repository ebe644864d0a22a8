"""Pages of one Renja and its place in the period: its Renstra and links (with the earlier years
behind column 7), the next year in one step, the Renja perubahan and its comparison, and the E.81
of a quarter on the version in force at that quarter's end."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.core.renstra import SUMBER_LABEL
from monev.io.flat import InputError, read_flat
from monev.io.report.model import build_report
from monev.renstra import perubahan as perubahan_mod
from monev.renstra import salin, selectors, services
from monev.renstra.banding import banding as banding_of
from monev.renstra.models import PerubahanRenja, Renstra
from monev.web import access, reports, snapshot
from monev.web import services as web_services
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.models import Indikator, Renja, Simpul
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
    # Not linked yet: what linking to the Renstra of the year would pair, before the admin does.
    usul_renstra = renstra or pilihan.order_by("-tahun_awal").first()
    usul = selectors.usul_tautan(renja, usul_renstra) if usul_renstra else None
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
    """Return a Renja the user may change as its pemda's admin: 404 unseen, 403 read-only."""
    renja = access.renja_for(request.user, renja_id)
    access.require_admin(request.user, renja)
    return renja


@require_POST
@role_required(Peran.ADMIN)
def tautkan(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = _admin_renja(request, renja_id)
    renstra_id = request.POST.get("renstra", "")
    renstra = (
        Renstra.objects.filter(pk=renstra_id, perangkat_daerah=renja.perangkat_daerah).first()
        if renstra_id.isdigit()
        else None
    )
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
        rencana = None
        upload = request.FILES.get("berkas")
        if upload is not None:
            name = Path(upload.name or "rencana.csv").name
            if Path(name).suffix.lower() not in (".csv", ".xlsx"):
                raise ValidationError("Berkas rencana perubahan harus CSV atau XLSX format datar.")
            try:
                rencana = read_flat(Path(name), upload.read())
            except InputError as exc:
                raise ValidationError([str(m) for m in exc.masalah]) from exc
        baru = perubahan_mod.renja_perubahan(
            user=request.user,
            renja=renja,
            triwulan_mulai=int(text),
            alasan=request.POST.get("alasan", "").strip(),
            rencana=rencana,
        )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("renstra:renja", renja.pk)
    messages.success(
        request,
        "Renja perubahan dibuat; realisasi yang sudah dientri ikut dibawa. Ubah target dan pagu "
        "di bawah.",
    )
    return redirect("renstra:rencana_perubahan", baru.pk)


@require_safe
@role_required(*ALL_ROLES)
def rencana_perubahan(request: HttpRequest, renja_id: int) -> HttpResponse:
    """The perubahan's targets and pagu, each changed with its own small form (never one form
    with every field: spec §9)."""
    renja = access.renja_for(request.user, renja_id)
    found = get_object_or_404(PerubahanRenja.objects.select_related("asal"), renja=renja)
    data = renja_data(renja)
    parents = {s.induk_id for s in data.simpul if s.induk_id}
    rows = [(s, data.indikator.get(s.pk, []), s.pk not in parents) for s in data.simpul]
    return render(
        request,
        "renstra/rencana_perubahan.html",
        {"renja": renja, "perubahan": found, "rows": rows},
    )


@require_POST
@role_required(Peran.ADMIN)
def ubah_perubahan(request: HttpRequest, renja_id: int, jenis: str, obj_id: int) -> HttpResponse:
    renja = _admin_renja(request, renja_id)
    versi_text = request.POST.get("versi", "")
    if not versi_text.isdigit():
        # Every write from a page carries the version it was based on (a page without one
        # would overwrite someone else's value unseen).
        messages.error(
            request,
            f"{jenis.capitalize()} tidak disimpan: versi nilai tidak dikirim; muat ulang halaman.",
        )
        return redirect("renstra:rencana_perubahan", renja.pk)
    versi = int(versi_text)
    try:
        if jenis == "target":
            item = get_object_or_404(Indikator, pk=obj_id, simpul__renja=renja)
            nilai = web_services.parse_nilai(
                request.POST.get("nilai", ""), places=4, label="target"
            )
            perubahan_mod.perubahan_target_update(
                user=request.user, indikator=item, target=nilai, versi=versi
            )
        elif jenis == "pagu":
            simpul = get_object_or_404(Simpul, pk=obj_id, renja=renja)
            nilai = web_services.parse_nilai(request.POST.get("nilai", ""), places=2, label="pagu")
            perubahan_mod.perubahan_pagu_update(
                user=request.user, simpul=simpul, pagu=nilai, versi=versi
            )
        else:
            raise Http404("kolom tidak dikenal")
        messages.success(request, f"{jenis.capitalize()} tersimpan.")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("renstra:rencana_perubahan", renja.pk)


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
    evaluasi = snapshot.evaluasi_of(renja, triwulan)  # a verified quarter: its record
    konteks = reports.konteks_laporan(renja, triwulan)
    laporan = reports.with_versi(
        build_report(evaluasi, konteks), perubahan_mod.keterangan_versi(renja)
    )
    nama = reports.file_name(
        "evaluasi", renja.perangkat_daerah.nama, renja.tahun, renja.versi, f"tw{triwulan}", fmt=fmt
    )
    return reports.laporan_file(laporan, fmt, nama).response()
