"""`monev periksa` on tables of any layout: exit 0 with the findings, 2 with the reason; the
rebuilt data (`--keluaran`) is taken by `monev evaluasi` as it is; the mapping is given and kept."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from monev.cli import main
from tests.io import tabel_shapes as shapes

SHAPES = {
    "label.csv": lambda: shapes.csv_bytes(shapes.LABELLED),
    "bulan.csv": lambda: shapes.csv_bytes(shapes.MONTHLY, ","),
    "dua.xlsx": lambda: shapes.xlsx_bytes({"Kinerja": shapes.K_SHEET, "Anggaran": shapes.RP_SHEET}),
    "bagian.csv": lambda: shapes.csv_bytes(shapes.PART),
    "sipd.csv": lambda: shapes.csv_bytes(shapes.FINANCE),
    "rekening.csv": lambda: shapes.csv_bytes(shapes.FINANCE_COLUMNS),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_shape_is_read_and_its_rebuilt_data_evaluates(tmp_path, name):
    path = shapes.write(tmp_path, name, SHAPES[name]())
    out = tmp_path / "datar.csv"
    runner = CliRunner()
    result = runner.invoke(main, ["periksa", str(path), "--keluaran", str(out)])
    assert result.exit_code == 0, result.output
    assert "PEMETAAN KOLOM" in result.output
    # `monev evaluasi` ends its process at once (os._exit): run it as its own process.
    evaluasi = subprocess.run(
        [sys.executable, "-m", "monev", "evaluasi", str(out), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert evaluasi.returncode == 0, evaluasi.stderr
    assert json.loads(evaluasi.stdout)["baris"]


def test_findings_are_the_output_with_their_place(tmp_path):
    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    result = CliRunner().invoke(main, ["periksa", str(path)])
    assert result.exit_code == 0
    assert (
        "- label.csv, tabel 1, baris 7, kolom Persentase Realisasi Keuangan: persen realisasi Rp "
        "tercetak 80,5 tidak sama dengan realisasi / pagu = 307.055.630 / 398.379.650 = 77,08"
    ) in result.output


def test_a_file_it_cannot_read_exits_2_with_the_nearest_header(tmp_path):
    rows = [["Daftar hadir"], ["No", "Nama Program", "Jabatan"], ["1", "Budi", "Kepala"]]
    path = shapes.write(tmp_path, "bukan.csv", shapes.csv_bytes(rows))
    result = CliRunner().invoke(main, ["periksa", str(path)])
    assert result.exit_code == 2
    assert "tabel tidak ditemukan" in result.output
    assert "judul terdekat yang terbaca di bukan.csv, baris 2: 'No | Nama Program | Jabatan'" in (
        result.output
    )


def test_the_mapping_is_written_changed_and_given_back(tmp_path):
    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    mapping = tmp_path / "pemetaan.json"
    runner = CliRunner()
    first = runner.invoke(main, ["periksa", str(path), "--tulis-pemetaan", str(mapping)])
    assert first.exit_code == 0
    data = json.loads(mapping.read_text(encoding="utf-8"))
    assert data["kolom"]["persentase realisasi keuangan"] == "capaian_rp"
    data["kolom"]["persentase realisasi keuangan"] = "abaikan"
    mapping.write_text(json.dumps(data), encoding="utf-8")
    second = runner.invoke(main, ["periksa", str(path), "--pemetaan", str(mapping)])
    assert second.exit_code == 0
    assert "'Persentase Realisasi Keuangan' → diabaikan (dari pemetaan)" in second.output
    assert "80,5" not in second.output


def test_a_bad_mapping_exits_2(tmp_path):
    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    mapping = tmp_path / "pemetaan.json"
    mapping.write_text('{"kolom": {"Pagu": "uang"}}', encoding="utf-8")
    result = CliRunner().invoke(main, ["periksa", str(path), "--pemetaan", str(mapping)])
    assert result.exit_code == 2
    assert "'uang' bukan salah satu dari" in result.output


def test_the_reference_layout_still_goes_to_the_legacy_reader(reference_csv):
    result = CliRunner().invoke(main, ["periksa", str(reference_csv.parent / "laporan-asli.txt")])
    assert result.exit_code == 0
    assert result.output.startswith("PEMERIKSAAN LAPORAN: laporan-asli.txt")


def test_periksa_matches_a_nomenclature_list(tmp_path):
    from tests.io.test_tabel_nomenklatur import NOMENKLATUR, TABLE

    table = shapes.write(tmp_path, "tabel.csv", shapes.csv_bytes(TABLE))
    names = shapes.write(tmp_path, "nomenklatur.csv", shapes.csv_bytes(NOMENKLATUR, ","))
    out = tmp_path / "datar.csv"
    result = CliRunner().invoke(
        main, ["periksa", str(table), "--nomenklatur", str(names), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Nomenklatur: 'Penyediaan Gaji dan Tunjangan ASN' → 2.07.01.2.02.0001" in result.output
    assert "2.07.01.2.02.0001" in out.read_text(encoding="utf-8")
