"""`monev laporan`: the command line of the report files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from monev.cli import main
from monev.core.evaluation import evaluate
from monev.io import tabular
from monev.io.flat import COLUMNS, read_flat


def invoke(*args):
    return CliRunner().invoke(main, ["laporan", *map(str, args)])


def write_flat(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for values in rows:
            writer.writerow({**dict.fromkeys(COLUMNS, ""), **values})
    return path


def program(kode="1.01.01", **values):
    base = {"kode": kode, "tingkat": "program", "nama": f"Program {kode}", "indikator": "Indikator"}
    return {**base, "target_k": "100", "pagu": "1000", "tw1_k": "50", "tw1_rp": "400", **values}


@pytest.mark.parametrize(
    ("name", "extra", "magic"),
    [
        ("laporan.xlsx", [], b"PK"),
        ("laporan.pdf", [], b"%PDF"),
        ("laporan.bin", ["--format", "pdf", "--kertas", "a4"], b"%PDF"),
        ("laporan.xlsx", ["--tata-letak", "e55", "--triwulan", "3"], b"PK"),
    ],
)
def test_writes_the_report_file(tmp_path, reference_csv, name, extra, magic):
    out = tmp_path / name
    result = invoke(reference_csv, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert f"laporan ditulis ke {out}" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind


def test_context_options_and_file(tmp_path, reference_csv):
    konteks = tmp_path / "konteks.json"
    konteks.write_text(
        json.dumps(
            {"pemda": "Kota Tangerang", "tahun": 2021, "faktor_pendorong": "Anggaran cukup"}
        ),
        encoding="utf-8",
    )
    out = tmp_path / "laporan.xlsx"
    result = invoke(
        reference_csv,
        "-o",
        out,
        "--konteks",
        konteks,
        "--tahun",
        "2022",
        "--perangkat-daerah",
        "Dinas Ketenagakerjaan",
        "--tata-letak",
        "ringkas",
    )
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).active
    assert [ws[f"A{r}"].value for r in (2, 3, 4)] == [
        "Perangkat Daerah: Dinas Ketenagakerjaan",
        "Pemerintah Daerah: Kota Tangerang",
        "Periode Pelaksanaan: 2022",  # an option wins over the file
    ]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_are_the_tabular_renderers(tmp_path, fmt):
    data = write_flat(tmp_path / "data.csv", [program(nama='=HYPERLINK("http://x")')])
    out = tmp_path / f"hasil.{fmt}"
    result = invoke(data, "-o", out)
    assert result.exit_code == 0, result.output
    render = tabular.render_csv if fmt == "csv" else tabular.render_json
    assert out.read_bytes().decode("utf-8") == render(evaluate(read_flat(data)))


def test_csv_neutralises_formulas(tmp_path):
    data = write_flat(tmp_path / "data.csv", [program(nama="=cmd|' /C calc'!A0", indikator="+1+1")])
    out = tmp_path / "hasil.csv"
    assert invoke(data, "-o", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["nama"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["indikator"] == "'+1+1"


def test_json_to_standard_output(reference_csv):
    result = invoke(reference_csv, "-o", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ringkasan"]["rata_rata_capaian_kegiatan"] == "77.69"


def test_folder_gives_the_pemda_workbook(tmp_path):
    write_flat(tmp_path / "a.csv", [program("1.01.01")])
    write_flat(tmp_path / "b.csv", [program("1.02.01", tw1_k="90")])
    (tmp_path / "daftar-pd.csv").write_text(
        "kode,nama,berkas\nA,Dinas A,a.csv\nB,Dinas B,b.csv\n", encoding="utf-8"
    )
    out = tmp_path / "pemda.xlsx"
    result = invoke(tmp_path, "-o", out, "--pemda", "Kota Contoh")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Rekapitulasi", "Dinas A", "Dinas B"]
    assert [wb["Rekapitulasi"].cell(r, 4).value for r in (6, 7)] == ["-", "-"]  # no kegiatan
    assert [wb["Rekapitulasi"].cell(r, 8).value for r in (6, 7)] == [40, 40]


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_folder_gives_the_consolidated_evaluation(tmp_path, suffix):
    write_flat(tmp_path / "a.csv", [program("1.01.01")])
    write_flat(tmp_path / "b.csv", [program("1.01.01", tw1_rp="800"), program("2.07.02")])
    (tmp_path / "daftar-pd.csv").write_text(
        "kode,nama,berkas\nA,Dinas A,a.csv\nB,Dinas B,b.csv\n", encoding="utf-8"
    )
    out = tmp_path / f"rkpd.{suffix}"
    result = invoke(tmp_path, "--konsolidasi", "-o", out, "--pemda", "Kota Contoh")
    assert result.exit_code == 0, result.output
    assert "evaluasi hasil RKPD (2 PD) ditulis" in result.stderr
    if suffix == "pdf":
        assert out.read_bytes().startswith(b"%PDF")
        return
    ws = openpyxl.load_workbook(out).active
    rows = [r for r in ws.iter_rows(min_row=11, values_only=True) if r[2]]
    assert [(r[2], r[-2]) for r in rows] == [
        ("1", None),
        ("1.01", None),
        ("1.01.01", "Dinas A"),
        ("1.01.01", "Dinas B"),
        ("2", None),
        ("2.07", None),
        ("2.07.02", "Dinas B"),
    ]
    # the bidang's budget: Σ realisasi / Σ pagu over both PDs' program (400 + 800) / 2000
    assert rows[1][20] == 1200 and rows[1][22] == 60


@pytest.mark.parametrize(
    ("setup", "args", "code", "message"),
    [
        (
            "bad",
            ["-o", "{tmp}/x.xlsx"],
            2,
            "galat: data.csv, baris 2, kolom tw1_k: 'abc' bukan angka",
        ),
        ("none", ["-o", "{tmp}/x.xlsx"], 2, "berkas tidak dapat dibuka"),
        ("good", ["-o", "{tmp}/x.docx"], 2, "format tidak dapat ditebak"),
        ("good", ["-o", "{tmp}/tidak/ada/x.xlsx"], 1, "tidak dapat menulis ke"),
        ("good", ["-o", "{tmp}/x.xlsx", "--konteks", "{tmp}/konteks.json"], 1, "berkas konteks"),
        ("good", ["-o", "{tmp}/x.xlsx", "--tata-letak", "e99"], 2, "tidak sah"),
        ("folder", ["-o", "{tmp}/x.xlsx"], 2, "folder PD harus memuat daftar-pd.csv"),
        ("folder", ["-o", "{tmp}/x.pdf"], 2, "hanya dalam xlsx"),
        ("folder", ["-o", "{tmp}/x.csv", "--konsolidasi"], 2, "sebagai xlsx atau pdf"),
        ("good", ["-o", "{tmp}/x.xlsx", "--konsolidasi"], 2, "membaca folder"),
    ],
)
def test_errors_are_messages_not_tracebacks(tmp_path, setup, args, code, message):
    data = tmp_path / "data.csv"
    if setup == "bad":
        write_flat(data, [program(tw1_k="abc")])
    elif setup == "good":
        write_flat(data, [program()])
    (tmp_path / "konteks.json").write_text('{"warna": "merah"}', encoding="utf-8")
    target = tmp_path if setup == "folder" else data
    result = invoke(target, *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_bad_file_exits_2_in_a_real_process(tmp_path):
    data = write_flat(tmp_path / "data.csv", [program(tw1_k="abc", tingkat="programm")])
    result = subprocess.run(
        [sys.executable, "-m", "monev", "laporan", str(data), "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "2 masalah; tidak ada yang diproses." in result.stderr
