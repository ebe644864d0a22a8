"""A report or any other table imported as a PD's Renja through the same path as the flat format:
the reader's rebuilt data is written as flat rows and read back by the flat reader, so that every
import validates and saves alike. A report of the E.81 family goes to the legacy reader, any
other table (with or without codes, K and Rp apart, months, a PDF) to the table importer."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monev.core.model import Renja
from monev.io.flat import COLUMNS, InputError, Masalah, read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import check_report
from monev.io.legacy.grid import read_grids
from monev.io.legacy.rebuild import flat_rows
from monev.io.tabel.nomenklatur import Entri


@dataclass
class Pemeriksaan:
    """What the import page shows of a file's check, whichever reader read it."""

    #: Printed figures that disagree with the recomputation (each with `tempat` and `pesan`).
    temuan: list[object]
    #: Cells placed by inference (doubtful), and cells that could not be placed.
    ragu: list[object] = field(default_factory=list)
    tak_terpasang: list[object] = field(default_factory=list)
    #: The column mapping used (lines), for a table read by the table importer.
    pemetaan: list[str] = field(default_factory=list)
    #: The year the file prints (its title), to warn when it is not the year chosen.
    tahun_tercetak: int | None = None


def read(
    path: Path, data: bytes, nomenklatur: Sequence[Entri] | None = None
) -> tuple[Pemeriksaan, Renja]:
    """Return the check of a report or table and its data as the flat reader reads it; nodes
    of a table without codes are matched against `nomenklatur` (the pemda's active list)."""
    from monev.io.tabel import parse_tables
    from monev.io.tabel.laporan import flat_rows as table_rows
    from monev.io.tabel.laporan import mapping_lines
    from monev.io.tabel.pilih import is_flat, is_legacy_layout

    try:
        grids = read_grids(path, data)
        if is_flat(grids) or is_legacy_layout(grids):
            report = read_legacy(path, data)
            check = check_report(report)
            rows = flat_rows(report)
            shown = Pemeriksaan(list(check.temuan), list(report.ragu), list(report.tak_terpasang))
            shown.tahun_tercetak = report.renja.tahun
        else:
            hasil = parse_tables(grids, path.name, nomenklatur=nomenklatur)
            rows = table_rows(hasil)
            shown = Pemeriksaan(
                [t for t in hasil.temuan if t.jenis == "angka"] + list(hasil.pemeriksaan),
                [t for t in hasil.temuan if t.jenis != "angka"],
                pemetaan=mapping_lines(hasil),
                tahun_tercetak=hasil.tahun_tercetak,
            )
    except InputError:
        raise
    except Exception as exc:  # a damaged input ends in a message, as in `monev periksa`
        raise InputError(
            [Masalah(f"laporan tidak dapat dibaca ({exc.__class__.__name__}: {exc})", path.name)]
        ) from exc
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return shown, read_flat(Path(f"{path.stem}-datar.csv"), buffer.getvalue().encode("utf-8"))
