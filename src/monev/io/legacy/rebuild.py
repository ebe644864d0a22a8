"""The data of a legacy report in the flat format (one line per indicator), for `--keluaran`."""

from __future__ import annotations

from pathlib import Path

from monev.core.model import Indikator
from monev.io.flat_rows import flat_row
from monev.io.legacy.model import LegacyReport
from monev.synthetic import write_flat_csv


def flat_rows(report: LegacyReport) -> list[dict[str, str]]:
    """Return the report's data as flat rows, one per indicator.

    A report read in part may lack a kegiatan's program or a sub kegiatan's kegiatan; such nodes
    are written as they are: the flat reader accepts them and the evaluation names them.
    """
    renja = report.renja
    rows: list[dict[str, str]] = []
    for node in renja.nodes:
        for number, item in enumerate(node.indikator or (Indikator(),)):
            line = report.indikator_baris.get((node.kode, number))
            first = number == 0
            row = flat_row(
                node,
                item,
                first,
                kode_asli=line.kode_asli if line is not None and line.kode else "",
                catatan="; ".join(line.catatan) if line is not None else "",
            )
            rows.append(row)
    return rows


def write_flat(report: LegacyReport, path: Path) -> None:
    """Write the report's data as a flat CSV."""
    write_flat_csv(path, flat_rows(report))
