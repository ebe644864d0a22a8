"""Render an evaluation as text, CSV and JSON. Nothing is computed here: every figure is the engine's."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from monev.core.codes import kode_sementara, kode_tampil
from monev.core.evaluation import Baris, Evaluasi, Ringkasan, Rp
from monev.core.model import NO_QUARTERS
from monev.core.numbers import decimal_text, format_angka, format_nilai
from monev.io import excel_csv

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
    "kode_sementara",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_num = decimal_text

#: How a CSV writes a number: None stays empty.
Formatter = Callable[[Decimal | None], str | None]


def _pct(value: Decimal | None) -> str | None:
    return decimal_text(value, 2)


#: The budget figures of a node's further lines (the node's own are on its first line): none.
_NO_RP = Rp(None, None, None, NO_QUARTERS, None, None, None, None, None)


#: The fields of a line of the JSON document, in order.
_BARIS_KEYS = (
    "kode",
    "tingkat",
    "nama",
    "indikator",
    "target_k",
    "realisasi_k",
    "capaian_k",
    "predikat_k",
    "pagu",
    "realisasi_rp",
    "capaian_rp",
    "renstra_realisasi_k",
    "renstra_capaian_k",
    "renstra_realisasi_rp",
    "renstra_capaian_rp",
)


def _baris_values(line: Baris) -> tuple[str | None, ...]:
    """Return the values of a line of the JSON document in `_BARIS_KEYS` order."""
    node, item = line.node, line.indikator
    rp = line.rp or _NO_RP
    return (
        node.kode,
        node.tingkat.value,
        node.nama,
        item.teks,
        _num(item.target),
        _num(line.realisasi),
        _pct(line.capaian),
        line.predikat,
        _num(rp.pagu),
        _num(rp.realisasi),
        _pct(rp.capaian),
        _num(line.renstra_realisasi),
        _pct(line.renstra_capaian),
        _num(rp.renstra_realisasi),
        _pct(rp.renstra_capaian),
    )


def baris_json(line: Baris) -> dict[str, Any]:
    values: dict[str, Any] = dict(zip(_BARIS_KEYS, _baris_values(line), strict=True))
    values["kode_sementara"] = kode_sementara(line.node.kode)
    return values


def _ringkasan_json(r: Ringkasan) -> dict[str, Any]:
    return {
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
    }


def _pemeriksaan_json(evaluasi: Evaluasi) -> list[dict[str, Any]]:
    return [
        {"kode": p.kode, "jenis": p.jenis.value, "pesan": p.pesan} for p in evaluasi.pemeriksaan
    ]


def evaluation_json(evaluasi: Evaluasi) -> dict[str, Any]:
    """Return the JSON document of an evaluation (the contract documented in the README)."""
    return {
        "triwulan": evaluasi.triwulan,
        "baris": [baris_json(line) for line in evaluasi.baris],
        "ringkasan": _ringkasan_json(evaluasi.ringkasan),
        "pemeriksaan": _pemeriksaan_json(evaluasi),
    }


#: A line of the JSON document with its values left to fill in, separated as `json.dumps` does.
_BARIS_TEMPLATE = "{" + ", ".join(f'"{key}": %s' for key in (*_BARIS_KEYS, "kode_sementara")) + "}"


def render_json(evaluasi: Evaluasi) -> str:
    """Return `json.dumps(evaluation_json(evaluasi), ensure_ascii=False)` and a line break.

    The lines, nine tenths of the document, are written here: a line is fifteen texts or nulls,
    each encoded by the encoder's own function, which is twice as fast as building a dictionary
    per line for the encoder to walk.
    """
    encode = json.encoder.encode_basestring
    lines = ", ".join(
        [
            _BARIS_TEMPLATE
            % (
                *["null" if v is None else encode(v) for v in _baris_values(line)],
                "true" if kode_sementara(line.node.kode) else "false",
            )
            for line in evaluasi.baris
        ]
    )
    ringkasan = json.dumps(_ringkasan_json(evaluasi.ringkasan), ensure_ascii=False)
    pemeriksaan = json.dumps(_pemeriksaan_json(evaluasi), ensure_ascii=False)
    return (
        f'{{"triwulan": {json.dumps(evaluasi.triwulan)}, "baris": [{lines}], '
        f'"ringkasan": {ringkasan}, "pemeriksaan": {pemeriksaan}}}\n'
    )


def safe_cell(value: str | None) -> str:
    """Return a CSV text cell that a spreadsheet will not run as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_rows(
    evaluasi: Evaluasi, num: Formatter = _num, pct: Formatter = _pct
) -> Iterator[list[str]]:
    """Yield the standard form's rows (header first), numbers in machine form unless `num` and
    `pct` write them otherwise (`render_csv_excel`)."""
    yield list(CSV_COLUMNS)
    for line in evaluasi.baris:
        item, node, k = line.indikator, line.node, line.triwulan
        rp = line.rp or _NO_RP
        q = rp.triwulan  # cols 9-12 Rp
        yield [
            node.kode,
            node.tingkat.value,
            safe_cell(node.nama) if line.first else "",
            safe_cell(item.teks),
            safe_cell(item.satuan),
            num(item.target_renstra) or "",
            num(rp.target_renstra) or "",
            num(item.realisasi_lalu) or "",
            num(rp.realisasi_lalu) or "",
            num(item.target) or "",
            safe_cell(item.target_volume),
            num(rp.pagu) or "",
            num(k[0]) or "",
            num(q[0]) or "",
            num(k[1]) or "",
            num(q[1]) or "",
            num(k[2]) or "",
            num(q[2]) or "",
            num(k[3]) or "",
            num(q[3]) or "",
            num(line.realisasi) or "",
            num(rp.realisasi) or "",
            pct(line.capaian) or "",
            line.predikat or "",
            pct(rp.capaian) or "",
            rp.predikat or "",
            num(line.renstra_realisasi) or "",
            num(rp.renstra_realisasi) or "",
            pct(line.renstra_capaian) or "",
            pct(rp.renstra_capaian) or "",
            safe_cell(node.unit),
            "ya" if kode_sementara(node.kode) else "",
        ]


def render_csv(evaluasi: Evaluasi) -> str:
    out: list[str] = []
    writer = csv.writer(SimpleNamespace(write=out.append), lineterminator="\r\n")
    for row in csv_rows(evaluasi):
        # The csv module's writer inspects every cell for quoting, which cost a third of the
        # rendering; a row in which no cell has a comma, a quote or a line break is written as
        # the writer would write it, joined by commas.
        text = ",".join(row)
        if text.count(",") == len(row) - 1 and not ('"' in text or "\n" in text or "\r" in text):
            out.append(text + "\r\n")
        else:
            writer.writerow(row)
    return "".join(out)


def render_csv_excel(evaluasi: Evaluasi) -> str:
    """Return the standard form's rows as a CSV for Excel set to Indonesian (`;`, `53,33`)."""
    return excel_csv.render(csv_rows(evaluasi, num=excel_csv.angka, pct=excel_csv.persen))


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
    out.append(f"Sampai dengan TW {ROMAWI[evaluasi.triwulan - 1]}")
    out.append("")
    header = (
        f"{'Kode':<18} {'Uraian / indikator':<48} {'Target':>8} {'Realisasi':>10} "
        f"{'Capaian':>8} {'Predikat':<13} {'Pagu (Rp)':>18} {'Realisasi (Rp)':>18} {'%Rp':>7}"
    )
    out.append(header)
    out.append("-" * len(header))
    no_budget = " " * (18 + 1 + 18 + 1 + 7)  # a node's further lines: the Rp columns blank
    for line in evaluasi.baris:
        rp = line.rp
        if line.first:
            out.append(f"{kode_tampil(line.node.kode):<18} {_clip(line.node.nama, 48)}")
        budget = no_budget
        if rp:
            budget = (
                f"{format_nilai(rp.pagu):>18} {format_nilai(rp.realisasi):>18} "
                f"{format_angka(rp.capaian):>7}"
            )
        out.append(
            f"{'':<18} {'  ' + _clip(line.indikator.teks or '-', 46):<48} "
            f"{format_nilai(line.indikator.target):>8} {format_nilai(line.realisasi):>10} "
            f"{format_angka(line.capaian):>8} {line.predikat or '-':<13} {budget}"
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
            tempat = f" {p.tempat}" if p.tempat else ""
            out.append(f"- {p.kode}{indikator}{tempat}: {p.label}: {p.pesan}")
    return "\n".join(out) + "\n"
