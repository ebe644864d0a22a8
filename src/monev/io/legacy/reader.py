"""Read a legacy E.81-like report (scanned text, CSV, workbook) into a Renja and its printed figures.

Three steps, as for every import: find the parts of the report (title, tables with their header
blocks, summary, signatures) and read the cells of every table line; place each line's cells into
the form's slots (layout, align), marking what was placed by inference; then build the Renja
(build) and put to use what the printed figures say about doubtful cells (corrections).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, capaian, nilai_tahun
from monev.io.flat import InputError, Masalah
from monev.io.legacy.align import Placement, align, place_by_position
from monev.io.legacy.build import assemble, from_flat
from monev.io.legacy.cells import (
    Cell,
    CellKind,
    agregasi_of,
    clean_text,
    parse_number,
    polaritas_of,
)
from monev.io.legacy.grid import Grid, read_grids
from monev.io.legacy.layout import (
    SLOT_LABELS,
    SLOTS,
    SlotKind,
)
from monev.io.legacy.model import (
    Doubt,
    LegacyReport,
    Notice,
    Place,
    PrintedLine,
)
from monev.io.legacy.scan import RawLine, Scan, Scanner, capaian_in_keterangan


def _number(cells: dict[str, Cell], slot: str) -> Decimal | None:
    cell = cells.get(slot)
    if cell is None or cell.kind in (CellKind.BLANK, CellKind.TEXT):
        return None
    return cell.value


def _printed_capaian(cells: dict[str, Cell]) -> Cell | None:
    for slot in ("realisasi_k", "capaian_k"):
        cell = cells.get(slot)
        if cell is not None and cell.kind is CellKind.CAPAIAN:
            return cell
    cell = cells.get("capaian_k")
    return cell if cell is not None and cell.is_number else None


def _agreement(cells: dict[str, Cell]) -> int:
    """Return how many printed figures of a line its placement reproduces (capaian K, realisasi Rp)."""
    score = 0
    printed = _printed_capaian(cells)
    if printed is not None and printed.value is not None:
        quarters = (
            _number(cells, "tw1_k"),
            _number(cells, "tw2_k"),
            _number(cells, "tw3_k"),
            _number(cells, "tw4_k"),
        )
        computed = capaian(
            _number(cells, "target_k"),
            nilai_tahun(quarters, agregasi_of(printed.label)),
            polaritas_of(printed.label),
        )
        if computed is not None and round_half_up(computed) == round_half_up(printed.value):
            score += 1
    realisasi = _number(cells, "realisasi_rp")
    if realisasi is not None:
        quarters_rp = (
            _number(cells, "tw1_rp"),
            _number(cells, "tw2_rp"),
            _number(cells, "tw3_rp"),
            _number(cells, "tw4_rp"),
        )
        if nilai_tahun(quarters_rp, Agregasi.PROGRESIF) == realisasi:
            score += 1
    return score


class _Placer:
    """Place the cells of every collected line into its slots."""

    def __init__(self, scan: Scan) -> None:
        self.scan = scan
        self.doubts: list[Doubt] = []
        self.cache: dict[tuple[int, frozenset[str]], tuple[list[Placement], bool]] = {}
        self.habit = self._habit()

    def placements(self, raw: RawLine, habit: frozenset[str]) -> tuple[list[Placement], bool]:
        key = (id(raw), habit)
        if key not in self.cache:
            self.cache[key] = self._placements(raw, habit)
        return self.cache[key]

    def _placements(self, raw: RawLine, habit: frozenset[str]) -> tuple[list[Placement], bool]:
        slots = raw.layout.slots
        direct = place_by_position(raw.by_column, raw.layout.positions, slots)
        if direct.cost == 0:
            return [direct], True
        options = align(raw.cells, slots, habit)
        if not options or direct.cost <= options[0].cost:
            return [direct], True
        return options, False

    def _habit(self) -> frozenset[str]:
        """Return the slots most uniquely placed lines leave out (a column printed empty)."""
        lost: Counter[str] = Counter()
        unique = 0
        for raw in self.scan.raw:
            options, positional = self.placements(raw, frozenset())
            if positional or len(options) != 1:
                continue
            unique += 1
            lost.update(s for s in options[0].lost if SLOTS[s] is not SlotKind.TEXT)
        return frozenset(s for s, n in lost.items() if n >= 3 and n * 2 >= unique)

    def line(self, raw: RawLine) -> PrintedLine:
        options, positional = self.placements(raw, self.habit)
        notes: list[str] = []
        uncertain = False
        if len(options) > 1:
            scores = [_agreement(p.cells) for p in options]
            best = max(scores)
            options = [p for p, s in zip(options, scores, strict=True) if s == best]
            if len(options) == 1 and best:
                notes.append("tempat sel dipilih sesuai capaian/realisasi yang tercetak")
        if len(options) == 1:
            cells = dict(options[0].cells)
        else:
            cells = self._merge(raw, options)
            uncertain = True
            notes.append("sel hilang atau bergeser; tempatnya tidak pasti")
        chosen = options[0]
        if not positional:
            lost = [s for s in chosen.lost if s not in self.habit and SLOTS[s] is not SlotKind.TEXT]
            if lost and len(options) == 1:
                labels = ", ".join(SLOT_LABELS[s] for s in lost)
                notes.append(f"sel hilang; dibiarkan kosong: {labels}")
            if chosen.floated:
                uncertain = True
                notes.append("sel target/capaian tercetak di luar urutannya")
                for slot in chosen.floated:
                    self.doubts.append(
                        Doubt(
                            cells[slot].text,
                            raw.tempat.at(SLOT_LABELS[slot]),
                            "tercetak di luar urutan kolomnya",
                        )
                    )
        if chosen.mismatch:
            uncertain = True
            notes.append("ada sel yang bentuknya tidak sesuai kolomnya")
        for cell in chosen.extra:
            if cell.kind is CellKind.BLANK:
                continue
            uncertain = True
            self.scan.unplaced.append(
                Doubt(
                    cell.text,
                    raw.tempat.at(f"ke-{cell.column + 1}"),
                    "sel berlebih: tidak cocok dengan kolom mana pun",
                )
            )
        if any(c.kind is not CellKind.BLANK for c in chosen.extra):
            notes.append("ada sel berlebih yang tidak dipakai")
        return self._printed(raw, cells, uncertain, notes)

    def _merge(self, raw: RawLine, options: list[Placement]) -> dict[str, Cell]:
        """Return what all cheapest placements agree on; mark every slot they disagree on."""
        merged: dict[str, Cell] = {}
        filled_in: list[str] = []
        for slot in raw.layout.slots:
            seen = [p.cells.get(slot) for p in options]
            filled = [c for c in seen if c is not None and c.kind is not CellKind.BLANK]
            if not filled:
                continue
            if len({(c.value, c.text) for c in filled}) == 1:
                merged[slot] = filled[0]
                if len(filled) < len(seen):
                    filled_in.append(slot)
                continue
            first = options[0].cells.get(slot)
            if first is not None:
                merged[slot] = first
            others = ", ".join(dict.fromkeys(c.text for c in filled))
            self.doubts.append(
                Doubt(
                    first.text if first is not None else "",
                    raw.tempat.at(SLOT_LABELS[slot]),
                    f"tempat sel tidak pasti; kemungkinan isi kolom ini: {others}",
                )
            )
        if filled_in:
            values = ", ".join(dict.fromkeys(merged[s].text for s in filled_in))
            columns = " s.d. ".join(
                dict.fromkeys((SLOT_LABELS[filled_in[0]], SLOT_LABELS[filled_in[-1]]))
            )
            self.doubts.append(
                Doubt(
                    values,
                    raw.tempat.at(columns),
                    f"sel hilang di antara {len(filled_in)} sel yang sama isinya; "
                    "semuanya diisi nilai itu (dugaan)",
                )
            )
        return merged

    def _printed(
        self, raw: RawLine, cells: dict[str, Cell], uncertain: bool, notes: list[str]
    ) -> PrintedLine:
        nilai: dict[str, Decimal | None] = {}
        teks: dict[str, str] = {}
        formula = unit = keterangan = volume = ""
        target_persen = False
        for slot, cell in cells.items():
            kind = SLOTS[slot]
            if cell.kind is CellKind.BLANK:
                continue
            if kind is SlotKind.TEXT:
                if cell.kind is CellKind.TEXT:
                    if slot == "unit_penanggung_jawab":
                        unit = cell.text
                    else:
                        keterangan = cell.text
                    continue
            elif cell.kind is CellKind.CAPAIAN and slot in ("realisasi_k", "capaian_k"):
                nilai["capaian_k"] = cell.value
                teks["capaian_k"] = cell.text
                if cell.realisasi is not None:
                    nilai["realisasi_k"] = cell.realisasi
                formula = cell.label
                continue
            elif cell.kind is not CellKind.TEXT:
                if cell.kind is CellKind.TARGET:
                    volume = cell.volume
                    target_persen = True
                nilai[slot] = cell.value
                teks[slot] = cell.text
                continue
            uncertain = True
            self.scan.unplaced.append(
                Doubt(cell.text, raw.tempat.at(SLOT_LABELS[slot]), "isi sel tidak sesuai kolomnya")
            )
        for side, match in capaian_in_keterangan(keterangan):
            if nilai.get(f"capaian_{side}") is None:
                nilai[f"capaian_{side}"] = parse_number(match)
                teks[f"capaian_{side}"] = match
        if raw.grid.scanned:
            uncertain = self._year_rp(raw, nilai, teks, notes) or uncertain
        return PrintedLine(
            tempat=raw.tempat,
            kode_asli=raw.kode_asli,
            kode=str(raw.kode) if raw.kode is not None else None,
            tingkat=raw.kode.tingkat if raw.kode is not None else None,
            nama=raw.nama,
            sasaran=raw.sasaran,
            indikator=raw.indikator,
            nilai=nilai,
            teks=teks,
            target_volume=volume,
            formula=formula,
            unit=unit,
            keterangan=keterangan,
            ragu=uncertain,
            catatan=tuple(notes),
            target_persen=target_persen,
        )

    def _year_rp(
        self,
        raw: RawLine,
        nilai: dict[str, Decimal | None],
        teks: dict[str, str],
        notes: list[str],
    ) -> bool:
        """Settle a last quarter's Rp that disagrees with the printed year's realisation.

        A scanned line prints the year's Rp realisation twice (the last quarter and the
        realisation column); when OCR misreads one copy they differ. The realisation column is
        the one the report's totals are built on, so it is kept, and the other reading reported.
        """
        printed = nilai.get("realisasi_rp")
        last = next((q for q in (4, 3, 2, 1) if nilai.get(f"tw{q}_rp") is not None), None)
        if printed is None or last is None or nilai[f"tw{last}_rp"] == printed:
            return False
        slot = f"tw{last}_rp"
        self.doubts.append(
            Doubt(
                teks.get(slot, ""),
                raw.tempat.at(SLOT_LABELS[slot]),
                f"berbeda dengan realisasi tercetak {teks.get('realisasi_rp', '')}; "
                "dipakai nilai kolom realisasi",
            )
        )
        notes.append(
            f"Rp {SLOT_LABELS[slot]} tercetak {teks.get(slot, '')}, realisasi tercetak "
            f"{teks.get('realisasi_rp', '')}"
        )
        nilai[slot] = printed
        teks[slot] = teks.get("realisasi_rp", "")
        return True


def parse_grids(grids: Sequence[Grid], berkas: str) -> LegacyReport:
    """Return the report written in the grids of one file; raise `InputError` if none is found."""
    scan = Scan()
    for grid in grids:
        Scanner(grid, scan).run()
    if scan.tables == 0:
        raise InputError(
            [
                Masalah(
                    "tabel evaluasi tidak ditemukan: tidak ada baris judul kolom yang memuat "
                    "'Kode' dan kolom indikator/target/realisasi",
                    berkas,
                )
            ]
        )
    if scan.refused:
        raise InputError([Masalah(f"{n.tempat}: {n.pesan}") for n in scan.refused])
    placer = _Placer(scan)
    lines = [placer.line(raw) for raw in scan.raw]
    if not any(line.kode for line in lines):
        raise InputError(
            [Masalah("tidak ada baris program/kegiatan/sub kegiatan yang terbaca", berkas)]
        )
    if placer.habit:
        labels = ", ".join(SLOT_LABELS[s] for s in sorted(placer.habit, key=list(SLOTS).index))
        scan.notices.append(
            Notice(
                f"kolom {labels} tidak tercetak pada sebagian besar baris; dibiarkan kosong",
                Place(berkas),
            )
        )
    return assemble(berkas, scan, lines, placer.doubts, scanned=any(g.scanned for g in grids))


def read_legacy(path: Path, data: bytes | None = None) -> LegacyReport:
    """Return a legacy report read from a file; raise `InputError` if it cannot be read."""
    grids = read_grids(path, data)
    for grid in grids:
        for row in grid.rows[:10]:
            names = {clean_text(c).lower() for c in row}
            if {"kode", "tingkat", "tw1_k"} <= names:  # the flat format itself
                return from_flat(path, data)
    return parse_grids(grids, path.name)
