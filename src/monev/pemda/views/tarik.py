"""The sources of data between servers (admin only): add a source, turn it on or off, pull now,
and the log of every pull with its source and time."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from monev.pemda import tarik
from monev.pemda.models_tarik import TarikanData
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
            made = tarik.sumber_create(
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
    return render(
        request,
        "pemda/sumber_data.html",
        {
            "sumber": tarik.sumber_list(access.source_pemda(request.user)),
            "pemda_lokal": access.source_pemda(request.user).order_by("nama"),
            "isian": isian,
        },
        status=status,
    )


@require_POST
@role_required(Peran.ADMIN)
def sumber_tarik(request: HttpRequest, sumber_id: int) -> HttpResponse:
    access.require_manage_sources(request.user)
    sumber = get_object_or_404(tarik.sources_of(access.source_pemda(request.user)), pk=sumber_id)
    done = tarik.pull(sumber=sumber, pemicu=request.user.get_username())
    if done.status == TarikanData.Status.OK:
        messages.success(request, f"{sumber.nama}: {done.pesan}")
    else:
        messages.error(request, f"{sumber.nama}: {done.pesan}")
    return redirect("pemda:sumber_data")


@require_POST
@role_required(Peran.ADMIN)
def sumber_aktif(request: HttpRequest, sumber_id: int) -> HttpResponse:
    access.require_manage_sources(request.user)
    sumber = get_object_or_404(tarik.sources_of(access.source_pemda(request.user)), pk=sumber_id)
    aktif = request.POST.get("aktif") == "1"
    tarik.sumber_set_aktif(user=request.user, sumber=sumber, aktif=aktif)
    messages.success(
        request, f"Sumber “{sumber.nama}” " + ("diaktifkan." if aktif else "dinonaktifkan.")
    )
    return redirect("pemda:sumber_data")
