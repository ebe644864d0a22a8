"""Find the parts of a legacy report's grids (title, tables with their header layout, summary,
narrative, signatures) and collect its table lines as read: the first of the reader's steps."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from monev.core.codes import TINGKAT_RENJA, Kode, KodeError, parse_kode
from monev.io.guards import number_text_problem, number_value_problem
from monev.io.legacy.cells import (
    Cell,
    CellKind,
    classify,
    clean_text,
)
from monev.io.legacy.grid import Grid
from monev.io.legacy.layout import (
    SLOTS,
    Identity,
    Layout,
    SlotKind,
    is_header_start,
    read_layout,
)
from monev.io.legacy.model import (
    Doubt,
    Notice,
    Place,
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
class RawLine:
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
    raw: list[RawLine] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    summary: list[SummaryLine] = field(default_factory=list)
    narasi: dict[str, str] = field(default_factory=dict)
    signatures: list[Signature] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    units: Counter[str] = field(default_factory=Counter)
    tables: int = 0
    #: Numbers that cannot be used at all (too large, digits of another script), with their place.
    refused: list[Notice] = field(default_factory=list)


def _identity_text(text: str) -> str:
    return "" if _DASHES_ONLY.fullmatch(text) else text


_CAPAIAN_NOTE = re.compile(r"(?i)\bcapaian\s+(k|rp)\b\s*:?\s*(-?\d[\d.,]*)\s*%")


def capaian_in_keterangan(text: str) -> list[tuple[str, str]]:
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
            for part in parts:
                if part.value is not None:
                    problem = number_text_problem(part.text) or number_value_problem(
                        part.text, part.value
                    )
                    if problem:
                        self.scan.refused.append(Notice(problem, tempat.at(f"ke-{position + 1}")))
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
            RawLine(
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
