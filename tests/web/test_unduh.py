"""Report downloads from the evaluation page: the renderers' files, with the database's context."""

from __future__ import annotations

import io

import pytest

from tests.web.test_trust import SCRIPT


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("xlsx", b"PK"), ("pdf", b"%PDF"), ("csv", b"\xef\xbb\xbfkode"), ("json", b'{"triwulan"')],
)
def test_download_every_format(client_for, disnaker, fmt, magic):
    response = client_for("verifikator").get(f"/renja/{disnaker.pk}/unduh/?format={fmt}&triwulan=3")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "attachment;" in response["Content-Disposition"]
    assert "tw3" in response["Content-Disposition"]


def test_xlsx_download_carries_the_engine_figures_and_the_signatures(client_for, disnaker):
    from openpyxl import load_workbook

    response = client_for("admin").get(
        f"/renja/{disnaker.pk}/unduh/?format=xlsx&tata_letak=ringkas"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "Dinas Ketenagakerjaan" in texts and "Kota Tangerang" in texts
    assert "ILHAM HENDRA GUNAWAN" in texts and "197205011001111009" in texts
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, float) and abs(v - 78.245) < 1e-9 for v in values)


def test_unknown_format_is_404(client_for, disnaker):
    assert client_for("admin").get(f"/renja/{disnaker.pk}/unduh/?format=docx").status_code == 404


def test_operator_cannot_download_another_pd(client_for, disnaker):
    assert client_for("operator2").get(f"/renja/{disnaker.pk}/unduh/?format=pdf").status_code == 404


def test_user_text_is_neutralised_in_downloaded_files(client_for, contoh):
    from openpyxl import load_workbook

    from monev.web.models import Indikator, Simpul

    Simpul.objects.filter(renja=contoh, kode="2.16.03").update(nama='=HYPERLINK("x")')
    Indikator.objects.filter(simpul__renja=contoh, simpul__kode="2.16.03").update(teks=SCRIPT)
    csv_text = (
        client_for("admin").get(f"/renja/{contoh.pk}/unduh/?format=csv").content.decode("utf-8-sig")
    )
    assert "'=HYPERLINK" in csv_text
    book = load_workbook(
        io.BytesIO(client_for("admin").get(f"/renja/{contoh.pk}/unduh/?format=xlsx").content)
    )
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)  # no text became a formula
    assert any(c.value == SCRIPT for c in cells)


@pytest.mark.django_db
def test_laporan_command_reads_the_database(tmp_path):
    from click.testing import CliRunner

    from monev.cli import main

    out = tmp_path / "disnaker.pdf"
    result = CliRunner().invoke(
        main, ["laporan", "--pd", "2.07.01", "--tahun", "2022", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    missing = CliRunner().invoke(
        main, ["laporan", "--pd", "9.99", "--tahun", "2022", "-o", str(out)]
    )
    assert missing.exit_code == 1 and "tidak ada Renja" in missing.output
    neither = CliRunner().invoke(main, ["laporan", "-o", str(out)])
    assert neither.exit_code == 2


@pytest.mark.django_db
def test_laporan_command_writes_the_pemdas_consolidated_evaluation(tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from monev.cli import main
    from monev.io.report.xlsx import DATA_ROW

    out = tmp_path / "rkpd.xlsx"
    args = ["laporan", "--konsolidasi", "--tahun", "2022", "--triwulan", "2", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws["A1"].value == "EVALUASI TERHADAP HASIL RKPD KOTA"
    codes = [row[2] for row in ws.iter_rows(min_row=DATA_ROW + 1, values_only=True)]
    assert codes[:2] == ["2", "2.07"] and "2.16" in codes
    depth = {c.count(".") for c in codes if c}
    assert depth == {0, 1, 2, 4}  # urusan, bidang, program, kegiatan; no sub kegiatan
    wrong = CliRunner().invoke(main, [*args[:-2], "--pemda", "Kota Lain", "-o", str(out)])
    assert wrong.exit_code == 1 and "pemda 'Kota Lain' tidak ada" in wrong.output
    year = CliRunner().invoke(main, ["laporan", "--konsolidasi", "--tahun", "1999", "-o", str(out)])
    assert year.exit_code == 1 and "belum memiliki Renja tahun 1999" in year.output


def test_csv_download_opens_in_indonesian_excel(client_for, disnaker):
    response = client_for("admin").get(f"/renja/{disnaker.pk}/unduh/?format=csv&triwulan=4")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffkode;tingkat;nama;")
    first = text.splitlines()[1].split(";")
    capaian = first[22]
    assert capaian == "75,00"
