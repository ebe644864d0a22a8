"""The rows of cells of a legacy report, whatever it came in: scanned text, CSV, or a workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from monev.io.flat import InputError, Masalah
from monev.io.guards import csv_rows, text_problem

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Grid:
    """The rows of one sheet (or one text file), before anything is recognised."""

    berkas: str
    rows: list[list[object]]
    lembar: str | None = None
    #: Text extracted from a scanned page: digits may be misread (OCR).
    scanned: bool = False
    #: Where each cell is on its page (x, y in points), for a PDF: (row, column) → position.
    posisi: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    #: Cells an OCR read with low confidence: (row, column).
    ragu: set[tuple[int, int]] = field(default_factory=set)
    #: Whether this reader ran OCR on the page (its figures are doubtful where they disagree).
    ocr: bool = False


def _decode(data: bytes, berkas: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls * 20 > max(len(sample), 1) or sample.count("\x00") * 50 > max(len(sample), 1):
        raise InputError(
            [Masalah("berkas bukan teks, CSV, atau buku kerja (XLSX/XLS/ODS) yang dikenal", berkas)]
        )
    return text


def _text_rows(text: str, delimiter: str, berkas: str) -> list[list[object]]:
    rows: list[list[str]]
    starts: list[int] | None = None
    if delimiter == "\t":
        rows = [line.split("\t") for line in text.splitlines()]
    else:
        try:
            rows, starts, fault = csv_rows(text, delimiter)
        except csv.Error:
            rows, fault = [line.split(delimiter) for line in text.splitlines()], None
        if fault is not None:
            raise InputError([Masalah(fault.pesan(), berkas, fault.baris, f"ke-{fault.kolom + 1}")])
    if "\x00" in text:  # a few NUL bytes in a text: refused at their cells, not as a whole file
        found = [
            Masalah(problem, berkas, starts[number] if starts else number + 1, f"ke-{index + 1}")
            for number, row in enumerate(rows)
            for index, cell in enumerate(row)
            if (problem := text_problem(cell))
        ]
        raise InputError(found)
    return [list[object](row) for row in rows]


def _delimiter(text: str, suffix: str) -> str:
    sample = text[:20000]
    if sample.count("\t") >= max(3, sample.count("\n") // 4):
        return "\t"
    if suffix == ".csv" or sample.count(";") + sample.count(",") > 0:
        return ";" if sample.count(";") > sample.count(",") else ","
    return "\t"


def _workbook_grids(data: bytes, berkas: str) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    grids: list[Grid] = []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows: list[list[object]] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            grids.append(Grid(berkas, rows, lembar=name))
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own error types for a damaged workbook
        raise InputError([Masalah(f"buku kerja tidak dapat dibaca ({exc})", berkas)]) from exc
    return grids


def _fill_merged(
    rows: list[list[object]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Give every cell of a merged range the value of its top-left cell (merged header cells)."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                if row[c] in ("", None):
                    row[c] = value


def read_grids(path: Path, data: bytes | None = None) -> list[Grid]:
    """Return the grids of a file: one per sheet of a workbook, one for a text or CSV file."""
    berkas = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise InputError([Masalah(f"berkas tidak dapat dibuka ({reason})", str(path))]) from exc
    if not data.strip():
        raise InputError([Masalah("berkas kosong", berkas)])
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        from monev.io.pdf import read_pdf

        # A PDF's text is read as a scan's (digits may be misread, corrected only where two
        # printed figures confirm it, and reported): the PDFs Bappeda receive are most often
        # scans, and a text layer over a scan is OCR output too.
        return [
            Grid(
                berkas,
                page.rows,
                f"halaman {page.nomor}",
                True,
                page.posisi,
                page.ragu,
                page.scanned,
            )
            for page in read_pdf(data, berkas)
        ]
    if suffix in _WORKBOOK_SUFFIXES or data.startswith((_ZIP, _OLE)):
        return _workbook_grids(data, berkas)
    text = _decode(data, berkas)
    delimiter = _delimiter(text, suffix)
    # A CSV is typed or exported; a text file is what text extraction from a scan produced.
    return [Grid(berkas, _text_rows(text, delimiter, berkas), scanned=suffix != ".csv")]
