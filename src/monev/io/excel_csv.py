"""CSV files that open right in Excel set to Indonesian: semicolons, a decimal comma, UTF-8.

Excel reads a CSV with the list separator and decimal symbol of the computer's region; an
Indonesian Windows has `;` and `,`. A machine CSV (`,` and `53.33`) opens there as one column,
or with `53.33` read as a text or a date. So every CSV a user downloads from a page is written
here: `;` between cells, numbers with a decimal comma and no thousands separator (`1234567,5`,
which no reader can mistake for a thousand), per cents with two decimals, and a BOM so that Excel
reads the names as UTF-8. The machine CSV of the API's open data and `monev evaluasi --format
csv` stay in machine form (`monev.io.tabular`).

The readers of the app (`monev.io.flat.read_csv_rows`) take either form, so a downloaded file
filled in and saved by Excel is imported again as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from monev.core.numbers import decimal_text, round_half_up

DELIMITER = ";"
BOM = "\ufeff"

#: The decimals a value (not a per cent) keeps at most: a K value is entered with four.
MAX_PLACES = 4


def angka(value: Decimal | None, places: int = MAX_PLACES) -> str:
    """Return a value with a decimal comma and the decimals it carries, rounded half up to
    `places` at most (a mean of quarters may have endless decimals); blank for none."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        value = round_half_up(value, places)
    return (decimal_text(value.normalize()) or "").replace(".", ",")


def persen(value: Decimal | None) -> str:
    """Return a per cent with exactly two decimals (`53,33`); blank for none."""
    return "" if value is None else (decimal_text(value, 2) or "").replace(".", ",")


def render(rows: Iterable[Sequence[object]]) -> str:
    """Return the rows as Excel's CSV text (BOM first, CRLF line ends)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()
