"""A report file of a quarter Bappeda has not verified says so on every page: *DRAF — belum
diverifikasi* at the head and foot of each PDF page, in the XLSX's first rows and in its printed
header; the paper size is in the file's name; the pemda's workbook names every PD in full."""

from __future__ import annotations

import io
import re
import subprocess

import openpyxl
import pytest

from monev.io.report.context import TANDA_DRAF
from monev.pemda import selectors
from monev.web.models import LaporanTriwulan, PerangkatDaerah

Status = LaporanTriwulan.Status


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.clear_cache()


def _verify(renja, triwulan: int) -> None:
    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=triwulan, defaults={"status": Status.DIVERIFIKASI}
    )
    selectors.clear_cache()


def _pdf_pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # one form feed after every page


def _download(client, renja, fmt: str, kertas: str = "f4", triwulan: int = 4):
    return client.get(f"/renja/{renja.pk}/unduh/?format={fmt}&triwulan={triwulan}&kertas={kertas}")


def test_every_pdf_page_of_an_unverified_quarter_is_marked(client_for, disnaker, tmp_path):
    pages = _pdf_pages(_download(client_for("admin"), disnaker, "pdf").content, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert TANDA_DRAF in lines[0], number  # the head of the page
        assert TANDA_DRAF in lines[-1], number  # and its foot


def test_a_verified_quarter_carries_no_mark(client_for, disnaker, tmp_path):
    _verify(disnaker, 4)
    client = client_for("admin")
    response = _download(client, disnaker, "pdf")
    assert not any(TANDA_DRAF in p for p in _pdf_pages(response.content, tmp_path))
    assert "draf" not in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(_download(client, disnaker, "xlsx").content)).active
    assert TANDA_DRAF not in (ws.oddHeader.center.text or "")
    assert all(TANDA_DRAF not in str(c.value) for row in ws.iter_rows(max_row=8) for c in row)


def test_the_workbook_of_an_unverified_quarter_is_marked(client_for, disnaker):
    _verify(disnaker, 3)  # another quarter's verification does not count
    data = _download(client_for("admin"), disnaker, "xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    first_rows = [c.value for row in ws.iter_rows(max_row=8) for c in row if c.value]
    assert TANDA_DRAF in first_rows
    assert TANDA_DRAF in ws.oddHeader.center.text and TANDA_DRAF in ws.oddFooter.left.text


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_the_paper_size_is_in_the_file_name(client_for, disnaker, fmt):
    client = client_for("admin")
    names = {
        kertas: re.search(
            r'filename="([^"]+)"', _download(client, disnaker, fmt, kertas)["Content-Disposition"]
        ).group(1)
        for kertas in ("f4", "a4")
    }
    assert names["f4"] != names["a4"]
    assert names["f4"].endswith(f"-f4-draf.{fmt}") and names["a4"].endswith(f"-a4-draf.{fmt}")


def test_the_pemdas_files_are_marked_while_any_pd_is_unverified(
    client_for, disnaker, contoh, tmp_path
):
    client = client_for("admin")
    _verify(disnaker, 2)
    e79 = client.get("/pemda/konsolidasi/e79.pdf?triwulan=2&kertas=a4")
    assert e79.status_code == 200
    assert "-a4-draf.pdf" in e79["Content-Disposition"]
    pages = _pdf_pages(e79.content, tmp_path)
    assert pages and all(TANDA_DRAF in p for p in pages)

    wb = openpyxl.load_workbook(
        io.BytesIO(client.get("/pemda/konsolidasi.xlsx?triwulan=2").content)
    )
    summary = wb["Rekapitulasi"]
    status = {
        summary.cell(r, 2).value: summary.cell(r, 11).value for r in range(6, summary.max_row + 1)
    }
    assert status[disnaker.perangkat_daerah.nama] == "diverifikasi"
    assert status[contoh.perangkat_daerah.nama] == "belum diverifikasi"
    assert TANDA_DRAF in summary.oddHeader.center.text


def test_the_pemdas_workbook_names_every_pd_in_full(client_for, disnaker, contoh):
    long = "Badan Perencanaan, Penelitian dan Pengembangan Daerah Kota Contoh (uji nama panjang)"
    PerangkatDaerah.objects.filter(pk=contoh.perangkat_daerah_id).update(nama=long)
    selectors.clear_cache()
    data = client_for("admin").get("/pemda/konsolidasi.xlsx?triwulan=2").content
    wb = openpyxl.load_workbook(io.BytesIO(data))
    summary = wb["Rekapitulasi"]
    names = [summary.cell(r, 2).value for r in range(6, summary.max_row + 1)]
    assert long in names  # the link shows the name, not the sheet's 31 characters
    row = 6 + names.index(long)
    width = summary.column_dimensions["B"].width
    lines = summary.row_dimensions[row].height / 12 if summary.row_dimensions[row].height else 1
    assert width * lines >= len(long)  # wide enough, or wrapped on enough lines
    assert summary.cell(row, 2).hyperlink.location.startswith("'Badan Perencanaan")
