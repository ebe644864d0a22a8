"""Bad input refused at its place: an unclosed quote, a number too large, NUL bytes, foreign digits.

Each case was a silent partial import or an unexpected error (exit 1, HTTP 500) before; each is
now a message that names the file, line and column, for the flat format and the legacy reader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from monev.cli import main
from monev.io.flat import COLUMNS, InputError, read_flat
from monev.io.guards import csv_rows
from monev.io.legacy import read_legacy


def flat_csv(cells: dict[int, dict[str, str]] | None = None) -> str:
    """Return a good flat file of four nodes, with the given cells changed (line → column → text)."""
    rows = []
    for kode, tingkat in (
        ("1.01.01", "program"),
        ("1.01.01.2.01", "kegiatan"),
        ("1.01.01.2.01.01", "sub_kegiatan"),
        ("1.01.01.2.01.02", "sub_kegiatan"),
    ):
        row = dict.fromkeys(COLUMNS, "")
        row.update(kode=kode, tingkat=tingkat, nama=f"Nama {kode}", indikator="I", target_k="100")
        row.update(pagu="1000", tw1_k="10", tw1_rp="100")
        rows.append(row)
    for line, changes in (cells or {}).items():
        rows[line - 2].update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def flat_problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        read_flat(Path("data.csv"), text.encode("utf-8"))
    return [str(m) for m in info.value.masalah]


def test_the_good_file_reads_all_four_nodes():
    assert len(read_flat(Path("data.csv"), flat_csv().encode()).nodes) == 4


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # A name that opens a quote and never closes it: the rest of the file is one cell.
        ('"Nama 1.01.01', 2),
        # The quote opens on the last line: it runs to the end of the file.
        (None, 5),
    ],
    ids=["quote-swallows-the-following-lines", "quote-open-on-the-last-line"],
)
def test_an_unclosed_quote_is_refused_with_the_line_where_it_opens(text, line):
    content = flat_csv().splitlines()
    target = content[line - 1]
    content[line - 1] = (
        target.replace("Nama", '"Nama', 1)
        if text is None
        else target.replace("Nama 1.01.01", text, 1)
    )
    found = flat_problems("\n".join(content) + "\n")
    assert len(found) == 1
    assert found[0].startswith(f"data.csv, baris {line}, kolom nama: tanda kutip")
    assert "tidak pernah ditutup" in found[0]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('a,b\n"x\ny",2\n', True),  # a cell typed over two lines, properly closed
        ('a,b\n"x ""kutip"" y",2\n', True),  # escaped quotes
        ('a,b,c\n1,"x,2,3\n4,5,6\n7,"8",9\n', False),  # closed far below, after whole lines
        ('a,b\n"x,1\ny,2\n', False),  # never closed
        ('a,b\n"x,1\ny,2', False),  # never closed, no final newline
    ],
)
def test_which_multi_line_cells_are_an_open_quote(text, ok):
    _, _, fault = csv_rows(text, ",")
    assert (fault is None) is ok
    if not ok:
        assert fault.baris == 2


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("pagu", "1" * 40, "terlalu besar"),
        ("pagu", "1234567890123456", "terlalu besar"),  # 16 digits
        ("tw1_rp", "1.000.000.000.000.000.000", "terlalu besar"),  # 10^18 in Indonesian notation
        ("tw1_k", "١٠", "bukan ASCII"),  # Arabic-Indic digits
        ("pagu", "１０００", "bukan ASCII"),  # full-width digits
        ("target_k", "१००", "bukan ASCII"),  # Devanagari digits
    ],
)
def test_numbers_that_cannot_be_used_are_refused_at_their_cell(column, text, expected):
    found = flat_problems(flat_csv({3: {column: text}}))
    assert len(found) == 1
    assert found[0].startswith(f"data.csv, baris 3, kolom {column}: ")
    assert expected in found[0]


def test_the_largest_amount_kept_is_accepted():
    renja = read_flat(Path("d.csv"), flat_csv({2: {"pagu": "999999999999999"}}).encode())
    assert renja.nodes[0].pagu == 999999999999999


def test_a_nul_byte_is_refused_at_its_cell():
    found = flat_problems(flat_csv({4: {"nama": "Nama\x00rusak"}}))
    assert found == [
        "data.csv, baris 4, kolom nama: sel memuat karakter NUL (\\x00): berkas rusak atau bukan "
        "teks; ketik ulang sel ini"
    ]


@pytest.fixture(scope="module")
def laporan(reference_csv) -> str:
    return (reference_csv.parent / "laporan-asli.txt").read_text(encoding="utf-8")


def legacy_problems(name: str, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        read_legacy(Path(name), text.encode("utf-8"))
    return [str(m) for m in info.value.masalah]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("81.771.029.180", "8177102918012345678901234567890123456789", "terlalu besar"),
        ("12.804.156.408", "١٢٨٠٤١٥٦٤٠٨", "bukan ASCII"),
        ("Gaji pegawai ASN", "Gaji\x00pegawai ASN", "karakter NUL"),
    ],
)
def test_the_legacy_reader_refuses_the_same_cells(laporan, old, new, expected):
    found = legacy_problems("laporan.txt", laporan.replace(old, new, 1))
    assert len(found) == 1 and expected in found[0]
    assert found[0].startswith("laporan.txt, ") and "baris " in found[0] and "kolom ke-" in found[0]


def test_an_unclosed_quote_in_a_legacy_csv_is_refused(laporan):
    lines = [line.replace("\t", ";") for line in laporan.splitlines()]
    at = next(i for i, line in enumerate(lines) if "Gaji" in line)
    lines[at] = lines[at].replace(";Penyediaan Gaji", ';"Penyediaan Gaji', 1)
    found = legacy_problems("laporan.csv", "\n".join(lines) + "\n")
    assert len(found) == 1
    assert found[0].startswith(f"laporan.csv, baris {at + 1}, kolom ke-3: tanda kutip")


def test_the_command_line_says_where_and_exits_2(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_text(flat_csv({2: {"pagu": "9" * 40}}), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluasi", str(path)])
    assert result.exit_code == 2
    assert "besar.csv, baris 2, kolom pagu" in result.output
    assert "galat tak terduga" not in result.output
