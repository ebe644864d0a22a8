"""The page where a user turns e-mail reminders on or off (`monev.web.pengingat`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from monev.web import pengingat
from monev.web.access import ALL_ROLES, role_required


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def pengaturan(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        kirim = request.POST.get("kirim") == "1"
        pengingat.set_kirim(request.user, kirim)
        messages.success(
            request,
            "Pengingat e-mail dinyalakan." if kirim else "Pengingat e-mail dimatikan.",
        )
        return redirect("pengingat")
    return render(
        request,
        "monev/pengingat.html",
        {"kirim": pengingat.kirim_aktif(request.user), "email": request.user.email},
    )
