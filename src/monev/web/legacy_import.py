"""A legacy report imported as a PD's Renja through the same path as the flat format: the
reader's rebuilt data is written as flat rows and read back by the flat reader, so that both
imports validate and save alike."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from monev.core.model import Renja
from monev.io.flat import COLUMNS, InputError, Masalah, read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import CheckReport, check_report
from monev.io.legacy.rebuild import flat_rows


def read(path: Path, data: bytes) -> tuple[CheckReport, Renja]:
    """Return the check report of a legacy report and its data as the flat reader reads it."""
    try:
        report = read_legacy(path, data)
        check = check_report(report)
    except InputError:
        raise
    except Exception as exc:  # a damaged input ends in a message, as in `monev periksa`
        raise InputError(
            [Masalah(f"laporan tidak dapat dibaca ({exc.__class__.__name__}: {exc})", path.name)]
        ) from exc
    rows = flat_rows(report)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return check, read_flat(Path(f"{path.stem}-datar.csv"), buffer.getvalue().encode("utf-8"))
