"""The Renstra's import path on the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from monev.cli import main
from monev.renstra.models import PemetaanKode, Renstra
from tests.web.renstra_helpers import RENSTRA_CSV

pytestmark = pytest.mark.django_db


def test_impor_renstra_checks_then_saves(tmp_path):
    berkas = tmp_path / "renstra.csv"
    berkas.write_text(RENSTRA_CSV, encoding="utf-8")
    args = ["impor-renstra", str(berkas), "--pd", "2.16.01", "--awal", "2024", "--akhir", "2028"]
    tried = CliRunner().invoke(main, [*args, "--coba"])
    assert tried.exit_code == 0, tried.output
    assert "3 simpul, 3 indikator" in tried.output and "Mode coba" in tried.output
    assert not Renstra.objects.filter(tahun_awal=2024).exists()
    saved = CliRunner().invoke(main, args)
    assert saved.exit_code == 0, saved.output
    assert Renstra.objects.filter(tahun_awal=2024, perangkat_daerah__kode="2.16.01").exists()


def test_impor_renstra_names_every_problem_and_exits_2(tmp_path):
    berkas = tmp_path / "renstra.csv"
    berkas.write_text(RENSTRA_CSV.replace(",90,", ",x,"), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["impor-renstra", str(berkas), "--pd", "2.16.01", "--awal", "2024", "--akhir", "2028"]
    )
    assert result.exit_code == 2
    assert "renstra.csv, baris 2, kolom target_akhir_k" in result.output


def test_pemetaan_kode_loads_a_csv(tmp_path):
    berkas = tmp_path / "pemetaan.csv"
    berkas.write_text(
        "versi,tahun_berlaku,kode_lama,kode_baru\nv1,2025,2.16.03.2.02.01,2.16.03.2.02.0003\n"
    )
    result = CliRunner().invoke(main, ["pemetaan-kode", str(berkas)])
    assert result.exit_code == 0, result.output
    assert PemetaanKode.objects.filter(kode_baru="2.16.03.2.02.0003").exists()


def test_impor_of_a_renja_proposes_its_links_to_the_renstra(tmp_path, users):
    from monev.renstra import services
    from tests.web.renstra_helpers import contoh_pd, renstra_periode

    services.renstra_import(
        user=users["admin"], perangkat_daerah=contoh_pd(), periode=renstra_periode()
    )
    berkas = tmp_path / "renja.csv"
    berkas.write_text(
        "kode,tingkat,nama,indikator,target_renstra_k,target_renstra_rp,realisasi_lalu_k,"
        "realisasi_lalu_rp,target_k,pagu,tw1_k,tw1_rp,tw2_k,tw2_rp,tw3_k,tw3_rp,tw4_k,tw4_rp\n"
        "2.16.03,program,Program contoh,Layanan terintegrasi (contoh),,,,,70,,,,,,,,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["impor", str(berkas), "--pd", "2.16.01", "--tahun", "2025"])
    assert result.exit_code == 0, result.output
    assert "Usulan tautan ke Renstra" in result.output and "1 dari 1 simpul" in result.output
