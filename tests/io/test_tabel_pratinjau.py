"""The mapping preview's pieces outside the web: the form read as the JSON `--pemetaan` reads,
the agency a title prints compared with the one chosen, a field held by two columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from monev.io.flat import InputError
from monev.io.legacy.grid import read_grids
from monev.io.tabel.model import Pemetaan
from monev.io.tabel.pratinjau import mapping_from_form, pd_differs, preview
from tests.io import tabel_shapes as shapes


@pytest.mark.parametrize(
    ("form", "kolom", "nama", "triwulan"),
    [
        ({"kolom:Pagu (Rp)": "pagu"}, {"pagu rp": "pagu"}, {}, None),
        ({"kolom:x": ""}, {}, {}, None),  # an empty choice says nothing
        ({"nama_asli": ["A"], "nama": ["A"]}, {}, {}, None),  # unchanged: no correction
        ({"nama_asli": ["Tunjangan ASM"], "nama": [" Tunjangan  ASN "]}, {}, {"Tunjangan ASM": "Tunjangan ASN"}, None),
        ({"triwulan": "3"}, {}, {}, 3),
    ],
)  # fmt: skip
def test_the_form_is_read_as_the_mapping_json(form, kolom, nama, triwulan):
    mapping = mapping_from_form(form)
    assert (mapping.kolom, mapping.nama, mapping.triwulan) == (kolom, nama, triwulan)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kolom:pagu": "uang"}, "'kolom' untuk 'pagu': 'uang' bukan salah satu dari"),
        ({"notasi:pagu": "fr"}, "'notasi' untuk 'pagu': 'fr'"),
        ({"triwulan": "5"}, "'triwulan': 5 harus 1 sampai 4"),
        ({"triwulan": "x"}, "'triwulan': 'x' harus 1 sampai 4"),
        ({"agregasi_k": "rerata"}, "'agregasi_k': 'rerata' bukan salah satu dari"),
        ({"nama_asli": ["A", "B"], "nama": ["A"]}, "daftar nama tidak lengkap"),
    ],
)
def test_a_bad_form_entry_is_named(form, message):
    with pytest.raises(InputError) as caught:
        mapping_from_form(form)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("printed", "chosen", "differs"),
    [
        (None, "Dinas Kesehatan", False),
        ("DINAS KESEHATAN", "Dinas Kesehatan", False),
        ("DINAS KESEHATAN", "Dinas Kesehatan dan Keluarga Berencana", False),
        ("DINAS KESEHATN", "Dinas Kesehatan", False),  # a misread letter
        ("DINAS KESEHATAN", "Dinas Ketenagakerjaan", True),
        ("BADAN PERENCANAAN PEMBANGUNAN DAERAH", "Dinas Ketenagakerjaan", True),
    ],
)
def test_the_agency_printed_is_compared_loosely(printed, chosen, differs):
    assert pd_differs(printed, chosen) is differs


def test_a_field_held_by_two_columns_is_named_and_the_first_is_used(tmp_path):
    rows = [
        ["Uraian", "Indikator", "Target", "Realisasi", "Pagu", "Anggaran"],
        ["Program Satu", "Persentase", "100", "75", "1.000.000", "2.000.000"],
    ]
    path = shapes.write(tmp_path, "dobel.csv", shapes.csv_bytes(rows))
    shown = preview(read_grids(path), path.name, Pemetaan(kolom={"anggaran": "pagu"}))
    assert any("'Anggaran' dan 'Pagu' sama-sama berisi pagu" in w for w in shown.kolom_dobel)


def test_a_file_with_an_open_question_still_shows_its_columns_and_rows(tmp_path):
    rows = [
        ["Uraian", "Indikator", "Target", "Realisasi", "Pagu"],
        ["Program Satu", "Persentase", "100", "75", "1.500"],
        ["Kegiatan : Dua", "Jumlah", "4", "3", "1.250"],
    ]
    path = shapes.write(tmp_path, "tanya.csv", shapes.csv_bytes(rows))
    shown = preview(read_grids(path), path.name)
    assert shown.hasil is None and [k for _, k in shown.pertanyaan_kolom] == ["pagu"]
    assert shown.tabel[0].baris[1][0] == "Program Satu"
    assert shown.pemetaan.kolom["pagu"] == "pagu"


def test_the_example_file_previews_with_provisional_codes():
    path = Path("docs/contoh/tabel-tanpa-kode.csv")
    shown = preview(read_grids(path), path.name)
    assert shown.tahun_tercetak == 2023 and shown.pd_tercetak == "DINAS CONTOH"
    assert [s.sementara for s in shown.simpul] == [True] * 4
