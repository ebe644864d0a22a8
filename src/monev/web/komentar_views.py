"""The comment panel of a line (opened from the entry grid and the evaluation page by its
button, htmx), its writes, and the history of a quarter's report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from monev.web import access, komentar, komentar_html, riwayat_laporan, selectors, siklus
from monev.web.access import ALL_ROLES, role_required
from monev.web.komentar import Sasaran
from monev.web.models import Komentar, Renja
from monev.web.views import ROMAWI, triwulan_param

Status = siklus.Status
KOLOM = ("k", "rp")


def _target(renja: Renja, triwulan: int, kolom: str, ref: int) -> Sasaran:
    if kolom not in KOLOM:
        raise Http404("kolom tidak dikenal")
    return komentar.sasaran_of(renja, kolom, ref)


def _panel(
    request: HttpRequest,
    renja: Renja,
    triwulan: int,
    sasaran: Sasaran,
    *,
    pesan: str = "",
    galat: bool = False,
    status: int = 200,
) -> HttpResponse:
    """Render the panel: its fragment (with the line's new button, out of band) for htmx, else
    a page of its own."""
    laporan_status = selectors.laporan_of(renja, triwulan).status
    terkunci = laporan_status == Status.DIVERIFIKASI
    daftar = komentar.utas_baris(renja, triwulan, sasaran)
    user = request.user
    tanda = komentar.tanda_laporan(renja, triwulan).get(sasaran.sel)
    url = reverse("komentar", args=[renja.pk, triwulan, sasaran.kolom, sasaran.ref])
    context: dict[str, Any] = {
        "renja": renja,
        "triwulan": triwulan,
        "romawi": ROMAWI[triwulan - 1],
        "sasaran": sasaran,
        "daftar": [(u, not terkunci and komentar.can_close(user, u.akar)) for u in daftar],
        "bisa_tulis": not terkunci and access.can_comment(user, renja),
        "bisa_tandai": not terkunci and access.can_review_comments(user, renja),
        "terkunci": terkunci,
        "pesan": pesan,
        "galat": galat,
        "url_panel": url,
        "url_tulis": reverse(
            "komentar_tulis", args=[renja.pk, triwulan, sasaran.kolom, sasaran.ref]
        ),
        "url_entri": komentar.cell_url(renja.pk, triwulan, sasaran.sel),
        "tombol": mark_safe(  # every text in it is escaped
            komentar_html.button(
                url=url,
                sel=sasaran.sel,
                label=sasaran.label,
                tanda=tanda,
                oob=True,
            )
        ),
    }
    template = "monev/_komentar_panel.html" if request.htmx else "monev/komentar.html"
    return render(request, template, context, status=status)


@require_safe
@role_required(*ALL_ROLES)
def panel(request: HttpRequest, renja_id: int, triwulan: int, kolom: str, ref: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    return _panel(request, renja, triwulan, _target(renja, triwulan, kolom, ref))


def _after(
    request: HttpRequest,
    renja: Renja,
    triwulan: int,
    sasaran: Sasaran,
    done: str,
    write: Any,
) -> HttpResponse:
    """Run a write; answer with the panel and what happened (the refusal's reason if any)."""
    try:
        write()
    except siklus.Ditolak as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect("komentar", renja.pk, triwulan, sasaran.kolom, sasaran.ref)
        return _panel(request, renja, triwulan, sasaran, pesan=str(exc), galat=True, status=409)
    if not request.htmx:
        messages.success(request, done)
        return redirect("komentar", renja.pk, triwulan, sasaran.kolom, sasaran.ref)
    return _panel(request, renja, triwulan, sasaran, pesan=done)


@require_POST
@role_required(*ALL_ROLES)
def tulis(request: HttpRequest, renja_id: int, triwulan: int, kolom: str, ref: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    sasaran = _target(renja, triwulan, kolom, ref)
    access.require_comment(request.user, renja)
    induk_text = request.POST.get("induk", "")
    induk = None
    if induk_text:
        if not induk_text.isdigit():
            raise Http404("utas tidak dikenal")
        induk = get_object_or_404(Komentar, pk=int(induk_text), renja=renja, induk__isnull=True)
    flag = request.POST.get("perlu_tindak_lanjut") == "1"
    done = "Balasan terkirim." if induk else "Komentar terkirim."
    if flag and induk is None:
        done = "Komentar terkirim dan ditandai perlu tindak lanjut."
    return _after(
        request,
        renja,
        triwulan,
        sasaran,
        done,
        lambda: komentar.komentar_write(
            user=request.user,
            renja=renja,
            triwulan=triwulan,
            sasaran=sasaran,
            teks=request.POST.get("teks", ""),
            perlu_tindak_lanjut=flag,
            induk=induk,
        ),
    )


#: aksi -> (the service, what the panel says when done)
AKSI = {
    "tandai": (
        lambda user, utas: komentar.komentar_flag(user=user, utas=utas, perlu_tindak_lanjut=True),
        "Utas ditandai perlu tindak lanjut.",
    ),
    "hapus-tanda": (
        lambda user, utas: komentar.komentar_flag(user=user, utas=utas, perlu_tindak_lanjut=False),
        "Tanda perlu tindak lanjut dihapus.",
    ),
    "selesai": (
        lambda user, utas: komentar.komentar_resolve(user=user, utas=utas),
        "Utas ditandai selesai.",
    ),
    "buka": (
        lambda user, utas: komentar.komentar_reopen(user=user, utas=utas),
        "Utas dibuka lagi.",
    ),
}


@require_POST
@role_required(*ALL_ROLES)
def aksi(request: HttpRequest, renja_id: int, utas_id: int, aksi: str) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    if aksi not in AKSI:
        raise Http404("aksi tidak dikenal")
    utas = get_object_or_404(
        Komentar.objects.select_related("renja", "indikator__simpul", "simpul"),
        pk=utas_id,
        renja=renja,
        induk__isnull=True,
    )
    service, done = AKSI[aksi]
    sasaran = komentar.sasaran_of_komentar(utas)
    return _after(request, renja, utas.triwulan, sasaran, done, lambda: service(request.user, utas))


@require_safe
@role_required(*ALL_ROLES)
def riwayat(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    return render(
        request,
        "monev/riwayat_laporan.html",
        {
            "renja": renja,
            "triwulan": triwulan,
            "romawi": ROMAWI[triwulan - 1],
            "laporan": selectors.laporan_of(renja, triwulan),
            "peristiwa": riwayat_laporan.peristiwa(renja, triwulan),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )


urlpatterns = [
    path(
        "renja/<int:renja_id>/komentar/<int:triwulan>/<slug:kolom>/<int:ref>/",
        panel,
        name="komentar",
    ),
    path(
        "renja/<int:renja_id>/komentar/<int:triwulan>/<slug:kolom>/<int:ref>/tulis/",
        tulis,
        name="komentar_tulis",
    ),
    path(
        "renja/<int:renja_id>/komentar/utas/<int:utas_id>/<slug:aksi>/",
        aksi,
        name="komentar_aksi",
    ),
    path(
        "renja/<int:renja_id>/riwayat/<int:triwulan>/",
        riwayat,
        name="riwayat_laporan",
    ),
]
