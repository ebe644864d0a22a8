"""The XLSX report read back with openpyxl: header, merges, formats, and every figure the engine's."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal as D

import openpyxl
import pytest

from monev.core.codes import Tingkat
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.model import Indikator, Node, Renja
from monev.io.flat import read_flat
from monev.io.report import (
    TATA_LETAK_PD,
    Kertas,
    KonteksLaporan,
    Penandatangan,
    TataLetak,
    build_report,
    render_pemda_xlsx,
    render_xlsx,
)
from monev.io.report.model import JUDUL_KABUPATEN_KOTA, JUDUL_PROVINSI
from monev.io.report.xlsx import DATA_ROW, places_of, sheet_name

FIRST = DATA_ROW + 1  # first data row, 1-based as openpyxl counts

KONTEKS = KonteksLaporan(
    perangkat_daerah="Dinas Ketenagakerjaan",
    pemda="Kota Tangerang",
    tahun=2022,
    faktor_pendorong="Koordinasi antarbidang berjalan baik.",
    faktor_penghambat="=1+1 bukan rumus",
    tempat="Tangerang",
    tanggal="September 2022",
    kepala_pd=Penandatangan(
        "Kepala Dinas Ketenagakerjaan", "ILHAM HENDRA GUNAWAN", "197205011001111009"
    ),
)


@pytest.fixture(scope="module")
def evaluasi(reference_csv) -> Evaluasi:
    return evaluate(read_flat(reference_csv))


def _sheet(evaluasi, tata_letak, konteks=KONTEKS):
    out = io.BytesIO()
    render_xlsx(build_report(evaluasi, konteks, tata_letak), out)
    out.seek(0)
    return openpyxl.load_workbook(out).active


@pytest.fixture(scope="module")
def sheets(evaluasi):
    return {t: _sheet(evaluasi, t) for t in TATA_LETAK_PD}


# -- the title block and the header ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tata_letak", "cell", "text"),
    [
        ("e81", "A1", JUDUL_KABUPATEN_KOTA),
        ("e55", "A1", JUDUL_PROVINSI),
        ("ringkas", "A1", JUDUL_KABUPATEN_KOTA),
        ("e81", "A2", "Perangkat Daerah: Dinas Ketenagakerjaan"),
        ("e81", "A3", "Pemerintah Daerah: Kota Tangerang"),
        ("e81", "A4", "Periode Pelaksanaan: 2022"),
        ("e81", "A5", "Evaluasi sampai dengan TW IV"),
        ("e81", "A7", "No"),
        ("e81", "C7", "Kode"),
        ("e81", "L7", "Realisasi Kinerja pada Triwulan"),
        ("e81", "L8", "I"),
        ("e81", "R8", "IV"),
        (
            "e81",
            "T7",
            "Realisasi Capaian Kinerja dan Anggaran Renja Perangkat Daerah yang Dievaluasi",
        ),
        ("e81", "AA7", "Keterangan"),
        ("e81", "A9", "1"),
        ("e81", "T9", "13"),
        ("e81", "AA9", "17"),
        ("e81", "F10", "K"),
        ("e81", "G10", "Rp"),
        (
            "e55",
            "V7",
            "Tingkat Capaian Kinerja dan Realisasi Anggaran Renja Perangkat Daerah yang Dievaluasi (%)",
        ),
        ("e55", "V9", "14"),
        ("e55", "AC9", "18"),
        ("ringkas", "A7", "Kode"),
        ("ringkas", "C7", "Program/ Kegiatan"),
        ("ringkas", "E9", "5"),
        ("ringkas", "S9", "12"),
        ("ringkas", "U9", "13"),
        ("ringkas", "U7", "Unit Perangkat Daerah Penanggung Jawab"),
    ],
)
def test_title_and_header_texts(sheets, tata_letak, cell, text):
    assert sheets[TataLetak(tata_letak)][cell].value == text


@pytest.mark.parametrize(
    ("tata_letak", "merged"),
    [
        (
            "e81",
            [
                "A1:AA1",
                "A7:A8",
                "F7:G8",
                "J7:K8",
                "L7:S7",
                "L8:M8",
                "R8:S8",
                "T7:U8",
                "X7:Y8",
                "AA7:AA8",
                "F9:G9",
                "T9:U9",
            ],
        ),
        ("e55", ["A1:AC1", "V7:W8", "V9:W9", "Z7:AA8", "AB7:AB8", "AC7:AC8"]),
        (
            "ringkas",
            ["A1:U1", "A7:A8", "E7:F8", "K7:R7", "K8:L8", "Q8:R8", "S7:T8", "U7:U8", "S9:T9"],
        ),
    ],
)
def test_header_merged_ranges(sheets, tata_letak, merged):
    ranges = {str(r) for r in sheets[TataLetak(tata_letak)].merged_cells.ranges}
    assert set(merged) <= ranges


# -- every figure is the engine's ---------------------------------------------------------------


def _quarters(k_column: int, rp_column: int):
    return {
        **{k_column + 2 * q: (lambda b, q=q: b.triwulan[q]) for q in range(4)},
        **{rp_column + 2 * q: (lambda b, q=q: b.rp and b.rp.triwulan[q]) for q in range(4)},
    }


_COMMON = {  # 1-based column → the engine's value on a line (columns 6–12 of E.81)
    6: lambda b: b.indikator.target_renstra,
    7: lambda b: b.rp and b.rp.target_renstra,
    8: lambda b: b.indikator.realisasi_lalu,
    9: lambda b: b.rp and b.rp.realisasi_lalu,
    10: lambda b: None if b.indikator.target_volume else b.indikator.target,
    11: lambda b: b.rp and b.rp.pagu,
    **_quarters(12, 13),
    20: lambda b: b.realisasi,
    21: lambda b: b.rp and b.rp.realisasi,
}
ENGINE_COLUMNS = {
    TataLetak.E81: {
        **_COMMON,
        22: lambda b: b.renstra_realisasi,
        23: lambda b: b.rp and b.rp.renstra_realisasi,
        24: lambda b: b.renstra_capaian,
        25: lambda b: b.rp and b.rp.renstra_capaian,
    },
    TataLetak.E55: {
        **_COMMON,
        22: lambda b: b.capaian,
        23: lambda b: b.rp and b.rp.capaian,
        24: lambda b: b.renstra_realisasi,
        25: lambda b: b.rp and b.rp.renstra_realisasi,
        26: lambda b: b.renstra_capaian,
        27: lambda b: b.rp and b.rp.renstra_capaian,
    },
    TataLetak.RINGKAS: {  # four identity columns instead of five
        **{c - 1: f for c, f in _COMMON.items() if c != 20},
        20: lambda b: b.rp and b.rp.realisasi,
    },
}


@pytest.mark.parametrize("tata_letak", TATA_LETAK_PD)
def test_every_numeric_cell_is_the_engines_value(sheets, evaluasi, tata_letak):
    ws = sheets[tata_letak]
    columns = ENGINE_COLUMNS[tata_letak]
    width = ws.max_column
    for i, line in enumerate(evaluasi.baris):
        row = FIRST + i
        for c in range(1, width + 1):
            value = ws.cell(row, c).value
            if isinstance(value, int | float):
                assert c in columns, (row, c, value)
        for c, engine in columns.items():
            expected: D | None = engine(line)
            cell = ws.cell(row, c).value
            if expected is None:
                assert not isinstance(cell, int | float), (row, c, cell)
            else:
                # XlsxWriter writes 16 significant digits (Excel keeps 15): equal to that precision.
                assert cell == pytest.approx(float(expected), rel=1e-15), (row, c, cell, expected)


def test_ringkas_prints_capaian_inside_the_realisation_column(sheets, evaluasi):
    ws = sheets[TataLetak.RINGKAS]
    assert ws.cell(FIRST, 19).value == "75\n(75,00%) - Formula Progresif"
    assert ws.cell(FIRST, 20).value == 12622671350


def test_target_with_volume_is_text_and_without_is_a_number(sheets, evaluasi):
    ws = sheets[TataLetak.E81]
    row = FIRST + next(i for i, b in enumerate(evaluasi.baris) if b.node.kode == "2.07.01.2.02")
    assert ws.cell(row, 10).value == "(100) 8 dokumen"
    assert ws.cell(FIRST, 10).value == 100
    assert ws.cell(FIRST, 10).number_format == '[$-421]"("#,##0")"'


@pytest.mark.parametrize(
    ("cell", "number_format"),
    [
        ("F11", "[$-421]#,##0"),  # target renstra K
        ("K11", "[$-421]#,##0"),  # pagu
        ("T11", "[$-421]#,##0"),  # realisation K
        ("X11", "[$-421]#,##0.00"),  # capaian renstra K (%)
        ("Y11", "[$-421]#,##0.00"),  # capaian renstra Rp (%)
    ],
)
def test_indonesian_number_formats(sheets, cell, number_format):
    assert sheets[TataLetak.E81][cell].number_format == number_format


def test_decimals_follow_the_value(evaluasi):
    # 23,8 carries one decimal: the format shows it as given, not rounded to an integer.
    ws = _sheet(evaluasi, TataLetak.E81)
    for row in ws.iter_rows(
        min_row=FIRST, max_row=FIRST + len(evaluasi.baris) - 1, min_col=12, max_col=19
    ):
        for cell in row:
            if isinstance(cell.value, float) and cell.value == 23.8:
                assert cell.number_format == "[$-421]#,##0.0"
                return
    pytest.fail("the reference's 23,8 was not found")


def test_program_lines_bold_and_children_indented_and_grouped(sheets, evaluasi):
    ws = sheets[TataLetak.E81]
    levels = {Tingkat.PROGRAM: 0, Tingkat.KEGIATAN: 1, Tingkat.SUB_KEGIATAN: 2}
    for i, line in enumerate(evaluasi.baris):
        row = FIRST + i
        assert ws.cell(row, 5).font.b is (line.node.tingkat is Tingkat.PROGRAM)
        assert (ws.row_dimensions[row].outlineLevel or 0) == levels[line.node.tingkat]
        if line.first:
            assert (ws.cell(row, 4).alignment.indent or 0) == levels[line.node.tingkat]


def test_footer_means_and_predikat_are_the_engines(sheets, evaluasi):
    ws = sheets[TataLetak.E81]
    r = evaluasi.ringkasan
    rows = {ws.cell(row, 1).value: row for row in range(FIRST, ws.max_row + 1)}
    mean_row = rows["Rata-rata capaian kinerja (%)"]
    predikat_row = rows["Predikat kinerja"]
    assert ws.cell(mean_row, 20).value == float(r.rata_rata_capaian_k)
    assert ws.cell(mean_row, 21).value == float(r.persen_realisasi_rp)
    assert ws.cell(mean_row, 20).number_format == "[$-421]#,##0.00"
    assert (ws.cell(predikat_row, 20).value, ws.cell(predikat_row, 21).value) == (
        r.predikat_k,
        r.predikat_rp,
    )
    narasi = rows["Faktor pendorong keberhasilan pencapaian"]
    assert ws.cell(narasi, 6).value == "Koordinasi antarbidang berjalan baik."
    # A user's text that looks like a formula stays text.
    penghambat = ws.cell(rows["Faktor penghambat pencapaian kinerja"], 6)
    assert penghambat.value == "=1+1 bukan rumus" and penghambat.data_type == "s"


def test_signature_blocks(sheets):
    ws = sheets[TataLetak.E81]
    texts = [
        c.value for row in ws.iter_rows(min_row=FIRST) for c in row if isinstance(c.value, str)
    ]
    for expected in (
        "Disusun",
        "Dievaluasi",
        "Tangerang, September 2022",
        "Kepala Dinas Ketenagakerjaan",
        "ILHAM HENDRA GUNAWAN",
        "NIP. 197205011001111009",
        "Kepala Bappeda Kota Tangerang",
    ):
        assert expected in texts


def test_ringkas_summary_table_is_the_engines(sheets, evaluasi):
    ws = sheets[TataLetak.RINGKAS]
    rows = {ws.cell(row, 1).value: row for row in range(FIRST, ws.max_row + 1)}
    for program in evaluasi.ringkasan.program:
        row = rows[f"Rata-rata kinerja indikator kegiatan pada {program.nama}"]
        got = [ws.cell(row, c).value for c in (5, 7, 9, 11)]
        want = [
            program.rata_rata_capaian_kegiatan,
            program.pagu,
            program.realisasi_rp,
            program.persen_realisasi_rp,
        ]
        assert got == [float(v) for v in want]
    row = rows["Rata-rata kinerja indikator kegiatan semua Program"]
    assert ws.cell(row, 5).value == float(evaluasi.ringkasan.rata_rata_capaian_kegiatan)


@pytest.mark.parametrize(("kertas", "paper"), [(Kertas.F4, 14), (Kertas.A4, 9)])
def test_print_setup(evaluasi, kertas, paper):
    ws = _sheet(evaluasi, TataLetak.E81, dataclasses.replace(KONTEKS, kertas=kertas))
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation) == (paper, "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$7:$10"
    assert ws.freeze_panes == "A11"
    assert ws.oddFooter.center.text == "Halaman &P dari &N"


def test_plain_file_renders_with_empty_context(evaluasi):
    ws = _sheet(evaluasi, TataLetak.E81, KonteksLaporan())
    assert ws["A2"].value == "Perangkat Daerah: -"
    assert ws["A4"].value == "Periode Pelaksanaan: -"


# -- the workbook of a whole pemda --------------------------------------------------------------


def _other_pd(evaluasi: Evaluasi) -> Evaluasi:
    node = Node(
        "1.01.01",
        Tingkat.PROGRAM,
        "PROGRAM =SINTETIS",
        (Indikator("Indikator", target=D(100), triwulan=(D(40), D(90), None, None)),),
        pagu=D(1000),
        triwulan_rp=(D(100), D(500), None, None),
    )
    return evaluate(Renja((node,)), 2)


def test_pemda_workbook(evaluasi):
    other = _other_pd(evaluasi)
    items = [
        (KONTEKS, evaluasi),
        (dataclasses.replace(KONTEKS, perangkat_daerah="Dinas A/B: Sintetis"), other),
    ]
    out = io.BytesIO()
    render_pemda_xlsx(items, out, TataLetak.RINGKAS)
    out.seek(0)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Rekapitulasi", "Dinas Ketenagakerjaan", "Dinas A B Sintetis"]
    ws = wb["Rekapitulasi"]
    assert ws["A1"].value == "REKAPITULASI EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
    for row, (_, e) in zip((6, 7), items, strict=True):
        r = e.ringkasan
        assert ws.cell(row, 3).value == ("IV", "II")[row - 6]
        assert (
            ws.cell(row, 4).value == float(r.rata_rata_capaian_k) if r.rata_rata_capaian_k else "-"
        )
        assert ws.cell(row, 5).value == (r.predikat_k or "-")
        assert ws.cell(row, 6).value == float(r.pagu)
        assert ws.cell(row, 7).value == float(r.realisasi_rp)
        assert ws.cell(row, 8).value == float(r.persen_realisasi_rp)
        assert ws.cell(row, 9).value == r.predikat_rp
    assert ws.cell(6, 2).hyperlink.location == "'Dinas Ketenagakerjaan'!A1"
    assert wb["Dinas A B Sintetis"].cell(FIRST, 3).value == "PROGRAM =SINTETIS"
    assert wb["Dinas A B Sintetis"].cell(FIRST, 3).data_type == "s"


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Dinas Kesehatan", set(), "Dinas Kesehatan"),
        ("Dinas A/B: [C]?", set(), "Dinas A B C"),
        ("Badan Perencanaan Pembangunan Daerah Kota", set(), "Badan Perencanaan Pembangunan D"),
        ("Dinas Kesehatan", {"dinas kesehatan"}, "Dinas Kesehatan (2)"),
        ("'Dinas'", set(), "Dinas"),
        ("", set(), "PD"),
        ("History", set(), "History (2)"),
    ],
)
def test_sheet_name(name, taken, expected):
    assert sheet_name(name, set(taken)) == expected


@pytest.mark.parametrize(
    ("value", "places"),
    [
        ("17442481320", 0),
        ("100", 0),
        ("1E+2", 0),
        ("23.8", 1),
        ("23.80", 1),
        ("0.50", 1),
        ("0.05", 2),
        ("51.43", 2),
        ("0.00", 0),
        ("-0.5", 1),
        ("1.0000000000001", 10),
    ],
)
def test_places_of(value, places):
    assert places_of(D(value)) == places
