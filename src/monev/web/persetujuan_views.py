"""The admin page of a pemda's approval levels (issue 16, point 4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from monev.web import access, persetujuan
from monev.web.access import Peran, role_required
from monev.web.models import Pemda, TingkatPersetujuan


def _pemda(request: HttpRequest) -> Pemda:
    """The pemda asked for (404 if the user may not read it, 403 if only read), else the first
    the user may change."""
    chosen = request.POST.get("pemda") or request.GET.get("pemda")
    if chosen:
        return access.pemda_for_write(request.user, chosen)
    first = access.writable_pemda(request.user).order_by("nama").first()
    if first is None:
        raise PermissionDenied(access.FORBIDDEN_READ_ONLY)
    return first


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def tingkat_persetujuan(request: HttpRequest) -> HttpResponse:
    """Show and save a pemda's levels (`?pemda=<id>`, default: the first pemda), one row each."""
    pemda = _pemda(request)
    configured = TingkatPersetujuan.objects.filter(pemda=pemda).order_by("urutan")
    rows = [(t.nama, t.peran) for t in configured]
    kesalahan: list[str] = []
    status = 200
    if request.method == "POST":
        rows = [
            (request.POST.get(f"nama_{n}", "")[:200], request.POST.get(f"peran_{n}", "")[:40])
            for n in range(1, persetujuan.MAKS_TINGKAT + 1)
        ]
        hasil = persetujuan.tingkat_set(user=request.user, pemda=pemda, rows=rows)
        if hasil.tersimpan:
            text = f"Tingkat persetujuan {pemda.nama} disimpan."
            if hasil.dipindah:
                text += (
                    f" {hasil.dipindah} laporan yang menunggu di tingkat yang dihapus dipindah "
                    "ke tingkat berikutnya."
                )
            messages.success(request, text)
            return redirect(f"{reverse('tingkat_persetujuan')}?pemda={pemda.pk}")
        kesalahan = hasil.kesalahan
        status = 400
    padded = list(rows) + [("", "")] * (persetujuan.MAKS_TINGKAT - len(rows))
    return render(
        request,
        "monev/tingkat_persetujuan.html",
        {
            "pemda": pemda,
            "baris": [(n, nama, peran) for n, (nama, peran) in enumerate(padded, start=1)],
            "pilihan_peran": TingkatPersetujuan.Peran.choices,
            "kesalahan": kesalahan,
            "berlaku": persetujuan.levels_of(pemda.pk),
            "pemda_list": access.writable_pemda(request.user).order_by("nama"),
        },
        status=status,
    )
