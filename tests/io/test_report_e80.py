"""Formulir E.80 in the report model, XLSX read back (numbers stay numbers) and PDF text."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal as D

import openpyxl
import pytest

from monev.core.codes import Tingkat
from monev.core.renstra import (
    IndikatorPeriode,
    NilaiTahun,
    RenstraPeriode,
    SimpulPeriode,
    Sumber,
    evaluate_renstra,
)
from monev.core.rules import Agregasi
from monev.io.report import KonteksLaporan, build_e80_report, render_pdf, render_xlsx
from monev.io.report.xlsx import DATA_ROW


def _years(*pairs):
    return tuple(
        NilaiTahun(2016 + i, t, r, Sumber.MONEV if r is not None else Sumber.KOSONG)
        for i, (t, r) in enumerate(pairs)
    )


# The two faults of the real Dinas Kesehatan E.80 (spec §10), in plainly illustrative lines.
RENSTRA = RenstraPeriode(
    2016,
    2020,
    (
        SimpulPeriode(
            "1.02.02",
            Tingkat.PROGRAM,
            "Program pelayanan kesehatan (contoh)",
            target_akhir_rp=D("38592428000"),
            tahun=_years(
                (D("9000000000"), D("8000000000")),
                (D("10000000000"), D("9500000000")),
                (D("10621398000"), None),
                (D("10500000000"), None),
                (D("10500000000"), None),
            ),
            indikator=(
                IndikatorPeriode(
                    "Cakupan pelayanan (contoh)",
                    "%",
                    Agregasi.PROGRESIF,
                    target_akhir=D(90),
                    tahun=_years(
                        (D(70), D(63)), (D(75), D(72)), (D(80), None), (D(85), None), (D(90), None)
                    ),
                ),
            ),
        ),
        SimpulPeriode(
            "1.02.02.2.01",
            Tingkat.KEGIATAN,
            "Kegiatan pelayanan (contoh)",
            indikator=(
                IndikatorPeriode(
                    "Bulan pelayanan (contoh)",
                    "Bulan",
                    Agregasi.AKUMULATIF,
                    target_akhir=D(72),
                    tahun=_years(
                        *((D(12), D(12)) for _ in range(2)), *((D(12), None) for _ in range(3))
                    ),
                ),
            ),
        ),
    ),
    "Dinas Kesehatan (contoh)",
    "Kabupaten Contoh",
)


@pytest.fixture(scope="module")
def evaluasi():
    return evaluate_renstra(RENSTRA, sampai_tahun=2017)


@pytest.fixture(scope="module")
def laporan(evaluasi):
    return build_e80_report(evaluasi, KonteksLaporan(tempat="Contoh", tanggal="1 Desember 2026"))


def test_e80_lines_hold_the_engines_ratios_and_name_the_faults(laporan, evaluasi):
    assert laporan.judul[0] == "EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH"
    assert "Periode Renstra: 2016–2020" in laporan.judul
    program, kegiatan = laporan.baris
    # No, Kode, Uraian, Indikator, end K, end Rp, 5 × target pair, 5 × realisation, 5 × ratio
    ratio_2016_k = 6 + 20
    assert program.sel[ratio_2016_k].nilai == evaluasi.baris[0].tahun[0].rasio_k == D(90)
    assert "50.621.398.000" in program.sel[-1] and "38.592.428.000" in program.sel[-1]
    assert "72 Bulan" in kegiatan.sel[-1] and "60 bulan" in kegiatan.sel[-1]
    assert "tidak sama" in kegiatan.sel[-1]


def test_e80_xlsx_reads_back_with_numbers_as_numbers(laporan, evaluasi):
    out = io.BytesIO()
    render_xlsx(laporan, out)
    out.seek(0)
    ws = openpyxl.load_workbook(out).active
    first = DATA_ROW + 1
    assert ws.cell(1, 1).value == "EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH"
    end_rp = ws.cell(first, 6).value
    assert isinstance(end_rp, int | float) and end_rp == 38592428000
    ratio = ws.cell(first, 6 + 20 + 1).value
    assert isinstance(ratio, int | float) and ratio == 90
    sd = evaluasi.baris[0]
    assert ws.cell(first, 6 + 30 + 1).value == float(sd.realisasi_sd_k)  # 72, the level
    assert ws.cell(first, 6 + 30 + 4).value == pytest.approx(float(sd.rasio_sd_rp))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_e80_pdf_text_holds_the_ratios_and_the_faults(laporan):
    out = io.BytesIO()
    render_pdf(laporan, out)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=out.getvalue(), capture_output=True, check=True
    ).stdout.decode()
    assert "EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH" in text
    assert "90,00" in text  # 63 / 70, the 2016 ratio of the program indicator
    assert "96,00" in text  # 72 / 75, the 2017 ratio
    flat = " ".join(text.split())
    assert "50.621.398.000" in flat and "38.592.428.000" in flat
    assert "Evaluasi Hasil Renstra" in flat
