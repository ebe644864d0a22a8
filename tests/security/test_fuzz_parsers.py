"""Every parser on hostile input: NUL bytes, unclosed quotes, 40-digit and tiny numbers,
non-ASCII digits, huge fields, random bytes. Each one either reads the input or refuses it with
the project's own error and a message; nothing else escapes (no traceback, no 500 behind a page).

A file that is read is also evaluated and rendered, as the import preview and `monev evaluasi`
do: a number a reader accepts must not break the evaluation after it. Bounded: a fixed number of
examples each (derandomized, so CI sees the same ones), no deadline.
"""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.core.codes import KodeError, normalise_kode, parse_kode, program_of, read_kode
from monev.core.evaluation import evaluate
from monev.core.numbers import (
    AngkaError,
    format_angka,
    format_nilai,
    format_persen,
    parse_angka,
    parse_target,
)
from monev.io import tabular
from monev.io.flat import InputError, read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import check_report
from tests.conftest import REFERENCE

#: MONEV_FUZZ_EXAMPLES=2000 (and MONEV_FUZZ_ACAK=1 for new examples) runs a deeper search by
#: hand; CI keeps the bounded, fixed run.
SCALE = int(os.environ.get("MONEV_FUZZ_EXAMPLES", "60")) / 60
BOUNDED = settings(
    max_examples=int(60 * SCALE),
    deadline=None,
    derandomize=not os.environ.get("MONEV_FUZZ_ACAK"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(BOUNDED, max_examples=int(20 * SCALE))

NON_ASCII_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９"
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="\x00\"';,.\n\r\t-()%Rp ", max_size=12),
    st.text(alphabet=NON_ASCII_DIGITS + ".,-", min_size=1, max_size=16),
    st.integers(min_value=10**39, max_value=10**40 - 1).map(str),
    st.integers(min_value=10**39, max_value=10**40 - 1).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(min_value=1, max_value=10**6).map(lambda n: f"0.{'0' * 30}{n}"),
    st.sampled_from(
        [
            "",
            "-",
            "\x00",
            '"',
            '"belum ditutup',
            "NaN",
            "Infinity",
            "-0",
            "1e400",
            "1.234.567,89",
            "(75,00%)",
            "Rp 1.000",
            "9" * 40,
            "0," + "0" * 40 + "1",
            "x" * 5000,
        ]
    ),
)


def _messages_ok(exc: InputError) -> None:
    assert exc.masalah, "an InputError must say what is wrong"
    for masalah in exc.masalah:
        text = str(masalah)
        assert text.strip() and "Traceback" not in text


def _read_and_evaluate(name: str, data: bytes) -> None:
    try:
        renja = read_flat(Path(name), data)
    except InputError as exc:
        _messages_ok(exc)
        return
    result = evaluate(renja)
    tabular.render_text(result)
    tabular.render_csv(result)
    tabular.render_json(result)


@pytest.fixture(scope="module")
def reference_rows() -> list[list[str]]:
    with (REFERENCE / "data.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[:12]


def _mutated(rows: list[list[str]], changes: list[tuple[int, int, str]]) -> list[list[str]]:
    out = [list(r) for r in rows]
    for row, column, value in changes:
        r = out[1 + row % (len(out) - 1)]
        r[column % len(r)] = value
    return out


CHANGES = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 40), HOSTILE), min_size=1, max_size=6
)


@BOUNDED
@given(changes=CHANGES)
def test_flat_csv_with_hostile_cells(reference_rows, changes):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_mutated(reference_rows, changes))
    _read_and_evaluate("datar.csv", buffer.getvalue().encode("utf-8"))


@BOUNDED
@given(changes=CHANGES, cut=st.integers(0, 4000))
def test_flat_csv_joined_raw_with_unclosed_quotes_and_cut(reference_rows, changes, cut):
    text = "\n".join(",".join(r) for r in _mutated(reference_rows, changes))
    _read_and_evaluate("mentah.csv", text.encode("utf-8")[: len(text) - cut])


@BOUNDED
@given(data=st.binary(max_size=3000))
def test_flat_random_bytes(data):
    _read_and_evaluate("acak.csv", data)
    _read_and_evaluate("acak.xlsx", data)


def test_flat_csv_with_a_huge_field(reference_rows):
    rows = _mutated(reference_rows, [(0, 4, "x" * 300_000)])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    _read_and_evaluate("besar.csv", buffer.getvalue().encode("utf-8"))


def _xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Renja")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


NUMBER_CELLS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from([1e300, -1e300, 5e-324, 1e-30, 0.1 + 0.2]),
)


@FEW
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 40), st.one_of(HOSTILE, NUMBER_CELLS)),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(1, 2000)),
)
def test_flat_xlsx_with_hostile_cells_and_damaged_bytes(reference_rows, changes, cut):
    rows: list[list[object]] = [list(r) for r in reference_rows]
    for row, column, value in changes:
        r = rows[1 + row % (len(rows) - 1)]
        # A workbook keeps no NUL; a float cell stands where the text was.
        r[column % len(r)] = value.replace("\x00", "") if isinstance(value, str) else value
    data = _xlsx(rows)
    _read_and_evaluate("buku.xlsx", data if cut is None else data[:-cut])


# Legacy reports ------------------------------------------------------------------------------


def _legacy_ok(name: str, data: bytes) -> None:
    try:
        report = read_legacy(Path(name), data)
    except InputError as exc:
        _messages_ok(exc)
        return
    check_report(report)


@pytest.fixture(scope="module")
def laporan_lines() -> list[str]:
    return (REFERENCE / "laporan-asli.txt").read_text(encoding="utf-8").splitlines()[:80]


@FEW
@given(
    edits=st.lists(st.tuples(st.integers(0, 79), HOSTILE), min_size=1, max_size=8),
    drop=st.integers(0, 79),
)
def test_legacy_text_with_hostile_lines(laporan_lines, edits, drop):
    lines = list(laporan_lines)
    for index, text in edits:
        lines[index % len(lines)] = text
    del lines[drop % len(lines)]
    _legacy_ok("laporan.txt", "\n".join(lines).encode("utf-8"))


@BOUNDED
@given(data=st.binary(max_size=2000))
def test_legacy_random_bytes(data):
    _legacy_ok("acak.txt", data)
    _legacy_ok("acak.csv", data)


# Numbers and codes -------------------------------------------------------------------------


@settings(BOUNDED, max_examples=int(400 * SCALE))
@given(text=HOSTILE, indonesian=st.booleans())
def test_numbers_read_or_refuse(text, indonesian):
    for parse in (parse_angka, lambda t, **kw: parse_target(t, **kw)[0]):
        try:
            value = parse(text, dot_is_thousands=indonesian)
        except AngkaError as exc:
            assert str(exc).strip()
            continue
        assert value is None or isinstance(value, Decimal)


@settings(BOUNDED, max_examples=int(400 * SCALE))
@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_formatting_a_read_number_never_breaks(value):
    # Whatever reaches the formatting was read by a reader; a reader bounds what it accepts
    # (monev.io.flat refuses figures outside its range), so only that range is proven here.
    if value != 0 and not (Decimal("1e-6") <= abs(value) < Decimal("1e15")):
        return
    for fmt in (format_angka, format_nilai, format_persen):
        assert fmt(value)


@settings(BOUNDED, max_examples=int(400 * SCALE))
@given(
    text=st.one_of(
        HOSTILE,
        st.text(alphabet="0123456789.-– " + NON_ASCII_DIGITS[:10] + "XxAa", max_size=40),
    )
)
def test_codes_read_or_refuse(text):
    for read in (parse_kode, normalise_kode, read_kode):
        try:
            read(text)
        except KodeError as exc:
            assert str(exc).strip()
    assert isinstance(program_of(text), str)


@pytest.mark.parametrize(
    ("value", "refusal"),
    [
        ("999999999999999", None),
        ("999.999.999.999.999", None),
        ("1000000000000000", "terlalu besar"),
        ("1" * 40, "terlalu besar"),
        ("-" + "9" * 20, "terlalu besar"),
        ("0.000001", None),
        ("0,000001", None),
        ("0.0000009", "terlalu kecil"),
        ("0," + "0" * 40 + "1", "terlalu kecil"),
        ("0", None),
        ("0,000", None),
    ],
)
def test_the_flat_reader_bounds_its_figures_and_says_where(reference_rows, value, refusal):
    header = reference_rows[0]
    rows = [list(r) for r in reference_rows]
    rows[1][header.index("target_k")] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    if refusal is None:
        renja = read_flat(Path("batas.csv"), buffer.getvalue().encode("utf-8"))
        tabular.render_csv(evaluate(renja))
        return
    with pytest.raises(InputError) as caught:
        read_flat(Path("batas.csv"), buffer.getvalue().encode("utf-8"))
    messages = [str(m) for m in caught.value.masalah]
    assert any(
        m.startswith("batas.csv, baris 2, kolom target_k") and refusal in m for m in messages
    ), messages
