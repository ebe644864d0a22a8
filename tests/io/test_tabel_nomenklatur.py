"""Nodes without codes matched against a nomenclature list by name, with a similarity score."""

from __future__ import annotations

import pytest

from monev.io.flat import InputError
from monev.io.tabel import read_table
from monev.io.tabel.nomenklatur import read_nomenklatur
from tests.io import tabel_shapes as shapes

NOMENKLATUR = [
    ["kode", "tingkat", "nama", "regulasi", "tahun"],
    ["2.07.01", "program", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["2.07.01.2.02", "kegiatan", "Administrasi Keuangan Perangkat Daerah", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["2.07.01.2.02.0001", "sub_kegiatan", "Penyediaan Gaji dan Tunjangan ASN", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["2.07.01.2.02.0002", "sub_kegiatan", "Penyediaan Administrasi Pelaksanaan Tugas ASN", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["2.07.03", "program", "PROGRAM PELATIHAN KERJA DAN PRODUKTIVITAS TENAGA KERJA", "Kepmendagri 900.1.15.5-1317", "2023"],
    # The same program and kegiatan names under another bidang: only the children tell them apart.
    ["1.02.01", "program", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["1.02.01.2.02", "kegiatan", "Administrasi Keuangan Perangkat Daerah", "Kepmendagri 900.1.15.5-1317", "2023"],
    ["1.02.01.2.02.0003", "sub_kegiatan", "Pelaksanaan Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD", "Kepmendagri 900.1.15.5-1317", "2023"],
]  # fmt: skip

TABLE = [
    ["Uraian", "Indikator", "Target", "Realisasi", "Pagu", "Realisasi Keuangan"],
    ["Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Persentase", "100", "75", "", ""],
    ["Kegiatan : Administrasi Keuangan Perangkat Daerah", "Jumlah dokumen", "12", "9", "", ""],
    ["Sub Kegiatan Penyediaan Gaji dan Tunjangan ASN", "Jumlah bulan", "12", "9", "1.000.000", "750.000"],
    ["Sub Kegiatan Penyediaan Administrasi Pelaksanaan Tugas ASM", "Jumlah dokumen", "4", "3", "500.000", "250.000"],
    ["Sub Kegiatan Pengadaan Sarana Lain", "Jumlah unit", "2", "1", "100.000", "50.000"],
]  # fmt: skip


@pytest.fixture
def entries(tmp_path):
    return read_nomenklatur(
        shapes.write(tmp_path, "nomenklatur.csv", shapes.csv_bytes(NOMENKLATUR, ","))
    )


def test_nodes_take_the_code_their_name_matches_and_the_score_is_shown(tmp_path, entries):
    path = shapes.write(tmp_path, "tabel.csv", shapes.csv_bytes(TABLE))
    hasil = read_table(path, nomenklatur=entries)
    codes = [n.kode for n in hasil.renja.nodes]
    # The program's name fits two codes; its children's names fit those under 2.07.01 only.
    assert codes[:4] == ["2.07.01", "2.07.01.2.02", "2.07.01.2.02.0001", "2.07.01.2.02.0002"]
    cocok = hasil.susunan.cocok
    assert round(cocok["2.07.01.2.02.0002"].skor, 2) == 0.98  # `ASM` for `ASN` (OCR damage)
    assert cocok["2.07.01.2.02.0001"].skor == 1.0
    # No entry fits the last one: it keeps a provisional code, under its kegiatan.
    assert codes[4].startswith("2.07.01.2.02.9") and codes[4] in hasil.susunan.sementara
    from monev.io.tabel.laporan import flat_rows, mapping_lines

    assert any(
        "Nomenklatur: 'Penyediaan Administrasi Pelaksanaan Tugas ASM' → 2.07.01.2.02.0002" in line
        and "kemiripan 98%" in line
        for line in mapping_lines(hasil)
    )
    notes = {row["kode"]: row["catatan"] for row in flat_rows(hasil) if row["nama"]}
    assert "dari nomenklatur Kepmendagri 900.1.15.5-1317 2023" in notes["2.07.01.2.02.0002"]
    assert "kode sementara" in notes[codes[4]]


def test_without_a_list_every_node_keeps_a_provisional_code(tmp_path):
    hasil = read_table(shapes.write(tmp_path, "tabel.csv", shapes.csv_bytes(TABLE)))
    assert all(n.kode.startswith("0.00.") for n in hasil.renja.nodes)


def test_a_name_that_fits_two_codes_equally_stays_provisional(tmp_path, entries):
    rows = [TABLE[0], TABLE[1]]  # the program alone: nothing tells the bidang apart
    hasil = read_table(
        shapes.write(tmp_path, "tabel.csv", shapes.csv_bytes(rows)), nomenklatur=entries
    )
    assert hasil.renja.nodes[0].kode in hasil.susunan.sementara


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["kode", "nama"], ["2.07.x", "A"]], "kode tidak dapat dibaca"),
        ([["kode", "tingkat", "nama"], ["2.07.01", "kegiatan", "A"]], "tidak sesuai dengan kode"),
        ([["a", "b"], ["1", "2"]], "perlu kolom kode dan nama"),
    ],
)
def test_a_list_that_cannot_be_used_is_refused(tmp_path, rows, expected):
    with pytest.raises(InputError) as info:
        read_nomenklatur(shapes.write(tmp_path, "n.csv", shapes.csv_bytes(rows, ",")))
    assert expected in str(info.value)
