"""Cells of a legacy report: what a printed cell holds, split where OCR or layout merged two cells.

A printed E.81 line holds a few recognisable shapes: amounts in Indonesian notation
(`12.804.156.408`), small K values (`25`, `23,8%`), the target with its volume (`(100) 8 dokumen`),
the capaian with its formula label (`(75,00%) - Formula Progresif`), and text (the responsible
unit). Recognising the shape is what lets a line that lost or gained cells be placed again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from monev.core.numbers import AngkaError, parse_angka
from monev.core.rules import Agregasi, Polaritas


class CellKind(Enum):
    BLANK = "blank"  # empty, `-`
    ZERO = "zero"  # 0: a K value or an amount
    SMALL = "small"  # a K value: 25, 23,8%, 99,99
    AMOUNT = "amount"  # an amount: 1.225.938.100
    TARGET = "target"  # (100) 8 dokumen
    TARGET_LOOSE = "target_loose"  # `0 -`: a K value followed by the K/Rp separator
    CAPAIAN = "capaian"  # (75,00%) - Formula Progresif
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell (or one part of a cell that held two)."""

    text: str
    kind: CellKind
    column: int
    value: Decimal | None = None
    #: TARGET: the volume printed after the target (`8 dokumen`).
    volume: str = ""
    #: CAPAIAN: the label printed after the capaian (`Formula Progresif`).
    label: str = ""
    #: CAPAIAN: the year's value printed before the capaian in the same cell, if any.
    realisasi: Decimal | None = None
    #: CAPAIAN printed as `(100%)` alone, which a target cell also looks like.
    bare_percent: bool = False

    @property
    def is_number(self) -> bool:
        return self.kind in (CellKind.ZERO, CellKind.SMALL, CellKind.AMOUNT)


_NUM = r"-?\d[\d.,]*"
_DASH = r"[-–—]"
_BLANK = re.compile(r"^[-–—_.\s]*$")
# The capaian, optionally after the year's value (`75 (75,00%) - Formula Progresif`), or
# undefined (`- (-) - Formula Progresif`).
_CAPAIAN = re.compile(
    rf"^(?:(?P<real>{_NUM}|{_DASH})\s+)?\(\s*(?P<cap>{_NUM})\s*%\s*\)\s*"
    rf"(?:{_DASH}\s*(?P<label>\D.*)?)?$",
    re.S,
)
_CAPAIAN_UNDEFINED = re.compile(
    rf"^(?:(?P<real>{_NUM}|{_DASH})\s+)?\(\s*{_DASH}\s*\)\s*{_DASH}\s*(?P<label>[A-Za-z].*)$", re.S
)
_CAPAIAN_OPEN = re.compile(rf"^({_NUM})\s*%\s*{_DASH}\s*([A-Za-z].*)$", re.S)
_TARGET_AND_AMOUNT = re.compile(
    rf"^(\(\s*{_NUM}\s*%?\s*\).*?)\s+{_DASH}\s*(\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?)$"
)
_TARGET = re.compile(rf"^\(\s*({_NUM})\s*%?\s*\)\s*(.*?)\s*(?:{_DASH})?\s*$", re.S)
_NUMBER_THEN_REST = re.compile(rf"^({_NUM})\s+(\(.*)$", re.S)
_LOOSE_TARGET = re.compile(rf"^({_NUM})\s*{_DASH}$")
_NUMBERS = re.compile(rf"^{_NUM}%?(?:\s+{_NUM}%?)+$")
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d*)?$")
_SPACES = re.compile(r"\s+")

#: A K value at or above this, written without grouping, is read as an amount.
_AMOUNT_FROM = Decimal(10000)


def clean_text(raw: object) -> str:
    """Return the text of a raw cell: spreadsheet numbers as typed, whitespace collapsed."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):  # NaN or infinity
            return ""
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else repr(raw)
    return _SPACES.sub(" ", str(raw).replace("\u00a0", " ")).strip()


def parse_number(text: str) -> Decimal | None:
    """Return the number in a cell written in Indonesian notation; None if it is not one."""
    try:
        value = parse_angka(text.rstrip(","), dot_is_thousands=True)
    except AngkaError:
        return None
    if value is not None and not value.is_finite():
        return None
    return value


def _number_cell(text: str, column: int, value: Decimal, *, native: bool = False) -> Cell:
    if value == 0:
        kind = CellKind.ZERO
    elif native:  # a spreadsheet's number: only its size tells an amount from a K value
        kind = CellKind.AMOUNT if abs(value) >= _AMOUNT_FROM else CellKind.SMALL
    elif _GROUPED.search(text) or (abs(value) >= _AMOUNT_FROM and "," not in text):
        kind = CellKind.AMOUNT
    else:
        kind = CellKind.SMALL
    return Cell(text, kind, column, value)


def _native(raw: object, column: int) -> Cell | None:
    """Return the cell of a number a spreadsheet holds as a number."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    text = clean_text(raw)
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        raw = int(raw)  # a whole amount typed in a spreadsheet
    try:
        value = parse_angka(raw)
    except (AngkaError, ArithmeticError):
        return Cell(text, CellKind.TEXT, column)
    if value is None or not value.is_finite():
        return Cell("", CellKind.BLANK, column)
    return _number_cell(text, column, value, native=True)


def classify(raw: object, column: int) -> list[Cell]:
    """Return the cells printed in one raw cell (two when OCR or the layout merged them)."""
    native = _native(raw, column)
    if native is not None:
        return [native]
    text = clean_text(raw)
    if _BLANK.match(text):
        return [Cell(text, CellKind.BLANK, column)]
    return _classify_text(text, column, depth=0)


def _classify_text(text: str, column: int, depth: int) -> list[Cell]:
    match = _CAPAIAN.match(text) or _CAPAIAN_UNDEFINED.match(text)
    if match:
        groups = match.groupdict()
        value = parse_number(groups["cap"]) if groups.get("cap") else None
        realisasi = parse_number(groups["real"]) if groups.get("real") else None
        if value is not None or not groups.get("cap"):
            label = (groups.get("label") or "").strip()
            bare = not label and realisasi is None and not re.search(_DASH, text.rpartition(")")[2])
            return [
                Cell(
                    text,
                    CellKind.CAPAIAN,
                    column,
                    value,
                    label=label,
                    realisasi=realisasi,
                    bare_percent=bare,
                )
            ]
    match = _CAPAIAN_OPEN.match(text)
    if match:
        value = parse_number(match.group(1))
        if value is not None:
            return [Cell(text, CellKind.CAPAIAN, column, value, label=match.group(2).strip())]
    match = _TARGET_AND_AMOUNT.match(text)
    if match and depth < 2:
        return [
            *_classify_text(match.group(1), column, depth + 1),
            *_classify_text(match.group(2), column, depth + 1),
        ]
    match = _TARGET.match(text)
    if match:
        value = parse_number(match.group(1))
        if value is not None:
            return [Cell(text, CellKind.TARGET, column, value, volume=match.group(2).strip())]
    match = _NUMBER_THEN_REST.match(text)
    if match and depth < 2 and parse_number(match.group(1)) is not None:
        return [
            *_classify_text(match.group(1), column, depth + 1),
            *_classify_text(match.group(2), column, depth + 1),
        ]
    match = _LOOSE_TARGET.match(text)
    if match:
        value = parse_number(match.group(1))
        if value is not None:
            return [Cell(text, CellKind.TARGET_LOOSE, column, value)]
    if _NUMBERS.match(text) and depth < 2:
        parts = [_classify_text(part, column, depth + 1) for part in text.split()]
        if all(len(p) == 1 and p[0].is_number for p in parts):
            return [p[0] for p in parts]
    value = parse_number(text)
    if value is not None:
        return [_number_cell(text, column, value)]
    return [Cell(text, CellKind.TEXT, column)]


def polaritas_of(label: str) -> Polaritas:
    """Return the polarity a printed formula label names (`... (indikator negatif)`)."""
    return Polaritas.NEGATIF if "negatif" in label.lower() else Polaritas.POSITIF


def agregasi_of(label: str) -> Agregasi:
    """Return the aggregation a printed formula label names (`Formula Progresif`)."""
    lowered = label.lower()
    if "kumulatif" in lowered or "akumul" in lowered:
        return Agregasi.AKUMULATIF
    if "rata" in lowered:
        return Agregasi.RATA_RATA
    return Agregasi.PROGRESIF


#: Digits that OCR confuses with one another on a printed page.
_CONFUSABLE: dict[str, str] = {
    "0": "689",
    "1": "47",
    "2": "7",
    "3": "589",
    "4": "1",
    "5": "36",
    "6": "03589",
    "7": "12",
    "8": "0369",
    "9": "0368",
}


def ocr_alternatives(text: str) -> list[str]:
    """Return the readings of `text` that differ from it in one digit OCR often confuses."""
    out: list[str] = []
    for i, char in enumerate(text):
        for other in _CONFUSABLE.get(char, ""):
            out.append(text[:i] + other + text[i + 1 :])
    return out


def one_confusable_digit_apart(a: str, b: str) -> bool:
    """Return whether two printed numbers differ in exactly one digit OCR often confuses."""
    return b in ocr_alternatives(a)
