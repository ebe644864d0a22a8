"""Rows whose empty cells were lost (text copied from a PDF): their cells put back in columns.

Copying a table out of a PDF drops every empty cell, so the figures of a row shift left and fill
the wrong columns. A row with fewer cells than its table has columns is laid out again: its
leading texts go to the text columns before the figures, its trailing texts to those after, and
its figures to the figure columns with the gaps where the row's own printed figures agree best
(a capaian that follows from target and realisation, a per cent from realisation and pagu, a
total from its periods). Where no placement agrees better than another, the figures are kept in
order from the left and the row is marked as placed by inference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations

from monev.core.numbers import AngkaError, agrees_as_printed
from monev.core.rules import Agregasi, capaian
from monev.io.legacy.cells import clean_text
from monev.io.tabel import notasi
from monev.io.tabel.model import NUMBER_FIELDS, TEXT_FIELDS, Kolom
from monev.io.tabel.periode import year_value

_NUMBERING = re.compile(r"^(?:[0-9IVXivx]+|[a-zA-Z])(?:[.)\-][0-9A-Za-z]*)*\.?$")
#: Beyond this many ways to place a row's figures, the row is kept in order (no search).
_MOST_PLACEMENTS = 5000


def _is_figure(text: str) -> bool:
    body = notasi.body(text).strip("()")
    if body in ("-", "–", "—", ""):
        return text.strip() in ("-", "–", "—")
    try:
        return notasi.parse(text.split()[0], None) is not None or text.strip() == "0"
    except (AngkaError, IndexError):
        return False


def realign(row: Sequence[object], columns: Sequence[Kolom]) -> tuple[list[object], bool] | None:
    """Return a short row laid out over the table's columns and whether the placement is a guess;
    None when the row is not short or cannot be laid out."""
    cells = [clean_text(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) >= len(columns) or not all(cells):
        return None  # a full row, or one that keeps its empty cells (typed, exported)
    figures = [k.indeks for k in columns if k.isi and (k.isi in NUMBER_FIELDS or ":" in k.isi)]
    if not figures:
        return None
    lead = [k.indeks for k in columns if k.isi in TEXT_FIELDS and k.indeks < figures[0]]
    trail = [k.indeks for k in columns if k.isi in TEXT_FIELDS and k.indeks > figures[-1]]
    tokens = [c for c in cells if c]
    by_index = {k.indeks: k.isi or "" for k in columns}
    out: list[object] = [""] * len(columns)
    position = 0
    for index in lead:  # a numbering or code only where it fits; a text where one is expected
        if position >= len(tokens):
            break
        token = tokens[position]
        fits = (
            bool(_NUMBERING.match(token))
            if by_index[index] in ("nomor", "kode", "kode_rekening")
            else not _is_figure(token)
        )
        if fits:
            out[index] = token
            position += 1
    rest = tokens[position:]
    end = len(rest)
    for index in reversed(trail):
        if end > 0 and not _is_figure(rest[end - 1]):
            out[index] = rest[end - 1]
            end -= 1
    numbers = rest[:end]
    if len(numbers) > len(figures) or any(not _is_figure(t) for t in numbers):
        return None
    gaps = len(figures) - len(numbers)
    best: list[tuple[int, tuple[int, ...]]] = []
    options = list(combinations(range(len(figures)), gaps))
    if len(options) > _MOST_PLACEMENTS:
        options = [tuple(range(len(numbers), len(figures)))]
    for skipped in reversed(options):  # gaps at the end first: figures kept from the left
        placed = [f for i, f in enumerate(figures) if i not in skipped]
        score = _agreement({by_index[c]: t for c, t in zip(placed, numbers, strict=True)})
        best.append((score, skipped))
    top = max(score for score, _ in best)
    winners = [skipped for score, skipped in best if score == top]
    placed = [f for i, f in enumerate(figures) if i not in winners[0]]
    for index, text in zip(placed, numbers, strict=True):
        out[index] = text
    return out, gaps > 0 and (top == 0 or len(winners) > 1)


def _value(texts: dict[str, str], name: str) -> Decimal | None:
    text = texts.get(name)
    if not text:
        return None
    try:
        return notasi.parse(text.split()[0].strip("()%"), None)
    except (AngkaError, IndexError):
        return None


def _agreement(texts: dict[str, str]) -> int:
    """How many of a placement's printed figures follow from its other figures."""
    score = 0
    for side, base in (("k", "target_k"), ("rp", "pagu")):
        periods = {
            name.partition(":")[2]: _value(texts, name)
            for name in texts
            if name.startswith(f"realisasi_{side}:")
        }
        printed = _value(texts, f"capaian_{side}")
        target = _value(texts, base)
        total = periods.pop("jumlah", None)
        if printed is not None and any(
            agrees_as_printed(
                printed, capaian(target, year_value(periods, a) if periods else total)
            )
            for a in (Agregasi.PROGRESIF, Agregasi.AKUMULATIF)
        ):
            score += 1
        if total is not None and periods and any(year_value(periods, a) == total for a in Agregasi):
            score += 1
    return score
