"""The evaluation of a quarter: the E.81 page and its downloads, on the version in force."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from monev.core.evaluation import Evaluasi
from monev.web import (
    access,
    komentar,
    komentar_html,
    reports,
    selectors,
    snapshot,
)
from monev.web.access import ALL_ROLES, role_required
from monev.web.e81_html import e81_body, findings_with_lines
from monev.web.models import (
    Renja,
)
from monev.web.views import triwulan_param

ROMAWI = ("I", "II", "III", "IV")


def _in_force_elsewhere(
    request: HttpRequest, renja: Renja, triwulan: int, name: str
) -> HttpResponse | None:
    """Redirect to the same page of the version in force at the quarter's end (spec §1: a quarter
    is evaluated on the Renja in force then: the murni before a perubahan, the perubahan from the
    quarter it takes effect), or None when it is this one."""
    from monev.renstra.perubahan import keterangan_versi, versi_berlaku

    berlaku = versi_berlaku(renja, triwulan)
    if berlaku.pk == renja.pk:
        return None
    query = request.GET.copy()
    query["triwulan"] = str(triwulan)
    messages.info(
        request,
        f"TW {ROMAWI[triwulan - 1]} dievaluasi pada versi yang berlaku saat itu: "
        f"{keterangan_versi(berlaku)}.",
    )
    return redirect(f"{reverse(name, args=[berlaku.pk])}?{query.urlencode()}")


def _evaluasi(request: HttpRequest, renja: Renja) -> Evaluasi:
    """Return the evaluation asked for (`?triwulan=`; default: the last quarter with data); a
    verified quarter's comes from its record, without loading the Renja's data."""
    asked = triwulan_param(request.GET.get("triwulan"), 0)
    if asked:
        return snapshot.evaluasi_of(renja, asked)
    data = selectors.renja_data(renja)
    return snapshot.evaluasi_of(renja, data.core.last_triwulan(), data.core)


@require_safe
@role_required(*ALL_ROLES)
def evaluasi(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    result = _evaluasi(request, renja)
    triwulan = result.triwulan
    moved = _in_force_elsewhere(request, renja, triwulan, "evaluasi")
    if moved is not None:
        return moved
    threads = komentar.utas_laporan(renja, triwulan)
    return render(
        request,
        "monev/evaluasi.html",
        {
            "renja": renja,
            "evaluasi": result,
            "tabel_e81": e81_body(
                result,
                komentar_html.Penanda(
                    renja.pk, triwulan, komentar.tanda_laporan(renja, triwulan, threads)
                ),
            ),
            "komentar_tl": komentar.tindak_lanjut_terbuka(renja, triwulan, threads),
            "temuan": findings_with_lines(result),
            "triwulan": triwulan,
            "romawi": ROMAWI[triwulan - 1],
            "kolom_triwulan": [ROMAWI[q] for q in range(4)],
            "laporan": selectors.laporan_of(renja, triwulan),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )


@require_safe
@role_required(*ALL_ROLES)
def unduh(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    fmt = request.GET.get("format", "xlsx")
    tata_letak = request.GET.get("tata_letak", "e81")
    kertas = request.GET.get("kertas", "f4")
    if (
        fmt not in reports.CONTENT_TYPES
        or tata_letak not in ("e81", "e55", "ringkas")
        or kertas not in ("f4", "a4")
    ):
        raise Http404("format laporan tidak dikenal")
    result = _evaluasi(request, renja)
    triwulan = result.triwulan
    moved = _in_force_elsewhere(request, renja, triwulan, "unduh")
    if moved is not None:
        return moved
    from monev.renstra.perubahan import keterangan_versi, punya_perubahan

    berkas = reports.render_file(
        result,
        reports.konteks_laporan(renja, triwulan, kertas),
        fmt,
        tata_letak,
        versi=keterangan_versi(renja) if punya_perubahan(renja) else "",
    )
    return berkas.response()
