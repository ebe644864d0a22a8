"""Read a legacy E.81-like report (scanned text, CSV, workbook) into a Renja and its printed figures.

Three steps, as for every import: find the parts of the report (title, tables with their header
blocks, summary, signatures) and read the cells of every table line; place each line's cells into
the form's slots (layout, align), marking what was placed by inference; then build the Renja
(build) and put to use what the printed figures say about doubtful cells (corrections).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from monev.core.codes import TINGKAT_RENJA, Kode, KodeError, parse_kode
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, capaian, nilai_tahun
from monev.io.flat import InputError, Masalah
from monev.io.legacy.align import Placement, align, place_by_position
from monev.io.legacy.build import assemble, from_flat
from monev.io.legacy.cells import (
    Cell,
    CellKind,
    agregasi_of,
    classify,
    clean_text,
    parse_number,
    polaritas_of,
)
from monev.io.legacy.grid import Grid, read_grids
from monev.io.legacy.layout import (
    SLOT_LABELS,
    SLOTS,
    Identity,
    Layout,
    SlotKind,
    is_header_start,
    read_layout,
)
from monev.io.legacy.model import (
    Doubt,
    LegacyReport,
    Notice,
    Place,
    PrintedLine,
    Signature,
    SummaryLine,
)
from monev.io.legacy.summary import (
    is_summary_header,
    looks_like_signature,
    narrative_kind,
    read_signatures,
    read_summary_line,
    summary_columns,
    summary_label_at,
)

_LEADING_DASHES = re.compile(r"^[-–—\s]+")
_CODE_THEN_NAME = re.compile(r"^(\d[\d.\-–]*)\s+(\S.*)$")
_DASHES_ONLY = re.compile(r"[-–—.\s]*")


@dataclass
class _RawLine:
    """A table line as read, before its cells are placed."""

    grid: Grid
    tempat: Place
    layout: Layout
    kode_asli: str
    kode: Kode | None
    nama: str
    sasaran: str
    indikator: str
    cells: list[Cell]
    by_column: dict[int, list[Cell]]


@dataclass
class Scan:
    """What scanning a file's grids found, before the lines are placed and the Renja built."""

    notices: list[Notice] = field(default_factory=list)
    unplaced: list[Doubt] = field(default_factory=list)
    raw: list[_RawLine] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    summary: list[SummaryLine] = field(default_factory=list)
    narasi: dict[str, str] = field(default_factory=dict)
    signatures: list[Signature] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    units: Counter[str] = field(default_factory=Counter)
    tables: int = 0


def _identity_text(text: str) -> str:
    return "" if _DASHES_ONLY.fullmatch(text) else text


_CAPAIAN_NOTE = re.compile(r"(?i)\bcapaian\s+(k|rp)\b\s*:?\s*(-?\d[\d.,]*)\s*%")


def _capaian_in_keterangan(text: str) -> list[tuple[str, str]]:
    """Return the capaian a remark states (`Capaian K 75,00% (Sedang)`), as (side, number)."""
    return [(m.group(1).lower(), m.group(2)) for m in _CAPAIAN_NOTE.finditer(text)]


def _header_fragment(texts: Sequence[str]) -> bool:
    filled = [t.lower() for t in texts if t]
    return all(t in ("k", "rp") or t.isdigit() for t in filled)


class Scanner:
    """Find the parts of one grid and collect its table lines."""

    def __init__(self, grid: Grid, scan: Scan) -> None:
        self.grid = grid
        self.scan = scan

    def place(self, index: int, *, tabel: int | None = None, bagian: str | None = None) -> Place:
        return Place(self.grid.berkas, self.grid.lembar, tabel, bagian, baris=index + 1)

    def run(self) -> None:
        rows = self.grid.rows
        state = "judul"
        layout: Layout | None = None
        columns = None
        trailer: list[tuple[int, list[tuple[int, str]]]] = []
        index = 0
        while index < len(rows):
            texts = [clean_text(c) for c in rows[index]]
            if not any(texts):
                index += 1
                continue
            if is_header_start(texts):
                self.scan.tables += 1
                layout = read_layout(rows, index)
                self._check_layout(layout, index)
                if layout.tahun:
                    self.scan.years.append(layout.tahun)
                state = "tabel"
                index += layout.height
                continue
            table = layout if state == "tabel" else None
            label_at = summary_label_at(texts)
            if table is not None and label_at == table.identity.get(Identity.INDIKATOR):
                label_at = None  # an indicator whose name starts like a summary line
            narrative = narrative_kind(texts)
            if table is not None and self._has_code(texts, table):
                self._table_row(index, texts, table)
            elif is_summary_header(texts):
                columns = summary_columns(texts)
                state = "ringkasan"
            elif label_at is not None:
                tempat = self.place(index, bagian="ringkasan")
                row = rows[index]
                self.scan.summary.append(read_summary_line(row, label_at, columns, tempat))
                state = "ringkasan"
            elif narrative is not None:
                label, rest = narrative
                self.scan.narasi[label] = rest
                state = "ringkasan"
            elif state == "judul":
                self.scan.title.append(" ".join(dict.fromkeys(t for t in texts if t)))
            elif table is not None and self._table_row(index, texts, table):
                pass
            elif table is not None and _header_fragment(texts):
                pass  # `K | Rp` over the footer's figures, a repeated line of column numbers
            elif table is not None and not looks_like_signature(texts):
                self._ignored(index, texts)
            else:
                state = "tanda tangan"
                trailer.append((index + 1, [(c, t) for c, t in enumerate(texts) if t]))
            index += 1
        if trailer:
            tempat = self.place(trailer[0][0] - 1, bagian="tanda tangan")
            self.scan.signatures += read_signatures(trailer, tempat)

    def _has_code(self, texts: Sequence[str], layout: Layout) -> bool:
        position = layout.identity.get(Identity.KODE)
        text = texts[position] if position is not None and position < len(texts) else ""
        text = _LEADING_DASHES.sub("", text).strip()
        return bool(text) and self._kode(text, "")[0] is not None

    def _check_layout(self, layout: Layout, index: int) -> None:
        tempat = self.place(index, tabel=self.scan.tables)
        missing = [i.value for i in (Identity.NAMA, Identity.INDIKATOR) if i not in layout.identity]
        if missing:
            self.scan.notices.append(
                Notice(f"judul kolom tidak ditemukan: {', '.join(missing)}", tempat)
            )
        if not any(SLOTS[s] is not SlotKind.TEXT for s in layout.slots):
            self.scan.notices.append(
                Notice("kolom angka (target, realisasi, triwulan) tidak dikenali", tempat)
            )

    def _ignored(self, index: int, texts: Sequence[str]) -> None:
        shown = " | ".join(t for t in texts if t)
        tempat = self.place(index, tabel=self.scan.tables)
        self.scan.notices.append(
            Notice(f"baris bukan baris data, diabaikan: '{shown[:80]}'", tempat)
        )

    def _table_row(self, index: int, texts: Sequence[str], layout: Layout) -> bool:
        """Collect a table line; return False if the row is not one."""

        def ident(kind: Identity) -> str:
            position = layout.identity.get(kind)
            return texts[position] if position is not None and position < len(texts) else ""

        tempat = self.place(index, tabel=self.scan.tables)
        kode_asli = _LEADING_DASHES.sub("", ident(Identity.KODE)).strip()
        nama = _identity_text(ident(Identity.NAMA))
        indikator = _identity_text(ident(Identity.INDIKATOR))
        taken = set(layout.identity.values())
        by_column: dict[int, list[Cell]] = {}
        cells: list[Cell] = []
        for position, raw in enumerate(self.grid.rows[index]):
            if position in taken:
                continue
            parts = classify(raw, position)
            by_column[position] = parts
            cells += parts
        while cells and cells[-1].kind is CellKind.BLANK:
            cells.pop()
        figures = any(c.kind not in (CellKind.BLANK, CellKind.TEXT) for c in cells)
        kode: Kode | None = None
        if kode_asli:
            kode, kode_asli, nama = self._kode(kode_asli, nama)
            if kode is None:
                if not figures:
                    return False
                self._unreadable(tempat, kode_asli, cells)
                return True
            if kode.tingkat not in TINGKAT_RENJA:
                unit = next((c.text for c in cells if c.kind is CellKind.TEXT), "")
                if unit:
                    self.scan.units[unit] += 1
                return True  # an urusan or bidang urusan heading
        elif not (indikator or figures):
            return False
        self.scan.raw.append(
            _RawLine(
                self.grid,
                tempat,
                layout,
                kode_asli,
                kode,
                nama,
                _identity_text(ident(Identity.SASARAN)),
                indikator,
                cells,
                by_column,
            )
        )
        return True

    @staticmethod
    def _kode(text: str, nama: str) -> tuple[Kode | None, str, str]:
        try:
            return parse_kode(text), text, nama
        except KodeError:
            pass
        match = _CODE_THEN_NAME.match(text)
        if match:  # the code and the name printed in one cell
            try:
                return parse_kode(match.group(1)), match.group(1), nama or match.group(2)
            except KodeError:
                pass
        return None, text, nama

    def _unreadable(self, tempat: Place, kode_asli: str, cells: Sequence[Cell]) -> None:
        self.scan.notices.append(
            Notice(f"kode '{kode_asli}' tidak dapat dibaca; baris tidak dipakai", tempat)
        )
        for cell in cells:
            if cell.kind is not CellKind.BLANK:
                self.scan.unplaced.append(
                    Doubt(
                        cell.text,
                        tempat.at(f"ke-{cell.column + 1}"),
                        "baris tanpa kode yang terbaca",
                    )
                )


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

    def placements(self, raw: _RawLine, habit: frozenset[str]) -> tuple[list[Placement], bool]:
        key = (id(raw), habit)
        if key not in self.cache:
            self.cache[key] = self._placements(raw, habit)
        return self.cache[key]

    def _placements(self, raw: _RawLine, habit: frozenset[str]) -> tuple[list[Placement], bool]:
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

    def line(self, raw: _RawLine) -> PrintedLine:
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

    def _merge(self, raw: _RawLine, options: list[Placement]) -> dict[str, Cell]:
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
        self, raw: _RawLine, cells: dict[str, Cell], uncertain: bool, notes: list[str]
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
        for side, match in _capaian_in_keterangan(keterangan):
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
        raw: _RawLine,
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
