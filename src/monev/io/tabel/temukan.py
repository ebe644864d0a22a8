"""Find the tables of a file: their header blocks, the meaning of every column, their data rows.

A header block is one row with at least two recognised headers (one of them a figure), followed
by the rows under it that only hold sub-headers (`K`/`Rp`, `I … IV`, months, column numbers). A
row of column numbers (`1 2 3 … 17`) is dropped. A header printed again (the next page of a PDF,
a sheet per program) continues the table above; a page with no header whose width fits the
table above continues it too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from monev.io.legacy.cells import clean_text
from monev.io.legacy.grid import Grid
from monev.io.legacy.model import Place
from monev.io.tabel.judul import classify, header_like, resolve_sides, words
from monev.io.tabel.model import ABAIKAN, Kolom, Pemetaan, normal_header

_FIGURES = ("target", "pagu", "realisasi", "capaian")
_MAX_HEADER_ROWS = 5
#: A cell that is a figure (`1.004.422.800`, `97,5`, `12`): a header row holds none.
_DATA = re.compile(r"^\(?-?\d+([.,]\d+)*\)?\s*%?$")


@dataclass
class Tabel:
    """One table: where its header is, what each column holds, and its data rows."""

    nomor: int
    grid: Grid
    judul_baris: list[int]
    kolom: list[Kolom]
    #: (grid, row index) of every data row, in order, across pages and sheets.
    baris: list[tuple[Grid, int]] = field(default_factory=list)
    #: Text above the first header (title lines: the PD, the year, the quarter).
    judul_atas: list[str] = field(default_factory=list)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(normal_header(k.judul) for k in self.kolom)

    def field_at(self) -> dict[str, int]:
        """Return the column of each field (the first, when two columns hold the same)."""
        found: dict[str, int] = {}
        for kolom in self.kolom:
            if kolom.isi and kolom.isi != ABAIKAN:
                found.setdefault(kolom.isi, kolom.indeks)
        return found

    def place(self, grid: Grid, row: int, kolom: int | None = None) -> Place:
        """The place of a row (or of one of its cells): file, sheet or page, table, line, the
        column's header, and on a PDF page the cell's position."""
        if kolom is None:
            return Place(grid.berkas, grid.lembar, self.nomor, None, row + 1)
        judul = self.kolom[kolom].judul if kolom < len(self.kolom) else f"ke-{kolom + 1}"
        return Place(
            grid.berkas,
            grid.lembar,
            self.nomor,
            None,
            row + 1,
            judul,
            grid.posisi.get((row, kolom)),
        )

    @property
    def sides(self) -> set[str]:
        """The sides its figures are on: {"k"}, {"rp"} or both."""
        found = set()
        for kolom in self.kolom:
            name = kolom.isi or ""
            if name == "pagu" or "_rp" in name:
                found.add("rp")
            elif name.endswith("_k") or "_k:" in name or name == "indikator":
                found.add("k")
        return found


@dataclass
class Pencarian:
    """What finding the tables yields: the tables, and the best header candidate seen."""

    tabel: list[Tabel]
    #: The row most like a header when no table is found (its place and texts), for the message.
    terdekat: tuple[Place, list[str]] | None = None
    catatan: list[tuple[Place, str]] = field(default_factory=list)


def _texts(row: Sequence[object]) -> list[str]:
    return [clean_text(c) for c in row]


def _recognised(texts: Sequence[str]) -> list[str]:
    return [f for t in texts if t and (f := classify(t)) is not None]


def _is_header_start(texts: Sequence[str]) -> bool:
    if any(_DATA.match(t) for t in texts if t):
        return False  # a figure: a data row whose texts happen to read as headers
    found = _recognised(texts)
    if len(found) < 2:
        return False
    figures = any(f.startswith(_FIGURES) or ":" in f for f in found)
    names = {"nama", "kode", "indikator"} & set(found)
    return (figures and bool(names)) or (len([f for f in found if ":" in f]) >= 2 and bool(names))


def _is_numbering(texts: Sequence[str], leftmost: int) -> bool:
    """A row of column numbers (`1 2 3 …`, `(1) (2) …`), not a row of months."""
    cells = [(i, t.strip("()")) for i, t in enumerate(texts) if t]
    if len(cells) < 3 or not all(t.isdigit() for _, t in cells):
        return False
    values = [int(t) for _, t in cells]
    if any(b < a for a, b in pairwise(values)) or len(set(values)) < 3:
        return False  # column numbers rise (a K/Rp pair may share its group's number)
    return max(values) > 12 or cells[0][0] <= leftmost


def _is_sub_header(texts: Sequence[str]) -> bool:
    cells = [t for t in texts if t]
    if not cells or not all(header_like(t) for t in cells):
        return False
    if any(classify(t) == "nama" for t in cells):
        return False  # a heading line (`Program …`) right under the header is data
    if len(cells) >= 2:
        return True
    tokens = words(cells[0])
    return len(tokens) <= 2 and classify(cells[0]) != "nama"


def _block(rows: Sequence[Sequence[object]], start: int) -> list[int]:
    block = [start]
    index = start + 1
    while index < len(rows) and len(block) < _MAX_HEADER_ROWS:
        texts = _texts(rows[index])
        above = _texts(rows[index - 1])
        # A cell merged down over header rows repeats its text in a workbook: not a new header.
        own = [
            "" if column < len(above) and text == above[column] else text
            for column, text in enumerate(texts)
        ]
        if not any(texts) or (any(own) and not _is_sub_header(own)):
            break
        block.append(index)
        index += 1
    return block


def compose(rows: Sequence[Sequence[object]], block: Sequence[int]) -> list[str]:
    """Return the header text of every column: the texts above it, top down, merged cells filled.

    A blank cell of an upper row takes the text to its left when a row below has a sub-header at
    that column (`Target Renstra` over `K` and `Rp`), which is how a merged cell reads in a text
    or CSV copy.
    """
    table = [_texts(rows[i]) for i in block]
    width = max(len(r) for r in table)
    table = [r + [""] * (width - len(r)) for r in table]
    used = [c for r in table for c, t in enumerate(r) if t]
    leftmost = min(used) if used else 0
    table = [r for r in table if not _is_numbering(r, leftmost)] or table[:1]
    for level, row in enumerate(table[:-1]):
        carry = ""
        for column in range(width):
            if row[column]:
                carry = row[column]
                continue
            below = [table[lower][column] for lower in range(level + 1, len(table))]
            if carry and any(b and len(words(b)) <= 2 and header_like(b) for b in below):
                row[column] = carry
    labels: list[str] = []
    for column in range(width):
        parts: list[str] = []
        for row in table:
            text = row[column]
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(" ".join(parts))
    return labels


def _columns(labels: Sequence[str], pemetaan: Pemetaan) -> list[Kolom]:
    given: list[bool] = []
    fields: list[str | None] = []
    for label in labels:
        key = normal_header(label)
        if key and key in pemetaan.kolom:
            fields.append(pemetaan.kolom[key])
            given.append(True)
        else:
            fields.append(classify(label) if label else None)
            given.append(False)
    fields = resolve_sides(fields)
    seen: set[str] = set()
    columns = []
    for index, (label, name, from_mapping) in enumerate(zip(labels, fields, given, strict=True)):
        if name and name != ABAIKAN and name in seen and not from_mapping:
            name = ABAIKAN  # the same field twice: the first column holds it
        if name:
            seen.add(name)
        columns.append(Kolom(index, label, name, dari_pemetaan=from_mapping))
    return columns


def _usable(columns: Sequence[Kolom]) -> bool:
    names = {k.isi for k in columns if k.isi}
    figures = any(n.startswith(_FIGURES) or ":" in n for n in names if n != ABAIKAN)
    return figures and bool({"nama", "kode", "indikator", "kode_rekening"} & names)


def find_tables(grids: Sequence[Grid], pemetaan: Pemetaan) -> Pencarian:
    """Return the tables of a file's grids, in order."""
    tables: list[Tabel] = []
    current: Tabel | None = None
    best: tuple[int, Place, list[str]] | None = None
    notes: list[tuple[Place, str]] = []
    for grid in grids:
        rows = grid.rows
        above: list[str] = []
        header_seen = False
        index = 0
        while index < len(rows):
            texts = _texts(rows[index])
            if not any(texts):
                index += 1
                continue
            if _is_header_start(texts):
                block = _block(rows, index)
                labels = compose(rows, block)
                columns = _columns(labels, pemetaan)
                if _usable(columns):
                    header_seen = True
                    key = tuple(normal_header(label) for label in labels)
                    if current is not None and key == current.labels:
                        notes.append(
                            (
                                Place(grid.berkas, grid.lembar, current.nomor, None, index + 1),
                                "judul kolom tercetak ulang; dilewati",
                            )
                        )
                    else:
                        current = Tabel(len(tables) + 1, grid, block, columns, judul_atas=above)
                        tables.append(current)
                    index = block[-1] + 1
                    continue
            recognised = len(_recognised(texts))
            if recognised and (best is None or recognised > best[0]):
                best = (recognised, Place(grid.berkas, grid.lembar, None, None, index + 1), texts)
            if current is not None and (header_seen or _fits(texts, current)):
                current.baris.append((grid, index))
            elif current is None:
                above.append(" ".join(t for t in texts if t))
            index += 1
    nearest = (best[1], [t for t in best[2] if t]) if best else None
    return Pencarian(tables, nearest, notes)


def _fits(texts: Sequence[str], table: Tabel) -> bool:
    """Whether a row of a page without a header continues the table above (about its width)."""
    used = max((i for i, t in enumerate(texts) if t), default=-1) + 1
    return used <= len(table.kolom) + 1
