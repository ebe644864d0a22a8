"""A Renja's stored rows as its evaluations give them (`monev.pemda.angka` writes them): the
values of the engine's result, converted to the columns' units (`monev.core.aggregate`), nothing
computed here but which rows count in a group's figures (`dihitung`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monev.core.aggregate import capaian_int, sen_int
from monev.core.budget import roll_up
from monev.core.codes import Tingkat, program_of
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.nomenclature import bidang_of, urusan_of
from monev.core.rules import Pengaturan
from monev.pemda import angka_json
from monev.pemda.models import NILAI_DIGITS
from monev.pemda.muat import DataRenja
from monev.pemda.summary import RingkasanPD, summarise


@functools.lru_cache(maxsize=8192)
def _codes(kode: str) -> dict[str, str]:
    """Return the grouping codes of a node's code (the same for each of its rows: cached, and
    never changed by a caller, who copies it into a row)."""
    program = program_of(kode)
    return {"program": program, "bidang": bidang_of(program), "urusan": urusan_of(program)}


def rows_of(
    evaluasi: Evaluasi,
    *,
    terverifikasi: bool = False,
    common: Mapping[str, Any] | None = None,
    fixed: dict[int, Any] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return a quarter's node rows and line rows (column → stored value) of an evaluation,
    each starting with the columns of `common` (those of the Renja and quarter).

    `fixed`: one dict the caller passes for the four quarters of a Renja, where the columns
    that depend on the plan only (codes, names, texts, targets, `dihitung`) are kept once.

    A node row counts (`dihitung`) when it is a program (the first of its code), a line row when
    it is a kegiatan line of a program of the Renja: exactly the values `Ringkasan.program` and
    `monev.core.consolidation` take (a kegiatan whose program the plan lacks is in no group).
    """
    renja = evaluasi.renja
    kept = fixed.get(id(renja)) if fixed is not None else None
    if kept is None or kept[0] is not renja:  # a verified quarter's snapshot has its own plan
        kept = (renja, *_fixed_columns(evaluasi))
        if fixed is not None:
            fixed[id(renja)] = kept
    _, simpul_fixed, line_fixed = kept
    cap = evaluasi.pengaturan.batas_capaian_rata_rata
    common = common or {}
    simpul = [
        {
            **common,
            **simpul_fixed[kode],
            "terverifikasi": terverifikasi,
            "pagu": sen_int(rp.pagu),
            "realisasi": sen_int(rp.realisasi),
            "capaian": capaian_int(rp.capaian),
            "predikat": rp.predikat or "",
            "target_renstra": sen_int(rp.target_renstra),
            "renstra_realisasi": sen_int(rp.renstra_realisasi),
            "renstra_capaian": capaian_int(rp.renstra_capaian),
        }
        for kode, rp in evaluasi.rp.items()
    ]
    indikator = []
    for line, columns in zip(evaluasi.baris, line_fixed, strict=True):
        rata = line.capaian if cap is None or line.capaian is None else min(line.capaian, cap)
        indikator.append(
            {
                **common,
                **columns,
                "terverifikasi": terverifikasi,
                "realisasi": _nilai(line.realisasi),
                "capaian": capaian_int(line.capaian),
                "capaian_rata": capaian_int(rata),
                "predikat": line.predikat or "",
                "renstra_realisasi": _nilai(line.renstra_realisasi),
                "renstra_capaian": capaian_int(line.renstra_capaian),
                "proyeksi": None,
            }
        )
    return simpul, indikator


def _fixed_columns(
    evaluasi: Evaluasi,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Return the plan's columns of each node row (by code) and of each line row (in order)."""
    renja = evaluasi.renja
    programs: set[str] = set()
    for node in renja.nodes:
        if node.tingkat is Tingkat.PROGRAM:
            programs.add(node.kode)
    first: dict[str, int] = {}
    for i, node in enumerate(renja.nodes):
        first.setdefault(node.kode, i)
    simpul = {}
    for kode in evaluasi.rp:
        node = renja.node(kode)
        assert node is not None
        simpul[kode] = {
            "kode": kode,
            "urutan": first[kode],
            "tingkat": str(node.tingkat),
            "nama": node.nama,
            **_codes(kode),
            "dihitung": node.tingkat is Tingkat.PROGRAM,
        }
    lines = []
    for urutan, line in enumerate(evaluasi.baris):
        node, item = line.node, line.indikator
        lines.append(
            {
                "urutan": urutan,
                "kode": node.kode,
                "tingkat": str(node.tingkat),
                "nama": node.nama,
                "nomor": line.nomor_indikator,
                "indikator_ref": item.ref,
                "teks": item.teks,
                "satuan": item.satuan,
                **_codes(node.kode),
                "dihitung": node.tingkat is Tingkat.KEGIATAN and program_of(node.kode) in programs,
                "target": item.target,
                "target_renstra": item.target_renstra,
            }
        )
    return simpul, lines


_NILAI_STEP = Decimal(10) ** -NILAI_DIGITS["decimal_places"]


def _nilai(value: Decimal | None) -> Decimal | None:
    """Return a K value as its column keeps it (a mean of quarters may have more decimals)."""
    return None if value is None else value.quantize(_NILAI_STEP, rounding=ROUND_HALF_UP)


def pd_rows_of(figures: RingkasanPD, verified: set[int]) -> list[dict[str, Any]]:
    """Return a Renja's PD rows (one per quarter) of its figures."""
    out = []
    for a in figures.triwulan:
        r = a.ringkasan
        out.append(
            {
                "triwulan": a.triwulan,
                "terverifikasi": a.triwulan in verified,
                "last_triwulan": figures.last_triwulan,
                "jumlah_rencana_k": figures.jumlah_rencana_k,
                "jumlah_rencana_rp": figures.jumlah_rencana_rp,
                "jumlah_pemeriksaan": a.jumlah_pemeriksaan,
                "jumlah_peringatan": len(a.peringatan),
                "rata_rata_capaian_program": capaian_int(r.rata_rata_capaian_program),
                "rata_rata_capaian_kegiatan": capaian_int(r.rata_rata_capaian_kegiatan),
                "rata_rata_capaian_sub_kegiatan": capaian_int(r.rata_rata_capaian_sub_kegiatan),
                "predikat_k": r.predikat_k or "",
                "pagu": sen_int(r.pagu),
                "realisasi": sen_int(r.realisasi_rp),
                "persen_realisasi_rp": capaian_int(r.persen_realisasi_rp),
                "predikat_rp": r.predikat_rp or "",
                "rencana": angka_json.dump(a.rencana),
                "proyeksi_k": angka_json.dump(a.proyeksi_k),
                "proyeksi_rp": angka_json.dump(a.proyeksi_rp),
            }
        )
    return out


def warning_key(kode: str, ref: int | None, teks: str) -> tuple[str, int | None, str]:
    return (kode, ref, teks)


def figures_of_year(
    data: DataRenja, evaluations: Mapping[int, Evaluasi], pengaturan: Pengaturan
) -> RingkasanPD:
    """Return the PD's figures (plans, projections) from its four evaluations, as made."""
    return summarise(
        data.core,
        rencana_k=data.rencana_k,
        rencana_rp=data.rencana_rp,
        pengaturan=pengaturan,
        tetap=evaluations,
    )


def evaluate_year(
    data: DataRenja, pengaturan: Pengaturan, recorded: Mapping[int, Evaluasi]
) -> dict[int, Evaluasi]:
    """Return the Renja's evaluation of each quarter: the recorded one when verified."""
    anggaran = roll_up(data.core) if len(recorded) < 4 else None
    return {
        q: recorded.get(q) or evaluate(data.core, q, pengaturan, anggaran=anggaran)
        for q in range(1, 5)
    }
