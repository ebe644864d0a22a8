"""Render an evaluation as text, CSV and JSON. Nothing is computed here: every figure is the engine's."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from monev.core.evaluation import Baris, Evaluasi
from monev.core.numbers import decimal_text, format_angka, format_nilai

ROMAWI = ("I", "II", "III", "IV")

#: The columns of the standard form (spec §4) as CSV headers, in order.
CSV_COLUMNS = (
    "kode",
    "tingkat",
    "nama",
    "indikator",
    "satuan",
    "target_renstra_k",
    "target_renstra_rp",
    "realisasi_lalu_k",
    "realisasi_lalu_rp",
    "target_k",
    "target_volume",
    "pagu",
    "tw1_k",
    "tw1_rp",
    "tw2_k",
    "tw2_rp",
    "tw3_k",
    "tw3_rp",
    "tw4_k",
    "tw4_rp",
    "realisasi_k",
    "realisasi_rp",
    "capaian_k",
    "predikat_k",
    "capaian_rp",
    "predikat_rp",
    "renstra_realisasi_k",
    "renstra_realisasi_rp",
    "renstra_capaian_k",
    "renstra_capaian_rp",
    "unit_penanggung_jawab",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _pct(value: Decimal | None) -> str | None:
    return decimal_text(value, 2)


def _num(value: Decimal | None) -> str | None:
    return decimal_text(value)


def baris_json(line: Baris) -> dict[str, Any]:
    rp = line.rp
    return {
        "kode": line.node.kode,
        "tingkat": line.node.tingkat.value,
        "nama": line.node.nama,
        "indikator": line.indikator.teks,
        "target_k": _num(line.indikator.target),
        "realisasi_k": _num(line.realisasi),
        "capaian_k": _pct(line.capaian),
        "predikat_k": line.predikat,
        "pagu": _num(rp.pagu) if rp else None,
        "realisasi_rp": _num(rp.realisasi) if rp else None,
        "capaian_rp": _pct(rp.capaian) if rp else None,
        "renstra_realisasi_k": _num(line.renstra_realisasi),
        "renstra_capaian_k": _pct(line.renstra_capaian),
        "renstra_realisasi_rp": _num(rp.renstra_realisasi) if rp else None,
        "renstra_capaian_rp": _pct(rp.renstra_capaian) if rp else None,
    }


def evaluation_json(evaluasi: Evaluasi) -> dict[str, Any]:
    """Return the JSON document of an evaluation (the contract documented in the README)."""
    r = evaluasi.ringkasan
    return {
        "triwulan": evaluasi.triwulan,
        "baris": [baris_json(line) for line in evaluasi.baris],
        "ringkasan": {
            "rata_rata_capaian_program": _pct(r.rata_rata_capaian_program),
            "rata_rata_capaian_kegiatan": _pct(r.rata_rata_capaian_kegiatan),
            "rata_rata_capaian_sub_kegiatan": _pct(r.rata_rata_capaian_sub_kegiatan),
            "program": [
                {
                    "kode": p.kode,
                    "nama": p.nama,
                    "rata_rata_capaian_kegiatan": _pct(p.rata_rata_capaian_kegiatan),
                    "pagu": _num(p.pagu),
                    "realisasi_rp": _num(p.realisasi_rp),
                    "persen_realisasi_rp": _pct(p.persen_realisasi_rp),
                }
                for p in r.program
            ],
            "rata_rata_capaian_k": _pct(r.rata_rata_capaian_k),
            "predikat_k": r.predikat_k,
            "pagu": _num(r.pagu),
            "realisasi_rp": _num(r.realisasi_rp),
            "persen_realisasi_rp": _pct(r.persen_realisasi_rp),
            "predikat_rp": r.predikat_rp,
        },
        "pemeriksaan": [
            {"kode": p.kode, "jenis": p.jenis.value, "pesan": p.pesan} for p in evaluasi.pemeriksaan
        ],
    }


def render_json(evaluasi: Evaluasi) -> str:
    # No indent: the C encoder is several times faster than the pretty one on 30 000 lines.
    return json.dumps(evaluation_json(evaluasi), ensure_ascii=False) + "\n"


def safe_cell(value: str | None) -> str:
    """Return a CSV text cell that a spreadsheet will not run as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_rows(evaluasi: Evaluasi) -> Iterator[list[str]]:
    """Yield the standard form's rows (header first), numbers in machine form."""
    yield list(CSV_COLUMNS)
    for line in evaluasi.baris:
        item, rp, node = line.indikator, line.rp, line.node
        quarters: list[str | None] = []
        for q in range(4):
            quarters.append(_num(line.triwulan[q]))
            quarters.append(_num(rp.triwulan[q]) if rp else None)
        values: list[str | None] = [
            node.kode,
            node.tingkat.value,
            safe_cell(node.nama) if line.first else "",
            safe_cell(item.teks),
            safe_cell(item.satuan),
            _num(item.target_renstra),
            _num(rp.target_renstra) if rp else None,
            _num(item.realisasi_lalu),
            _num(rp.realisasi_lalu) if rp else None,
            _num(item.target),
            safe_cell(item.target_volume),
            _num(rp.pagu) if rp else None,
            *quarters,
            _num(line.realisasi),
            _num(rp.realisasi) if rp else None,
            _pct(line.capaian),
            line.predikat,
            _pct(rp.capaian) if rp else None,
            rp.predikat if rp else None,
            _num(line.renstra_realisasi),
            _num(rp.renstra_realisasi) if rp else None,
            _pct(line.renstra_capaian),
            _pct(rp.renstra_capaian) if rp else None,
            safe_cell(node.unit),
        ]
        yield ["" if v is None else v for v in values]


def render_csv(evaluasi: Evaluasi) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(csv_rows(evaluasi))
    return out.getvalue()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(evaluasi: Evaluasi) -> str:
    """Return a readable table with the summary and the checks, in Indonesian notation."""
    out: list[str] = []
    renja = evaluasi.renja
    title = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
    out.append(title)
    if renja.perangkat_daerah or renja.pemda:
        out.append(" ".join(x for x in (renja.perangkat_daerah, renja.pemda) if x))
    out.append(f"Sampai dengan triwulan {ROMAWI[evaluasi.triwulan - 1]}")
    out.append("")
    header = (
        f"{'Kode':<18} {'Uraian / indikator':<48} {'Target':>8} {'Realisasi':>10} "
        f"{'Capaian':>8} {'Predikat':<13} {'Pagu (Rp)':>18} {'Realisasi (Rp)':>18} {'%Rp':>7}"
    )
    out.append(header)
    out.append("-" * len(header))
    for line in evaluasi.baris:
        rp = line.rp
        label = line.node.nama if line.first else ""
        if line.first:
            out.append(f"{line.node.kode:<18} {_clip(label, 48)}")
        out.append(
            f"{'':<18} {'  ' + _clip(line.indikator.teks or '-', 46):<48} "
            f"{format_nilai(line.indikator.target):>8} {format_nilai(line.realisasi):>10} "
            f"{format_angka(line.capaian):>8} {line.predikat or '-':<13} "
            f"{(format_nilai(rp.pagu) if rp else ''):>18} "
            f"{(format_nilai(rp.realisasi) if rp else ''):>18} "
            f"{(format_angka(rp.capaian) if rp else ''):>7}"
        )
    r = evaluasi.ringkasan
    out += ["", "RINGKASAN", ""]
    out.append(
        f"{'Rata-rata kinerja indikator Program':<70} {format_angka(r.rata_rata_capaian_program):>8}"
    )
    out.append(f"{'':<70} {'Capaian':>8} {'Pagu (Rp)':>18} {'Realisasi (Rp)':>18} {'Persen':>7}")
    for p in r.program:
        out.append(
            f"{_clip('Rata-rata kinerja indikator kegiatan pada ' + p.nama, 70):<70} "
            f"{format_angka(p.rata_rata_capaian_kegiatan):>8} {format_nilai(p.pagu):>18} "
            f"{format_nilai(p.realisasi_rp):>18} {format_angka(p.persen_realisasi_rp):>7}"
        )
    out.append(
        f"{'Rata-rata kinerja indikator kegiatan semua Program':<70} "
        f"{format_angka(r.rata_rata_capaian_kegiatan):>8}"
    )
    out.append(
        f"{'Rata-rata kinerja indikator Sub Kegiatan':<70} "
        f"{format_angka(r.rata_rata_capaian_sub_kegiatan):>8}"
    )
    out.append("")
    out.append(
        f"Rata-rata capaian kinerja (%): K {format_angka(r.rata_rata_capaian_k)} "
        f"({r.predikat_k or '-'}); Rp {format_angka(r.persen_realisasi_rp)} ({r.predikat_rp or '-'})"
    )
    if evaluasi.pemeriksaan:
        out += ["", f"PEMERIKSAAN ({len(evaluasi.pemeriksaan)} temuan)", ""]
        for p in evaluasi.pemeriksaan:
            indikator = f" [{_clip(p.indikator, 40)}]" if p.indikator else ""
            out.append(f"- {p.kode}{indikator}: {p.pesan}")
    return "\n".join(out) + "\n"
