"""The sources of data between servers (admin only): add a source, turn it on or off, pull now
(in the background: the page says it started and shows the result when it ends), delete one
(with or without the rows it filled), and the log of every pull with its source and time."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from monev.pemda import tarik_kelola
from monev.pemda.models_tarik import SumberData, TarikanData
from monev.pemda.views.common import parse_int
from monev.web import access
from monev.web.access import Peran, role_required


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def sumber_data(request: HttpRequest) -> HttpResponse:
    access.require_manage_sources(request.user)
    isian = {}
    status = 200
    if request.method == "POST":
        isian = {k: request.POST.get(k, "") for k in ("nama", "alamat", "pemda_sumber", "pemda")}
        pemda_id = parse_int(isian["pemda"])
        pemda_sumber = parse_int(isian["pemda_sumber"])
        try:
            if isian["pemda_sumber"].strip() and (pemda_sumber is None or pemda_sumber < 1):
                raise ValidationError("ID pemda di server sumber harus bilangan bulat positif.")
            if isian["pemda"] and pemda_id is None:
                raise ValidationError("Pilih pemda lokal dari daftar.")
            pemda = (
                get_object_or_404(access.source_pemda(request.user), pk=pemda_id)
                if pemda_id
                else None
            )
            made = tarik_kelola.sumber_create(
                user=request.user,
                nama=isian["nama"],
                alamat=isian["alamat"],
                pemda_sumber=pemda_sumber,
                pemda=pemda,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 422
        else:
            messages.success(request, f"Sumber “{made.nama}” ditambahkan.")
            return redirect("pemda:sumber_data")
    sumber = tarik_kelola.sumber_list(request.user)
    context = {
        "sumber": sumber,
        # While a pull runs, the list asks again every few seconds for its result.
        "berjalan": any(
            tarik_kelola.is_running(t) for _, tarikan, _ in sumber for t in tarikan[:1]
        ),
    }
    if request.htmx:
        return render(request, "pemda/_sumber_daftar.html", context)
    context |= {
        "pemda_lokal": access.source_pemda(request.user).order_by("nama"),
        "isian": isian,
    }
    return render(request, "pemda/sumber_data.html", context, status=status)


def _sumber(request: HttpRequest, sumber_id: int) -> SumberData:
    access.require_manage_sources(request.user)
    return get_object_or_404(tarik_kelola.sources_of(request.user), pk=sumber_id)


@require_POST
@role_required(Peran.ADMIN)
def sumber_tarik(request: HttpRequest, sumber_id: int) -> HttpResponse:
    sumber = _sumber(request, sumber_id)
    try:
        done = tarik_kelola.pull_start(user=request.user, sumber=sumber)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pemda:sumber_data")
    if done.status == TarikanData.Status.BERJALAN:
        messages.info(
            request,
            f"Tarikan {sumber.nama} dimulai di latar belakang; hasilnya tampil di tabel tarikan "
            "di bawah begitu selesai.",
        )
    elif done.status == TarikanData.Status.OK:
        messages.success(request, f"{sumber.nama}: {done.pesan}")
    else:
        messages.error(request, f"{sumber.nama}: {done.pesan}")
    return redirect("pemda:sumber_data")


@require_POST
@role_required(Peran.ADMIN)
def sumber_aktif(request: HttpRequest, sumber_id: int) -> HttpResponse:
    sumber = _sumber(request, sumber_id)
    aktif = request.POST.get("aktif") == "1"
    tarik_kelola.sumber_set_aktif(user=request.user, sumber=sumber, aktif=aktif)
    messages.success(
        request, f"Sumber “{sumber.nama}” " + ("diaktifkan." if aktif else "dinonaktifkan.")
    )
    return redirect("pemda:sumber_data")


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def sumber_hapus(request: HttpRequest, sumber_id: int) -> HttpResponse:
    sumber = _sumber(request, sumber_id)
    if request.method == "GET":
        return render(
            request,
            "pemda/sumber_hapus.html",
            {"s": sumber, "isi": tarik_kelola.sumber_isi(sumber)},
        )
    pilihan = request.POST.get("baris", "")
    if pilihan not in ("hapus", "simpan"):
        messages.error(
            request,
            "Pilih apakah baris yang ditarik dari sumber ini ikut dihapus atau disimpan.",
        )
        return redirect("pemda:sumber_hapus", sumber.pk)
    isi = tarik_kelola.sumber_delete(
        user=request.user, sumber=sumber, hapus_baris=pilihan == "hapus"
    )
    if pilihan == "hapus":
        messages.success(
            request,
            f"Sumber “{sumber.nama}” dihapus bersama {isi.baris} baris dari "
            f"{isi.triwulan_pd} triwulan PD yang ditariknya.",
        )
    else:
        messages.success(
            request,
            f"Sumber “{sumber.nama}” dihapus; {isi.baris} baris yang ditariknya tetap tersimpan.",
        )
    return redirect("pemda:sumber_data")
