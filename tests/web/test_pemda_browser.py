"""One journey in headless Chromium: a Bappeda verifier opens the pemda dashboard, finds both
demo PDs with the figures of their own evaluation pages, sorts by keyboard, sees the charts, and
saves one as PNG. A screenshot is left in /tmp/pemda-dashboard.png."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]

SCREENSHOT = "/tmp/pemda-dashboard.png"


@pytest.fixture
def demo(transactional_db):
    from monev.pemda import selectors
    from monev.web.demo import load_demo
    from monev.web.models import Renja

    load_demo()
    selectors.clear_cache()
    return [
        Renja.objects.get(perangkat_daerah__kode=kode, tahun=2022)
        for kode in ("2.07.01", "2.16.01")
    ]


def sign_in(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


def first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip()


def test_verifikator_reads_the_pemda_dashboard(live_server, browser, demo):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    sign_in(page, base, "verifikator")
    dashboard = f"{base}/pemda/?tahun=2022&triwulan=4"
    page.goto(dashboard)
    assert page.locator("#tabel-pd tbody tr[data-pd]").count() == 2

    for renja in demo:
        row = page.locator(f'#tabel-pd tr[data-renja="{renja.pk}"]')
        assert renja.perangkat_daerah.nama in row.inner_text()
        k = first_line(row.locator('[data-angka="capaian_k"]').inner_text())
        rp = first_line(row.locator('[data-angka="persen_rp"]').inner_text())
        row.locator("a[data-e81]").click()
        page.wait_for_url(f"**/renja/{renja.pk}/evaluasi/?triwulan=4")
        assert page.locator('[data-angka="rata_rata_capaian_k"]').inner_text() == k
        assert page.locator('[data-angka="persen_realisasi_rp"]').inner_text() == rp
        page.goto(dashboard)

    # sorting works from the keyboard: focus a column header, press Enter
    page.focus('#tabel-pd th a[href*="urut=capaian_k"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**urut=capaian_k**")
    header = page.locator('#tabel-pd th[aria-sort="descending"]')
    assert "Capaian kinerja" in header.inner_text()
    codes = page.locator("#tabel-pd tbody tr[data-pd]").evaluate_all(
        "rows => rows.map(r => r.dataset.pd)"
    )
    assert codes == ["2.07.01", "2.16.01"]

    charts = page.locator("figure.chart svg.grafik")
    assert charts.count() == 4
    for nama in ("kurva-s", "capaian-program", "distribusi-predikat", "peta-panas"):
        assert page.locator(f"svg#grafik-{nama}").is_visible()
    assert page.locator("svg#grafik-peta-panas rect").count() > 8
    page.screenshot(path=SCREENSHOT, full_page=True)

    with page.expect_download() as download:
        page.click('button[data-png="grafik-kurva-s"]')
    assert download.value.suggested_filename == "kurva-s.png"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"

    with page.expect_download() as download:
        page.click('#fig-peta-panas a:has-text("Unduh SVG")')
    assert download.value.suggested_filename == "peta-panas-2022-tw4.svg"
