"""In headless Chromium: an admin creates year N+1 from year N in one step and opens its entry
page."""

from __future__ import annotations

import pytest

from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def tahun_pertama(transactional_db):
    from django.contrib.auth import get_user_model

    from monev.renstra import services
    from monev.web import services as web_services
    from monev.web.demo import load_demo
    from tests.web.renstra_helpers import contoh_pd, renja_core, renstra_periode

    load_demo()
    admin = get_user_model().objects.get(username="admin")
    renstra = services.renstra_import(
        user=admin, perangkat_daerah=contoh_pd(), periode=renstra_periode()
    )
    renja = web_services.renja_import(
        user=admin, perangkat_daerah=contoh_pd(), tahun=2024, renja=renja_core()
    )
    services.tautan_terapkan(user=admin, renja=renja, renstra=renstra)
    return renja


def test_admin_creates_next_year_and_opens_its_entry_page(live_server, browser, tahun_pertama):
    from monev.web.models import Renja

    page = browser.new_page()
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/renja/{tahun_pertama.pk}/")
    page.click("text=Renstra & tahun")
    page.click("#buat-tahun-berikut")
    page.locator("h1", has_text="Renja 2025").wait_for()
    assert "Dibawa dari 2024 (3)" in page.content()
    page.click("#entri-baru")
    renja = Renja.objects.get(perangkat_daerah__kode="2.16.01", tahun=2025)
    page.wait_for_url(f"{live_server.url}/renja/{renja.pk}/entri/1/")
    assert "Aplikasi dikembangkan (contoh)" in page.content()
