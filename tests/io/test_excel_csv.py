"""The CSV a user downloads opens right in Excel set to Indonesian: `;`, decimal comma, BOM."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from monev.core.evaluation import evaluate
from monev.io import excel_csv, tabular
from monev.io.flat import read_csv_rows, read_flat


@pytest.mark.parametrize(
    ("value", "angka", "persen"),
    [
        (None, "", ""),
        ("53.33333333333333333333333333", "53,3333", "53,33"),  # the early warning's mean
        ("66.665", "66,665", "66,67"),  # half up
        ("66.66449", "66,6645", "66,66"),
        ("100", "100", "100,00"),
        ("0", "0", "0,00"),
        ("-0.00", "0", "0,00"),  # never "-0"
        ("-2.5", "-2,5", "-2,50"),
        ("1234567.50", "1234567,5", "1234567,50"),  # no thousands separator
        ("0.125", "0,125", "0,13"),
        ("17442481320", "17442481320", "17442481320,00"),
        ("1E+3", "1000", "1000,00"),  # never an exponent
    ],
)
def test_numbers_for_indonesian_excel(value, angka, persen):
    number = None if value is None else Decimal(value)
    assert excel_csv.angka(number) == angka
    assert excel_csv.persen(number) == persen


def test_rows_are_separated_by_semicolons_after_a_bom():
    text = excel_csv.render([["nama", "nilai"], ["Dinas; Tenaga Kerja", "1,5"]])
    assert text.startswith("\ufeffnama;nilai\r\n")
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [
        ["nama", "nilai"],
        ["Dinas; Tenaga Kerja", "1,5"],
    ]


def test_the_evaluation_csv_for_excel_has_the_figures_of_the_machine_csv(reference_csv):
    result = evaluate(read_flat(reference_csv))
    machine = list(csv.reader(io.StringIO(tabular.render_csv(result))))
    excel = list(csv.reader(io.StringIO(tabular.render_csv_excel(result)[1:]), delimiter=";"))
    assert excel[0] == machine[0] == list(tabular.CSV_COLUMNS)
    assert len(excel) == len(machine)
    capaian = tabular.CSV_COLUMNS.index("capaian_k")
    assert machine[1][capaian] == "75.00" and excel[1][capaian] == "75,00"
    pagu = tabular.CSV_COLUMNS.index("pagu")
    assert excel[1][pagu] == "17442481320"
    for m_row, e_row in zip(machine[1:], excel[1:], strict=True):
        for m, e in zip(m_row, e_row, strict=True):
            try:
                number = Decimal(m)
            except ArithmeticError:
                assert e == m  # a text cell is the same
                continue
            assert "." not in e
            assert Decimal(e.replace(",", ".")) == round(number, 4)


def test_the_flat_reader_takes_the_excel_csv_back(reference_csv, tmp_path):
    """A downloaded evaluation, saved by Excel as it opened it, is read as a flat file again."""
    result = evaluate(read_flat(reference_csv))
    data = tabular.render_csv_excel(result).encode("utf-8")
    sheet = read_csv_rows(data, "unduhan.csv")
    assert sheet.rows[0][:3] == ["kode", "tingkat", "nama"]
