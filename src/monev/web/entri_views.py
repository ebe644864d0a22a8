"""The entry grid's views: the page of a quarter and the save of one cell (K or Rp).

The save endpoints keep their contract (URL, fields `nilai` and `versi`, 422 for a bad value,
409 for a refused or stale write); their answer is the cell and its row's capaian and predikat.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from monev.web import (
    access,
    entri_html,
    komentar,
    komentar_html,
    persetujuan,
    selectors,
    services,
    siklus,
)
from monev.web.access import ALL_ROLES, role_required
from monev.web.models import Indikator, Renja, Simpul
from monev.web.pengaturan import pengaturan_of_renja
from monev.web.views import ROMAWI, Answer, _save_cell, triwulan_param


@require_safe
@role_required(*ALL_ROLES)
def entri(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    state = siklus.status_entri(request.user, renja, triwulan)
    grid = selectors.entri_grid(renja, triwulan)
    kolom = entri_html.Kolom(triwulan, semua=request.GET.get("semua") == "1")
    laporan = selectors.laporan_of(renja, triwulan)
    aksi = siklus.actions(request.user, renja, state.status, tingkat=laporan.tingkat)
    threads = komentar.utas_laporan(renja, triwulan)
    return render(
        request,
        "monev/entri.html",
        {
            "renja": renja,
            "triwulan": triwulan,
            "romawi": ROMAWI[triwulan - 1],
            "kepala_entri": entri_html.entri_head(kolom),
            "tabel_entri": entri_html.entri_body(
                grid,
                renja_id=renja.pk,
                kolom=kolom,
                bisa_ubah=state.bisa_ubah,
                tanda=komentar_html.Penanda(
                    renja.pk,
                    triwulan,
                    komentar.tanda_laporan(renja, triwulan, threads),
                    tab=not state.bisa_ubah,  # Tab goes from cell to cell; Shift+F2 opens
                ),
            ),
            "komentar_tl": komentar.tindak_lanjut_terbuka(renja, triwulan, threads),
            "semua": kolom.semua,
            "kosong": entri_html.kosong_count(grid),
            "temuan": grid.temuan,
            "laporan": laporan,
            "menunggu": persetujuan.waiting_level(laporan),
            "dikembalikan_di": persetujuan.returned_level(laporan),
            "alasan_buka": siklus.unlock_reason(laporan.catatan_verifikasi) or "",
            "bisa_ubah": state.bisa_ubah,
            "bisa_ubah_narasi": state.bisa_ubah
            or siklus.status_entri(request.user, renja, triwulan, realisasi=False).bisa_ubah,
            "status_entri": state,
            "aksi": aksi,
            "bisa_ajukan": any(a == "ajukan" for a, _, _ in aksi),
            "daftar_kosong": entri_html.kosong_links(grid),
            "buka_juga": [ROMAWI[q - 1] for q in siklus.reopened_with(renja, triwulan)],
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )


def _grid_answer(
    request: HttpRequest, *, renja: Renja, simpul: Simpul, triwulan: int, kolom: str, ref: int
) -> Answer:
    """Return how an entry grid's save answers: its cell, with the row's capaian and predikat
    from the engine's evaluation of the row as it is now stored."""
    sel = f"{kolom}-{ref}"

    def answer(value: str, versi: int | None, error: str, stored: str | None, status: int) -> Any:
        evaluasi = selectors.evaluasi_simpul(
            simpul, triwulan, pengaturan_of_renja(renja), sisi=kolom
        )
        if kolom == "k":
            line = next(b for b in evaluasi.baris if b.indikator.ref == ref)
            label = entri_html.label_k(
                triwulan, simpul.kode, line.indikator.teks, line.indikator.satuan
            )
        else:
            label = entri_html.label_rp(triwulan, simpul.kode, simpul.nama)
        body = entri_html.save_answer(
            sel=sel,
            url=request.path,
            value=value,
            label=label,
            versi=versi,
            kolom=kolom,
            evaluasi=evaluasi,
            ref=ref,
            error=error,
            berubah=not error and selectors.berubah_sel(renja, triwulan, kolom, ref),
            tersimpan=stored,
        )
        return HttpResponse(body, status=status)

    return answer


@require_POST
@role_required(*ALL_ROLES)
def entri_k(request: HttpRequest, renja_id: int, triwulan: int, indikator_id: int) -> HttpResponse:
    indikator = access.row_for(request.user, renja_id, Indikator, indikator_id)
    renja = indikator.simpul.renja
    triwulan = triwulan_param(triwulan)
    access.require_edit_realisasi(request.user, renja)
    return _save_cell(
        request,
        places=services.MAX_K_PLACES,
        label="realisasi",
        save=lambda nilai, versi: services.realisasi_k_update(
            user=request.user, indikator=indikator, triwulan=triwulan, nilai=nilai, versi=versi
        ),
        answer=_grid_answer(
            request,
            renja=renja,
            simpul=indikator.simpul,
            triwulan=triwulan,
            kolom="k",
            ref=indikator.pk,
        ),
    )


@require_POST
@role_required(*ALL_ROLES)
def entri_rp(request: HttpRequest, renja_id: int, triwulan: int, simpul_id: int) -> HttpResponse:
    simpul = access.row_for(request.user, renja_id, Simpul, simpul_id)
    renja = simpul.renja
    triwulan = triwulan_param(triwulan)
    access.require_edit_realisasi(request.user, renja)
    return _save_cell(
        request,
        places=services.MAX_RP_PLACES,
        label="realisasi Rp",
        save=lambda nilai, versi: services.realisasi_rp_update(
            user=request.user, simpul=simpul, triwulan=triwulan, nilai=nilai, versi=versi
        ),
        answer=_grid_answer(
            request, renja=renja, simpul=simpul, triwulan=triwulan, kolom="rp", ref=simpul.pk
        ),
    )


@require_safe
@role_required(*ALL_ROLES)
def entri_ringkasan(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    """The summary before Ajukan as it stands now (empty cells, the engine's findings), which
    the entry page fetches again after saves instead of the whole page."""
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    grid = selectors.entri_grid(renja, triwulan)
    return render(
        request,
        "monev/_ringkasan_ajukan.html",
        {
            "kosong": entri_html.kosong_count(grid),
            "daftar_kosong": entri_html.kosong_links(grid),
            "temuan": grid.temuan,
            "komentar_tl": komentar.tindak_lanjut_terbuka(renja, triwulan),
        },
    )
