"""The import job page in headless Chromium (issue 14 point 6): an admin starts an import with
the keyboard, the page's progress bar follows the job as htmx polls it, the done state links to
the Renja (reached with Tab and Enter), a job that fails shows its Indonesian message; both
states pass an axe-core scan. The test plays the runner's part (the job's row is what the page
reads), so nothing waits on a clock. Screenshots at 1366 × 768 are left in /tmp/tugas-shots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/tugas-shots")
DEMO_CSV = Path(__file__).resolve().parents[2] / "src/monev/demo/disnaker-tangerang-2022.csv"


@pytest.fixture
def demo(transactional_db, settings, tmp_path, monkeypatch):
    from monev.web import tugas_impor
    from monev.web.demo import load_demo
    from monev.web.models import PerangkatDaerah

    settings.DATA_DIR = tmp_path
    load_demo()
    # The job stays queued when the page asks to start it: the test runs it, step by step.
    monkeypatch.setattr(tugas_impor, "tugas_mulai", lambda tugas: None)
    return PerangkatDaerah.objects.get(kode="2.07.01")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_serious_violation(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def start_import(page, base: str, pd, tahun: str) -> None:
    """Sign in and start an import of the demo's flat file, by keyboard where one can type."""
    page.goto(f"{base}/masuk/")
    page.focus("input[name=username]")
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type("monev-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/impor/")
    page.select_option("select[name=perangkat_daerah]", str(pd.pk))
    page.focus("input[name=tahun]")
    page.keyboard.press("Control+A")
    page.keyboard.type(tahun)
    # A browser only lets a person pick a file in its own dialog: the one step not typed.
    page.set_input_files("input[name=berkas]", str(DEMO_CSV))
    page.get_by_role("button", name="Periksa berkas").focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Simpan ke basis data")
    confirm.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/impor/tugas/*/")


def test_the_job_page_follows_the_import_and_links_the_renja(live_server, page, demo):
    from monev.web import tugas_impor
    from monev.web.models import Renja, TugasImpor

    base = live_server.url
    start_import(page, base, demo, "2031")
    tugas = TugasImpor.objects.get()
    card = page.locator("#tugas-impor")
    expect(card).to_have_attribute("data-status", "antre")
    expect(page.locator("#tugas-impor-judul")).to_have_text("Menunggu giliran")
    expect(card).to_contain_text("halaman ini boleh ditutup")
    shot(page, "01-antre")

    # The runner reports its progress in the job's row; each poll shows it.
    for done, total in ((120, 480), (360, 480)):
        TugasImpor.objects.filter(pk=tugas.pk).update(
            status="berjalan", tahap="Memeriksa baris", selesai_baris=done, jumlah_baris=total
        )
        bar = page.locator("#tugas-impor progress")
        expect(bar).to_have_attribute("value", str(done * 100 // total))
        expect(page.locator("#tugas-impor-tahap")).to_contain_text(f"{done}/{total} baris")
    shot(page, "02-berjalan")
    no_serious_violation(page)

    TugasImpor.objects.filter(pk=tugas.pk).update(status="antre")
    # The page stops polling while the test runs the job in its own thread: the test database is
    # SQLite's shared in-memory one, where a read of the live server's thread in the middle of the
    # import's writes makes them fail at once ("database table is locked"), which a real server's
    # file database (WAL, a busy timeout) does not do. The page is opened again when it is done.
    job_url = page.url
    page.goto("about:blank")
    assert tugas_impor.tugas_jalankan(tugas.pk).status == "selesai"
    page.goto(job_url)
    expect(card).to_have_attribute("data-status", "selesai")
    renja = Renja.objects.get(perangkat_daerah=demo, tahun=2031)
    link = page.get_by_role("link", name=f"Buka Renja {demo.nama} 2031")
    expect(link).to_have_attribute("href", f"/renja/{renja.pk}/")
    expect(card).not_to_have_attribute("hx-trigger", "every 1s")  # polling stops when done
    expect(card).not_to_contain_text("berjalan di latar belakang")
    shot(page, "03-selesai")
    no_serious_violation(page)
    # Keyboard only: Tab reaches the link, Enter opens the Renja.
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the link to the Renja")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/renja/{renja.pk}/")


def test_a_failing_job_shows_its_message(live_server, page, demo):
    from monev.web import tugas_impor
    from monev.web.models import LaporanTriwulan, Renja, TugasImpor

    start_import(page, live_server.url, demo, "2022")
    tugas = TugasImpor.objects.get()
    # A quarter submitted after the job was queued: the job refuses, nothing is written.
    renja = Renja.objects.get(perangkat_daerah=demo, tahun=2022, versi="murni")
    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=1, defaults={"status": "diajukan"}
    )
    job_url = page.url
    page.goto("about:blank")  # no poll while the job runs (see the test above)
    assert tugas_impor.tugas_jalankan(tugas.pk).status == "gagal"
    page.goto(job_url)
    card = page.locator("#tugas-impor")
    expect(card).to_have_attribute("data-status", "gagal")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("tidak disimpan (1 masalah). Tidak ada yang diubah.")
    expect(alert).to_contain_text("Renja ini tidak dapat diganti dengan impor: TW I sudah diajukan")
    expect(alert).to_contain_text("Perbaiki yang disebut di atas, lalu unggah ulang.")
    shot(page, "04-gagal")
    no_serious_violation(page)
