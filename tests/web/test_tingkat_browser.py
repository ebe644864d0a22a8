"""Two levels of approval in headless Chromium with the keyboard only (issue 16, point 4): the
admin configures the levels; the operator submits; the head of the PD approves from their
queue; the head of Bappeda accepts (verified, locked); the admin unlocks with a reason; the
operator sees the quarter open again.

Screenshots at 1366 × 768 are left in /tmp/tingkat-shots/."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = "/tmp/tingkat-shots"
NARASI = {
    "faktor_pendorong": "Koordinasi lintas bidang berjalan baik",
    "faktor_penghambat": "Data dari kecamatan terlambat",
    "tindak_lanjut_triwulan": "Rapat evaluasi bulanan",
    "tindak_lanjut_renja": "Menambah target pelatihan",
}


@pytest.fixture
def demo(transactional_db):
    from django.contrib.auth import get_user_model

    from monev.web.demo import load_demo
    from monev.web.models import LaporanTriwulan, Profil, Renja

    load_demo()
    renja = Renja.objects.select_related("perangkat_daerah").get(
        perangkat_daerah__kode="2.07.01", tahun=2022
    )
    for username, peran, pd, name in (
        ("kepala_pd", "kepala_pd", renja.perangkat_daerah, "Ilham (Kepala Dinas)"),
        ("kepala_bappeda", "kepala_bappeda", None, "Kepala Bappeda"),
    ):
        user = get_user_model().objects.create_user(
            username, password="monev-demo", first_name=name
        )
        Profil.objects.create(
            user=user, peran=peran, perangkat_daerah=pd, pemda=renja.perangkat_daerah.pemda
        )
    LaporanTriwulan.objects.update_or_create(renja=renja, triwulan=3, defaults=NARASI)
    os.makedirs(SHOTS, exist_ok=True)
    return renja


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/masuk/")
    page.locator("input[name=username]").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("monev-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def press_on(page, selector, key="Enter"):
    """Put the focus on an element (as Tab would) and press a key there."""
    page.locator(selector).focus()
    page.keyboard.press(key)


def shot(page, name):
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


def status(renja):
    from monev.web.models import LaporanTriwulan

    found = LaporanTriwulan.objects.get(renja=renja, triwulan=3)
    return found.status, found.tingkat


def test_two_levels_approve_then_unlock_with_the_keyboard(live_server, page, demo):
    renja = demo
    base = live_server.url
    entri = f"{base}/renja/{renja.pk}/entri/3/"

    # The admin configures two levels on the settings page.
    sign_in(page, base, "admin")
    page.goto(f"{base}/pengaturan/persetujuan/")
    page.locator("#nama_1").focus()
    page.keyboard.type("Kepala Perangkat Daerah")
    page.keyboard.press("Tab")  # to the role of level 1
    page.keyboard.press("ArrowDown")  # (tidak dipakai) -> Kepala Perangkat Daerah
    page.keyboard.press("Tab")
    page.keyboard.type("Kepala Bappeda")
    page.keyboard.press("Tab")
    for _ in range(3):  # -> Kepala Bappeda, the third role
        page.keyboard.press("ArrowDown")
    shot(page, "1-pengaturan-diisi")
    press_on(page, "form.card button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("disimpan")
    expect(page.locator("#tingkat-berlaku")).to_have_text(
        "Berlaku sekarang: Kepala Perangkat Daerah (1/2) → Kepala Bappeda (2/2)"
    )
    shot(page, "2-pengaturan-tersimpan")

    # The operator submits TW III.
    sign_in(page, base, "operator")
    page.goto(entri)
    press_on(page, "#form-ajukan button")
    dialog = page.locator("#konfirmasi-ajukan")
    if dialog.is_visible():  # empty cells: confirm
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "diajukan; menunggu Kepala Perangkat Daerah (1/2)"
    )
    expect(page.locator("#menunggu-tingkat")).to_have_text(
        "Menunggu: Kepala Perangkat Daerah (1/2)"
    )
    shot(page, "3-operator-diajukan")
    assert status(renja) == ("diajukan", 1)

    # The head of the PD approves from their queue on the home page.
    sign_in(page, base, "kepala_pd")
    queue = page.locator("table.tugas-antrean tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("Kepala Perangkat Daerah (1/2)")
    shot(page, "4-kepala-pd-antrean")
    press_on(page, "table.tugas-antrean tbody tr a:text('Periksa')")
    page.wait_for_url(entri)
    approve = page.get_by_role("button", name="Setujui (Kepala Perangkat Daerah (1/2))")
    approve.focus()
    shot(page, "4b-kepala-pd-periksa")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "disetujui; kini menunggu Kepala Bappeda (2/2)"
    )
    shot(page, "5-kepala-pd-disetujui")
    assert status(renja) == ("diajukan", 2)

    # The status board shows the level reached.
    sign_in(page, base, "kepala_bappeda")
    page.goto(f"{base}/papan/?tahun=2022")
    cell = page.locator("tr[data-pd='2.07.01'] td[data-triwulan='3']")
    expect(cell).to_contain_text("Menunggu: Kepala Bappeda (2/2)")
    shot(page, "6-papan-status")

    # The head of Bappeda accepts: verified and locked.
    page.goto(f"{base}/")
    press_on(page, "table.tugas-antrean tbody tr a:text('Periksa')")
    page.wait_for_url(entri)
    accept = page.get_by_role("button", name="Terima (verifikasi)")
    accept.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("diverifikasi")
    expect(page.locator("#status-laporan")).to_contain_text("Diverifikasi")
    shot(page, "7-kepala-bappeda-diterima")
    assert status(renja) == ("diverifikasi", 0)

    # The operator cannot change it now.
    sign_in(page, base, "operator")
    page.goto(entri)
    expect(page.locator("input[id^=in-k-]:not([readonly]):not([disabled])")).to_have_count(0)

    # The admin unlocks with a reason.
    sign_in(page, base, "admin")
    page.goto(entri)
    page.locator("input[name=alasan]").focus()
    page.keyboard.type("Koreksi hasil pemeriksaan BPK")
    shot(page, "8-admin-buka-kunci")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("dikembalikan")
    assert status(renja) == ("dikembalikan", 0)

    # The operator sees it open again, with the admin's reason.
    sign_in(page, base, "operator")
    expect(page.locator(".tugas-dikembalikan")).to_contain_text("Koreksi hasil pemeriksaan BPK")
    shot(page, "9-operator-beranda")
    press_on(page, ".tugas-dikembalikan a")
    page.wait_for_url(entri)
    expect(page.locator("#status-laporan")).to_contain_text("Dikembalikan")
    expect(page.locator("#status-laporan")).to_contain_text(
        "Kunci dibuka admin; alasan: Koreksi hasil pemeriksaan BPK"
    )
    expect(page.locator("#form-ajukan button")).to_be_visible()
    assert page.locator("input[id^=in-k-]:not([readonly]):not([disabled])").count() > 0
    shot(page, "10-operator-terbuka")
