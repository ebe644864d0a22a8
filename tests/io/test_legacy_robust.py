"""The legacy reader on damaged input: every case ends in a clear message or a partial result.

Random bytes, truncated and cut-up reports, shuffled and missing columns, numbers written in other
notations: `read_legacy` either raises `InputError` (with messages) or returns a report whose
check renders and whose rebuilt data the flat reader accepts. Nothing else may escape.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.io.flat import COLUMNS, InputError, read_flat
from monev.io.legacy import LegacyReport, read_legacy
from monev.io.legacy.check import check_report
from monev.io.legacy.rebuild import flat_rows
from monev.io.legacy.render import render_json, render_text
from tests.io.test_legacy_reference import recovery
from tests.io.test_legacy_xlsx import csv_bytes, e81_sheet

# Each example reads a whole report (about 0.1 s): few examples, always the same ones.
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
HEAVY = settings(FAST, max_examples=8)


def read_or_refuse(name: str, data: bytes) -> LegacyReport | None:
    """Return the report read from `data`, or None when it is refused with messages."""
    try:
        report = read_legacy(Path(name), data)
    except InputError as exc:
        assert exc.masalah and all(str(m).strip() for m in exc.masalah)
        return None
    check = check_report(report)
    assert render_text(check)
    json.loads(render_json(check))
    rows = flat_rows(report)
    if rows:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        read_flat(Path("dibangun-ulang.csv"), out.getvalue().encode("utf-8"))
    return report


@pytest.fixture(scope="module")
def laporan_text(reference_csv) -> str:
    return (reference_csv.parent / "laporan-asli.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def e81_grid(reference_csv) -> list[list[object]]:
    return e81_sheet(reference_csv).filled()


@FAST
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(["laporan.txt", "laporan.csv", "laporan.xlsx", "laporan.ods", "laporan"]),
)
def test_random_bytes_end_in_a_message_or_a_result(data, name):
    read_or_refuse(name, data)


@FAST
@given(cut=st.integers(min_value=0, max_value=21000))
def test_truncated_report_ends_in_a_message_or_a_partial_result(laporan_text, cut):
    report = read_or_refuse("laporan-asli.txt", laporan_text[:cut].encode("utf-8"))
    if report is not None and cut > 5000:
        assert report.renja.nodes


@HEAVY
@given(data=st.data())
def test_report_with_lines_dropped_or_doubled_is_read_in_part(laporan_text, data):
    lines = laporan_text.split("\n")
    picked = data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
    kept = [line for i, line in enumerate(lines) if i not in set(picked[: len(picked) // 2])]
    for i in picked[len(picked) // 2 :]:
        kept.insert(min(i, len(kept)), lines[i])
    read_or_refuse("laporan-asli.txt", "\n".join(kept).encode("utf-8"))


@HEAVY
@given(data=st.data())
def test_report_with_cells_lost_or_gained_is_read_in_part(laporan_text, data):
    lines = [line.split("\t") for line in laporan_text.split("\n")]
    for _ in range(data.draw(st.integers(0, 12))):
        row = lines[data.draw(st.integers(0, len(lines) - 1))]
        position = data.draw(st.integers(0, len(row)))
        if data.draw(st.booleans()) and position < len(row):
            del row[position]
        else:
            row.insert(position, data.draw(st.sampled_from(["", "-", "0", "12,5", "abc", "(100)"])))
    read_or_refuse("laporan-asli.txt", "\n".join("\t".join(r) for r in lines).encode("utf-8"))


@HEAVY
@given(order=st.permutations(list(range(27))))
def test_shuffled_columns_are_mapped_by_their_headers(reference_csv, e81_grid, order):
    rows = [[row[c] for c in order] for row in e81_grid]
    report = read_or_refuse("evaluasi.csv", csv_bytes(rows))
    assert report is not None
    ok, total, misses, _ = recovery(reference_csv, flat_rows(report))
    assert misses == [], f"{ok}/{total}"


@HEAVY
@given(
    missing=st.sets(st.integers(0, 26), min_size=1, max_size=6),
    suffix=st.sampled_from(["csv", "txt"]),
)
def test_missing_columns_end_in_a_message_or_a_partial_result(e81_grid, missing, suffix):
    rows = [[v for c, v in enumerate(row) if c not in missing] for row in e81_grid]
    delimiter = "\t" if suffix == "txt" else ";"
    report = read_or_refuse(f"evaluasi.{suffix}", csv_bytes(rows, delimiter))
    if report is not None and 2 not in missing:  # the Kode column is there
        assert report.renja.nodes


def _machine(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _english(value: object) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


NOTATIONS = {
    "mesin": _machine,
    "inggris": _english,
    "rupiah": lambda v: f"Rp {v:,}".replace(",", ".") if isinstance(v, int) else _machine(v),
}
GARBAGE = ["1.2.3", "12,34,5", "O,5", "1..0", "--5", "(12", "12%%", "1e5", "∞", "NaN"]


@HEAVY
@given(data=st.data())
def test_numbers_in_other_notations(reference_csv, e81_grid, data):
    notation = data.draw(st.sampled_from(sorted(NOTATIONS)))
    write = NOTATIONS[notation]
    rows = [[write(v) if isinstance(v, int | float) else v for v in row] for row in e81_grid]
    report = read_or_refuse("evaluasi.csv", csv_bytes(rows, ","))
    assert report is not None
    ok, total, _, _ = recovery(reference_csv, flat_rows(report))
    assert ok / total >= 0.9, (notation, ok, total)


@HEAVY
@given(data=st.data())
def test_garbled_numbers_are_reported_not_fatal(e81_grid, data):
    rows = [list(row) for row in e81_grid]
    for _ in range(data.draw(st.integers(1, 20))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(st.sampled_from(GARBAGE))
    read_or_refuse("evaluasi.csv", csv_bytes(rows))
