"""The legacy reader on an E.81 workbook built from the reference data (merged header cells).

The layout is the standard form's (17 numbered columns, Permendagri 86/2017) with the reference
report's habit of printing the capaian inside column 13; the summary table below it carries the
figures the reference report printed, so that the same disagreements must be found.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from monev.core.evaluation import evaluate
from monev.core.numbers import format_angka, format_nilai, round_half_up
from monev.io.flat import read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import check_report
from monev.io.legacy.rebuild import flat_rows
from tests.io.test_legacy_reference import recovery

WIDTH = 27
SASARAN = "Meningkatnya kualitas pelayanan ketenagakerjaan (Sintetis untuk uji)"
# The printed summary of the reference report (laporan-asli.txt), faults included.
PRINTED_SUMMARY = [
    ("Rata-rata kinerja indikator Program", "81,21", None, None, None),
    (
        "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        "78,25",
        17442482520,
        12622071350,
        "72,39",
    ),
    ("PROGRAM PERENCANAAN TENAGA KERJA", "50,00", 2999700, 0, "0,00"),
    (
        "PROGRAM PELATIHAN KERJA DAN PRODUKTIVITAS TENAGA KERJA",
        "75,88",
        2380069200,
        1914353950,
        "80,85",
    ),
    ("PROGRAM PENEMPATAN TENAGA KERJA", "85,41", 1173813000, 1650222900, "75,91"),
    ("PROGRAM HUBUNGAN INDUSTRIAL", "81,38", 424221300, 352055150, "82,97"),
    ("Rata-rata kinerja indikator kegiatan semua Program", "77,89", None, None, None),
    ("Rata-rata kinerja indikator Sub Kegiatan", "79,26", None, None, None),
]


@dataclass
class Sheet:
    """A worksheet: values at the top-left cell of each merged range, and the ranges."""

    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    def row(self) -> list[object]:
        self.rows.append([""] * WIDTH)
        return self.rows[-1]

    def put(self, r: int, c: int, value: object, to: tuple[int, int] | None = None) -> None:
        self.rows[r][c] = value
        if to is not None and to != (r, c):
            self.merges.append((r, c, *to))

    def filled(self) -> list[list[object]]:
        """Return the rows with every merged cell holding its range's value."""
        out = [list(r) for r in self.rows]
        for r1, c1, r2, c2 in self.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    out[r][c] = self.rows[r1][c1]
        return out


def _number(text: str) -> int | float | str:
    if text == "":
        return ""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def _indonesian(value: object) -> str:
    if value == "" or isinstance(value, str):
        return str(value)
    return format_nilai(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def e81_sheet(reference_csv: Path) -> Sheet:
    """Return the reference data laid out as an E.81 form (title, header, lines, footer)."""
    ref = list(csv.DictReader(reference_csv.open(encoding="utf-8")))
    evaluasi = evaluate(read_flat(reference_csv))
    baris = {(b.node.kode, b.nomor_indikator): b for b in evaluasi.baris}
    s = Sheet()
    for text in (
        "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP KABUPATEN/KOTA",
        "Perangkat Daerah: Dinas Ketenagakerjaan Kota Tangerang",
        "Periode Pelaksanaan: 2022",
        "Sampai dengan Triwulan IV",
    ):
        s.row()
        s.put(len(s.rows) - 1, 0, text, (len(s.rows) - 1, WIDTH - 1))
    s.row()
    top = len(s.rows)
    for _ in range(4):
        s.row()
    single = {
        0: "No",
        1: "Sasaran",
        2: "Kode",
        3: "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan",
        4: "Indikator Kinerja Program (outcome)/Kegiatan (output)",
        25: "Unit Perangkat Daerah Penanggung Jawab",
        26: "Keterangan",
    }
    for c, text in single.items():
        s.put(top, c, text, (top + 2, c))
    paired = {
        5: "Target Renstra PD pada Tahun 2023 (Akhir Periode Renstra PD)",
        7: "Realisasi Capaian Kinerja Renstra PD s/d Renja PD Tahun Lalu (2021)",
        9: "Target Kinerja dan Anggaran Renja PD Tahun Berjalan (2022) yang Dievaluasi",
        19: "Realisasi Capaian Kinerja dan Anggaran Renja PD yang Dievaluasi",
        21: "Realisasi Kinerja dan Anggaran Renstra PD s/d Tahun Berjalan",
        23: "Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra PD s/d Tahun Berjalan (%)",
    }
    for c, text in paired.items():
        s.put(top, c, text, (top + 1, c + 1))
    s.put(top, 11, "Realisasi Kinerja Pada Triwulan", (top, 18))
    for q, roman in enumerate(("I", "II", "III", "IV")):
        s.put(top + 1, 11 + 2 * q, roman, (top + 1, 12 + 2 * q))
    for c in range(5, 25):
        s.put(top + 2, c, "K" if c % 2 else "Rp")
    for number, c in enumerate([0, 1, 2, 3, 4], start=1):
        s.put(top + 3, c, number)
    for number, c in enumerate(range(5, 25, 2), start=6):
        s.put(top + 3, c, number, (top + 3, c + 1))
    s.put(top + 3, 25, 16)
    s.put(top + 3, 26, 17)

    program_start = None
    counts: dict[str, int] = {}
    for line in ref:
        r = len(s.rows)
        row = s.row()
        kode = line["kode"]
        nomor = counts.get(kode, 0)
        counts[kode] = nomor + 1
        if line["tingkat"] == "program" and nomor == 0:
            if program_start is not None:
                s.merges.append((program_start, 1, r - 1, 1))
            program_start = r
            row[1] = SASARAN
        row[2] = line["kode_asli"]
        row[3] = line["nama"]
        row[4] = line["indikator"]
        for c, name in enumerate(
            ["target_renstra_k", "target_renstra_rp", "realisasi_lalu_k", "realisasi_lalu_rp"], 5
        ):
            row[c] = _number(line[name])
        target = line["target_k"]
        volume = line["target_volume"]
        row[9] = f"({format_nilai(Decimal(target))}) {volume}" if volume else _number(target)
        row[10] = _number(line["pagu"])
        for q in range(1, 5):
            row[9 + 2 * q] = _number(line[f"tw{q}_k"])
            row[10 + 2 * q] = _number(line[f"tw{q}_rp"])
        if line["capaian_tercetak"]:
            shown = format_angka(Decimal(line["capaian_tercetak"]))
            row[19] = f"({shown}%) - Formula Progresif"
        b = baris[(kode, nomor)]
        row[21] = _number(str(b.renstra_realisasi)) if b.renstra_realisasi is not None else ""
        if b.renstra_capaian is not None:
            row[23] = float(round_half_up(b.renstra_capaian))
        if b.rp is not None:
            row[20] = _number(str(b.rp.realisasi)) if b.rp.realisasi is not None else ""
            row[22] = _number(str(b.rp.renstra_realisasi)) if b.rp.renstra_realisasi else ""
            if b.rp.renstra_capaian is not None:
                row[24] = float(round_half_up(b.rp.renstra_capaian))
        row[25] = line["unit_penanggung_jawab"]
    s.merges.append((program_start, 1, len(s.rows) - 1, 1))

    s.row()
    r = len(s.rows)
    s.row()
    s.put(r, 0, "Indikator", (r, 4))
    for c, text in enumerate(("Capaian (%)", "Pagu", "Realisasi", "Persen (%)"), start=5):
        s.put(r, c, text)
    for label, mean, pagu, realisasi, persen in PRINTED_SUMMARY:
        r = len(s.rows)
        s.row()
        if label.startswith("PROGRAM"):
            label = f"Rata-rata kinerja indikator kegiatan pada {label}"
        s.put(r, 0, label, (r, 4))
        s.put(r, 5, mean)
        s.put(r, 6, "-" if pagu is None else pagu)
        s.put(r, 7, "-" if realisasi is None else realisasi)
        s.put(r, 8, "-" if persen is None else persen)
    s.row()
    ringkasan = evaluasi.ringkasan
    for label, k, rp in (
        (
            "Rata-rata capaian kinerja (%)",
            float(round_half_up(ringkasan.rata_rata_capaian_k)),  # type: ignore[arg-type]
            float(round_half_up(ringkasan.persen_realisasi_rp)),  # type: ignore[arg-type]
        ),
        ("Predikat kinerja", ringkasan.predikat_k, "Tinggi"),  # printed Rp predikat is wrong
    ):
        r = len(s.rows)
        s.row()
        s.put(r, 0, label, (r, 18))
        s.put(r, 19, k)
        s.put(r, 20, rp)
    for label, text in (
        ("Faktor pendorong keberhasilan pencapaian:", "Dukungan anggaran tepat waktu"),
        ("Faktor penghambat pencapaian kinerja:", "Keterbatasan sumber daya manusia"),
        ("Tindak lanjut yang diperlukan dalam triwulan berikutnya:", "Percepatan kegiatan"),
        ("Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya:", "Evaluasi"),
    ):
        r = len(s.rows)
        s.row()
        s.put(r, 0, label, (r, 4))
        s.put(r, 5, text, (r, 18))
    s.row()
    for left, right in (
        ("Dievaluasi", "Disusun"),
        ("Tangerang, 10 Oktober 2022", "Tangerang, 30 September 2022"),
        ("KEPALA BAPPEDA KOTA TANGERANG", "KEPALA DINAS KETENAGAKERJAAN KOTA TANGERANG"),
        ("", ""),
        ("NAMA KEPALA BAPPEDA (SINTETIS)", "ILHAM HENDRA GUNAWAN, S.SOS, MM"),
        ("NIP. 19700101 199003 1 001", "NIP. 19720501 100111 1 009"),
    ):
        r = len(s.rows)
        s.row()
        if left:
            s.put(r, 3, left, (r, 5))
        if right:
            s.put(r, 19, right, (r, 22))
    return s


def write_xlsx(sheet: Sheet, path: Path) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "E.81"
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value != "":
                ws.cell(r, c, value)
    for r1, c1, r2, c2 in sheet.merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    workbook.save(path)
    return path


def csv_bytes(rows: list[list[object]], delimiter: str = ";") -> bytes:
    """Return rows as an Indonesian CSV export: semicolons, numbers in Indonesian notation."""
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow([_indonesian(v) for v in row])
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def e81(reference_csv, tmp_path_factory):
    sheet = e81_sheet(reference_csv)
    return sheet, write_xlsx(sheet, tmp_path_factory.mktemp("e81") / "evaluasi-e81.xlsx")


@pytest.fixture(scope="module")
def xlsx_check(e81):
    return check_report(read_legacy(e81[1]))


def test_xlsx_finds_every_node_with_its_code_and_level(reference_csv, xlsx_check):
    expected = {(n.kode, n.tingkat) for n in read_flat(reference_csv).nodes}
    found = {(n.kode, n.tingkat) for n in xlsx_check.laporan.renja.nodes}
    assert found == expected


def test_xlsx_recovers_every_number(reference_csv, xlsx_check, capsys):
    ok, total, misses, _ = recovery(reference_csv, flat_rows(xlsx_check.laporan))
    with capsys.disabled():
        print(f"\n[legacy xlsx] angka terbaca persis: {ok}/{total} = {100 * ok / total:.1f}%")
    assert misses == []


def test_xlsx_has_no_doubtful_cell(xlsx_check):
    laporan = xlsx_check.laporan
    assert laporan.tak_terpasang == ()
    # Only the reference's own duplicated code needs a guess.
    assert [d.tempat.kolom for d in laporan.ragu] == ["kode"]


def test_xlsx_findings_are_the_engines_plus_the_summary(reference_csv, xlsx_check):
    engine = evaluate(read_flat(reference_csv)).pemeriksaan
    found = {(f.kode, f.jenis, f.pesan) for f in xlsx_check.temuan}
    assert {(p.kode, p.jenis.value, p.pesan) for p in engine} <= found
    extra = sorted(
        (f.jenis, f.kode or "", str(f.tercetak), str(f.hitung))
        for f in xlsx_check.temuan
        if f.jenis.startswith(("ringkasan", "predikat", "realisasi_tercetak", "renstra"))
    )
    assert extra == sorted(
        [
            ("predikat_tercetak_berbeda", "", "None", "None"),
            ("ringkasan_rata_rata_berbeda", "", "77.89", "77.69"),
            ("ringkasan_rata_rata_berbeda", "", "79.26", "73.29"),
            ("ringkasan_rata_rata_berbeda", "", "81.21", "75.85"),
            ("ringkasan_rata_rata_berbeda", "2.07.05", "81.38", "81.55"),
            ("ringkasan_pagu_berbeda", "2.07.01", "17442482520", "17442481320"),
            ("ringkasan_pagu_berbeda", "2.07.03", "2380069200", "2380009200"),
            ("ringkasan_pagu_berbeda", "2.07.04", "1173813000", "2173813000"),
            ("ringkasan_pagu_berbeda", "2.07.05", "424221300", "424321300"),
            ("ringkasan_persen_berbeda", "2.07.01", "72.39", "72.37"),
            ("ringkasan_realisasi_berbeda", "2.07.01", "12622071350", "12622671350"),
            ("ringkasan_realisasi_berbeda", "2.07.03", "1914353950", "1924353950"),
            ("ringkasan_realisasi_berbeda", "2.07.04", "1650222900", "1650222800"),
            ("ringkasan_realisasi_berbeda", "2.07.05", "352055150", "352053550"),
        ]
    )
    predikat = next(f for f in xlsx_check.temuan if f.jenis == "predikat_tercetak_berbeda")
    assert "'Tinggi'" in predikat.pesan and "'Sedang'" in predikat.pesan


def test_xlsx_reads_title_footer_and_both_signatures(xlsx_check):
    laporan = xlsx_check.laporan
    assert laporan.renja.perangkat_daerah == "Dinas Ketenagakerjaan"
    assert laporan.renja.pemda == "Kota Tangerang"
    assert laporan.renja.tahun == 2022
    assert laporan.triwulan == 4
    assert set(laporan.narasi) == {
        "faktor_pendorong",
        "faktor_penghambat",
        "tindak_lanjut_triwulan",
        "tindak_lanjut_renja",
    }
    assert laporan.narasi["faktor_pendorong"] == "Dukungan anggaran tepat waktu"
    evaluated, prepared = laporan.tanda_tangan
    assert evaluated.peran == "Dievaluasi" and evaluated.jabatan == "KEPALA BAPPEDA KOTA TANGERANG"
    assert prepared.peran == "Disusun"
    assert prepared.tempat_tanggal == "Tangerang, 30 September 2022"
    assert prepared.nama == "ILHAM HENDRA GUNAWAN, S.SOS, MM"
    assert prepared.nip == "197205011001111009"


def test_csv_export_of_the_merged_sheet_reads_the_same(reference_csv, e81, tmp_path):
    """A CSV saved from the workbook keeps each merged text in its first cell only."""
    sheet, _ = e81
    path = tmp_path / "evaluasi.csv"
    path.write_bytes(csv_bytes(sheet.rows))
    laporan = read_legacy(path)
    ok, total, misses, _ = recovery(reference_csv, flat_rows(laporan))
    assert misses == [], f"{ok}/{total}"
    assert not laporan.dipindai
