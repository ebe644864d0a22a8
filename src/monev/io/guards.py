"""Guards every reader applies to raw input before trusting it: CSV quoting, NUL bytes, digits.

A CSV with a quote that never closes swallows the rest of the file into one cell; Python's `csv`
module reads that without complaint, so the file would import a fraction of its lines silently.
A number of forty digits reads as a `Decimal` and fails later, deep in a computation; a digit of
another script (`١٢٣`) reads as a number because `str.isdigit` and `Decimal` accept it. Each is
refused here at its place, with a message that says what to fix.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

#: The largest magnitude any amount or K value may have, as the flat reader bounds it
#: (`monev.io.flat.LARGEST`): fifteen digits, far above any real budget.
MAX_INTEGER_DIGITS = 15
_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS


@dataclass(frozen=True, slots=True)
class CsvFault:
    """A quote opened in a CSV cell that is never closed where the line ends."""

    #: The physical line (1-based) where the quote opens.
    baris: int
    #: The 0-based field index on that line.
    kolom: int

    def pesan(self) -> str:
        return (
            'tanda kutip (") dibuka di sel ini dan tidak pernah ditutup, sehingga sisa berkas '
            "terbaca sebagai satu sel; tutup tanda kutipnya atau hapus"
        )


def csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int], CsvFault | None]:
    """Return the rows of a CSV text, the physical line each row starts on, and a quoting fault.

    A quoted cell may legitimately span lines (a long name typed with Alt+Enter); one that holds
    whole lines of delimited cells, or that runs to the end of the file without its closing
    quote, is a quote left open.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    starts: list[int] = []
    fault: CsvFault | None = None
    previous = 0
    for row in reader:
        start = previous + 1
        rows.append(row)
        starts.append(start)
        if reader.line_num > start and fault is None:
            fault = _swallowed(row, start, delimiter)
        previous = reader.line_num
    if fault is None and rows:
        # The last row: an open quote runs to the end of the file, and leaves an odd count of
        # quote characters in the lines from where that row starts (escaped quotes come in pairs).
        tail = text.split("\n", starts[-1] - 1)[-1] if starts[-1] > 1 else text
        if tail.count('"') % 2:
            last = rows[-1]
            index = next((i for i, c in enumerate(last) if "\n" in c or "\r" in c), len(last) - 1)
            line = starts[-1] + sum(cell.count("\n") for cell in last[:index])
            fault = CsvFault(line, index)
    return rows, starts, fault


def _swallowed(row: list[str], start: int, delimiter: str) -> CsvFault | None:
    line = start
    for index, cell in enumerate(row):
        if "\n" in cell or "\r" in cell:
            if any(part.count(delimiter) >= 2 for part in cell.splitlines()[1:]):
                return CsvFault(line, index)
            line += cell.count("\n")
    return None


def text_problem(text: str) -> str | None:
    """Return why a cell's text cannot be used at all (a NUL byte), or None."""
    if "\x00" in text:
        return "sel memuat karakter NUL (\\x00): berkas rusak atau bukan teks; ketik ulang sel ini"
    return None


def number_text_problem(text: str) -> str | None:
    """Return why a number's text is refused before it is parsed (NUL, non-ASCII digits)."""
    problem = text_problem(text)
    if problem:
        return problem
    if not text.isascii():
        for ch in text:
            if ch.isdigit() and not ch.isascii():
                return (
                    f"'{text}' memuat angka bukan ASCII ('{ch}', U+{ord(ch):04X}); "
                    "tulis dengan angka 0-9"
                )
    return None


def number_value_problem(text: object, value: Decimal | None) -> str | None:
    """Return why a parsed number is refused (too large, not finite), or None."""
    if value is None:
        return None
    if not value.is_finite():
        return f"'{text}' bukan angka yang terhingga"
    if abs(value) >= _LIMIT:
        return (
            f"'{text}' terlalu besar: lebih dari {MAX_INTEGER_DIGITS} digit sebelum koma; "
            "periksa apakah dua angka tergabung"
        )
    return None
