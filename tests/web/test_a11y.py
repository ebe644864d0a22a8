"""An accessibility scan (axe-core, in headless Chromium at 1366 × 768) of the evaluation page,
the home page's to-do list, the reminders page and the refusal and missing pages: no serious or
critical violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(transactional_db):
    from monev.web.demo import load_demo
    from monev.web.models import LaporanTriwulan, Renja

    load_demo()
    renja = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=2, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    return renja


def _serious(page) -> list[tuple[str, str, int]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["help"], len(v["nodes"]))
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("admin", "/renja/{r}/evaluasi/?triwulan=4"),
        ("admin", "/"),
        ("verifikator", "/"),
        ("operator", "/"),
        ("operator", "/pengingat/"),
        ("operator", "/jendela/"),  # 403
        ("operator", "/renja/{other}/evaluasi/"),  # 404
    ],
)
def test_no_serious_accessibility_violation(live_server, browser, demo, username, path):
    from monev.web.models import Renja

    other = Renja.objects.exclude(pk=demo.pk).first()
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    _sign_in(page, live_server.url, username)
    page.goto(live_server.url + path.format(r=demo.pk, other=other.pk))
    assert _serious(page) == []
