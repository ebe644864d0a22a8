"""Indonesian number notation: `1.234.567,89`, `75,00%`, `(100) 8 dokumen`, `-` (spec §6).

Amounts and per cents are `Decimal` from the moment they are read; rounding (half up, two decimals)
happens only in `round_half_up` and the formatters, i.e. where a number is shown.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext

_EMPTY = frozenset({"", "-", "–", "—", "--", "n/a", "N/A"})
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_TARGET = re.compile(r"^\s*\(([^)]*)\)\s*(.*?)\s*$", re.S)
_NOISE = re.compile(r"(?i)rp\.?|%|\s|\u00a0")

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


class AngkaError(ValueError):
    """A text that is not a number."""


def _integer_and_fraction(body: str, text: str, dot_is_thousands: bool) -> str:
    if "," in body and "." in body:
        if body.rfind(",") > body.rfind("."):  # Indonesian: 1.234.567,89
            whole, _, fraction = body.rpartition(",")
            if not _THOUSANDS_DOT.match(whole) and not whole.isdigit():
                raise AngkaError(f"'{text}' bukan angka yang sah")
            return whole.replace(".", "") + "." + fraction
        whole, _, fraction = body.rpartition(".")  # English: 1,234,567.89
        if not _THOUSANDS_COMMA.match(whole) and not whole.isdigit():
            raise AngkaError(f"'{text}' bukan angka yang sah")
        return whole.replace(",", "") + "." + fraction
    if "," in body:
        if body.count(",") == 1:
            return body.replace(",", ".")
        if _THOUSANDS_COMMA.match(body):
            return body.replace(",", "")
        raise AngkaError(f"'{text}' bukan angka yang sah")
    if body.count(".") > 1:
        if _THOUSANDS_DOT.match(body):
            return body.replace(".", "")
        raise AngkaError(f"'{text}' bukan angka yang sah")
    if dot_is_thousands and _THOUSANDS_DOT.match(body):
        return body.replace(".", "")
    return body


def parse_angka(text: object, *, dot_is_thousands: bool = False) -> Decimal | None:
    """Return the number written in `text`, or None for a blank or `-`.

    Reads machine form (`1234567.89`), Indonesian notation (`1.234.567,89`), per cents (`75,00%`),
    a value in parentheses (`(75,00%)`, as the reference report prints capaian), `Rp`, and numbers
    that a spreadsheet already holds as numbers. A single dot followed by exactly three digits
    (`1.234`) is ambiguous; `dot_is_thousands` decides it (a caller that knows the file is written
    in Indonesian notation sets it).
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise AngkaError(f"'{text}' bukan angka")
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        # Spreadsheet cells arrive as binary floats; their shortest repr is the number typed.
        return Decimal(repr(text))
    if isinstance(text, Decimal):
        return text
    raw = str(text).strip()
    if raw in _EMPTY:
        return None
    if _PLAIN.match(raw) and not (dot_is_thousands and _THOUSANDS_DOT.match(raw.lstrip("-"))):
        return Decimal(raw)
    body = _NOISE.sub("", raw)
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    negative = body.startswith("-")
    if negative:
        body = body[1:]
    if body in _EMPTY:
        if raw.strip() in ("()", "(-)"):
            return None
        raise AngkaError(f"'{text}' bukan angka")
    if not body or not (body[0].isdigit() and body[-1].isdigit()):
        raise AngkaError(f"'{text}' bukan angka")
    plain = _integer_and_fraction(body, raw, dot_is_thousands)
    if not _PLAIN.match(plain):
        raise AngkaError(f"'{text}' bukan angka")
    try:
        value = Decimal(plain)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the pattern above
        raise AngkaError(f"'{text}' bukan angka") from exc
    return -value if negative else value


def parse_target(text: object, *, dot_is_thousands: bool = False) -> tuple[Decimal | None, str]:
    """Split a printed target such as `(100) 8 dokumen` into the target and its volume text."""
    if text is None or isinstance(text, int | float | Decimal):
        return parse_angka(text), ""
    match = _TARGET.match(str(text))
    if match:
        return parse_angka(match.group(1), dot_is_thousands=dot_is_thousands), match.group(2)
    return parse_angka(text, dot_is_thousands=dot_is_thousands), ""


#: The quantum of each number of decimals that is shown (0.01 for two), made once.
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Return `value` rounded half up to `places` decimals (78,245 → 78,25)."""
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, ROUND_HALF_UP)  # positional: keywords cost twice the rounding


def printed_places(value: Decimal, most: int = 2) -> int:
    """Return the decimals a printed number shows (`93.6` → 1, `75,00` → 2, `80` → 0), at most
    `most`: a printed figure is compared with a computed one at the precision it was printed in."""
    exponent = value.as_tuple().exponent
    return min(most, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def agrees_as_printed(printed: Decimal, computed: Decimal | None) -> bool:
    """Return whether a computed figure, rounded half up as the printed one was, equals it."""
    if computed is None:
        return False
    places = printed_places(printed)
    return round_half_up(computed, places) == round_half_up(printed, places)


# A report prints hundreds of thousands of numbers. The formatters below start from `str()` of
# the Decimal, several times faster than `format()`, and use `format()` only where `str()` would
# print an exponent or where thousands must be grouped.


def _indonesian(value: Decimal) -> str:
    """Return a number in Indonesian notation with the decimals it carries (`-1.234.567,89`)."""
    text = str(value)
    whole, point, fraction = text.partition(".")
    if len(whole) > 3 or "E" in text:
        whole, point, fraction = f"{value:,f}".partition(".")
        whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if point else whole


def format_angka(value: Decimal | None, places: int = 2, empty: str = "-") -> str:
    """Return `value` in Indonesian notation with `places` decimals, half up: `1.234.567,89`."""
    if value is None:
        return empty
    rounded = round_half_up(value, places)
    if not rounded:
        rounded = abs(rounded)  # never print "-0,00"
    return _indonesian(rounded)


def format_nilai(value: Decimal | None, empty: str = "-") -> str:
    """Return `value` in Indonesian notation with the decimals it carries (`23,8`, `1.234`)."""
    if value is None:
        return empty
    if not value:
        return "0"  # never "-0"
    text = str(value)
    if "E" in text or len(text) > getcontext().prec:
        # An exponent, or perhaps more digits than the context keeps: normalise, rounding the
        # digits half up as format_angka does (or failing as it does), not half even.
        normal = value.normalize()
        if normal != value or normal.adjusted() >= getcontext().prec:
            exponent = normal.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            return format_angka(value, places, empty)
        return _indonesian(normal)
    # Plain notation, every digit kept: the value without the trailing zeros of its fraction.
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if len(whole) > 3:
        whole = f"{value:,f}".partition(".")[0].replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def format_persen(value: Decimal | None, empty: str = "-") -> str:
    """Return a per cent with two decimals and no sign: `75,00`."""
    return format_angka(value, 2, empty)


def decimal_text(value: Decimal | None, places: int | None = None) -> str | None:
    """Return the machine text of a number for JSON and CSV (`1234.50`), None stays None."""
    if value is None:
        return None
    if places is not None:
        value = round_half_up(value, places)
    if not value:
        value = abs(value)  # never print "-0.00"
    text = str(value)
    return f"{value:f}" if "E" in text else text  # the plain notation, never `1.2345E+3`
