"""The report model: how a cell is shown, and the report context read from JSON."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.evaluation import evaluate
from monev.io.flat import read_flat
from monev.io.report import Kertas, KonteksLaporan, Penandatangan, TataLetak, build_report
from monev.io.report.context import konteks_from_mapping
from monev.io.report.model import Angka, Persen, RealisasiCapaian, Target, show


@pytest.mark.parametrize(
    ("sel", "shown"),
    [
        (None, ""),
        ("teks", "teks"),
        (Angka(D("17442481320")), "17.442.481.320"),
        (Angka(D("23.8")), "23,8"),
        (Angka(None), "-"),
        (Persen(D("78.245")), "78,25"),
        (Persen(D("104.2372")), "104,24"),
        (Persen(None), "-"),
        (Target(D(100), "8 dokumen"), "(100) 8 dokumen"),
        (Target(D("96.94"), ""), "(96,94)"),
        (Target(None, ""), "-"),
        (Target(None, "3 jenis"), "(-) 3 jenis"),
        (RealisasiCapaian(D(75), D(75), "Formula Progresif"), "75\n(75,00%) - Formula Progresif"),
        (RealisasiCapaian(None, None, "Formula Akumulatif"), "-\n(-) - Formula Akumulatif"),
    ],
)
def test_show(sel, shown):
    assert show(sel) == shown


def test_context_falls_back_to_the_renja(reference_csv):
    evaluasi = evaluate(read_flat(reference_csv), 3)
    laporan = build_report(evaluasi, KonteksLaporan(pemda="Kota Tangerang"), TataLetak.E55)
    assert laporan.judul[1:] == (
        "Perangkat Daerah: -",
        "Pemerintah Daerah: Kota Tangerang",
        "Periode Pelaksanaan: -",
        "Evaluasi sampai dengan TW III",
    )
    # Quarters after the evaluated one are not due: empty, not `-`.
    first = laporan.baris[0].sel
    assert first[11 + 2 * 3] is None and first[12 + 2 * 3] is None
    assert laporan.tanda_tangan[0].jabatan == "Kepala Bappeda Kota Tangerang"
    assert laporan.tanda_tangan[1].nama.startswith("(....")


def test_context_from_json_object():
    konteks = konteks_from_mapping(
        {
            "perangkat_daerah": "Dinas Ketenagakerjaan",
            "tahun": "2022",
            "kertas": "A4",
            "kepala_pd": {"jabatan": "Kepala Dinas", "nama": "Nama", "nip": "1972"},
        }
    )
    assert konteks == KonteksLaporan(
        perangkat_daerah="Dinas Ketenagakerjaan",
        tahun=2022,
        kertas=Kertas.A4,
        kepala_pd=Penandatangan("Kepala Dinas", "Nama", "1972"),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tahun": "dua ribu"}, "'tahun' harus bilangan bulat, bukan 'dua ribu'"),
        ({"tahun": True}, "'tahun' harus bilangan bulat"),
        ({"kertas": "legal"}, "'kertas' harus f4 atau a4, bukan 'legal'"),
        ({"pemda": 5}, "'pemda' harus teks"),
        ({"kepala_pd": "Budi"}, "'kepala_pd' harus objek dengan jabatan, nama, nip"),
        ({"kepala_bappeda": {"gelar": "x"}}, "'kepala_bappeda' memuat kunci tak dikenal: gelar"),
        ({"warna": "merah"}, "kunci 'warna' tidak dikenal"),
    ],
)
def test_context_from_json_refuses_bad_values(data, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        konteks_from_mapping(data)
