"""`monev impor` and `monev periksa` with the pemda's active nomenclature list and a mapping file
(the JSON the web preview downloads): both print the mapping they used."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from monev.cli import main
from tests.io import tabel_shapes as shapes
from tests.web.test_pemetaan import NOMENKLATUR, table_bytes


@pytest.fixture
def files(tmp_path, disnaker, users):
    from monev.io.tabel.model import Pemetaan
    from monev.web import impor_tabel

    impor_tabel.nomenklatur_upload(
        user=users["admin"],
        pemda=disnaker.perangkat_daerah.pemda,
        nama="Kepmendagri 2023",
        regulasi="Kepmendagri 900.1.15.5-1317",
        tahun=2023,
        berkas="nomenklatur.csv",
        data=shapes.csv_bytes(NOMENKLATUR, ","),
        aktif=True,
    )
    table = shapes.write(tmp_path, "tabel.csv", table_bytes())
    mapping = tmp_path / "pemetaan.json"
    mapping.write_text(Pemetaan(kolom={"realisasi keuangan": "abaikan"}).to_json(), "utf-8")
    return table, mapping


def test_impor_uses_the_active_list_and_prints_the_mapping_it_used(files):
    from monev.web.models import Simpul

    table, mapping = files
    args = ["impor", str(table), "--pd", "2.07.01", "--tahun", "2023", "--pemetaan", str(mapping)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Nomenklatur: daftar aktif 'Kepmendagri 2023'" in result.output
    assert "Pemetaan kolom yang dipakai:" in result.output
    assert "'Realisasi Keuangan' → diabaikan (dari pemetaan)" in result.output
    codes = set(
        Simpul.objects.filter(
            renja__tahun=2023, renja__perangkat_daerah__kode="2.07.01"
        ).values_list("kode", flat=True)
    )
    assert {"2.07.01", "2.07.01.2.02", "2.07.01.2.02.0001"} <= codes


def test_periksa_takes_the_active_list_of_a_pemda(files, disnaker):
    table, mapping = files
    pemda = disnaker.perangkat_daerah.pemda.nama
    result = CliRunner().invoke(
        main, ["periksa", str(table), "--pemda", pemda, "--pemetaan", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "PEMETAAN KOLOM" in result.output
    assert "→ 2.07.01.2.02.0001 'Penyediaan Gaji dan Tunjangan ASN'" in result.output
    assert "(Kepmendagri 900.1.15.5-1317 2023), kemiripan 97%" in result.output


def test_periksa_names_a_pemda_that_does_not_exist(files):
    table, _ = files
    result = CliRunner().invoke(main, ["periksa", str(table), "--pemda", "Kota Entah"])
    assert result.exit_code != 0
    assert "pemda 'Kota Entah' tidak ada" in result.output
