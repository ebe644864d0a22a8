"""Readings of scanned digits that two independent printed figures confirm.

OCR misreads a digit now and then (`68,89` for `88,89`). The reader changes a number only when
the line's own printed capaian and the summary table's printed mean of its program both follow
from the other reading, and exactly one such reading exists; the change is reported as a doubt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.model import Renja
from monev.core.numbers import format_angka, round_half_up
from monev.core.rules import capaian, nilai_tahun
from monev.io.legacy.cells import ocr_alternatives, parse_number
from monev.io.legacy.layout import SLOT_LABELS
from monev.io.legacy.model import RATA_RATA_KEGIATAN_PROGRAM, Doubt, PrintedLine, SummaryLine


@dataclass(frozen=True, slots=True)
class _Reading:
    kode: str
    nomor: int
    quarter: int
    old: str
    new: str
    value: Decimal
    printed_capaian: Decimal


def _shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value)


def _program_mean(renja: Renja, kode: str) -> Decimal | None:
    for program in evaluate(renja).ringkasan.program:
        if program.kode == kode:
            return _shown(program.rata_rata_capaian_kegiatan)
    return None


def _readings(
    renja: Renja, index: dict[tuple[str, int], PrintedLine], program: str
) -> Iterator[_Reading]:
    """Yield every one-digit rereading that makes a kegiatan line agree with its printed capaian."""
    prefix = program + "."
    for node in renja.nodes:
        if node.tingkat is not Tingkat.KEGIATAN or not node.kode.startswith(prefix):
            continue
        for nomor, item in enumerate(node.indikator):
            printed = _shown(item.capaian_tercetak)
            line = index.get((node.kode, nomor))
            if printed is None or line is None:
                continue
            year = nilai_tahun(item.triwulan, item.agregasi)
            if _shown(capaian(item.target, year, item.polaritas)) == printed:
                continue
            for quarter in range(1, 5):
                text = line.teks.get(f"tw{quarter}_k", "")
                if not text or item.triwulan[quarter - 1] is None:
                    continue
                for new in ocr_alternatives(text):
                    value = parse_number(new)
                    if value is None:
                        continue
                    quarters = list(item.triwulan)
                    quarters[quarter - 1] = value
                    year = nilai_tahun(quarters, item.agregasi)
                    if _shown(capaian(item.target, year, item.polaritas)) == printed:
                        yield _Reading(node.kode, nomor, quarter, text, new, value, printed)


def _apply(renja: Renja, reading: _Reading) -> Renja:
    nodes = []
    for node in renja.nodes:
        if node.kode == reading.kode:
            items = list(node.indikator)
            item = items[reading.nomor]
            quarters = list(item.triwulan)
            quarters[reading.quarter - 1] = reading.value
            items[reading.nomor] = replace(item, triwulan=tuple(quarters))  # type: ignore[arg-type]
            node = replace(node, indikator=tuple(items))
        nodes.append(node)
    return Renja(tuple(nodes), renja.perangkat_daerah, renja.pemda, renja.tahun)


def confirm_by_summary(
    renja: Renja, index: dict[tuple[str, int], PrintedLine], summary: list[SummaryLine]
) -> tuple[Renja, dict[tuple[str, int], PrintedLine], list[Doubt]]:
    """Return the Renja with the confirmed rereadings applied, the updated lines, and the doubts."""
    doubts: list[Doubt] = []
    for line in summary:
        if line.jenis != RATA_RATA_KEGIATAN_PROGRAM or line.kode is None or line.capaian is None:
            continue
        printed_mean = round_half_up(line.capaian)
        if _program_mean(renja, line.kode) == printed_mean:
            continue
        readings = list(_readings(renja, index, line.kode))
        working = [
            r for r in readings if _program_mean(_apply(renja, r), line.kode) == printed_mean
        ]
        if len(working) != 1:
            continue
        reading = working[0]
        renja = _apply(renja, reading)
        slot = f"tw{reading.quarter}_k"
        old = index[(reading.kode, reading.nomor)]
        reason = (
            f"{SLOT_LABELS[slot]} tercetak {reading.old} dibaca {reading.new}: capaian tercetak "
            f"{format_angka(reading.printed_capaian)} dan rata-rata program tercetak "
            f"{format_angka(line.capaian)} sama-sama menunjukkannya"
        )
        index[(reading.kode, reading.nomor)] = replace(
            old,
            nilai={**old.nilai, slot: reading.value},
            teks={**old.teks, slot: reading.new},
            ragu=True,
            catatan=(*old.catatan, reason),
        )
        doubts.append(Doubt(reading.old, old.tempat.at(SLOT_LABELS[slot]), reason))
    return renja, index, doubts
