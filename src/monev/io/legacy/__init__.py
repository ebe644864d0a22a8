"""Legacy evaluation reports (E.81-like tables): read them, rebuild their data, check their sums."""

from monev.io.legacy.model import Doubt, LegacyReport, Notice, Place, PrintedLine, SummaryLine
from monev.io.legacy.reader import parse_grids, read_legacy

__all__ = [
    "Doubt",
    "LegacyReport",
    "Notice",
    "Place",
    "PrintedLine",
    "SummaryLine",
    "parse_grids",
    "read_legacy",
]
