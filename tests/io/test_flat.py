from __future__ import annotations

import csv
import io
from decimal import Decimal as D
from pathlib import Path

import pytest

from monev.io.flat import COLUMNS, InputError, read_flat


def write(
    tmp_path: Path, rows: list[dict[str, str]], name="data.csv", columns=COLUMNS, delimiter=","
):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=columns, extrasaction="ignore", delimiter=delimiter
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(kode, tingkat, **values):
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        kode=kode,
        tingkat=tingkat,
        nama=f"Nama {kode}",
        indikator=f"Indikator {kode}",
        target_k="100",
    )
    base.update(values)
    return base


GOOD = [
    row("1.01.01", "program", pagu="1000", tw1_k="50", tw1_rp="100"),
    row("1.01.01.2.01", "kegiatan", tw1_k="25"),
    row("1.01.01.2.01.01", "sub_kegiatan", pagu="1000", tw1_k="10", tw1_rp="100"),
]


def problems(path):
    with pytest.raises(InputError) as info:
        read_flat(path)
    return [str(m) for m in info.value.masalah]


def test_reads_a_good_file_with_defaults(tmp_path):
    renja = read_flat(
        write(
            tmp_path,
            GOOD,
            columns=[c for c in COLUMNS if c not in ("polaritas", "agregasi_k", "agregasi_rp")],
        )
    )
    assert [n.kode for n in renja.nodes] == ["1.01.01", "1.01.01.2.01", "1.01.01.2.01.01"]
    assert renja.nodes[0].indikator[0].polaritas == "positif"
    assert renja.nodes[0].indikator[0].agregasi == "progresif"


def test_extra_columns_are_ignored_and_order_does_not_matter(tmp_path):
    columns = ["catatan_lain", *reversed(COLUMNS)]
    renja = read_flat(write(tmp_path, [dict(r, catatan_lain="x") for r in GOOD], columns=columns))
    assert renja.nodes[0].pagu == D(1000)


def test_indonesian_notation_and_semicolons_as_excel_writes_them(tmp_path):
    rows = [dict(GOOD[0], pagu="1.234.567,89", tw1_k="75,5"), *GOOD[1:]]
    renja = read_flat(write(tmp_path, rows, delimiter=";"))
    assert renja.nodes[0].pagu == D("1234567.89")
    assert renja.nodes[0].indikator[0].triwulan[0] == D("75.5")


def test_a_dot_with_three_digits_follows_the_file_notation(tmp_path):
    machine = [dict(GOOD[0], tw1_k="1.234"), *GOOD[1:]]
    assert read_flat(write(tmp_path, machine)).nodes[0].indikator[0].triwulan[0] == D("1.234")
    indonesian = [dict(GOOD[0], tw1_k="1.234", pagu="1.000.000"), *GOOD[1:]]
    renja = read_flat(write(tmp_path, indonesian, name="b.csv"))
    assert renja.nodes[0].indikator[0].triwulan[0] == D(1234)


def test_reads_xlsx(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for r in GOOD:
        sheet.append(
            [float(r[c]) if c in ("pagu", "tw1_k", "target_k") and r[c] else r[c] for c in COLUMNS]
        )
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    renja = read_flat(path)
    assert renja.nodes[0].pagu == D(1000)
    assert renja.nodes[2].indikator[0].triwulan[0] == D(10)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"tingkat": "prog"}, "baris 2, kolom tingkat: tingkat 'prog' tidak dikenal"),
        ({"tw1_k": "abc"}, "baris 2, kolom tw1_k: 'abc' bukan angka"),
        ({"kode": "1.01.xx"}, "baris 2, kolom kode: kode tidak dapat dibaca"),
        ({"polaritas": "naik"}, "baris 2, kolom polaritas: 'naik' tidak dikenal"),
        (
            {"tingkat": "kegiatan"},
            "baris 2, kolom kode: kode '1.01.01' adalah kode program, bukan kegiatan",
        ),
    ],
)
def test_bad_cells_are_reported_with_file_line_and_column(tmp_path, change, expected):
    path = write(tmp_path, [dict(GOOD[0], **change), *GOOD[1:]])
    found = problems(path)
    assert any(m.startswith("data.csv, ") and expected in m for m in found), found


def test_a_plan_part_without_its_program_is_read_and_evaluated_with_a_finding(tmp_path):
    from monev.core.checks import Jenis, induk_tidak_ada
    from monev.core.evaluation import evaluate

    renja = read_flat(write(tmp_path, GOOD[1:]))
    assert [n.kode for n in renja.nodes] == ["1.01.01.2.01", "1.01.01.2.01.01"]
    evaluasi = evaluate(renja)
    found = induk_tidak_ada(renja)
    assert all(p.jenis is Jenis.INDUK_TIDAK_ADA for p in found)
    assert [(p.kode, p.pesan) for p in found] == [
        (
            "1.01.01.2.01",
            "kegiatan 1.01.01.2.01 berada di bawah program 1.01.01 yang tidak ada di data; "
            "dievaluasi tanpa induknya",
        )
    ]
    # The footer's Rp is the kegiatan's own (rolled up from its sub kegiatan), not empty.
    assert evaluasi.ringkasan.pagu == D("1000")
    assert evaluasi.ringkasan.realisasi_rp == D("100")


def test_the_same_line_twice(tmp_path):
    found = problems(write(tmp_path, [*GOOD, GOOD[2]]))
    assert found == [
        "data.csv, baris 5, kolom indikator: baris ini sama dengan baris 4 (kode 1.01.01.2.01.01, indikator 'Indikator 1.01.01.2.01.01')"
    ]


def test_missing_required_column(tmp_path):
    found = problems(write(tmp_path, GOOD, columns=[c for c in COLUMNS if c != "target_k"]))
    assert found == ["data.csv, baris 1: kolom wajib 'target_k' tidak ada di baris judul"]


def test_every_problem_of_the_file_at_once(tmp_path):
    rows = [dict(GOOD[0], tw1_k="x"), dict(GOOD[1], tingkat="?"), dict(GOOD[2], pagu="1,2,3")]
    assert len(problems(write(tmp_path, rows))) == 3


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage", b"kode;nama\n"])
def test_files_without_a_header_are_refused(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert problems(path)


def test_missing_file_is_a_message(tmp_path):
    found = problems(tmp_path / "tidak-ada.csv")
    assert "tidak dapat dibuka" in found[0]


def test_damaged_xlsx_is_a_message(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "buku kerja tidak dapat dibaca" in problems(path)[0]


def test_rp_on_extra_lines_must_agree(tmp_path):
    rows = [*GOOD, row("1.01.01", "program", nama="", indikator="Kedua", pagu="999")]
    found = problems(write(tmp_path, rows))
    assert "angka Rp untuk kode 1.01.01 sudah diisi di baris 2" in found[0]


def test_reference_file_reads_without_problems(reference_csv):
    renja = read_flat(reference_csv)
    assert len(list(renja.indikator_lines())) == 55


def test_packaged_demo_copy_equals_the_reference(reference_csv):
    packaged = Path(__import__("monev").__file__).parent / "demo" / "disnaker-tangerang-2022.csv"
    assert packaged.read_bytes() == reference_csv.read_bytes()


def test_csv_text_is_read_with_bom(tmp_path):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(GOOD)
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())
    assert read_flat(path).nodes[0].kode == "1.01.01"
