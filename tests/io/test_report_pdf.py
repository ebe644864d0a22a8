"""The PDF report read back with poppler (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess

import pytest

from monev.core.evaluation import evaluate
from monev.io.flat import read_flat
from monev.io.report import (
    TATA_LETAK_PD,
    Kertas,
    KonteksLaporan,
    TataLetak,
    build_report,
    render_pdf,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

KONTEKS = KonteksLaporan(
    perangkat_daerah="Dinas Ketenagakerjaan",
    pemda="Kota Tangerang",
    tahun=2022,
    faktor_pendorong="Dukungan <anggaran> & koordinasi",
    tempat="Tangerang",
    tanggal="September 2022",
)


def _pdf(reference_csv, tata_letak, konteks=KONTEKS, kemajuan=None) -> bytes:
    out = io.BytesIO()
    render_pdf(build_report(evaluate(read_flat(reference_csv)), konteks, tata_letak), out, kemajuan)
    return out.getvalue()


def _run(tool: str, pdf: bytes, *args: str) -> str:
    return subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.fixture(scope="module")
def ringkas(reference_csv) -> bytes:
    return _pdf(reference_csv, TataLetak.RINGKAS)


@pytest.fixture(scope="module")
def ringkas_text(ringkas) -> str:
    return _run("pdftotext", ringkas, "-layout")


@pytest.mark.parametrize(
    "figure",
    # The reference case's summary (spec §6, reference README): capaian per program, then Rp %.
    ["78,25", "50,00", "75,88", "85,41", "81,55", "72,37", "80,85", "75,91", "82,97", "77,69"],
)
def test_summary_figures_in_indonesian_notation(ringkas_text, figure):
    assert figure in ringkas_text


@pytest.mark.parametrize(
    "text",
    [
        "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP KABUPATEN/KOTA",
        "Perangkat Daerah: Dinas Ketenagakerjaan",
        "Periode Pelaksanaan: 2022",
        "Evaluasi sampai dengan TW IV",
        "(75,00%) - Formula Progresif",
        "17.442.481.320",
        "(100) 8",  # `(100) 8 dokumen`, wrapped in its narrow column
        "Rata-rata kinerja indikator kegiatan semua Program",
        "Dukungan <anggaran> & koordinasi",
        "Tangerang, September 2022",
        "Dievaluasi",
        "Disusun",
    ],
)
def test_content(ringkas_text, text):
    assert text in ringkas_text


def test_header_on_every_page_and_page_numbers(ringkas):
    pages = int(
        next(
            line for line in _run("pdfinfo", ringkas).splitlines() if line.startswith("Pages:")
        ).split()[1]
    )
    assert pages > 1
    for page in range(1, pages + 1):
        text = _run("pdftotext", ringkas, "-f", str(page), "-l", str(page))
        assert f"Halaman {page} dari {pages}" in text
        if page < pages:  # the last page may hold only the footer
            # the header once a page: the table is cut into whole pages, never a page twice
            assert text.count("Realisasi Kinerja Pada Triwulan") == 1


def test_fonts_embedded(ringkas):
    rows = _run("pdffonts", ringkas).splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", row


@pytest.mark.parametrize(
    ("kertas", "size"), [(Kertas.F4, "935.433 x 609.449 pts"), (Kertas.A4, "841.89 x 595.276 pts")]
)
def test_landscape_paper(reference_csv, kertas, size):
    pdf = _pdf(reference_csv, TataLetak.E81, dataclasses.replace(KONTEKS, kertas=kertas))
    assert f"Page size:       {size}" in _run("pdfinfo", pdf)


@pytest.mark.parametrize("tata_letak", TATA_LETAK_PD)
def test_every_layout_renders_and_reports_progress(reference_csv, tata_letak):
    drawn: list[int] = []
    pdf = _pdf(reference_csv, tata_letak, KonteksLaporan(), drawn.append)
    assert pdf.startswith(b"%PDF")
    # Every line of the reference, counted as its page is drawn.
    assert sum(drawn) == len(evaluate(read_flat(reference_csv)).baris)


def test_overlong_text_never_breaks_the_pdf(reference_csv):
    evaluasi = evaluate(read_flat(reference_csv))
    first = evaluasi.renja.nodes[0]
    long_indicator = dataclasses.replace(first.indikator[0], teks="Indikator yang panjang " * 400)
    renja = dataclasses.replace(
        evaluasi.renja,
        nodes=(dataclasses.replace(first, indikator=(long_indicator,)), *evaluasi.renja.nodes[1:]),
    )
    konteks = KonteksLaporan(faktor_pendorong="Faktor pendorong yang diuraikan. " * 800)
    out = io.BytesIO()
    render_pdf(build_report(evaluate(renja), konteks, TataLetak.E81), out)
    text = _run("pdftotext", out.getvalue())
    # A table line stays on one page, cut with a note; free text runs on over the pages.
    assert "terpotong; teks lengkap di XLSX" in text
    assert text.count("Faktor pendorong yang diuraikan.") > 700


@pytest.mark.parametrize(
    ("heights", "first", "rest", "expected"),
    [
        ([10, 10, 10, 10, 10], 25, 30, [(0, 2), (2, 5)]),  # two under the title, then three
        ([10, 10, 10], 100, 30, [(0, 3)]),
        ([40, 10], 30, 50, [(0, 2)]),  # nothing fits under the title: all on the next page
        ([60, 10, 10], 50, 50, [(0, 1), (1, 3)]),  # a line taller than a page stands alone
        ([], 100, 50, [(0, 0)]),  # the header alone
    ],
)
def test_pages_take_as_many_lines_as_fit(heights, first, rest, expected):
    from monev.io.report.pdf import _pages

    assert _pages([float(h) for h in heights], first, rest) == expected


def test_long_table_fills_its_pages(reference_csv):
    """Six copies of the reference: no more pages than six reports, the header once a page."""
    evaluasi = evaluate(read_flat(reference_csv))
    laporan = build_report(evaluasi, KONTEKS, TataLetak.E81)
    laporan = dataclasses.replace(laporan, baris=laporan.baris * 6)
    out = io.BytesIO()
    render_pdf(laporan, out)
    info = _run("pdfinfo", out.getvalue())
    pages = int(next(ln for ln in info.splitlines() if ln.startswith("Pages:")).split()[1])
    single = io.BytesIO()
    render_pdf(build_report(evaluasi, KONTEKS, TataLetak.E81), single)
    one = int(
        next(
            ln for ln in _run("pdfinfo", single.getvalue()).splitlines() if ln.startswith("Pages:")
        ).split()[1]
    )
    assert pages <= 6 * one
    for page in range(1, pages):
        text = _run("pdftotext", out.getvalue(), "-f", str(page), "-l", str(page))
        assert text.count("Realisasi Kinerja pada Triwulan") == 1
