"""PDFs read directly: a text PDF by its table structure, a scanned one through OCR. The
reference report made into a PDF from its transcription (and a scan of that PDF) rebuilds to the
same data as the transcription itself does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from monev.io.flat import InputError
from monev.io.legacy import read_legacy
from monev.io.legacy.grid import read_grids
from monev.io.legacy.rebuild import flat_rows
from monev.io.tabel import read_table
from tests.io import pdf_reference, tabel_shapes

HAVE_OCR = shutil.which("tesseract") is not None
needs_ocr = pytest.mark.skipif(
    not HAVE_OCR and not os.environ.get("MONEV_REQUIRE_OCR"),
    reason="Tesseract is not installed (CI installs tesseract-ocr and tesseract-ocr-ind)",
)


@pytest.fixture(scope="module")
def laporan(reference_csv) -> Path:
    return reference_csv.parent / "laporan-asli.txt"


@pytest.fixture(scope="module")
def text_pdf(laporan) -> bytes:
    return pdf_reference.text_pdf(laporan.read_text(encoding="utf-8"))


def _without_notes(rows):
    # The notes name places (a page of the PDF, a line of the text): everything else must agree.
    return [{k: v for k, v in row.items() if k != "catatan"} for row in rows]


def test_the_reference_as_a_text_pdf_rebuilds_to_the_same_data(laporan, text_pdf, tmp_path):
    expected = flat_rows(read_legacy(laporan))
    path = pdf_reference.write(tmp_path, "laporan.pdf", text_pdf)
    got = flat_rows(read_legacy(path))
    assert _without_notes(got) == _without_notes(expected)
    assert len(got) == 55


def test_every_cell_of_a_pdf_keeps_its_page_and_position(text_pdf):
    grids = read_grids(Path("laporan.pdf"), text_pdf)
    assert [g.lembar for g in grids] == ["halaman 1", "halaman 2"]
    first = grids[0]
    row = next(i for i, r in enumerate(first.rows) if r and r[0] == "2.07.2-7.0-0-0.01.01.")
    x, y = first.posisi[(row, 5)]  # the program's Renstra Rp
    assert first.rows[row][5] == "81.771.029.180"
    assert 0 < x < 3000 and 0 < y < 1500
    assert first.posisi[(row, 0)][0] < x


def test_a_table_without_codes_reads_the_same_from_a_pdf(tmp_path):
    lines = "\n".join("\t".join(str(c) for c in row) for row in tabel_shapes.LABELLED)
    pdf = pdf_reference.write(tmp_path, "label.pdf", pdf_reference.text_pdf(lines))
    csv = tabel_shapes.write(tmp_path, "label.csv", tabel_shapes.csv_bytes(tabel_shapes.LABELLED))
    from_pdf, from_csv = read_table(pdf), read_table(csv)
    assert [(n.nama, n.pagu, n.triwulan_rp) for n in from_pdf.renja.nodes] == [
        (n.nama, n.pagu, n.triwulan_rp) for n in from_csv.renja.nodes
    ]
    (finding,) = [t for t in from_pdf.temuan if t.jenis == "angka"]
    assert finding.tempat.lembar == "halaman 1" and "80,5" in finding.pesan
    assert finding.tempat.posisi is not None and "posisi x " in str(finding.tempat)


def test_a_damaged_pdf_is_a_message():
    with pytest.raises(InputError) as info:
        read_grids(Path("rusak.pdf"), b"%PDF-1.4 rusak")
    assert "PDF tidak dapat dibaca" in str(info.value)


#: Texts an OCR may spell differently without changing a figure.
_TEXTS = ("catatan", "nama", "indikator", "target_volume", "unit_penanggung_jawab", "kode_asli")


@needs_ocr
@pytest.mark.lambat  # OCR of two pages at 300 dpi: most of a minute of CPU, run apart
def test_the_reference_as_a_scan_rebuilds_to_the_same_figures(laporan, text_pdf, tmp_path):
    from difflib import SequenceMatcher

    from monev.io.legacy.check import check_report

    expected = flat_rows(read_legacy(laporan))
    scan = pdf_reference.write(tmp_path, "pindai.pdf", pdf_reference.scanned_pdf(text_pdf))
    grids = read_grids(scan)
    assert [g.lembar for g in grids] == ["halaman 1", "halaman 2"]
    assert all(g.ocr for g in grids)
    report = read_legacy(scan)
    got = flat_rows(report)
    assert len(got) == len(expected)
    named = {f.kode for f in check_report(report).temuan}
    for want, have in zip(expected, got, strict=True):
        for column, value in want.items():
            if column in _TEXTS:
                assert SequenceMatcher(None, value, have[column]).ratio() > 0.8, (column, have)
            elif column == "capaian_tercetak" and have[column] != value:
                # A printed capaian misread: it disagrees with the figures and is named.
                assert have["kode"] in named, (want["kode"], value, have[column])
            else:
                assert have[column] == value, (want["kode"], column, value, have[column])


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("(75.00Y6) - Formula Progresif", "(75.00%) - Formula Progresif"),
        ("23,8Yo", "23,8%"),
        ("(100,0076) - Formula Progresif", "(100,00%) - Formula Progresif"),
        ("(55,336) - Formula Progresif", "(55,33%) - Formula Progresif"),
        ("(1006) 11 orang", "(100%) 11 orang"),
        ("(1500) 3 unit", "(1500) 3 unit"),  # above 100: a count, not a per cent
        ("(100) O unit -", "(100) 0 unit -"),
        ("27 160.000", "27.160.000"),
        ("1173.813.000,00", "1.173.813.000,00"),
        ("Persen (96)", "Persen (%)"),
        ("1.080.358.340", "1.080.358.340"),
        ("(82,57%) - Formula Progresif", "(82,57%) - Formula Progresif"),
    ],
)
def test_what_ocr_does_to_small_signs_is_undone(read, meant):
    from monev.io.pdf import _fix_ocr

    assert _fix_ocr(read) == meant


def test_a_scan_without_tesseract_says_what_to_install(text_pdf, monkeypatch):
    from monev.io import pdf

    monkeypatch.setattr(pdf, "ocr_available", lambda: False)
    with pytest.raises(InputError) as info:
        read_grids(Path("pindai.pdf"), pdf_reference.scanned_pdf(text_pdf, dpi=50))
    assert "halaman 1 adalah hasil pindai" in str(info.value)
    assert "tesseract-ocr-ind" in str(info.value)
