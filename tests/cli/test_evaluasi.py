from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

MONEV = [sys.executable, "-m", "monev"]


def run(*args, **kwargs):
    return subprocess.run([*MONEV, *map(str, args)], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def reference_json(reference_csv):
    result = run("evaluasi", reference_csv, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_contract(reference_json):
    doc = reference_json
    assert doc["triwulan"] == 4
    assert set(doc) == {"triwulan", "baris", "ringkasan", "pemeriksaan"}
    first, second = doc["baris"][0], doc["baris"][1]
    assert set(first) >= {
        "kode",
        "tingkat",
        "nama",
        "indikator",
        "target_k",
        "realisasi_k",
        "capaian_k",
        "predikat_k",
        "pagu",
        "realisasi_rp",
        "capaian_rp",
        "renstra_realisasi_k",
        "renstra_capaian_k",
        "renstra_realisasi_rp",
        "renstra_capaian_rp",
    }
    assert first["capaian_k"] == "75.00" and first["predikat_k"] == "Sedang"
    assert first["pagu"] == "17442481320" and first["capaian_rp"] == "72.37"
    assert second["pagu"] is None and second["realisasi_rp"] is None  # Rp on the first line only
    ringkasan = doc["ringkasan"]
    assert ringkasan["rata_rata_capaian_kegiatan"] == "77.69"
    assert [p["rata_rata_capaian_kegiatan"] for p in ringkasan["program"]] == [
        "78.25",
        "50.00",
        "75.88",
        "85.41",
        "81.55",
    ]
    assert [p["persen_realisasi_rp"] for p in ringkasan["program"]] == [
        "72.37",
        "0.00",
        "80.85",
        "75.91",
        "82.97",
    ]
    jenis = {p["jenis"] for p in doc["pemeriksaan"]}
    assert {
        "realisasi_melebihi_pagu",
        "pagu_anak_tidak_sama",
        "realisasi_anak_tidak_sama",
        "nilai_kumulatif_turun",
        "capaian_tercetak_berbeda",
    } <= jenis


def test_undefined_capaian_is_null(reference_json):
    line = next(b for b in reference_json["baris"] if b["kode"] == "2.07.03.2.01.02")
    assert line["capaian_k"] is None and line["predikat_k"] is None


def test_text_output_is_in_indonesian_notation(reference_csv):
    result = run("evaluasi", reference_csv)
    assert result.returncode == 0
    assert "17.442.481.320" in result.stdout
    for figure in (
        "78,25",
        "50,00",
        "75,88",
        "85,41",
        "81,55",
        "72,37",
        "80,85",
        "75,91",
        "82,97",
        "77,69",
    ):
        assert figure in result.stdout


def test_csv_output_has_the_standard_columns(reference_csv):
    result = run("evaluasi", reference_csv, "--format", "csv", "--triwulan", "2")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 55
    assert rows[0]["realisasi_k"] == "50" and rows[0]["tw3_k"] == ""
    assert rows[0]["capaian_k"] == "50.00"


def test_bad_file_gives_messages_and_exit_2_never_a_traceback(tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_text("kode,tingkat,nama\n1.01.01,program,X\n", encoding="utf-8")
    result = run("evaluasi", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "rusak.csv, baris 1: kolom wajib 'target_k' tidak ada" in result.stderr


def test_missing_file_exit_2(tmp_path):
    result = run("evaluasi", tmp_path / "nope.csv")
    assert result.returncode == 2
    assert "tidak dapat dibuka" in result.stderr and "Traceback" not in result.stderr


def test_bad_option_is_a_usage_error():
    result = run("evaluasi", "x.csv", "--triwulan", "5")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_negative_formula_option(tmp_path):
    from monev.io.flat import COLUMNS

    row = dict.fromkeys(COLUMNS, "")
    row.update(kode="1.01.01", tingkat="program", target_k="10", tw1_k="8", polaritas="negatif")
    path = tmp_path / "neg.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    default = json.loads(run("evaluasi", path, "-f", "json").stdout)
    alternative = json.loads(
        run("evaluasi", path, "-f", "json", "--rumus-negatif", "t_per_r").stdout
    )
    assert default["baris"][0]["capaian_k"] == "120.00"
    assert alternative["baris"][0]["capaian_k"] == "125.00"


def test_synthetic_generator_writes_files_that_evaluate(tmp_path):
    out = tmp_path / "pemda"
    assert run("data-sintetis", out, "--pd", "2", "--baris", "200").returncode == 0
    files = sorted(out.glob("pd-*.csv"))
    assert len(files) == 2 and (out / "daftar-pd.csv").exists()
    result = run("evaluasi", files[0], "-f", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert 150 <= len(doc["baris"]) <= 260
    kinds = {(b["kode"].count(".")) for b in doc["baris"]}
    assert kinds == {2, 4, 5}


@pytest.mark.parametrize("option", ["-h", "--bantuan", "--help"])
def test_help_in_every_usual_spelling(option):
    from click.testing import CliRunner

    from monev.cli import main

    for args in ([option], ["demo", option], ["laporan", option]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "Penggunaan:" in result.output and "Usage:" not in result.output


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["evaluasi", "{csv}"], ("reportlab", "xlsxwriter", "django")),
        (["laporan", "{csv}", "-o", "{out}.xlsx"], ("reportlab", "django")),
        (["laporan", "{csv}", "-o", "{out}.pdf"], ("django",)),
    ],
)
def test_a_command_loads_only_the_libraries_it_needs(reference_csv, tmp_path, args, absent) -> None:
    argv = [a.format(csv=reference_csv, out=tmp_path / "hasil") for a in args]
    # -X importtime lists every module the process imported (the command ends with os._exit).
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "monev", *argv], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "monev.core.evaluation" in imported
    assert sorted(m for m in absent if m in imported) == []
