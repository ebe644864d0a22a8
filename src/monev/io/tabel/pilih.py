"""Which reader a file goes to: the flat format, the legacy E.81 reader, or the table importer.

The legacy reader knows the E.81 family in depth (a `Kode` column, K/Rp column pairs under
numbered groups, OCR damage corrected from the printed figures); every other table goes to the
table importer. A file whose header has a row of `K`/`Rp` sub-headers is of the E.81 family;
when the legacy reader still finds no table in it, the table importer is tried.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from monev.core.model import Renja
from monev.io.flat import COLUMNS, read_flat
from monev.io.legacy.cells import clean_text
from monev.io.legacy.grid import Grid, read_grids
from monev.io.tabel import HasilTabel, parse_tables
from monev.io.tabel.model import Pemetaan

_SIDES = {"k", "rp"}


def is_flat(grids: Sequence[Grid]) -> bool:
    for grid in grids:
        for row in grid.rows[:10]:
            names = {clean_text(c).lower() for c in row}
            if {"kode", "tingkat"} <= names:
                return True
    return False


def is_legacy_layout(grids: Sequence[Grid]) -> bool:
    """Whether a header row of K/Rp pairs (the E.81 family) is among a file's first rows."""
    for grid in grids:
        for row in grid.rows[:60]:
            sides = sum(1 for c in row if clean_text(c).lower() in _SIDES)
            if sides >= 4:
                return True
    return False


def read_tables(
    path: Path, data: bytes | None = None, pemetaan: Pemetaan | None = None
) -> HasilTabel:
    return parse_tables(read_grids(path, data), path.name, pemetaan)


def renja_of(hasil: HasilTabel) -> Renja:
    """Return the plan of a table read as the flat reader reads it, so that an import of a table
    validates and saves exactly as an import of the flat format does."""
    from monev.io.tabel.laporan import flat_rows

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat_rows(hasil))
    stem = Path(hasil.berkas).stem
    return read_flat(Path(f"{stem}-datar.csv"), buffer.getvalue().encode("utf-8"))
