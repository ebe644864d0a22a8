"""The admin page of a pemda's predikat band sets (spec §7)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from monev.core.predikat import DEFAULT_PITA
from monev.web import access, pengaturan
from monev.web.access import Peran, role_required


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def pita_predikat(request: HttpRequest) -> HttpResponse:
    """Show and save a pemda's two band sets (`?pemda=<id>`, default: the first pemda)."""
    chosen = request.POST.get("pemda") or request.GET.get("pemda")
    if chosen:
        pemda = access.pemda_for_write(request.user, chosen)
    else:
        first = access.writable_pemda(request.user).order_by("nama").first()
        if first is None:
            raise PermissionDenied(access.FORBIDDEN_READ_ONLY)
        pemda = first
    kesalahan: dict[str, list[str]] = {}
    k = pemda.pita_predikat_k or DEFAULT_PITA.teks()
    rp = pemda.pita_predikat_rp or DEFAULT_PITA.teks()
    status = 200
    if request.method == "POST":
        k = request.POST.get("pita_k", "")[:5000]
        rp = request.POST.get("pita_rp", "")[:5000]
        hasil = pengaturan.pita_set(user=request.user, pemda=pemda, k=k, rp=rp)
        if hasil.tersimpan:
            messages.success(request, f"Pita predikat {pemda.nama} disimpan.")
            return redirect(f"{reverse('pita_predikat')}?pemda={pemda.pk}")
        kesalahan = hasil.kesalahan
        status = 400
    return render(
        request,
        "monev/pita_predikat.html",
        {
            "pemda": pemda,
            "pita_k": k,
            "pita_rp": rp,
            "kesalahan_k": kesalahan.get("k", []),
            "kesalahan_rp": kesalahan.get("rp", []),
            "bawaan": DEFAULT_PITA.teks(),
            "pemda_list": access.writable_pemda(request.user).order_by("nama"),
        },
        status=status,
    )
