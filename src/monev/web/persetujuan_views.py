"""The admin page of a pemda's approval levels (issue 16, point 4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from monev.web import persetujuan
from monev.web.access import Peran, role_required
from monev.web.models import Pemda, TingkatPersetujuan


def _pemda(request: HttpRequest) -> Pemda:
    chosen = request.POST.get("pemda") or request.GET.get("pemda")
    if chosen:
        if not chosen.isdigit():
            raise Http404("pemda tidak dikenal")
        return get_object_or_404(Pemda, pk=int(chosen))
    first = Pemda.objects.order_by("nama").first()
    if first is None:
        raise Http404("belum ada pemda")
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
            "pemda_list": Pemda.objects.order_by("nama"),
        },
        status=status,
    )
