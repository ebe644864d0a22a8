"""Tables of the shapes pemda print, written by the tests (CSV and XLSX), with the figures a
recomputation by hand gives for each."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl


def csv_bytes(rows: list[list[object]], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(
    sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


#: Labels, no codes, quarters, Indonesian notation; K and Rp in one table. The second sub
#: kegiatan prints 80,5 % where 307.055.630 / 398.379.650 = 77,08 %.
LABELLED = [
    ["EVALUASI HASIL RENJA DINAS CONTOH"],
    ["Sampai dengan Triwulan IV Tahun 2023"],
    [
        "No", "Program/Kegiatan/Sub Kegiatan", "Indikator", "Satuan", "Target Kinerja",
        "Pagu (Rp)", "Realisasi Kinerja TW I", "Realisasi Kinerja TW II",
        "Realisasi Kinerja TW III", "Realisasi Kinerja TW IV", "Realisasi Keuangan (Rp)",
        "Capaian Kinerja (%)", "Persentase Realisasi Keuangan",
    ],
    [
        "1", "Program Pelayanan Kesehatan", "Persentase layanan", "%", "100", "1.206.810.250",
        "20", "45", "70", "95", "1.112.425.214", "95", "92,18",
    ],
    [
        "", "Kegiatan : Penyediaan Layanan", "Jumlah layanan", "layanan", "12", "1.206.810.250",
        "3", "3", "3", "3", "1.112.425.214", "100", "92,18",
    ],
    [
        "", "1. Sub Kegiatan Pengelolaan Pelayanan", "Jumlah dokumen", "dokumen", "10",
        "808.430.600", "2", "2", "3", "3", "805.369.584", "100", "99,62",
    ],
    [
        "", "2. Sub Kegiatan Operasional", "Jumlah bulan", "bulan", "12", "398.379.650",
        "3", "3", "3", "3", "307.055.630", "100", "80,5",
    ],
]  # fmt: skip

#: Finance by month (months 1–12 under one merged header, `Jumlah`), English notation, per cent
#: to one decimal, levels by numbering I. / 1. / a.
MONTHLY = [
    ["LAPORAN REALISASI ANGGARAN BULANAN"],
    ["No", "Uraian", "Pagu", "Realisasi Bulan", *[""] * 11, "Jumlah", "%"],
    ["", "", "", *[str(m) for m in range(1, 13)], "", ""],
    ["I.", "PROGRAM PELAYANAN KESEHATAN", "1,004,422,800", *[""] * 12, "", ""],
    ["1.", "Penyediaan Layanan Kesehatan", "1,004,422,800", *[""] * 12, "", ""],
    [
        "a.", "Pengelolaan Pelayanan Kesehatan", "808,430,200",
        "50,000,000", "60,000,000", "70,000,000", "80,000,000", *[""] * 8, "260,000,000", "32.2",
    ],
    [
        "b.", "Operasional Pelayanan", "195,992,600",
        "10,000,000", "", "20,000,000", *[""] * 9, "30,000,000", "15.3",
    ],
]  # fmt: skip

#: K in one sheet, Rp in another, joined by name (the Rp sheet cuts the program's name); the
#: program's per cent is the mean of its kegiatan's (70), not Σ/Σ (54).
K_SHEET = [
    ["CAPAIAN KINERJA TAHUN 2023"],
    ["No", "Program/Kegiatan", "Indikator", "Satuan", "Target", "Realisasi", "", "", "", "Capaian (%)"],
    ["", "", "", "", "", "TW I", "TW II", "TW III", "TW IV", ""],
    ["1", "Program Peningkatan Pelayanan Kesehatan Masyarakat", "Persentase layanan", "%", 100, 25, 50, 75, 93.63, 93.6],
    ["1.1", "Penyediaan Fasilitas Pelayanan Kesehatan", "Jumlah fasilitas", "unit", 12, 3, 6, 9, 12, 100],
    ["", "", "Jumlah tenaga", "orang", 40, 10, 20, 30, 36, 90],
    ["1.2", "Penyediaan Layanan Kesehatan untuk UKM", "Jumlah layanan", "layanan", 10, 2, 4, 6, 8, 80],
]  # fmt: skip
RP_SHEET = [
    ["REALISASI ANGGARAN"],
    ["Program/Kegiatan", "Alokasi (Rp)", "Realisasi TW I", "Realisasi TW II", "Realisasi TW III", "Realisasi TW IV", "Total Realisasi", "%"],
    ["Program Peningkatan Pelayanan Kesehatan", "", "", "", "", "", "", "70"],
    ["Penyediaan Fasilitas Pelayanan Kesehatan", "100,000,000", "10,000,000", "20,000,000", "30,000,000", "30,000,000", "90,000,000", "90"],
    ["Penyediaan Layanan Kesehatan untuk UKM", "900,000,000", "100,000,000", "100,000,000", "100,000,000", "150,000,000", "450,000,000", "50"],
]  # fmt: skip

#: The kegiatan of one unit without their program; semesters.
PART = [
    ["Uraian", "Indikator Kinerja", "Satuan", "Target", "Realisasi Semester I", "Realisasi Semester II", "Anggaran", "Realisasi Anggaran Semester I", "Realisasi Anggaran Semester II"],
    ["Kegiatan : Penyediaan Layanan Kesehatan", "Jumlah layanan", "layanan", "100", "40", "90", "", "", ""],
    ["Sub Kegiatan Pengelolaan Pelayanan", "Jumlah dokumen", "dokumen", "10", "4", "9", "808.430.200", "300.000.000", "805.369.584"],
    ["Sub Kegiatan Operasional", "Jumlah bulan", "bulan", "12", "6", "12", "195.992.600", "100.000.000", "195.603.374"],
]  # fmt: skip

#: A finance export (SIPD): one line per sub kegiatan × account, the account in the code column.
FINANCE = [
    ["Kode", "Uraian", "Anggaran", "Realisasi", "Sisa", "%"],
    ["2.07.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA", "", "", "", ""],
    ["2.07.01.2.02", "Administrasi Keuangan Perangkat Daerah", "", "", "", ""],
    ["2.07.01.2.02.0001", "Penyediaan Gaji dan Tunjangan ASN", "12.804.156.408", "8.761.923.064", "", ""],
    ["5.1.01.01.01.0001", "Belanja Gaji Pokok PNS", "10.000.000.000", "7.000.000.000", "3.000.000.000", "70,00"],
    ["5.1.01.01.02.0001", "Belanja Tunjangan Keluarga PNS", "2.804.156.408", "1.761.923.064", "1.042.233.344", "62,83"],
    ["2.07.01.2.02.0002", "Penyediaan Administrasi Pelaksanaan Tugas ASN", "500.000.000", "", "", ""],
    ["5.1.02.01.01.0024", "Belanja Alat Tulis Kantor", "300.000.000", "150.000.000", "150.000.000", "50,00"],
    ["5.1.02.01.01.0026", "Belanja Bahan Cetak", "250.000.000", "100.000.000", "150.000.000", "40,00"],
    ["JUMLAH", "", "13.354.156.408", "9.011.923.064", "", "67,48"],
]  # fmt: skip

#: A finance export with the account in its own columns, each line naming its sub kegiatan.
FINANCE_COLUMNS = [
    ["Sub Kegiatan", "Kode Rekening", "Uraian Rekening", "Pagu", "Realisasi"],
    ["Penyediaan Gaji dan Tunjangan ASN", "5.1.01.01.01.0001", "Belanja Gaji Pokok PNS", "10.000.000.000", "7.000.000.000"],
    ["Penyediaan Gaji dan Tunjangan ASN", "5.1.01.01.02.0001", "Belanja Tunjangan Keluarga", "2.804.156.408", "1.761.923.064"],
    ["Penyediaan Administrasi Pelaksanaan Tugas ASN", "5.1.02.01.01.0024", "Belanja Alat Tulis Kantor", "300.000.000", "150.000.000"],
]  # fmt: skip

#: The standard E.81 header: groups over K/Rp pairs, quarters I–IV, codes printed.
E81 = [
    ["No", "Sasaran", "Kode", "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan", "Indikator Kinerja Program (outcome)/Kegiatan (output)", "Target Renja PD Tahun Berjalan", "", "Realisasi Kinerja pada Triwulan", "", "", "", "", "", "", "", "Unit PD Penanggung Jawab"],
    ["", "", "", "", "", "", "", "I", "", "II", "", "III", "", "IV", "", ""],
    ["", "", "", "", "", "K", "Rp", "K", "Rp", "K", "Rp", "K", "Rp", "K", "Rp", ""],
    ["1", "", "2.07.01", "PROGRAM PENUNJANG", "Tingkat ketersediaan", "100", "1.000.000", "25", "200.000", "50", "400.000", "75", "600.000", "100", "900.000", "Dinas"],
    ["", "", "2.07.01.2.02", "Administrasi Keuangan", "Jumlah dokumen", "8", "1.000.000", "2", "200.000", "4", "400.000", "6", "600.000", "8", "900.000", "Dinas"],
]  # fmt: skip
