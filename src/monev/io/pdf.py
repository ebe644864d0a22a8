"""The cells of a PDF: tables of a text PDF by position (pdfplumber), a scanned page through OCR.

A text PDF's tables are found from their ruling lines and read cell by cell (a cell's wrapped
lines are one text); the text outside the tables (titles, signatures) comes as lines of their own,
all in the page's order, so that a report reads as its text copy does. A page without text is a
scan: it is rendered, its ruling lines are found from the image, and the words Tesseract reads
(Indonesian and English language data) are put into the cells the lines draw; without lines, a
line of words is split into cells at wide gaps. Every cell keeps its page and position, and an
OCR'd word read with low confidence is marked doubtful.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from monev.io.flat import InputError, Masalah

#: Rendering resolution of a scanned page for OCR (dots per inch).
OCR_DPI = 300
#: A cell whose ink is no taller than this (pixels at OCR_DPI) and twice as wide is a dash.
_DASH_HEIGHT = 8
#: Below this confidence (0–100) an OCR'd word is doubtful.
DOUBTFUL_BELOW = 60


@dataclass
class Halaman:
    """The rows of cells of one page, with each cell's position (x, y in points from the page's
    top left) and the cells read with doubt (OCR)."""

    nomor: int
    rows: list[list[object]]
    posisi: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    ragu: set[tuple[int, int]] = field(default_factory=set)
    scanned: bool = False


class OcrUnavailable(Exception):
    """Tesseract is not installed; the message says how to install it."""


def read_pdf(data: bytes, berkas: str) -> list[Halaman]:
    """Return the pages of a PDF as rows of cells; raise `InputError` if it cannot be read."""
    import pdfplumber

    pages: list[Halaman] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    pages.append(_text_page(page, number))
                else:
                    pages.append(_scanned_page(page, number))
    except InputError:
        raise
    except OcrUnavailable as exc:
        raise InputError([Masalah(str(exc), berkas)]) from exc
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise InputError(
            [Masalah(f"PDF tidak dapat dibaca ({exc.__class__.__name__})", berkas)]
        ) from exc
    if not any(p.rows for p in pages):
        raise InputError([Masalah("PDF tidak memuat teks atau tabel yang terbaca", berkas)])
    return pages


def _text_page(page: Any, number: int) -> Halaman:
    out = Halaman(number, [])
    items: list[tuple[float, list[object], list[tuple[int, int] | None]]] = []
    tables = page.find_tables()
    for table in tables:
        for row, texts in zip(table.rows, table.extract(), strict=True):
            where = [None if c is None else (round(c[0]), round(c[1])) for c in row.cells]
            cells: list[object] = [(t or "").replace("\n", " ").strip() for t in texts]
            items.append((row.bbox[1], cells, where))
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    for line in page.filter(outside).extract_text_lines():
        cells = [c for c in _split_gaps(line.get("chars", []))] or [line["text"]]
        items.append(
            (line["top"], list(cells), [(round(line["x0"]), round(line["top"]))] * len(cells))
        )
    items.sort(key=lambda item: item[0])
    for index, (_, texts, where) in enumerate(items):
        out.rows.append(texts)
        for column, place in enumerate(where):
            if place is not None:
                out.posisi[(index, column)] = place
    return out


def _split_gaps(chars: list[dict[str, Any]]) -> list[str]:
    """Split a line of characters into cells where the gap is wider than three spaces."""
    if not chars:
        return []
    cells: list[str] = []
    current = ""
    previous_end = None
    for char in chars:
        size = char.get("size") or 8
        if previous_end is not None and char["x0"] - previous_end > size * 1.5:
            cells.append(current.strip())
            current = ""
        elif previous_end is not None and char["x0"] - previous_end > size * 0.2:
            current += " "
        current += char["text"]
        previous_end = char["x1"]
    cells.append(current.strip())
    return [c for c in cells if c]


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


Word = tuple[int, int, int, int, str, int]  # left, top, right, bottom, text, confidence
#: A word placed in a cell: (top, left, text, confidence).
Placed = tuple[int, int, str, int]


@dataclass
class _Band:
    """A row of a scanned table: between two ruling lines, with its column lines."""

    top: int
    bottom: int
    columns: list[int]
    cells: list[list[Placed]]


def _scanned_page(page: Any, number: int) -> Halaman:
    if not ocr_available():
        raise OcrUnavailable(
            f"halaman {number} adalah hasil pindai (tanpa teks) dan perlu OCR, tetapi Tesseract "
            "belum terpasang; pasang paket Debian tesseract-ocr dan tesseract-ocr-ind"
        )
    image = page.to_image(resolution=OCR_DPI).original.convert("L")
    scale = 72 / OCR_DPI
    bands: list[_Band] = []
    for top, bottom in _row_bands(image):
        columns = _column_bounds(image, top, bottom)
        if len(columns) >= 2:
            bands.append(_Band(top, bottom, columns, [[] for _ in columns[1:]]))
    image = _erase_rules(image, bands)
    words = _tesseract_words(image, psm="11")
    used: set[int] = set()
    for index, word in enumerate(words):
        x, y = (word[0] + word[2]) // 2, (word[1] + word[3]) // 2
        band = next((b for b in bands if b.top <= y < b.bottom), None)
        if band is None:
            continue
        for column in range(len(band.columns) - 1):
            if band.columns[column] <= x < band.columns[column + 1]:
                band.cells[column].append((word[1], word[0], word[4], word[5]))
                used.add(index)
                break
    _read_missed(image, bands)
    for line in _lines([w for i, w in enumerate(words) if i not in used]):
        texts, starts = _gap_cells(line)
        top = min(w[1] for w in line)
        cells: list[list[Placed]] = [[(0, 0, t, 100)] for t in texts]
        bands.append(_Band(top, top, [*starts, starts[-1]], cells))
    bands.sort(key=lambda b: b.top)
    out = Halaman(number, [], scanned=True)
    for index, band in enumerate(bands):
        row: list[object] = []
        for column, placed in enumerate(band.cells):
            ordered = _reading_order(placed)
            row.append(_fix_ocr(" ".join(w[2] for w in ordered)))
            out.posisi[(index, column)] = (
                round(band.columns[column] * scale),
                round(band.top * scale),
            )
            if any(w[3] < DOUBTFUL_BELOW for w in ordered if any(c.isdigit() for c in w[2])):
                out.ragu.add((index, column))
        while row and row[-1] == "":
            row.pop()
        out.rows.append(row)
    return out


#: How far either side of a ruling line's centre it is erased before OCR (pixels at OCR_DPI).
_RULE_HALF_WIDTH = 5


def _erase_rules(image: Any, bands: list[_Band]) -> Any:
    """Return a copy of the page with the table's ruling lines painted white: Tesseract reads a
    line as dashes and letters (`—w——`) and lets it split or join words."""
    from PIL import ImageDraw

    clean = image.copy()
    draw = ImageDraw.Draw(clean)
    w = _RULE_HALF_WIDTH
    for band in bands:
        left, right = band.columns[0] - w, band.columns[-1] + w
        for y in (band.top, band.bottom):
            draw.rectangle((left, y - w, right, y + w), fill=255)
        for x in band.columns:
            draw.rectangle((x - w, band.top - w, x + w, band.bottom + w), fill=255)
    return clean


_PERCENT = re.compile(r"(?<=\d)\s?(?:Y6|Yo|Y%|”6|\"6|'6|°6|%6|o/o)(?=\)|$|\s)")
#: A printed capaian `(75,00%)` whose per cent sign came out as a digit or two (`(75,0076)`).
_CAPAIAN = re.compile(r"^\((\d{1,3}[.,]\d{2})[^)\s]{1,3}\)(?=\s*(-|$))")
#: Thousands groups split by a space (`27 160.000`).
_SPLIT_GROUP = re.compile(r"^(\d{1,3}) (\d{3}(?:[.,]\d{3})+)$")


#: Indonesian thousands groups with the first separator lost (`1173.813.000,00`).
_LOST_DOT = re.compile(r"^(\d{1,3})(\d{3})((?:\.\d{3})+(?:,\d+)?)$")


#: A target in parentheses with its per cent sign read as digits (`(1006) 11 orang`).
_TARGET_PERCENT = re.compile(r"^\((\d{1,3}(?:[.,]\d+)?)(?:6|76|96|Y6|Yo|%6)\)(?=\s+\S)")
#: A lone capital O where a count stands (`(100) O unit`).
_ZERO = re.compile(r"(?<=\) )O(?= [a-z])")


def _target_percent(match: re.Match[str]) -> str:
    value = match.group(1).replace(",", ".")
    return f"({match.group(1)}%)" if Decimal(value) <= 100 else match.group(0)


def _fix_ocr(text: str) -> str:
    """Undo what Tesseract does to a small per cent sign (`75.00Y6)`, `(75,0076) - Formula`,
    `(96)`) and to thousands groups (`27 160.000`, `1173.813.000,00`)."""
    text = _PERCENT.sub("%", text).replace("(96)", "(%)")
    text = _CAPAIAN.sub(lambda m: f"({m.group(1)}%)", text)
    text = _TARGET_PERCENT.sub(_target_percent, text)
    text = _ZERO.sub("0", text)
    text = _SPLIT_GROUP.sub(r"\1.\2", text)
    return _LOST_DOT.sub(r"\1.\2\3", text)


def _read_missed(image: Any, bands: list[_Band]) -> None:
    """Read the cells that hold ink but no word: Tesseract's sparse mode drops lone short marks
    (`0`, `-`, `K`). They are pasted one under another into one image, read in one pass as lines
    of text, and put back into their cells."""
    from PIL import Image

    missing: list[tuple[list[Placed], Any]] = []
    for band in bands:
        for column, placed in enumerate(band.cells):
            left, right = band.columns[column] + 6, band.columns[column + 1] - 6
            box = (left, band.top + 6, right, band.bottom - 6)
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            crop = image.crop(box)
            ink = crop.point(lambda p: 255 if p < 140 else 0).getbbox()
            if ink is None:
                continue
            width, height = ink[2] - ink[0], ink[3] - ink[1]
            if height <= _DASH_HEIGHT and width >= 2 * height:
                # Only a dash (or two): Tesseract reads it as anything (`Ka`, `2`, `-.`).
                dash = "--" if width > 9 * height else "-"
                placed[:] = [(box[1] + ink[1], left + ink[0], dash, 100)]
            elif not placed:
                missing.append((placed, crop.crop(ink)))
    if not missing:
        return
    gap = 40
    width = max(c.size[0] for _, c in missing) + 2 * gap
    spans: list[tuple[int, int]] = []
    y = gap
    for _, crop in missing:
        spans.append((y, y + crop.size[1]))
        y += crop.size[1] + gap
    sheet = Image.new("L", (max(width, 200), y), 255)
    for (_, crop), (start, _) in zip(missing, spans, strict=True):
        sheet.paste(crop, (gap, start))
    for word in _tesseract_words(sheet, psm="6"):
        centre = (word[1] + word[3]) // 2
        for (placed, _), (start, end) in zip(missing, spans, strict=True):
            if start - gap // 2 <= centre < end + gap // 2:
                placed.append((word[1], word[0], word[4], word[5]))
                break


def _reading_order(words: list[Placed]) -> list[Placed]:
    """Words of one cell in reading order: lines top down (a word whose top is within half a line
    of the line's first word is on it), then left to right."""
    lines: list[list[Placed]] = []
    for word in sorted(words):
        if lines and word[0] - lines[-1][0][0] < 18:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w[1])]


def _tesseract_words(image: Any, psm: str) -> list[Word]:
    """Return the words Tesseract reads on an image: (left, top, right, bottom, text, conf)."""
    with tempfile.TemporaryDirectory(prefix="monev-ocr-") as folder:
        path = os.path.join(folder, "halaman.png")
        image.save(path)
        result = subprocess.run(
            ["tesseract", path, "stdout", "-l", _languages(), "--psm", psm, "tsv"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    if result.returncode != 0:
        raise OcrUnavailable(f"Tesseract gagal membaca halaman ({result.stderr.strip()[:200]})")
    words = []
    for row in csv.DictReader(io.StringIO(result.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text or row.get("conf") in (None, "-1"):
            continue
        left, top = int(row["left"]), int(row["top"])
        words.append(
            (
                left,
                top,
                left + int(row["width"]),
                top + int(row["height"]),
                text,
                int(float(row["conf"])),
            )
        )
    return words


def _languages() -> str:
    """Indonesian language data when installed (the words of these reports), else English;
    both at once segments tables worse and takes twice the time."""
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    return "ind" if "ind" in listed.split() else "eng"


def _dark_profile(image: Any, box: tuple[int, int, int, int], horizontal: bool) -> list[int]:
    """Mean darkness (0–255) of each row (horizontal) or column of a region of the image."""
    from PIL import Image

    region = image.crop(box).point(lambda p: 255 if p < 140 else 0)
    width, height = region.size
    if horizontal:
        return list(region.resize((1, height), Image.Resampling.BOX).get_flattened_data())
    return list(region.resize((width, 1), Image.Resampling.BOX).get_flattened_data())


def _runs(profile: list[int], threshold: int) -> list[int]:
    """The centres of the runs of values at or above a threshold (the ruling lines)."""
    centres: list[int] = []
    start = None
    for index, value in enumerate([*profile, 0]):
        if value >= threshold and start is None:
            start = index
        elif value < threshold and start is not None:
            centres.append((start + index - 1) // 2)
            start = None
    return centres


def _row_bands(image: Any) -> list[tuple[int, int]]:
    """The bands between consecutive horizontal ruling lines (the table rows)."""
    box = image.point(lambda p: 255 if p < 140 else 0).getbbox()
    if box is None:
        return []
    lines = _runs(_dark_profile(image, box, horizontal=True), 110)
    lines = [line + box[1] for line in lines]
    return [(a, b) for a, b in pairwise(lines) if b - a > 8]


def _column_bounds(image: Any, top: int, bottom: int) -> list[int]:
    """The vertical ruling lines that cross a row band from top to bottom."""
    width = image.size[0]
    inner = (0, top + 3, width, max(top + 4, bottom - 3))
    return _runs(_dark_profile(image, inner, horizontal=False), 200)


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w[1], w[0])):
        if lines and abs(word[1] - lines[-1][0][1]) < 15:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w[0]) for line in lines]


def _gap_cells(line: list[Word]) -> tuple[list[str], list[int]]:
    """Split a line of words into cells at gaps wider than three times the line's height."""
    height = max(w[3] - w[1] for w in line) or 10
    cells: list[str] = []
    starts: list[int] = []
    end = None
    for word in line:
        if end is None or word[0] - end > 3 * height:
            cells.append(word[4])
            starts.append(word[0])
        else:
            cells[-1] += " " + word[4]
        end = word[2]
    return cells, starts
