"""One end-to-end journey in headless Chromium: an operator enters a TW III realisation in
Indonesian notation and sees the new capaian and predikat; a verifikator cannot edit."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(transactional_db):
    from monev.web.demo import load_demo

    load_demo()
    from monev.web.models import Indikator, Renja

    renja = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    indikator = Indikator.objects.get(simpul__renja=renja, simpul__kode="2.07.02.2.01")
    return renja, indikator


def sign_in(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


def test_operator_enters_tw3_and_sees_new_capaian(live_server, browser, demo):
    renja, indikator = demo
    page = browser.new_page()
    sign_in(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/renja/{renja.pk}/entri/3/")
    cell = page.locator(f'td[data-k="{indikator.pk}"]')
    field = cell.locator("input[name=nilai]")
    assert field.get_attribute("inputmode") == "decimal"
    field.fill("37,5")
    field.press("Tab")  # the row saves on its own; focus moves to the next cell
    cell.locator('input[data-keadaan="tersimpan"]').wait_for()
    assert page.evaluate("document.activeElement.name") == "nilai"

    bad = page.locator("td[data-k] input[name=nilai]").nth(0)
    bad.fill("abc")
    bad.press("Tab")
    page.locator("td[data-k] .cell-error").first.wait_for()
    assert "bukan angka" in page.locator("td[data-k] .cell-error").first.inner_text()

    page.goto(f"{live_server.url}/renja/{renja.pk}/evaluasi/?triwulan=3")
    row = page.locator('tr[data-kode="2.07.02.2.01"]')
    capaian = row.locator("td[data-capaian-k]").inner_text()
    assert capaian.startswith("37,50") and "Sangat Rendah" in capaian
    assert "37,50" in page.locator('tr[data-program="2.07.02"]').inner_text()


def test_verifikator_cannot_edit(live_server, browser, demo):
    renja, indikator = demo
    page = browser.new_page()
    sign_in(page, live_server.url, "verifikator")
    page.goto(f"{live_server.url}/renja/{renja.pk}/entri/3/")
    assert page.locator("input[name=nilai]").count() == 0
    status = page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token,
                'Content-Type': 'application/x-www-form-urlencoded'}, body: 'nilai=99'});
            return r.status; }""",
        f"{live_server.url}/renja/{renja.pk}/entri/3/k/{indikator.pk}/",
    )
    assert status == 403
