"""The "Pilih pemda" page: which pemda the whole-pemda pages show (a province: itself and its
kabupaten/kota; the ministry: every pemda, grouped by province). The choice is kept in the session
and checked again by `monev.web.access.active_pemda` on every page that uses it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from monev.web import access
from monev.web.access import ALL_ROLES, role_required
from monev.web.models import Pemda


def _groups(pemda_list: list[Pemda]) -> list[tuple[str, list[Pemda]]]:
    """Return the pemda grouped under their province (a province first in its own group)."""
    by_id = {p.pk: p for p in pemda_list}
    groups: dict[int | None, list[Pemda]] = {}
    for p in pemda_list:
        key = p.pk if p.jenis == Pemda.Jenis.PROVINSI else p.provinsi_id
        groups.setdefault(key, []).append(p)
    out = []
    for key, members in groups.items():
        members.sort(key=lambda p: (p.jenis != Pemda.Jenis.PROVINSI, p.nama))
        title = by_id[key].nama if key in by_id else "Tanpa provinsi"
        out.append((title, members))
    out.sort(key=lambda g: (g[0] == "Tanpa provinsi", g[0]))
    return out


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def pilih_pemda(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        chosen = access.active_pemda_set(request, request.POST.get("pemda"))
        messages.success(request, f"Sekarang menampilkan {chosen.nama}.")
        return redirect(next_url or "pemda:dasbor")
    pemda_list = list(access.visible_pemda(request.user).order_by("nama"))
    aktif = access.active_pemda(request)
    return render(
        request,
        "monev/pilih_pemda.html",
        {
            "kelompok": _groups(pemda_list),
            "aktif": aktif,
            "milik": access.home_pemda_id(request.user),
            "next": next_url,
        },
    )
