from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monev.core.numbers import (
    AngkaError,
    decimal_text,
    format_angka,
    format_nilai,
    parse_angka,
    parse_target,
    round_half_up,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("1234567.89", Decimal("1234567.89")),
        ("75,00%", Decimal("75.00")),
        ("(75,00%)", Decimal("75.00")),
        ("104,24 %", Decimal("104.24")),
        ("Rp 2.173.813.000", Decimal("2173813000")),
        ("Rp. 1.000,50", Decimal("1000.50")),
        ("-", None),
        ("", None),
        ("   ", None),
        (None, None),
        ("0", Decimal(0)),
        ("-12,5", Decimal("-12.5")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("12.345.678", Decimal(12345678)),
        ("1.234", Decimal("1.234")),
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        (23.8, Decimal("23.8")),
        (Decimal("5.5"), Decimal("5.5")),
    ],
)
def test_parse_angka_reads_indonesian_and_machine_numbers(text, expected):
    assert parse_angka(text) == expected


def test_dot_thousands_decides_the_ambiguous_case():
    assert parse_angka("1.234", dot_is_thousands=True) == Decimal(1234)
    assert parse_angka("1.23", dot_is_thousands=True) == Decimal("1.23")


@pytest.mark.parametrize("bad", ["abc", "1,2,3", "12.34.5", "1.2.3,4", "--5", "5-", "1e5x", True])
def test_parse_angka_refuses_what_is_not_a_number(bad):
    with pytest.raises(AngkaError) as info:
        parse_angka(bad)
    assert "bukan angka" in str(info.value)


@pytest.mark.parametrize(
    ("text", "target", "volume"),
    [
        ("(100) 8 dokumen", Decimal(100), "8 dokumen"),
        ("(96,94) 12.500 orang", Decimal("96.94"), "12.500 orang"),
        ("100", Decimal(100), ""),
        ("", None, ""),
    ],
)
def test_parse_target_splits_target_and_volume(text, target, volume):
    assert parse_target(text) == (target, volume)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("78.245"), "78,25"),
        (Decimal("78.2449"), "78,24"),
        (Decimal("1234567.891"), "1.234.567,89"),
        (Decimal("0.005"), "0,01"),
        (Decimal("-1234.5"), "-1.234,50"),
        (Decimal("-0.001"), "0,00"),
        (Decimal(100), "100,00"),
        (None, "-"),
    ],
)
def test_format_angka_rounds_half_up_in_indonesian_notation(value, shown):
    assert format_angka(value) == shown


def test_format_nilai_keeps_the_decimals_of_the_value():
    assert format_nilai(Decimal("23.8")) == "23,8"
    assert format_nilai(Decimal("12500")) == "12.500"
    assert format_nilai(Decimal("75.00")) == "75"


def test_round_half_up_and_decimal_text():
    assert round_half_up(Decimal("78.245")) == Decimal("78.25")
    assert decimal_text(Decimal("-0.001"), 2) == "0.00"
    assert decimal_text(Decimal("1E+3")) == "1000"
    assert decimal_text(None) is None


money = st.decimals(
    min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False
)


@given(money)
def test_formatted_numbers_parse_back_to_the_same_value(value):
    assert parse_angka(format_angka(value), dot_is_thousands=True) == value


@given(money)
def test_machine_numbers_parse_to_the_same_value(value):
    assert parse_angka(f"{value:f}") == value


@given(st.decimals(min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False))
def test_rounding_is_within_half_a_cent(value):
    assert abs(round_half_up(value) - value) <= Decimal("0.005")


@given(st.text(max_size=20))
def test_parse_angka_never_fails_other_than_with_its_own_error(text):
    try:
        result = parse_angka(text)
    except AngkaError:
        return
    assert result is None or isinstance(result, Decimal)


@pytest.mark.parametrize(
    ("printed", "computed", "agrees"),
    [
        ("93.6", "93.63", True),  # one decimal printed: compared at one decimal
        ("93.6", "93.65", False),  # 93,65 shows as 93,7
        ("93.60", "93.63", False),  # two decimals printed
        ("80.5", "77.08", False),
        ("75", "75.4", True),  # an integer per cent
        ("75", "75.5", False),  # half up: 76
        ("75.00", "75", True),
        ("99.99", "99.994", True),
        ("12.3456", "12.346", True),  # never finer than two decimals
    ],
)
def test_a_printed_figure_is_compared_at_its_printed_precision(printed, computed, agrees):
    from monev.core.numbers import agrees_as_printed

    assert agrees_as_printed(Decimal(printed), Decimal(computed)) is agrees


def test_nothing_computed_never_agrees_with_a_printed_figure():
    from monev.core.numbers import agrees_as_printed

    assert agrees_as_printed(Decimal("0"), None) is False
