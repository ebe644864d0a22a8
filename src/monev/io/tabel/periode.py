"""Period conversion: months, semesters or a single to-date column into the four quarters.

By the indicator's aggregation (spec §3): `akumulatif` figures are amounts of their own period, so
a quarter is the sum of its months; `progresif` figures are levels to date, so a quarter is the
last month given in it; `rata_rata` figures are measurements, so a quarter is the mean of its
months given. Semester I is quarter II and semester II quarter IV (each is the state at the end of
its half, or the amount of it). A single realisation column (to date) goes into the quarter the
table is for. When a table prints a total (`Jumlah`) beside its periods, the aggregation that
reproduces the totals of most lines is the one its figures follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from monev.core.model import NO_QUARTERS, Quarters
from monev.core.rules import Agregasi, jumlah, mean, nilai_tahun


def _combine(values: Sequence[Decimal | None], agregasi: Agregasi) -> Decimal | None:
    given = [v for v in values if v is not None]
    if not given:
        return None
    if agregasi is Agregasi.AKUMULATIF:
        return jumlah(given)
    if agregasi is Agregasi.RATA_RATA:
        return mean(given)
    return given[-1]


def quarters(
    values: Mapping[str, Decimal | None], agregasi: Agregasi, triwulan: int | None
) -> tuple[Quarters, str | None]:
    """Return the four quarters from the periods a line gives, and how they were made (for the
    mapping shown to the user), None when the line gives no realisation at all."""
    tw = (values.get("tw1"), values.get("tw2"), values.get("tw3"), values.get("tw4"))
    if any(v is not None for v in tw):
        return tw, "triwulan"
    months = [values.get(f"bln{m}") for m in range(1, 13)]
    if any(v is not None for v in months):
        q1, q2, q3, q4 = (_combine(months[3 * i : 3 * i + 3], agregasi) for i in range(4))
        return (q1, q2, q3, q4), "bulan"
    sem1, sem2 = values.get("sem1"), values.get("sem2")
    if sem1 is not None or sem2 is not None:
        return (None, sem1, None, sem2), "semester"
    total = values.get("jumlah")
    if total is not None:
        at = (triwulan or 4) - 1
        placed = [total if i == at else None for i in range(4)]
        return (placed[0], placed[1], placed[2], placed[3]), "jumlah"
    return NO_QUARTERS, None


def year_value(values: Mapping[str, Decimal | None], agregasi: Agregasi) -> Decimal | None:
    """Return the year's (or to-date) value of a line's periods, by its aggregation."""
    q, how = quarters(values, agregasi, None)
    if how is None or how == "jumlah":
        return None
    return nilai_tahun(q, agregasi)


def choose(
    lines: Sequence[Mapping[str, Decimal | None]], default: Agregasi
) -> tuple[Agregasi, int, int]:
    """Return the aggregation that reproduces the printed totals of most lines, with how many
    lines each reading reproduced (akumulatif, progresif); `default` when no line tells."""
    sums = levels = 0
    for values in lines:
        total = values.get("jumlah")
        if total is None:
            continue
        periods = [v for p in _PERIODS if (v := values.get(p)) is not None]
        if len(periods) < 2:
            continue
        as_sum = sum(periods, Decimal(0))
        as_level = periods[-1]
        if as_sum == total and as_level != total:
            sums += 1
        elif as_level == total and as_sum != total:
            levels += 1
    if sums > levels:
        return Agregasi.AKUMULATIF, sums, levels
    if levels > sums:
        return Agregasi.PROGRESIF, sums, levels
    return default, sums, levels


_PERIODS = (
    *(f"tw{q}" for q in range(1, 5)),
    *(f"bln{m}" for m in range(1, 13)),
    "sem1",
    "sem2",
)


def quarter_of(period: str | None) -> int | None:
    """Return the quarter a period ends in (`bln7` → 3, `sem1` → 2), None for none."""
    if not period:
        return None
    if period.startswith("tw"):
        return int(period[2:])
    if period.startswith("bln"):
        return (int(period[3:]) + 2) // 3
    if period.startswith("sem"):
        return 2 * int(period[3:])
    return None
