"""The official report files: one report model (`build_report` for a PD, `build_konsolidasi_report`
for the pemda), rendered as XLSX or PDF.

CSV and JSON of the same evaluation are `monev.io.tabular`'s.

The names below load their module on first use: ReportLab alone takes a quarter of a second to
import, and `monev laporan -o x.xlsx` should not pay for a PDF it does not write.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "TATA_LETAK_PD": "context",
    "Kertas": "context",
    "KonteksLaporan": "context",
    "Penandatangan": "context",
    "TataLetak": "context",
    "Laporan": "model",
    "build_report": "model",
    "build_konsolidasi_report": "konsolidasi",
    "render_pdf": "pdf",
    "render_xlsx": "xlsx",
    "render_pemda_xlsx": "xlsx_pemda",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
