"""Number notation, decided per column from all its cells; numbers read in the notation chosen.

Indonesian notation writes `1.004.422.800` and `97,32`; English `1,004,422,800` and `97.32`. One
cell often tells (`97,32`, `1.004.422.800`, `1,004.5`); `1.234` or `1,234` alone does not: a dot
or comma followed by exactly three digits is a thousands separator in one notation and a decimal
point in the other. A column is decided by the cells that tell; a column whose cells all leave it
open takes the notation of the rest of the table when the table is of one notation, and is asked
about otherwise. A column whose cells tell both ways is asked about too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from monev.core.numbers import AngkaError
from monev.io.guards import number_text_problem, number_value_problem

ID = "id"
EN = "en"

_NOISE = re.compile(r"(?i)^\s*(rp\.?|idr)\s*|\s*(%|persen)\s*$|\s+|\u00a0")
_ID_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$|^\d+,\d+$|^\d+$")
_EN_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+\.\d+$|^\d+$")
_AMBIGUOUS = re.compile(r"^\d{1,3}[.,]\d{3}$")
_EMPTY = frozenset({"", "-", "–", "—", "--", "n/a", "N/A", "x", "X"})


def body(text: str) -> str:
    """Return the digits and separators of a number cell (`Rp 1.234,50` → `1.234,50`)."""
    return _NOISE.sub("", text)


def vote(text: str) -> str | None:
    """Return the notation one number text shows ("id", "en"), "?" when it leaves it open, or
    None when it has no separator at all."""
    b = body(text).lstrip("-").strip("()")
    if not b or not b[0].isdigit():
        return None
    dots, commas = b.count("."), b.count(",")
    if not dots and not commas:
        return None
    if dots and commas:
        return ID if b.rfind(",") > b.rfind(".") else EN
    if _AMBIGUOUS.match(b):
        return "?"
    if dots > 1:
        return ID
    if commas > 1:
        return EN
    return ID if commas else EN  # one separator followed by other than three digits: a decimal


def decide(texts: Iterable[str]) -> tuple[str | None, bool]:
    """Return the notation a column's texts show, and whether it stays open (ambiguous or both)."""
    seen = {v for t in texts if (v := vote(t)) is not None}
    decided = seen - {"?"}
    if len(decided) == 2:
        return None, True
    if decided:
        return decided.pop(), False
    return None, "?" in seen


def parse(text: str, notasi: str | None) -> Decimal | None:
    """Return the number a cell holds in the notation given; raise `AngkaError` if it is none.

    A notation of None reads a text with no separator (or one the column has no doubt about)."""
    raw = text.strip()
    if raw in _EMPTY:
        return None
    problem = number_text_problem(raw)
    if problem:
        raise AngkaError(problem)
    b = body(raw)
    negative = False
    if b.startswith("(") and b.endswith(")"):
        b = b[1:-1]
    if b.startswith("-"):
        negative, b = True, b[1:]
    if b in _EMPTY:
        return None
    if notasi is None:
        shown = vote(b)
        notasi = shown if shown in (ID, EN) else EN
    assert notasi is not None
    pattern = _ID_NUMBER if notasi == ID else _EN_NUMBER
    if not pattern.match(b):
        raise AngkaError(f"'{text}' bukan angka dalam notasi {_NAME[notasi]}")
    plain = b.replace(".", "").replace(",", ".") if notasi == ID else b.replace(",", "")
    try:
        value = Decimal(plain)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the patterns
        raise AngkaError(f"'{text}' bukan angka") from exc
    value = -value if negative else value
    problem = number_value_problem(text, value)
    if problem:
        raise AngkaError(problem)
    return value


_NAME = {ID: "Indonesia (1.234,5)", EN: "Inggris (1,234.5)"}


def name(notasi: str | None) -> str:
    return _NAME.get(notasi or "", "tidak tampak")
