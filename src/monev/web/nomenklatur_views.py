"""The admin page of the pemda's nomenclature lists (issue 14 point 2): upload a version (CSV or
XLSX: kode, tingkat, nama, regulasi, tahun), see every version, choose the active one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from monev.io.flat import InputError
from monev.io.safety import check_upload
from monev.web import access, impor_tabel, uploads
from monev.web.access import Peran, role_required
from monev.web.models import DaftarNomenklatur

SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    writable = access.writable_pemda(request.user)
    return {
        "daftar": impor_tabel.daftar_nomenklatur(list(writable.values_list("pk", flat=True))),
        "daftar_pemda": writable.order_by("nama"),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def daftar(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "monev/nomenklatur.html", _context(request))
    problems: list[str] = []
    pemda_id = request.POST.get("pemda", "")
    pemda = (
        access.writable_pemda(request.user).filter(pk=pemda_id).first()
        if pemda_id.isdigit()
        else None
    )
    if pemda is None:
        problems.append("Pilih pemerintah daerah.")
    tahun_text = request.POST.get("tahun", "").strip()
    tahun = int(tahun_text) if tahun_text.isdigit() and 2000 <= int(tahun_text) <= 2100 else None
    if tahun_text and tahun is None:
        problems.append("Tahun regulasi harus berupa angka tahun, misalnya 2023.")
    berkas = uploads.received(
        request,
        problems,
        suffixes=SUFFIXES,
        pilih="Pilih berkas CSV atau XLSX.",
        harus="Berkas harus CSV, XLSX, XLS, atau ODS.",
    )
    if not problems and pemda is not None and berkas is not None:
        name, data = Path(berkas[0]).name, berkas[1]
        try:
            check_upload(
                data,
                name,
                max_bytes=settings.MONEV_UPLOAD_MAX_BYTES,
                max_unpacked_bytes=settings.MONEV_UPLOAD_MAX_UNPACKED_BYTES,
            )
            saved = impor_tabel.nomenklatur_upload(
                user=request.user,
                pemda=pemda,
                nama=request.POST.get("nama", ""),
                regulasi=request.POST.get("regulasi", ""),
                tahun=tahun,
                berkas=name,
                data=data,
                aktif=request.POST.get("aktif") == "1",
            )
        except InputError as exc:
            problems = [str(m) for m in exc.masalah]
        except impor_tabel.Ditolak as exc:
            problems = [str(exc)]
        else:
            count = saved.entri.count()
            state = " dan dijadikan aktif" if saved.aktif else ""
            messages.success(
                request, f"Daftar nomenklatur '{saved.nama}' ({count} entri) tersimpan{state}."
            )
            return redirect("nomenklatur")
    context = _context(request, problems=problems, post=request.POST)
    return render(request, "monev/nomenklatur.html", context, status=400)


@require_POST
@role_required(Peran.ADMIN)
def aktifkan(request: HttpRequest, daftar_id: int) -> HttpResponse:
    chosen = get_object_or_404(
        # Another pemda's list is not there (404); one the admin only reads is refused (403).
        DaftarNomenklatur.objects.filter(
            pemda__in=access.visible_pemda(request.user)
        ).select_related("pemda"),
        pk=daftar_id,
    )
    aktif = request.POST.get("aktif", "1") == "1"
    impor_tabel.nomenklatur_activate(user=request.user, daftar=chosen, aktif=aktif)
    if aktif:
        messages.success(
            request, f"'{chosen.nama}' sekarang daftar nomenklatur aktif {chosen.pemda.nama}."
        )
    else:
        messages.success(request, f"{chosen.pemda.nama} tidak lagi memakai daftar nomenklatur.")
    return redirect("nomenklatur")
