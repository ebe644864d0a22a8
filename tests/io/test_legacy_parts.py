"""The parts of the legacy reader, as tables: cells, header texts, layouts, alignment, summary."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.rules import Agregasi, Polaritas
from monev.io.legacy.align import align
from monev.io.legacy.cells import (
    CellKind,
    agregasi_of,
    classify,
    ocr_alternatives,
    one_confusable_digit_apart,
    polaritas_of,
)
from monev.io.legacy.layout import Group, Identity, classify_header, read_layout
from monev.io.legacy.model import Place
from monev.io.legacy.summary import read_signatures, summary_line_kind

K = CellKind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.804.156.408", [(K.AMOUNT, D("12804156408"), "")]),
        ("2.380.069.200,00", [(K.AMOUNT, D("2380069200.00"), "")]),
        ("1.914.353.950,", [(K.AMOUNT, D("1914353950"), "")]),
        ("23,8%", [(K.SMALL, D("23.8"), "")]),
        ("99,99", [(K.SMALL, D("99.99"), "")]),
        ("0", [(K.ZERO, D(0), "")]),
        ("-", [(K.BLANK, None, "")]),
        ("", [(K.BLANK, None, "")]),
        ("(100) 8 dokumen", [(K.TARGET, D(100), "8 dokumen")]),
        ("(100) 4 jenis -", [(K.TARGET, D(100), "4 jenis")]),
        ("(100%) 11 orang", [(K.TARGET, D(100), "11 orang")]),
        ("(63,72) -", [(K.TARGET, D("63.72"), "")]),
        ("(100) 88 unit/tahun -", [(K.TARGET, D(100), "88 unit/tahun")]),
        ("(75,00%) - Formula Progresif", [(K.CAPAIAN, D("75.00"), "Formula Progresif")]),
        ("(75.00%) - Formula Progresif", [(K.CAPAIAN, D("75.00"), "Formula Progresif")]),
        ("(0,00%) -", [(K.CAPAIAN, D("0.00"), "")]),
        ("75\n(75,00%) - Formula Progresif", [(K.CAPAIAN, D("75.00"), "Formula Progresif")]),
        ("-\n(-) - Formula Progresif", [(K.CAPAIAN, None, "Formula Progresif")]),
        ("(100%)", [(K.CAPAIAN, D(100), "")]),
        ("0 -", [(K.TARGET_LOOSE, D(0), "")]),
        # Two printed cells in one: the target with its pagu, an amount with the next target.
        (
            "(100) 7 jenis - 1.225.938.100",
            [(K.TARGET, D(100), "7 jenis"), (K.AMOUNT, D("1225938100"), "")],
        ),
        (
            "1.136.614.550 (96,94) -",
            [(K.AMOUNT, D("1136614550"), ""), (K.TARGET, D("96.94"), "")],
        ),
        ("75 12.141.730.259", [(K.SMALL, D(75), ""), (K.AMOUNT, D("12141730259"), "")]),
        ("Dinas Ketenagakerjaan", [(K.TEXT, None, "")]),
        (1225938100.0, [(K.AMOUNT, D("1225938100"), "")]),
        (23.8, [(K.SMALL, D("23.8"), "")]),
        (float("nan"), [(K.BLANK, None, "")]),
        (True, [(K.TEXT, None, "")]),
    ],
)
def test_classify_cell(raw, expected):
    cells = classify(raw, 0)
    assert [(c.kind, c.value, c.volume or c.label) for c in cells] == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Kode", Identity.KODE),
        ("No", Identity.NO),
        ("Sasaran", Identity.SASARAN),
        ("Sesaran", Identity.SASARAN),
        ("Sesman", Identity.SASARAN),
        ("Program/ Kegiatan", Identity.NAMA),
        (
            "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan",
            Identity.NAMA,
        ),
        ("Indikator Kinerja Program (outcome)/ Kegiatan (output)", Identity.INDIKATOR),
        (
            "Target Rencana Perangkat Daerah pada Tahun 2023 (Akhir Periode Rencana Perangkat Daerah)",
            Group.TARGET_RENSTRA,
        ),
        (
            "Realisasi Capaian Kinerja Rencana Perangkat Daerah sampai dengan Rencana Perangkat "
            "Daerah Tahun Lalu (2021)",
            Group.REALISASI_LALU,
        ),
        (
            "Target Kinerja dan Anggaran Rencana Perangkat Daerah Tahun berjalan (Tahun 2022) yang direvisasi",
            Group.TARGET,
        ),
        ("Realisasi Kinerja Pada Triwulan", Group.TRIWULAN),
        (
            "Realisasi Capaian Kinerja dan Anggaran Rencana Perangkat Daerah yang direvisi",
            Group.REALISASI,
        ),
        ("Realisasi Kinerja dan Anggaran Renstra PD s/d Tahun Berjalan", Group.RENSTRA_REALISASI),
        (
            "Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra PD s/d Tahun Berjalan (%)",
            Group.RENSTRA_CAPAIAN,
        ),
        ("Capaian Kinerja Renja PD (%)", Group.CAPAIAN),
        ("Unit Peringkat Daerah Penanggung Jawab", Group.UNIT),
        ("Keterangan", Group.KETERANGAN),
        ("Reallsasi Kinerja Pada Triwulan", Group.TRIWULAN),  # OCR: ll for li
        ("Dinas Ketenagakerjaan", None),
        ("", None),
    ],
)
def test_classify_header_text(text, kind):
    assert classify_header(text) is kind


SLOTS_5_TO_12 = (
    "target_renstra_k",
    "target_renstra_rp",
    "realisasi_lalu_k",
    "realisasi_lalu_rp",
    "target_k",
    "pagu",
    "tw1_k",
    "tw1_rp",
    "tw2_k",
    "tw2_rp",
    "tw3_k",
    "tw3_rp",
    "tw4_k",
    "tw4_rp",
    "realisasi_k",
    "realisasi_rp",
    "unit_penanggung_jawab",
)


@pytest.mark.parametrize("header_line", [3, 19, 35, 50, 67, 79])
def test_every_header_block_of_the_reference_maps_columns_5_to_12(reference_csv, header_line):
    text = (reference_csv.parent / "laporan-asli.txt").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.split("\n")]
    layout = read_layout(rows, header_line - 1)
    assert layout.slots == SLOTS_5_TO_12
    assert layout.height == 3
    assert layout.identity == {
        Identity.KODE: 0,
        Identity.SASARAN: 1,
        Identity.NAMA: 2,
        Identity.INDIKATOR: 3,
    }


def test_header_positions_follow_the_column_numbers_not_the_texts(reference_csv):
    """Table 1's texts put `Unit` over column 16; its numbers put 11 and 12 after it."""
    text = (reference_csv.parent / "laporan-asli.txt").read_text(encoding="utf-8")
    layout = read_layout([line.split("\t") for line in text.split("\n")], 2)
    assert layout.positions["tw3_k"] == 14 and layout.positions["tw4_k"] == 17
    assert layout.positions["realisasi_k"] == 19 and layout.positions["unit_penanggung_jawab"] == 16
    assert layout.tahun == 2022


def _cells(*texts):
    return [cell for i, t in enumerate(texts) for cell in classify(t, i)]


QUARTER_SLOTS = ("tw1_k", "tw1_rp", "tw2_k", "tw2_rp", "tw3_k", "tw3_rp", "tw4_k", "tw4_rp")


def test_align_places_a_lost_cell_by_the_k_rp_pattern():
    cells = _cells(
        "25", "3.522.543.894", "50", "6.985.034.764", "75", "12.141.730.259", "12.622.671.350"
    )
    (placement,) = align(cells, QUARTER_SLOTS)
    assert placement.lost == ("tw4_k",)
    assert placement.cells["tw3_k"].value == 75
    assert placement.cells["tw4_rp"].value == D("12622671350")


def test_align_keeps_every_placement_when_the_pattern_cannot_tell():
    placements = align(_cells("0", "0", "0", "0", "50", "0", "0"), QUARTER_SLOTS)
    assert len(placements) > 1
    (habitual,) = align(
        _cells("0", "0", "0", "0", "50", "0", "0"), QUARTER_SLOTS, frozenset({"tw4_k"})
    )
    assert habitual.lost == ("tw4_k",) and habitual.cells["tw3_k"].value == 50


def test_align_takes_a_target_printed_out_of_order_to_its_slot():
    slots = (
        "target_renstra_k",
        "target_renstra_rp",
        "realisasi_lalu_k",
        "realisasi_lalu_rp",
        "target_k",
        "pagu",
        *QUARTER_SLOTS,
    )
    cells = _cells("0", "0", "(100) 1 dokumen", *["0"] * 10)
    (placement,) = align(cells, slots, frozenset({"tw4_k"}))
    assert placement.floated == ("target_k",)
    assert placement.cells["target_k"].volume == "1 dokumen"
    assert placement.lost == ("tw4_k",)


def test_align_leaves_a_cell_of_no_shape_unplaced():
    (placement,) = align(_cells("25", "1.000.000", "Catatan", "50", "2.000.000"), QUARTER_SLOTS[:4])
    assert [c.text for c in placement.extra] == ["Catatan"]


@pytest.mark.parametrize(
    ("label", "jenis"),
    [
        ("Rata-rata kinerja indikator Program", "rata_rata_program"),
        ("Rata-rata kinerja indikator kegiatan pada PROGRAM X", "rata_rata_kegiatan_program"),
        ("Rata-rata kinerja indikator kegiatan semua Program", "rata_rata_kegiatan"),
        ("Rata-rata kinerja indikator Sub Kegiatan", "rata_rata_sub_kegiatan"),
        ("Rata-rata capaian kinerja (%)", "rata_rata_capaian"),
        ("Predikat kinerja", "predikat"),
        ("Jumlah dokumen", None),
        ("", None),
    ],
)
def test_summary_line_kind(label, jenis):
    assert summary_line_kind(label) == jenis


def test_signature_blocks_side_by_side():
    rows = [
        (1, [(2, "Dievaluasi"), (20, "Disusun")]),
        (2, [(2, "Tangerang, 10 Oktober 2022"), (20, "Tangerang, 30 September 2022")]),
        (3, [(2, "KEPALA BAPPEDA"), (20, "KEPALA DINAS")]),
        (4, [(2, "NAMA SATU"), (20, "NAMA DUA")]),
        (5, [(2, "NIP. 19700101 199003 1 001"), (20, "NIP. 1972")]),
    ]
    left, right = read_signatures(rows, Place("x.xlsx"))
    assert (left.peran, left.jabatan, left.nama, left.nip) == (
        "Dievaluasi",
        "KEPALA BAPPEDA",
        "NAMA SATU",
        "197001011990031001",
    )
    assert (right.tempat_tanggal, right.nama) == ("Tangerang, 30 September 2022", "NAMA DUA")


@pytest.mark.parametrize(
    ("label", "agregasi"),
    [
        ("Formula Progresif", Agregasi.PROGRESIF),
        ("formula Progressif", Agregasi.PROGRESIF),
        ("Formula Akumulatif", Agregasi.AKUMULATIF),
        ("Formula Kumulatif", Agregasi.AKUMULATIF),
        ("Formula Rata-rata", Agregasi.RATA_RATA),
        ("", Agregasi.PROGRESIF),
    ],
)
def test_formula_label_names_the_aggregation(label, agregasi):
    assert agregasi_of(label) is agregasi


@pytest.mark.parametrize(
    ("label", "polaritas"),
    [
        ("Formula Progresif", Polaritas.POSITIF),
        ("Formula Akumulatif (indikator negatif)", Polaritas.NEGATIF),
    ],
)
def test_formula_label_names_the_polarity(label, polaritas):
    assert polaritas_of(label) is polaritas


@pytest.mark.parametrize(
    ("printed", "other", "confusable"),
    [
        ("68,89", "88,89", True),
        ("64,46", "94,46", True),
        ("85,00", "65,00", True),
        ("80,00", "82,00", False),
        ("75,00", "35,00", False),
    ],
)
def test_ocr_confusable_digits(printed, other, confusable):
    assert one_confusable_digit_apart(printed, other) is confusable
    assert (other in ocr_alternatives(printed)) is confusable
