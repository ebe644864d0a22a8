"""Early warning: indicators and budgets projected to miss their targets, as a page and a CSV list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from monev.io.excel_csv import angka, persen
from monev.io.tabular import safe_cell
from monev.pemda.projection import alasan, alasan_rata_rata
from monev.pemda.views.common import (
    DASAR_LABEL,
    PEMDA_ROLES,
    Pilihan,
    base_context,
    csv_response,
    empty_page,
    parse_int,
    pilihan_of,
)
from monev.web.access import role_required


@dataclass(frozen=True)
class Peringatan:
    """One line of the early-warning list: a PD's mean, its budget, or an indicator."""

    renja_id: int
    perangkat_daerah: str
    jenis: str
    kode: str
    uraian: str
    indikator: str
    proyeksi: Any  # Proyeksi, or ProyeksiRataRata for a PD's mean
    alasan: str
    ref: int | None = None


def _warnings(pilihan: Pilihan, pd_id: int | None = None) -> list[Peringatan]:
    out = []
    for pd in pilihan.data.pd:
        if pd.renja is None or pd.angka is None:
            continue
        if pd_id is not None and pd.perangkat_daerah.pk != pd_id:
            continue
        angka = pd.angka.at(pilihan.triwulan)
        nama = pd.perangkat_daerah.nama
        if angka.proyeksi_k.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    "Rata-rata kinerja Perangkat Daerah",
                    pd.perangkat_daerah.kode,
                    nama,
                    "Rata-rata capaian indikator kegiatan",
                    angka.proyeksi_k,
                    alasan_rata_rata(angka.proyeksi_k),
                )
            )
        if angka.proyeksi_rp.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    "Realisasi anggaran Perangkat Daerah",
                    pd.perangkat_daerah.kode,
                    nama,
                    "Σ realisasi / Σ pagu",
                    angka.proyeksi_rp,
                    alasan(angka.proyeksi_rp, rupiah=True),
                )
            )
        for item in angka.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    f"Indikator {item.tingkat.value.replace('_', ' ')}",
                    item.kode,
                    item.nama,
                    item.teks,
                    item.proyeksi,
                    alasan(item.proyeksi),
                    item.ref,
                )
            )
    return out


#: Lines shown on the page at most; the CSV holds them all.
MAKS_PERINGATAN = 300


@require_GET
@role_required(*PEMDA_ROLES)
def peringatan(request: HttpRequest) -> HttpResponse:
    pilihan = pilihan_of(request)
    if pilihan is None:
        return empty_page(request)
    pd_id = parse_int(request.GET.get("pd"))
    lines = _warnings(pilihan, pd_id)
    return render(
        request,
        "pemda/peringatan.html",
        {
            **base_context(pilihan),
            "lines": lines[:MAKS_PERINGATAN],
            "jumlah": len(lines),
            "terpotong": len(lines) > MAKS_PERINGATAN,
            "pd_id": pd_id,
            "query": pilihan.query(pd=pd_id or ""),
            "dasar_label": DASAR_LABEL,
        },
    )


PERINGATAN_COLUMNS = (
    "perangkat_daerah",
    "jenis",
    "kode",
    "uraian",
    "indikator",
    "triwulan",
    "sampai_triwulan",
    "realisasi",
    "capaian",
    "rencana",
    "capaian_rencana",
    "selisih_rencana",
    "dasar",
    "proyeksi_nilai",
    "proyeksi_capaian",
    "proyeksi_predikat",
    "alasan",
)


@require_GET
@role_required(*PEMDA_ROLES)
def peringatan_csv(request: HttpRequest) -> HttpResponse:
    pilihan = pilihan_of(request)
    if pilihan is None:
        raise Http404("belum ada data")
    rows: list[list[Any]] = [list(PERINGATAN_COLUMNS)]
    for line in _warnings(pilihan, parse_int(request.GET.get("pd"))):
        p = line.proyeksi
        single = not hasattr(p, "jumlah")
        rows.append(
            [
                safe_cell(line.perangkat_daerah),
                safe_cell(line.jenis),
                safe_cell(line.kode),
                safe_cell(line.uraian),
                safe_cell(line.indikator),
                pilihan.triwulan,
                p.sampai_triwulan if single else "",
                angka(p.realisasi) if single else "",
                persen(p.capaian) if single else "",
                angka(p.rencana) if single else "",
                persen(p.capaian_rencana) if single else "",
                persen(p.selisih_rencana),
                p.dasar.value if single else "rata_rata",
                angka(p.nilai_akhir) if single else "",
                persen(p.capaian_akhir),
                p.predikat_akhir or "",
                safe_cell(line.alasan),
            ]
        )
    return csv_response(rows, f"peringatan-dini-{pilihan.tahun}-tw{pilihan.triwulan}.csv")
