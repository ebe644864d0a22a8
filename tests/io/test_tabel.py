"""The table importer: header recognition, notation, periods, levels, the K/Rp join, account
lines, partial plans and printed figures, on tables of each shape written by the tests."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.rules import Agregasi
from monev.io.flat import InputError
from monev.io.tabel import read_table
from monev.io.tabel.judul import classify, resolve_sides
from monev.io.tabel.model import Pemetaan
from monev.io.tabel.notasi import decide, parse, vote
from monev.io.tabel.periode import choose, quarters
from monev.io.tabel.tingkat import Levels, mark
from tests.io import tabel_shapes as shapes


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Kode", "kode"),
        ("No", "nomor"),
        ("No.", "nomor"),
        ("Program/Kegiatan/Sub Kegiatan", "nama"),
        ("Uraian", "nama"),
        ("Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan", "nama"),
        ("Indikator Kinerja Program (outcome)/Kegiatan (output)", "indikator"),
        ("Indikator", "indikator"),
        ("Sasaran", "sasaran"),
        ("Satuan", "satuan"),
        ("Target Kinerja", "target_k"),
        ("Target (Rp)", "pagu"),
        ("Pagu", "pagu"),
        ("Pagu Anggaran (Rp)", "pagu"),
        ("Alokasi", "pagu"),
        ("Anggaran", "pagu"),
        ("Target Renstra PD pada Tahun Akhir Periode K", "target_renstra_k"),
        ("Target Renstra PD pada Tahun Akhir Periode Rp", "target_renstra_rp"),
        ("Realisasi Capaian Kinerja Renstra PD s/d Renja PD Tahun Lalu K", "realisasi_lalu_k"),
        ("Target kinerja dan anggaran Renja PD tahun berjalan yang dievaluasi K", "target_k"),
        ("Target kinerja dan anggaran Renja PD tahun berjalan yang dievaluasi Rp", "pagu"),
        ("Realisasi Kinerja Pada Triwulan III K", "realisasi_k:tw3"),
        ("Realisasi Kinerja Pada Triwulan III Rp", "realisasi_rp:tw3"),
        ("Realisasi TW I", "realisasi_?:tw1"),
        ("Tw.1", "realisasi_?:tw1"),
        ("TW 2 Rp", "realisasi_rp:tw2"),
        ("Triwulan IV", "realisasi_?:tw4"),
        ("Q3", "realisasi_?:tw3"),
        ("Semester I", "realisasi_?:sem1"),
        ("Sem. 2", "realisasi_?:sem2"),
        ("Realisasi Bulan 7", "realisasi_?:bln7"),
        ("Januari", "realisasi_?:bln1"),
        ("Realisasi Anggaran Agustus", "realisasi_rp:bln8"),
        ("Jumlah", "realisasi_?:jumlah"),
        ("Total Realisasi", "realisasi_?:jumlah"),
        ("Realisasi Keuangan", "realisasi_rp:jumlah"),
        ("Realisasi s.d. Triwulan III", "realisasi_?:jumlah"),
        ("Realisasi capaian kinerja dan anggaran Renja PD yang dievaluasi K", "realisasi_k:jumlah"),
        ("Capaian (%)", "capaian_?"),
        ("Capaian Kinerja (%)", "capaian_k"),
        ("%", "capaian_?"),
        ("Persentase Realisasi Keuangan", "capaian_rp"),
        ("Tingkat capaian kinerja dan realisasi anggaran Renstra PD s/d tahun berjalan (%) K", "abaikan"),
        ("Realisasi kinerja dan anggaran Renstra PD s/d tahun berjalan Rp", "abaikan"),
        ("Unit PD Penanggung Jawab", "unit"),
        ("Keterangan", "keterangan"),
        ("Kode Rekening", "kode_rekening"),
        ("Uraian Rekening", "nama_rekening"),
        ("Tingkat", "tingkat"),
        ("Dinas Ketenagakerjaan", None),
        # Abbreviations and synonyms.
        ("Real. TW I", "realisasi_?:tw1"),
        ("Trg Kinerja", "target_k"),
        ("Rencana Anggaran", "pagu"),
        ("Ang. (Rp)", "pagu"),
        ("Real. Keu.", "realisasi_rp:jumlah"),
        ("Keluaran (Output)", "indikator"),
        ("Jml", "realisasi_?:jumlah"),
        ("Ket.", "keterangan"),
        ("Smt I", "realisasi_?:sem1"),
        ("Target Fisik", "target_k"),
        ("Target Keuangan", "pagu"),
        # Money that is not the plan's: a balance, a funding source.
        ("Sisa Anggaran", None),
        ("Sumber Dana", None),
        # Targets per quarter: the year's is the last quarter's.
        ("Target TW I", "abaikan"),
        ("Target TW IV", "target_?"),
    ],
)  # fmt: skip
def test_header_recognition_by_meaning(header, field):
    assert classify(header) == field


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Quarters beside a realisation in Rp: they are the K side.
        (
            ["target_k", "pagu", "realisasi_?:tw1", "realisasi_?:tw2", "realisasi_rp:jumlah"],
            ["target_k", "pagu", "realisasi_k:tw1", "realisasi_k:tw2", "realisasi_rp:jumlah"],
        ),
        # A per cent after an Rp realisation, in a table with nothing of K: Rp.
        (
            ["pagu", "realisasi_?:jumlah", "capaian_?"],
            ["pagu", "realisasi_rp:jumlah", "capaian_rp"],
        ),
        # A per cent beside the Rp per cent: the K one.
        (["capaian_?", "capaian_rp"], ["capaian_k", "capaian_rp"]),
        # A target beside the pagu: the K target.
        (["pagu", "target_?"], ["pagu", "target_k"]),
        # A target among Rp columns, with no pagu: the neighbour tells.
        (["realisasi_rp:tw1", "target_?"], ["realisasi_rp:tw1", "pagu"]),
        # Nothing tells: K.
        (["nama", "target_?", "realisasi_?:tw1"], ["nama", "target_k", "realisasi_k:tw1"]),
    ],
)
def test_the_side_of_a_header_without_one_comes_from_the_table(fields, expected):
    assert resolve_sides(fields) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1.004.422.800", "id"),
        ("97,32", "id"),
        ("1.234,5", "id"),
        ("1,004,422,800", "en"),
        ("97.32", "en"),
        ("93.6", "en"),
        ("1,234.5", "en"),
        ("1.234", "?"),  # 1234 or 1,234
        ("1,234", "?"),  # 1234 or 1.234
        ("250", None),
        ("Rp 1.234.567,00", "id"),
        ("(75,00%)", "id"),
        ("-", None),
    ],
)
def test_what_one_cell_shows_of_its_notation(text, shown):
    assert vote(text) == shown


@pytest.mark.parametrize(
    ("texts", "decided"),
    [
        (["1.234", "1.004.422.800"], ("id", False)),  # the long one settles the short one
        (["1,234", "97.32"], ("en", False)),
        (["1.234", "2.500"], (None, True)),  # only ambiguous cells: a question
        (["1.004.422.800", "1,004,422,800"], (None, True)),  # both: a question
        (["100", "250"], (None, False)),  # no separator: nothing to decide
    ],
)
def test_a_column_is_decided_from_all_its_cells(texts, decided):
    assert decide(texts) == decided


@pytest.mark.parametrize(
    ("text", "notation", "value"),
    [
        ("1.234", "id", D("1234")),
        ("1.234", "en", D("1.234")),
        ("1,234", "en", D("1234")),
        ("1,234", "id", D("1.234")),
        ("93.6", "en", D("93.6")),
        ("Rp 1.004.422.800", "id", D("1004422800")),
        ("(12,5)", "id", D("12.5")),
        ("-", "id", None),
    ],
)
def test_a_number_reads_in_its_column_notation(text, notation, value):
    assert parse(text, notation) == value


def test_a_column_of_ambiguous_numbers_is_a_question(tmp_path):
    rows = [
        ["Uraian", "Indikator", "Target", "Realisasi"],
        ["Program A", "Jumlah", "1.500", "1.250"],
        ["Program B", "Jumlah", "2.500", "2.000"],
    ]
    path = shapes.write(tmp_path, "tanya.csv", shapes.csv_bytes(rows))
    with pytest.raises(InputError) as info:
        read_table(path)
    messages = [str(m) for m in info.value.masalah]
    assert len(messages) == 2
    assert "kolom 'Target' hanya memuat angka yang dapat dibaca dua cara" in messages[0]
    assert '"notasi": {"target": "id"}' in messages[0]
    # Answered in the mapping, the same file reads.
    hasil = read_table(path, pemetaan=Pemetaan(notasi={"target": "id", "realisasi": "id"}))
    assert hasil.renja.nodes[0].indikator[0].target == D("1500")


@pytest.mark.parametrize(
    ("values", "agregasi", "triwulan", "expected"),
    [
        ({"tw2": D(5)}, Agregasi.PROGRESIF, None, (None, D(5), None, None)),
        # Months of a quarter summed for akumulatif; the last month given for progresif.
        (
            {"bln1": D(1), "bln2": D(2), "bln3": D(3), "bln5": D(4)},
            Agregasi.AKUMULATIF,
            None,
            (D(6), D(4), None, None),
        ),
        (
            {"bln1": D(10), "bln2": D(20), "bln5": D(40), "bln6": D(50)},
            Agregasi.PROGRESIF,
            None,
            (D(20), D(50), None, None),
        ),
        ({"bln4": D(3), "bln6": D(5)}, Agregasi.RATA_RATA, None, (None, D(4), None, None)),
        ({"bln12": D(7)}, Agregasi.AKUMULATIF, None, (None, None, None, D(7))),
        # Semester I is quarter II, semester II quarter IV.
        ({"sem1": D(40), "sem2": D(90)}, Agregasi.PROGRESIF, None, (None, D(40), None, D(90))),
        # A single to-date column goes into the quarter the table is for (else IV).
        ({"jumlah": D(70)}, Agregasi.PROGRESIF, 3, (None, None, D(70), None)),
        ({"jumlah": D(70)}, Agregasi.AKUMULATIF, None, (None, None, None, D(70))),
        # Quarters given win over a printed total.
        ({"tw1": D(1), "jumlah": D(9)}, Agregasi.AKUMULATIF, None, (D(1), None, None, None)),
        ({}, Agregasi.PROGRESIF, None, (None, None, None, None)),
    ],
)
def test_period_conversion_by_aggregation(values, agregasi, triwulan, expected):
    assert quarters(values, agregasi, triwulan)[0] == expected


@pytest.mark.parametrize(
    ("lines", "chosen"),
    [
        ([{"bln1": D(1), "bln2": D(2), "jumlah": D(3)}], Agregasi.AKUMULATIF),
        ([{"tw1": D(25), "tw2": D(50), "jumlah": D(50)}], Agregasi.PROGRESIF),
        ([{"tw1": D(25), "tw2": D(50)}], Agregasi.RATA_RATA),  # no total: the default
        (
            [
                {"tw1": D(1), "tw2": D(2), "jumlah": D(3)},
                {"tw1": D(1), "tw2": D(2), "jumlah": D(3)},
                {"tw1": D(2), "tw2": D(0), "jumlah": D(2)},  # a sum and a level alike
                {"tw1": D(1), "tw2": D(5), "jumlah": D(5)},
            ],
            Agregasi.AKUMULATIF,
        ),
    ],
)
def test_the_aggregation_is_the_one_that_reproduces_the_printed_totals(lines, chosen):
    assert choose(lines, Agregasi.RATA_RATA)[0] is chosen


P, K, S = Tingkat.PROGRAM, Tingkat.KEGIATAN, Tingkat.SUB_KEGIATAN


@pytest.mark.parametrize(
    ("rows", "top", "expected"),
    [
        # Labels.
        (["Program A", "Kegiatan : B", "Sub Kegiatan C", "Sub Kegiatan D"], None, [P, K, S, S]),
        (["PROGRAM A", "1. Sub Kegiatan C", "Kegiatan - B"], None, [P, S, K]),
        # Numbering: dotted depth, and the order styles first appear in.
        (["1. A", "1.1 B", "1.1.1 C", "1.1.2 D", "2. E", "2.1 F"], None, [P, K, S, S, P, K]),
        (["I. A", "1. B", "a. C", "b. D", "2. E", "a. F", "II. G"], None, [P, K, S, S, K, S, P]),
        # Indentation.
        (["A", "  B", "    C", "    D", "  E", "F"], None, [P, K, S, S, K, P]),
        # Order under a heading: rows without a marker under a labelled program.
        (["Program A", "B", "C", "Program D", "E"], None, [P, K, K, P, K]),
        # A part of a plan: the mapping (or labelled rows) says where the top is.
        (["A", "  B", "  C"], K, [K, S, S]),
        (["Kegiatan : A", "1. B", "2. C"], None, [K, S, S]),
    ],
)
def test_level_detection_without_codes(rows, top, expected):
    levels = Levels(top)
    assert [levels.assign(mark(name)) for name in rows] == expected


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Program Penunjang Urusan", "Program Penunjang Urusan"),  # the word is the name's
        ("Program : Penunjang Urusan", "Penunjang Urusan"),
        ("Kegiatan : Administrasi Keuangan", "Administrasi Keuangan"),
        ("1. Sub Kegiatan Penyediaan Gaji", "Penyediaan Gaji"),
        ("a. Penyediaan Gaji", "Penyediaan Gaji"),
    ],
)
def test_labels_and_numbering_are_not_part_of_the_name(printed, name):
    assert mark(printed).nama == name


def _rp_year(renja, kode):
    return evaluate(renja).rp[kode]


def _figures(hasil):
    return [t.pesan for t in hasil.temuan if t.jenis == "angka"]


def test_labelled_table_without_codes(tmp_path):
    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    hasil = read_table(path)
    nodes = hasil.renja.nodes
    assert [(n.tingkat, n.nama) for n in nodes] == [
        (P, "Program Pelayanan Kesehatan"),
        (K, "Penyediaan Layanan"),
        (S, "Pengelolaan Pelayanan"),
        (S, "Operasional"),
    ]
    assert all(n.kode in hasil.susunan.sementara for n in nodes)
    evaluasi = evaluate(hasil.renja)
    assert evaluasi.rp[nodes[0].kode].realisasi == D("1112425214")
    assert str(evaluasi.rp[nodes[0].kode].capaian.quantize(D("0.01"))) == "92.18"
    # The one wrong printed figure is named with its place; 77,08 is the recomputation.
    assert _figures(hasil) == [
        "persen realisasi Rp tercetak 80,5 tidak sama dengan realisasi / pagu = "
        "307.055.630 / 398.379.650 = 77,08"
    ]
    wrong = next(t for t in hasil.temuan if t.jenis == "angka")
    assert str(wrong.tempat) == "label.csv, tabel 1, baris 7, kolom Persentase Realisasi Keuangan"
    # Counts of 3 a quarter against 12 a year: only akumulatif gives the printed 100.
    assert nodes[1].indikator[0].agregasi is Agregasi.AKUMULATIF
    assert nodes[0].indikator[0].agregasi is Agregasi.PROGRESIF


def test_monthly_finance_in_english_notation(tmp_path):
    path = shapes.write(tmp_path, "bulan.csv", shapes.csv_bytes(shapes.MONTHLY, ","))
    hasil = read_table(path)
    nodes = hasil.renja.nodes
    assert [n.tingkat for n in nodes] == [P, K, S, S]
    assert nodes[2].pagu == D("808430200")
    assert nodes[2].triwulan_rp == (D("180000000"), D("80000000"), None, None)
    assert nodes[2].agregasi_rp is Agregasi.AKUMULATIF
    assert nodes[3].triwulan_rp == (D("30000000"), None, None, None)
    assert _rp_year(hasil.renja, nodes[0].kode).realisasi == D("290000000")
    assert _figures(hasil) == []  # 32.2 and 15.3 are right at one decimal


def test_k_and_rp_tables_are_joined_by_name(tmp_path):
    data = shapes.xlsx_bytes(
        {"Kinerja": shapes.K_SHEET, "Anggaran": shapes.RP_SHEET},
        {"Kinerja": ["F2:I2"]},
    )
    hasil = read_table(shapes.write(tmp_path, "dua.xlsx", data))
    nodes = hasil.renja.nodes
    assert [n.nama for n in nodes] == [
        "Program Peningkatan Pelayanan Kesehatan Masyarakat",
        "Penyediaan Fasilitas Pelayanan Kesehatan",
        "Penyediaan Layanan Kesehatan untuk UKM",
    ]
    assert [(g.k.nama, round(g.skor, 2)) for g in hasil.susunan.gabungan] == [
        ("Program Peningkatan Pelayanan Kesehatan Masyarakat", 0.95),
        ("Penyediaan Fasilitas Pelayanan Kesehatan", 1.0),
        ("Penyediaan Layanan Kesehatan untuk UKM", 1.0),
    ]
    assert nodes[1].pagu == D("100000000") and len(nodes[1].indikator) == 2
    assert nodes[2].triwulan_rp[3] == D("150000000")
    assert nodes[2].agregasi_rp is Agregasi.AKUMULATIF  # its quarters sum to the total
    program = evaluate(hasil.renja).rp[nodes[0].kode]
    assert (program.pagu, program.realisasi) == (D("1000000000"), D("540000000"))
    # 93.6 printed matches 93,63; the program's 70 is the mean of 90 and 50, not 540 / 1000.
    assert _figures(hasil) == [
        "persen realisasi Rp tercetak 70 adalah rata-rata persen 2 baris di bawahnya (70,00), "
        "bukan Σ realisasi / Σ pagu = 540.000.000 / 1.000.000.000 = 54,00"
    ]


def test_an_rp_line_without_a_k_line_is_kept_and_named(tmp_path):
    rp = [
        *shapes.RP_SHEET,
        ["Pengadaan Sarana Lain", "5,000,000", "", "", "", "", "1,000,000", "20"],
    ]
    data = shapes.xlsx_bytes({"Kinerja": shapes.K_SHEET, "Anggaran": rp})
    hasil = read_table(shapes.write(tmp_path, "dua.xlsx", data))
    assert hasil.renja.nodes[-1].nama == "Pengadaan Sarana Lain"
    assert any(
        "'Pengadaan Sarana Lain' tidak ada pasangannya di tabel kinerja (K)" in t.pesan
        for t in hasil.temuan
    )


def test_a_plan_part_without_its_program(tmp_path):
    hasil = read_table(shapes.write(tmp_path, "bagian.csv", shapes.csv_bytes(shapes.PART)))
    nodes = hasil.renja.nodes
    assert [n.tingkat for n in nodes] == [K, S, S]
    assert nodes[1].indikator[0].triwulan == (None, D(4), None, D(9))
    assert nodes[1].triwulan_rp == (None, D("300000000"), None, D("805369584"))
    assert any(
        p.jenis.value == "induk_tidak_ada" and p.kode == nodes[0].kode for p in hasil.pemeriksaan
    )
    kegiatan = evaluate(hasil.renja).rp[nodes[0].kode]
    assert (kegiatan.pagu, kegiatan.realisasi) == (D("1004422800"), D("1000972958"))


def test_account_lines_are_summed_per_sub_kegiatan(tmp_path):
    hasil = read_table(shapes.write(tmp_path, "sipd.csv", shapes.csv_bytes(shapes.FINANCE)))
    nodes = hasil.renja.nodes
    assert [n.kode for n in nodes] == [
        "2.07.01",
        "2.07.01.2.02",
        "2.07.01.2.02.0001",
        "2.07.01.2.02.0002",
    ]
    assert (nodes[2].pagu, nodes[2].triwulan_rp[3]) == (D("12804156408"), D("8761923064"))
    assert (nodes[3].pagu, nodes[3].triwulan_rp[3]) == (D("550000000"), D("250000000"))
    assert hasil.susunan.sementara == set()
    # The sub kegiatan's own printed pagu differs from its accounts; the JUMLAH row agrees.
    assert _figures(hasil) == [
        "pagu tercetak 500.000.000 tidak sama dengan jumlah 2 rekening di bawahnya 550.000.000"
    ]
    assert sum(1 for t in hasil.temuan if "adalah jumlah 2 baris rekening" in t.pesan) == 2


def test_account_lines_naming_their_sub_kegiatan(tmp_path):
    data = shapes.csv_bytes(shapes.FINANCE_COLUMNS)
    hasil = read_table(shapes.write(tmp_path, "rekening.csv", data))
    nodes = hasil.renja.nodes
    assert [(n.tingkat, n.nama, n.pagu) for n in nodes] == [
        (S, "Penyediaan Gaji dan Tunjangan ASN", D("12804156408")),
        (S, "Penyediaan Administrasi Pelaksanaan Tugas ASN", D("300000000")),
    ]


def test_a_wrong_total_row_is_named(tmp_path):
    rows = [list(r) for r in shapes.FINANCE]
    rows[-1][2] = "13.000.000.000"
    hasil = read_table(shapes.write(tmp_path, "sipd.csv", shapes.csv_bytes(rows)))
    assert (
        "jumlah pagu tercetak 13.000.000.000 tidak sama dengan Σ baris di atasnya 13.354.156.408"
        in _figures(hasil)
    )


def test_the_e81_header_with_k_rp_pairs(tmp_path):
    hasil = read_table(shapes.write(tmp_path, "e81.csv", shapes.csv_bytes(shapes.E81)))
    program, kegiatan = hasil.renja.nodes
    assert (program.kode, kegiatan.kode) == ("2.07.01", "2.07.01.2.02")
    assert kegiatan.indikator[0].target == D(8)
    assert kegiatan.indikator[0].triwulan == (D(2), D(4), D(6), D(8))
    assert kegiatan.triwulan_rp == (D(200000), D(400000), D(600000), D(900000))
    assert kegiatan.unit == "Dinas"


def test_a_file_without_a_table_names_the_nearest_header(tmp_path):
    rows = [["Daftar hadir rapat"], ["No", "Nama", "Jabatan"], ["1", "Budi", "Kepala"]]
    path = shapes.write(tmp_path, "bukan.csv", shapes.csv_bytes(rows))
    with pytest.raises(InputError) as info:
        read_table(path)
    (message,) = [str(m) for m in info.value.masalah]
    assert message.startswith("bukan.csv: tabel tidak ditemukan")
    assert "judul terdekat yang terbaca di bukan.csv, baris 2: 'No | Nama | Jabatan'" in message


def test_bad_numbers_are_refused_at_their_cell(tmp_path):
    rows = [list(r) for r in shapes.LABELLED]
    rows[5][5] = "9" * 40
    rows[6][6] = "١٠"
    with pytest.raises(InputError) as info:
        read_table(shapes.write(tmp_path, "salah.csv", shapes.csv_bytes(rows)))
    messages = [str(m) for m in info.value.masalah]
    assert len(messages) == 2
    assert messages[0].startswith("salah.csv, tabel 1, baris 6, kolom Pagu (Rp): ")
    assert "terlalu besar" in messages[0]
    assert messages[1].startswith("salah.csv, tabel 1, baris 7, kolom Realisasi Kinerja TW I: ")


def test_a_mapping_changes_a_column_and_round_trips(tmp_path):
    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    used = read_table(path).pemetaan
    assert used.kolom["pagu rp"] == "pagu"
    again = Pemetaan.from_json(used.to_json())
    assert again == used
    again.kolom["persentase realisasi keuangan"] = "abaikan"
    again.nama["Operasional"] = "Operasional Pelayanan"
    hasil = read_table(path, pemetaan=again)
    assert _figures(hasil) == []  # the per cent column is no longer read
    assert hasil.renja.nodes[3].nama == "Operasional Pelayanan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", "pemetaan harus berupa objek JSON"),
        ("{", "pemetaan bukan JSON yang sah"),
        ('{"kolom": {"Pagu": "anggaran"}}', "'kolom' untuk 'Pagu': 'anggaran' bukan salah satu"),
        ('{"notasi": {"Pagu": "fr"}}', "'notasi' untuk 'Pagu': 'fr' bukan salah satu"),
        ('{"triwulan": 5}', "'triwulan': 5 harus 1 sampai 4"),
        ('{"tingkat_teratas": "urusan"}', "'tingkat_teratas': 'urusan' bukan salah satu"),
    ],
)
def test_a_mapping_that_cannot_be_used_is_refused(text, expected):
    with pytest.raises(InputError) as info:
        Pemetaan.from_json(text, "p.json")
    assert expected in str(info.value)


def test_reading_is_the_same_from_csv_and_xlsx(tmp_path):
    from_csv = read_table(shapes.write(tmp_path, "a.csv", shapes.csv_bytes(shapes.LABELLED)))
    from_xlsx = read_table(
        shapes.write(tmp_path, "a.xlsx", shapes.xlsx_bytes({"Lembar1": shapes.LABELLED}))
    )
    assert [n.kode for n in from_csv.renja.nodes] == [n.kode for n in from_xlsx.renja.nodes]
    assert [(n.pagu, n.triwulan_rp) for n in from_csv.renja.nodes] == [
        (n.pagu, n.triwulan_rp) for n in from_xlsx.renja.nodes
    ]


def test_the_same_mapping_is_reused_on_a_second_file(tmp_path):
    first = shapes.write(tmp_path, "a.csv", shapes.csv_bytes(shapes.LABELLED))
    mapping = read_table(first).pemetaan
    rows = [list(r) for r in shapes.LABELLED]
    rows[2][4] = "Sasaran Kinerja Tahunan"  # a header this importer does not know
    mapping.kolom["sasaran kinerja tahunan"] = "target_k"
    second = read_table(shapes.write(tmp_path, "b.csv", shapes.csv_bytes(rows)), pemetaan=mapping)
    assert second.renja.nodes[0].indikator[0].target == D(100)


def test_unknown_place_of_cells_is_kept(tmp_path):
    hasil = read_table(shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED)))
    assert hasil.renja.nodes[2].indikator[0].asal == "label.csv, tabel 1, baris 6"


def test_reading_a_missing_file_is_a_message(tmp_path):
    with pytest.raises(InputError):
        read_table(Path(tmp_path / "tidak-ada.csv"))


def test_a_row_whose_empty_cells_were_lost_is_laid_out_again(tmp_path):
    # Text copied from a PDF: every empty cell is gone and the figures shift left.
    lines = [
        "No\tProgram/Kegiatan\tIndikator\tSatuan\tTarget\tRealisasi TW I\tRealisasi TW II\t"
        "Realisasi TW III\tRealisasi TW IV\tCapaian (%)\tPagu\tRealisasi Rp\tPersen",
        "1\tProgram A\tPersentase A\t%\t100\t25\t50\t75\t75\t1.000.000\t750.000\t75",
        "1.1\tKegiatan B\tJumlah B\tdokumen\t10\t2\t5\t50\t400.000\t200.000\t50",
        "Kegiatan C\tJumlah C\torang\t40\t10\t20\t30\t40\t100\t600.000\t550.000\t91,67",
    ]
    path = tmp_path / "salinan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hasil = read_table(path)
    program, b, c = hasil.renja.nodes
    assert program.indikator[0].triwulan == (D(25), D(50), D(75), None)
    assert (program.pagu, program.triwulan_rp[3]) == (D(1000000), D(750000))
    assert b.indikator[0].triwulan == (D(2), D(5), None, None)
    assert (b.pagu, b.triwulan_rp[3]) == (D(400000), D(200000))
    assert c.indikator[0].triwulan == (D(10), D(20), D(30), D(40)) and c.pagu == D(600000)
    assert _figures(hasil) == []
    guessed = [t.tempat.baris for t in hasil.temuan if t.jenis == "ragu"]
    assert guessed == [2, 3]  # two placements agree as well: named as guesses


def test_a_row_that_keeps_its_empty_cells_is_not_moved(tmp_path):
    rows = [list(r) for r in shapes.LABELLED]
    rows[6][9] = ""  # the last sub kegiatan's TW IV left empty, in its column
    hasil = read_table(shapes.write(tmp_path, "a.csv", shapes.csv_bytes(rows)))
    assert hasil.renja.nodes[3].indikator[0].triwulan == (D(3), D(3), D(3), None)


def test_a_merged_header_over_kinerja_and_keuangan(tmp_path):
    rows = [
        ["Uraian", "Target", "", "Realisasi", ""],
        ["", "Kinerja", "Keuangan", "Kinerja", "Keuangan"],
        ["2.07.01 Program Penunjang Urusan", "100", "1.000.000", "80", "750.000"],
        ["2.07.01.2.02 Administrasi Keuangan", "12", "1.000.000", "9", "750.000"],
    ]
    hasil = read_table(shapes.write(tmp_path, "dua.csv", shapes.csv_bytes(rows)))
    assert [k.isi for k in hasil.tabel[0].kolom] == [
        "nama", "target_k", "pagu", "realisasi_k:jumlah", "realisasi_rp:jumlah",
    ]  # fmt: skip
    program, kegiatan = hasil.renja.nodes
    assert (program.kode, program.nama) == ("2.07.01", "Program Penunjang Urusan")
    assert kegiatan.kode == "2.07.01.2.02" and kegiatan.pagu == D(1000000)
    assert kegiatan.indikator[0].triwulan == (None, None, None, D(9))


def test_the_reference_laid_out_as_an_e81_workbook_reads_to_the_same_evaluation(reference_csv):
    """The legacy reader's E.81 sheet, read by the table importer alone: same plan, same
    figures, and the reference's wrong printed capaian named."""
    from monev.io.flat import read_flat
    from monev.io.legacy.grid import Grid
    from monev.io.tabel import parse_tables
    from tests.io.test_legacy_xlsx import e81_sheet

    rows = [list(r) for r in e81_sheet(reference_csv).filled()]
    hasil = parse_tables([Grid("e81.xlsx", rows, "E81")], "e81.xlsx")
    want, got = evaluate(read_flat(reference_csv)), evaluate(hasil.renja)
    # The sheet prints the codes as the report does: one of them twice, as the original did;
    # the second node takes a provisional code under the same kegiatan.
    assert len(hasil.renja.nodes) == len(want.renja.nodes)
    assert [n.kode for n in hasil.renja.nodes if n.kode in hasil.susunan.sementara] == [
        "2.07.03.2.01.9001"
    ]
    assert [n.tingkat for n in hasil.renja.nodes] == [n.tingkat for n in want.renja.nodes]
    assert got.ringkasan.rata_rata_capaian_k == want.ringkasan.rata_rata_capaian_k
    assert (got.ringkasan.pagu, got.ringkasan.realisasi_rp) == (
        want.ringkasan.pagu,
        want.ringkasan.realisasi_rp,
    )
    assert any(
        "capaian K tercetak 85,00 tidak sama dengan hitung ulang 65,00" in t.pesan
        for t in hasil.temuan
    )
