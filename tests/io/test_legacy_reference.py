"""The legacy reader and `monev periksa` on the reference case's scanned report (laporan-asli.txt).

data.csv is the hand transcription of the same report: the reader must find every node of it,
recover its numbers, and list the disagreements its README and its `catatan` name.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from monev.cli.periksa import periksa
from monev.core.evaluation import evaluate
from monev.io.flat import read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import check_report
from monev.io.legacy.rebuild import flat_rows, write_flat
from monev.io.legacy.render import check_json, render_text

NUMERIC = (
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
    "capaian_tercetak",
)


def _by_line(rows):
    """Key rows by (code, indicator number within the node)."""
    out, seen = {}, {}
    for row in rows:
        n = seen.get(row["kode"], 0)
        seen[row["kode"]] = n + 1
        out[(row["kode"], n)] = row
    return out


def recovery(reference_csv: Path, rows: list[dict[str, str]]):
    """Return (recovered, total, misses, spurious) over the numeric cells data.csv fills.

    A cell is recovered when the rebuilt line of the same node and indicator number holds exactly
    the same number; a value where data.csv is blank is counted apart as spurious.
    """
    expected = _by_line(csv.DictReader(reference_csv.open(encoding="utf-8")))
    got = _by_line(rows)
    ok = total = 0
    misses, spurious = [], []
    for key, row in expected.items():
        mine = got.get(key, {})
        for column in NUMERIC:
            value, found = row[column], mine.get(column, "")
            if value == "":
                if found != "":
                    spurious.append((*key, column, found))
                continue
            total += 1
            if found != "" and Decimal(found) == Decimal(value):
                ok += 1
            else:
                misses.append((*key, column, value, found))
    return ok, total, misses, spurious


@pytest.fixture(scope="module")
def laporan_asli(reference_csv) -> Path:
    return reference_csv.parent / "laporan-asli.txt"


@pytest.fixture(scope="module")
def check(laporan_asli):
    return check_report(read_legacy(laporan_asli))


def _find(check, jenis, kode=None, fragment=""):
    return [
        f
        for f in check.temuan
        if f.jenis == jenis and (kode is None or f.kode == kode) and fragment in f.pesan
    ]


def test_every_node_of_the_transcription_is_found_with_its_code_and_level(reference_csv, check):
    expected = [(n.kode, n.tingkat) for n in read_flat(reference_csv).nodes]
    found = [(n.kode, n.tingkat) for n in check.laporan.renja.nodes]
    assert found == expected


def test_every_indicator_line_is_found(reference_csv, check):
    expected = [(n.kode, len(n.indikator)) for n in read_flat(reference_csv).nodes]
    assert [(n.kode, len(n.indikator)) for n in check.laporan.renja.nodes] == expected


def test_at_least_90_percent_of_the_numbers_are_recovered(reference_csv, check, capsys):
    ok, total, misses, spurious = recovery(reference_csv, flat_rows(check.laporan))
    with capsys.disabled():
        print(
            f"\n[legacy teks] angka data.csv terbaca persis: {ok}/{total} = {100 * ok / total:.1f}%"
        )
        for miss in misses:
            print(f"[legacy teks]   meleset: {miss}")
    assert ok / total >= 0.9, misses
    assert spurious == []


@pytest.mark.parametrize(
    ("jenis", "kode", "tercetak", "hitung"),
    [
        # The reference README's table.
        ("ringkasan_rata_rata_berbeda", "2.07.05", "81.38", "81.55"),
        ("ringkasan_rata_rata_berbeda", None, "77.89", "77.69"),
        ("ringkasan_pagu_berbeda", "2.07.04", "1173813000.00", "2173813000"),
        ("ringkasan_persen_berbeda", "2.07.01", "72.39", "72.37"),
        ("ringkasan_pagu_berbeda", "2.07.01", "17442482520.00", "17442481320"),
        ("ringkasan_realisasi_berbeda", "2.07.01", "12622071350.00", "12622671350"),
    ],
)
def test_lists_the_summary_disagreements_of_the_readme(check, jenis, kode, tercetak, hitung):
    found = [
        (str(f.tercetak), str(f.hitung))
        for f in _find(check, jenis, kode)
        if str(f.tercetak) == tercetak
    ]
    assert found == [(tercetak, hitung)]


@pytest.mark.parametrize("kode", ["2.07.01", "2.07.02", "2.07.03", "2.07.04"])
def test_summary_means_that_agree_are_not_listed(check, kode):
    assert _find(check, "ringkasan_rata_rata_berbeda", kode) == []


@pytest.mark.parametrize("kode", ["2.07.02", "2.07.03", "2.07.04", "2.07.05"])
def test_summary_per_cents_that_agree_are_not_listed(check, kode):
    assert _find(check, "ringkasan_persen_berbeda", kode) == []


@pytest.mark.parametrize(
    ("kode", "jenis", "fragment"),
    [
        ("2.07.01.2.06.01", "capaian_tercetak_berbeda", "85,00"),
        ("2.07.01.2.06.03", "capaian_tercetak_berbeda", "80,00"),
        ("2.07.01.2.06.05", "capaian_tercetak_berbeda", "96,00"),
        ("2.07.01.2.06.05", "nilai_kumulatif_turun", "Rp TW III"),
        ("2.07.01.2.08", "realisasi_melebihi_pagu", "2.040.812.912"),
        ("2.07.01.2.08", "pagu_anak_tidak_sama", "3.041.712.912"),
        ("2.07.01.2.08.01", "realisasi_melebihi_pagu", "3.850.000"),
        ("2.07.01.2.09", "pagu_anak_tidak_sama", "369.583.100"),
        ("2.07.01.2.09.01", "nilai_kumulatif_turun", "117.106.000"),
        ("2.07.01.2.09.02", "nilai_kumulatif_turun", "K TW III (40)"),
        ("2.07.03", "capaian_tercetak_berbeda", "88,88"),
        ("2.07.03.2.01", "pagu_anak_tidak_sama", "2.068.044.050"),
        ("2.07.03.2.01", "realisasi_anak_tidak_sama", "1.625.263.300"),
        ("2.07.03.2.02.01", "capaian_tercetak_berbeda", "75,00"),
        ("2.07.03.2.03.01", "capaian_tercetak_berbeda", "88,89"),
        ("2.07.04", "capaian_tercetak_berbeda", "104,24"),
        ("2.07.04.2.01", "pagu_anak_tidak_sama", "1.719.357.950"),
        ("2.07.04.2.04.01", "realisasi_melebihi_pagu", "60.000.800"),
        ("2.07.04.2.04.01", "nilai_kumulatif_turun", "(54,79)"),
        ("2.07.05", "capaian_tercetak_berbeda", "64,46"),
        ("2.07.05.2.01", "nilai_kumulatif_turun", "17.016.650"),
        ("2.07.05.2.01.03", "capaian_tercetak_berbeda", "78,00"),
        ("2.07.05.2.02", "pagu_anak_tidak_sama", "332.427.750"),
        ("2.07.05.2.02.04", "nilai_kumulatif_turun", "218.965.000"),
    ],
)
def test_lists_the_faults_named_in_the_transcription_notes(check, kode, jenis, fragment):
    found = _find(check, jenis, kode, fragment)
    assert len(found) == 1
    assert found[0].tempat is not None and found[0].tempat.baris is not None


def test_finds_every_fault_the_engine_finds_in_the_transcription(reference_csv, check):
    engine = {(p.kode, p.jenis.value) for p in evaluate(read_flat(reference_csv)).pemeriksaan}
    assert engine <= {(f.kode, f.jenis) for f in check.temuan}


def test_findings_carry_table_line_and_column(check):
    pagu = _find(check, "ringkasan_pagu_berbeda", "2.07.04")[0]
    assert (pagu.tempat.bagian, pagu.tempat.baris, pagu.tempat.kolom) == ("ringkasan", 89, "pagu")
    capaian = _find(check, "capaian_tercetak_berbeda", "2.07.01.2.06.01")[0]
    assert (capaian.tempat.tabel, capaian.tempat.baris) == (2, 23)
    assert capaian.tempat.kolom == "capaian tercetak (K)"


@pytest.mark.parametrize(
    ("baris", "kolom", "fragment"),
    [
        (45, "target (K)", "di luar urutan"),  # the target cell printed two cells early
        (53, "target Renstra (K) s.d. realisasi s.d. tahun lalu (Rp)", "sel hilang"),
        (54, "kode", "2.07.03.2.01.02"),  # the code printed twice
        (57, "triwulan III (K)", "68,89 dibaca 88,89"),
        (71, "triwulan IV (Rp)", "352.053.550"),
    ],
)
def test_doubtful_cells_are_reported_with_their_place(check, baris, kolom, fragment):
    found = [
        d
        for d in check.laporan.ragu
        if d.tempat.baris == baris and d.tempat.kolom == kolom and fragment in str(d)
    ]
    assert len(found) == 1


def test_lines_placed_by_inference_are_marked(check):
    doubtful = {line.tempat.baris for line in check.laporan.baris if line.ragu}
    assert {45, 53, 54, 57, 71} <= doubtful
    assert 8 not in doubtful and 22 not in doubtful  # lost TW IV K and merged cells: certain


def test_reads_the_summary_table_as_printed(check):
    ringkasan = check.laporan.ringkasan
    assert [s.capaian for s in ringkasan] == [
        Decimal(x) for x in ("81.21", "78.25", "50.00", "75.88", "85.41", "81.38", "77.89", "79.26")
    ]
    assert [s.kode for s in ringkasan if s.jenis == "rata_rata_kegiatan_program"] == [
        "2.07.01",
        "2.07.02",
        "2.07.03",
        "2.07.04",
        "2.07.05",
    ]
    assert ringkasan[4].pagu == Decimal("1173813000")
    assert ringkasan[1].persen == Decimal("72.39")


def test_reads_the_signature_and_the_agency(check):
    laporan = check.laporan
    (signature,) = laporan.tanda_tangan
    assert signature.tempat_tanggal == "TANGERANG, September 2022"
    assert signature.jabatan == "KEPALA DINAS KETENAGAKERJAAN KOTA TANGERANG"
    assert signature.nama == "ILHAM HENDRA GUNAWAN, S.SOS, MM"
    assert signature.nip == "197205011001111009"
    assert laporan.renja.perangkat_daerah == "DINAS KETENAGAKERJAAN"
    assert laporan.renja.pemda == "KOTA TANGERANG"
    assert laporan.renja.tahun == 2022
    assert laporan.dipindai


def test_splits_target_volume_and_capaian_formula(check):
    line = check.laporan.line_of("2.07.01.2.06")
    assert line.value("target_k") == 100 and line.target_volume == "7 jenis"
    assert line.value("pagu") == Decimal("1225938100")  # printed in the target's cell
    assert line.value("capaian_k") == Decimal("82.57") and line.formula == "Formula Progressif"


def test_rebuilt_data_reads_back_as_the_same_renja(check, tmp_path):
    path = tmp_path / "dibangun-ulang.csv"
    write_flat(check.laporan, path)
    again = read_flat(path)
    for mine, theirs in zip(check.laporan.renja.nodes, again.nodes, strict=True):
        assert (mine.kode, mine.pagu, mine.triwulan_rp) == (
            theirs.kode,
            theirs.pagu,
            theirs.triwulan_rp,
        )
        assert [(i.teks, i.target, i.triwulan, i.capaian_tercetak) for i in mine.indikator] == [
            (i.teks, i.target, i.triwulan, i.capaian_tercetak) for i in theirs.indikator
        ]


def test_text_report_names_places_and_values(check):
    text = render_text(check)
    assert "ANGKA TERCETAK YANG TIDAK SAMA DENGAN HASIL HITUNG" in text
    assert "tercetak 81,38, hasil hitung 81,55" in text
    assert "tercetak 1.173.813.000, hasil hitung (dari baris tabel) 2.173.813.000" in text
    assert "laporan-asli.txt, ringkasan, baris 89, kolom pagu" in text


def test_periksa_json(laporan_asli, tmp_path):
    keluaran = tmp_path / "data.csv"
    result = CliRunner().invoke(
        periksa, [str(laporan_asli), "--format", "json", "--keluaran", str(keluaran)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc == check_json(check_report(read_legacy(laporan_asli)))
    assert doc["jumlah"]["program"] == 5 and doc["tahun"] == 2022
    first = doc["perbedaan"][0]
    assert set(first) == {"jenis", "kode", "indikator", "tercetak", "hitung", "pesan", "tempat"}
    assert set(first["tempat"]) == {"berkas", "lembar", "tabel", "bagian", "baris", "kolom"}
    assert len(read_flat(keluaran).nodes) == 48


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "kosong.txt", "berkas kosong"),
        (b"\x00\x01\x02\x03" * 50, "acak.bin", "bukan teks"),
        (b"Kode;Nama\n1;2\n", "data.csv", "tabel tidak ditemukan"),
        (b"PK\x03\x04rusak", "rusak.xlsx", "buku kerja tidak dapat dibaca"),
    ],
)
def test_periksa_unreadable_input_exits_2_with_a_message(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(periksa, [str(path)])
    assert result.exit_code == 2
    assert message in result.stderr and "galat:" in result.stderr
    assert "Traceback" not in result.output


def test_periksa_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(periksa, [str(tmp_path / "tidak-ada.txt")])
    assert result.exit_code == 2 and "tidak dapat dibuka" in result.stderr


def test_periksa_checks_a_flat_file_too(reference_csv):
    result = CliRunner().invoke(periksa, [str(reference_csv), "--format", "json"])
    assert result.exit_code == 0, result.output
    jenis = {p["jenis"] for p in json.loads(result.stdout)["perbedaan"]}
    assert "capaian_tercetak_berbeda" in jenis and "pagu_anak_tidak_sama" in jenis


def test_flat_rows_are_machine_numbers(check):
    rows = flat_rows(check.laporan)
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=list(rows[0])).writerows(rows)
    assert "1.225.938.100" not in out.getvalue() and "1225938100" in out.getvalue()


def test_monev_periksa_is_a_command_of_monev(laporan_asli, tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "monev", "periksa", *map(str, args)],
            capture_output=True,
            text=True,
        )

    result = run(laporan_asli)
    assert result.returncode == 0, result.stderr
    assert "tercetak 81,38, hasil hitung 81,55" in result.stdout
    broken = tmp_path / "rusak.txt"
    broken.write_bytes(b"\x00\xff" * 100)
    result = run(broken)
    assert result.returncode == 2
    assert "galat:" in result.stderr and "Traceback" not in result.stderr
