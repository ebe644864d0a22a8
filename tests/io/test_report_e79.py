"""The pemda's consolidated evaluation (Formulir E.79 style) as a report: its lines are the PDs'
own E.55 lines (program and kegiatan) under urusan and bidang urusan lines holding the groups'
figures; rendered as XLSX (read back) and PDF (pdftotext)."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from monev.core.codes import Tingkat
from monev.core.consolidation import Bagian, consolidate
from monev.core.evaluation import evaluate
from monev.core.numbers import format_angka
from monev.io.flat import read_flat
from monev.io.report import (
    KonteksLaporan,
    TataLetak,
    build_konsolidasi_report,
    build_report,
    render_pdf,
    render_xlsx,
)
from monev.io.report.model import Angka, Persen
from monev.io.report.xlsx import DATA_ROW

DEMO = Path(__file__).resolve().parents[2] / "src" / "monev" / "demo"
KONTEKS = KonteksLaporan(pemda="Kota Contoh", tahun=2022, tempat="Contoh", tanggal="1 Juli 2022")
PD = {1: "Dinas Ketenagakerjaan", 2: "Dinas Komunikasi dan Informatika (contoh)"}


@pytest.fixture(scope="module")
def parts(reference_csv):
    evaluasi = {
        1: evaluate(read_flat(reference_csv), 2),
        2: evaluate(read_flat(DEMO / "contoh-diskominfo.csv"), 2),
    }
    hasil = consolidate(
        [Bagian(PD[ref], ref, e.ringkasan) for ref, e in evaluasi.items()],
        evaluasi[1].pengaturan,
    )
    return hasil, evaluasi, build_konsolidasi_report(hasil, evaluasi, 2, KONTEKS)


def test_lines_are_groups_then_each_pds_program_and_kegiatan_lines(parts):
    hasil, evaluasi, laporan = parts
    kc = laporan.kolom_capaian
    groups = [b for b in laporan.baris if b.tingkat in (Tingkat.URUSAN, Tingkat.BIDANG_URUSAN)]
    assert [b.sel[2] for b in groups] == ["2", "2.07", "2.16"]
    for line, kelompok in zip(groups, [hasil.urusan[0], *hasil.urusan[0].bidang], strict=True):
        t = kelompok.total
        assert line.sel[3] == kelompok.nama
        assert line.sel[kc] == Persen(t.rata_rata_capaian_k)
        assert line.sel[kc + 1] == Persen(t.persen_realisasi_rp)
        assert line.sel[kc - 1] == Angka(t.realisasi_rp)
        assert Angka(t.pagu) in line.sel
        assert f"Predikat kinerja: {t.predikat_k}" in line.sel[-1]
    # Every program and kegiatan line is the PD's own E.55 line, but for the PD named as the one
    # responsible; the sub kegiatan stay in the PD's form.
    own = []
    for ref in (1, 2):
        e55 = build_report(evaluasi[ref], KONTEKS, TataLetak.E55)
        own += [
            (b.tingkat, b.sel[2:-2], PD[ref])
            for b in e55.baris
            if b.tingkat in (Tingkat.PROGRAM, Tingkat.KEGIATAN)
        ]
    shown = [
        (b.tingkat, b.sel[2:-2], b.sel[-2])
        for b in laporan.baris
        if b.tingkat in (Tingkat.PROGRAM, Tingkat.KEGIATAN)
    ]
    assert shown == own
    assert not any(b.tingkat is Tingkat.SUB_KEGIATAN for b in laporan.baris)
    # lines are numbered per node, groups included
    numbers = [int(b.sel[0]) for b in laporan.baris if b.pertama]
    assert numbers == list(range(1, len(numbers) + 1))


def test_footer_is_the_pemdas_total_and_headers_say_rkpd(parts):
    hasil, _, laporan = parts
    t = hasil.total
    assert (laporan.rata_rata_capaian_k, laporan.predikat_k) == (
        t.rata_rata_capaian_k,
        t.predikat_k,
    )
    assert (laporan.persen_realisasi_rp, laporan.predikat_rp) == (
        t.persen_realisasi_rp,
        t.predikat_rp,
    )
    headers = [c.teks for c in laporan.kepala]
    assert any("RKPD Tahun Berjalan (Tahun 2022)" in h for h in headers)
    assert "Perangkat Daerah Penanggung Jawab" in headers
    assert laporan.judul[0] == "EVALUASI TERHADAP HASIL RKPD"
    assert "2 Perangkat Daerah" in laporan.judul[2]
    assert [b.judul for b in laporan.tanda_tangan] == ["Mengetahui", "Disusun"]
    assert laporan.narasi[-1][0] == "Tindak lanjut yang diperlukan dalam RKPD berikutnya"
    assert laporan.tanda_tangan[1].tempat_tanggal == "Contoh, 1 Juli 2022"


def test_build_report_refuses_the_pemda_layout(reference_csv):
    with pytest.raises(ValueError, match="bukan formulir satu Perangkat Daerah"):
        build_report(evaluate(read_flat(reference_csv)), KONTEKS, TataLetak.E79)


def test_xlsx_holds_the_engines_figures(parts):
    hasil, _, laporan = parts
    out = io.BytesIO()
    render_xlsx(laporan, out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    kc = laporan.kolom_capaian
    first = [ws.cell(DATA_ROW + 1, c + 1).value for c in range(len(laporan.kolom))]
    t = hasil.urusan[0].total
    assert first[2:4] == ["2", hasil.urusan[0].nama]
    assert first[kc] == pytest.approx(float(t.rata_rata_capaian_k))
    assert first[kc + 1] == pytest.approx(float(t.persen_realisasi_rp))
    assert Decimal(str(first[kc - 1])) == t.realisasi_rp
    # urusan and bidang lines are bold, and the outline nests bidang → program → kegiatan
    assert ws.cell(DATA_ROW + 1, 4).font.b
    levels = {
        b.tingkat: ws.row_dimensions[DATA_ROW + 1 + i].outline_level
        for i, b in enumerate(laporan.baris)
    }
    assert levels == {
        Tingkat.URUSAN: 0,
        Tingkat.BIDANG_URUSAN: 1,
        Tingkat.PROGRAM: 2,
        Tingkat.KEGIATAN: 3,
    }
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Rata-rata capaian kinerja (%)" in texts


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_shows_the_groups_and_the_total(parts):
    hasil, _, laporan = parts
    out = io.BytesIO()
    render_pdf(laporan, out)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=out.getvalue(), capture_output=True, check=True
    ).stdout.decode()
    assert "EVALUASI TERHADAP HASIL RKPD" in text
    assert "Evaluasi Hasil RKPD" in text  # the page footer
    for kelompok in (hasil.urusan[0], *hasil.urusan[0].bidang):
        assert format_angka(kelompok.total.rata_rata_capaian_k) in text
        assert format_angka(kelompok.total.persen_realisasi_rp) in text
    assert format_angka(hasil.total.persen_realisasi_rp) in text
    assert "Tenaga Kerja" in text and "Ketenagakerjaan" in text  # the PD responsible (wrapped)
