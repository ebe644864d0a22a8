"""Provisional codes (given to nodes a table printed without one) carry a visible mark in every
export: the E.81 XLSX/PDF and the page (kode cell), CSV (a column), JSON (a field), text."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from monev.core.codes import Tingkat, kode_sementara, kode_tampil
from monev.core.evaluation import evaluate
from monev.core.model import Indikator, Node, Renja
from monev.io import tabular
from monev.io.report.model import row_e81


@pytest.mark.parametrize(
    ("kode", "sementara"),
    [
        ("0.00.01", True),
        ("0.00.01.2.01", True),
        ("0.00.00.2.00.0001", True),
        ("2.07.01.2.91", True),  # a kegiatan numbered from 90 under a printed program
        ("2.07.01.2.02.9001", True),  # a sub kegiatan from 9000 under a printed kegiatan
        ("2.07.01.2.91.0001", True),  # under a provisional kegiatan
        ("2.07.01", False),
        ("2.07.01.2.02", False),
        ("2.07.01.2.02.0001", False),
        ("2.07.01.2.02.01", False),
        ("X.XX.01", False),
    ],
)
def test_provisional_codes_are_told_by_their_shape(kode, sementara):
    assert kode_sementara(kode) is sementara
    assert kode_tampil(kode).endswith("(kode sementara)") is sementara


def _evaluasi():
    item = Indikator(teks="Jumlah dokumen", target=Decimal(4), triwulan=(Decimal(1),) * 4)
    nodes = (
        Node(kode="2.07.01", tingkat=Tingkat.PROGRAM, nama="Program", indikator=(item,)),
        Node(kode="2.07.01.2.91", tingkat=Tingkat.KEGIATAN, nama="Kegiatan", indikator=(item,)),
    )
    return evaluate(Renja(nodes), 4)


def test_csv_has_a_column_that_marks_provisional_codes():
    rows = list(csv.DictReader(io.StringIO(tabular.render_csv(_evaluasi()))))
    assert [(r["kode"], r["kode_sementara"]) for r in rows] == [
        ("2.07.01", ""),
        ("2.07.01.2.91", "ya"),
    ]


def test_json_lines_say_whether_the_code_is_provisional():
    document = json.loads(tabular.render_json(_evaluasi()))
    assert [b["kode_sementara"] for b in document["baris"]] == [False, True]
    # The fast writer and the dictionary writer agree.
    assert [tabular.baris_json(b)["kode_sementara"] for b in _evaluasi().baris] == [False, True]


def test_the_e81_kode_cell_and_the_text_carry_the_mark():
    baris = _evaluasi().baris
    assert row_e81(baris[0], 1, 4, True)[2] == "2.07.01"
    assert row_e81(baris[1], 2, 4, True)[2] == "2.07.01.2.91 (kode sementara)"
    assert "2.07.01.2.91 (kode sementara)" in tabular.render_text(_evaluasi())


def test_xlsx_and_pdf_reports_show_the_mark(tmp_path):
    from monev.io.report import render_pdf, render_xlsx
    from monev.io.report.context import KonteksLaporan
    from monev.io.report.model import build_report

    laporan = build_report(_evaluasi(), KonteksLaporan())
    xlsx = tmp_path / "e81.xlsx"
    render_xlsx(laporan, xlsx)
    import openpyxl

    cells = {c.value for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row}
    assert "2.07.01.2.91 (kode sementara)" in cells
    pdf = tmp_path / "e81.pdf"
    render_pdf(laporan, pdf)
    from pdfminer.high_level import extract_text

    assert "(kode sementara)" in extract_text(str(pdf))


def test_the_flat_export_of_a_table_read_marks_provisional_codes():
    from pathlib import Path

    from monev.io.tabel import read_table
    from monev.io.tabel.laporan import flat_rows

    hasil = read_table(Path("docs/contoh/tabel-tanpa-kode.csv"))
    named = [r for r in flat_rows(hasil) if r["nama"]]
    assert named and all(r["catatan"].count("kode sementara") == 1 for r in named)
