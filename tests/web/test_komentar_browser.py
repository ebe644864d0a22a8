"""Comments per value in headless Chromium with the keyboard only (issue 16, point 3): a verifier
opens a submitted report, writes two comments flagged *perlu tindak lanjut* on two lines and
returns the report (the return lists both lines); the operator finds them on the home to-do,
follows a link to the cell, corrects the value, answers the thread and submits again; the
verifier sees the answered threads, resolves them and accepts. The page with the comment panel
open passes an axe-core scan. Screenshots at 1366 × 768 are left in /tmp/komentar-shots/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/komentar-shots")
TW = 3
NARASI = {
    "faktor_pendorong": "Dukungan pimpinan",
    "faktor_penghambat": "Pengadaan terlambat",
    "tindak_lanjut_triwulan": "Percepat pengadaan",
    "tindak_lanjut_renja": "Jadwal lebih awal",
}


@pytest.fixture
def demo(transactional_db):
    from django.contrib.auth import get_user_model

    from monev.web import selectors, services, siklus
    from monev.web.demo import load_demo
    from monev.web.models import Indikator, Renja, Simpul

    load_demo()
    renja = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    operator = get_user_model().objects.get(username="operator")
    services.laporan_narasi_update(
        user=operator,
        renja=renja,
        triwulan=TW,
        narasi=NARASI,
        versi=selectors.versi_laporan(renja, TW),
    )
    siklus.laporan_submit(user=operator, renja=renja, triwulan=TW)
    indikator = Indikator.objects.filter(simpul__renja=renja).order_by(
        "simpul__urutan", "urutan", "id"
    )[2]
    leaf = Simpul.objects.filter(renja=renja, anak__isnull=True).order_by("urutan")[1]
    return renja, indikator, leaf


@pytest.fixture
def contexts(browser):
    opened = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        opened.append(context)
        return context.new_page()

    yield make
    for context in opened:
        context.close()


def sign_in(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


def active(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, text: str, limit: int = 25) -> None:
    """Press Tab until the focused element reads `text` (a keyboard user's way to a button)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def serious(page) -> list[tuple[str, str, int]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["help"], len(v["nodes"]))
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def open_panel(page, sel: str) -> None:
    """Open a line's comment panel from its button in the row, with Enter."""
    page.locator(f"#km-{sel}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-komentar")).to_have_attribute("open", "")


def flag_comment(page, sel: str, teks: str) -> None:
    open_panel(page, sel)
    assert active(page) == "komentar-baru"  # the focus is in the panel, on the new comment
    page.keyboard.type(teks)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the box "perlu tindak lanjut"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Kirim komentar
    expect(page.locator("#komentar-pesan")).to_have_text(
        "Komentar terkirim dan ditandai perlu tindak lanjut."
    )
    assert active(page) == "komentar-pesan"
    page.keyboard.press("Escape")
    expect(page.locator("#panel-komentar")).not_to_have_attribute("open", "")
    assert active(page) == f"km-{sel}"  # back on the line's button, now marked
    expect(page.locator(f"#km-{sel}")).to_have_class("km km-tindak-lanjut")


def test_return_with_two_flagged_lines_correct_resubmit_and_accept(live_server, contexts, demo):
    from monev.web.models import Komentar, LaporanTriwulan, RealisasiK, RealisasiRp, Riwayat

    renja, indikator, leaf = demo
    k, rp = f"k-{indikator.pk}", f"rp-{leaf.pk}"
    base = live_server.url

    # The verifier opens the submitted report from the queue on the home page.
    verifier = contexts()
    sign_in(verifier, base, "verifikator")
    verifier.locator(".tugas-antrean a", has_text="Periksa").focus()
    verifier.keyboard.press("Enter")
    verifier.wait_for_url(f"{base}/renja/{renja.pk}/entri/{TW}/")
    flag_comment(verifier, k, "Realisasi TW III tidak sesuai laporan bulanan.")
    open_panel(verifier, rp)
    shot(verifier, "1-verifikator-panel-kosong")
    verifier.keyboard.press("Escape")
    flag_comment(verifier, rp, "Realisasi Rp belum sesuai SP2D.")
    shot(verifier, "2-verifikator-baris-ditandai")

    verifier.locator("input[name=catatan]").focus()
    verifier.keyboard.type("Perbaiki dua baris yang ditandai.")
    verifier.keyboard.press("Tab")
    verifier.keyboard.press("Enter")  # Kembalikan
    expect(verifier.locator("#status-laporan")).to_contain_text("Dikembalikan")
    note = verifier.locator("#status-laporan .note").first
    expect(note).to_contain_text("Baris perlu tindak lanjut (2)")
    record = Riwayat.objects.filter(renja=renja, jenis="status").latest("waktu", "id")
    assert record.nilai_baru == "dikembalikan"
    assert record.keterangan.startswith("Perbaiki dua baris yang ditandai.\nBaris perlu tindak")
    assert indikator.simpul.kode in record.keterangan and leaf.kode in record.keterangan

    # The operator finds both lines on the home to-do and follows the first to its cell.
    operator = contexts()
    sign_in(operator, base, "operator")
    todo = operator.locator("#tugas-komentar-tl a")
    expect(todo).to_have_count(2)
    shot(operator, "3-operator-beranda")
    operator.locator(f"#tugas-komentar-tl a[href$='#sel-{k}']").focus()
    operator.keyboard.press("Enter")
    operator.wait_for_url(f"**/entri/{TW}/#sel-{k}")
    expect(operator.locator(f"#in-{k}")).to_be_focused()  # the cursor is in the cell
    operator.keyboard.press("Control+A")
    operator.keyboard.type("76,5")
    operator.keyboard.press("Enter")  # saves and goes down
    expect(operator.locator("td[data-menyimpan]")).to_have_count(0)
    operator.keyboard.press("ArrowUp")
    expect(operator.locator(f"#in-{k}")).to_have_attribute("data-keadaan", "tersimpan")
    operator.keyboard.press("Shift+F2")  # the line's comments, as in a spreadsheet
    expect(operator.locator("#panel-komentar")).to_have_attribute("open", "")
    assert active(operator).startswith("balas-")  # the answer of the open thread
    operator.keyboard.type("Sudah diperbaiki sesuai laporan bulanan.")
    shot(operator, "4-operator-menjawab")
    operator.keyboard.press("Tab")
    operator.keyboard.press("Enter")  # Kirim balasan
    expect(operator.locator("#komentar-pesan")).to_have_text("Balasan terkirim.")
    operator.keyboard.press("Escape")
    assert active(operator) == f"in-{k}"  # back in the line's cell
    expect(operator.locator(f"#km-{k}")).to_have_attribute("tabindex", "-1")  # Tab: cell to cell
    expect(operator.locator(f"#km-{k} [aria-hidden]")).to_have_text("⚑ 1 ↩")

    # The second line from the report page's list of flagged lines: to the cell, then its button.
    operator.locator(f"#komentar-tl a[data-sel='{rp}']").focus()
    operator.keyboard.press("Enter")
    expect(operator.locator(f"#in-{rp}")).to_be_focused()
    operator.keyboard.press("Control+A")
    operator.keyboard.type("1.000.000")
    operator.keyboard.press("Tab")  # saves on change
    expect(operator.locator("td[data-menyimpan]")).to_have_count(0)
    operator.keyboard.press("Shift+Tab")  # back to the cell
    assert active(operator) == f"in-{rp}"
    operator.keyboard.press("Shift+F2")
    expect(operator.locator("#panel-komentar")).to_have_attribute("open", "")
    operator.keyboard.type("SP2D sudah dilampirkan, angka dibetulkan.")
    operator.keyboard.press("Tab")
    operator.keyboard.press("Enter")
    expect(operator.locator("#komentar-pesan")).to_have_text("Balasan terkirim.")
    operator.keyboard.press("Escape")

    operator.locator("#form-ajukan button[type=submit]").focus()
    operator.keyboard.press("Enter")  # Ajukan ke Bappeda
    dialog = operator.locator("#konfirmasi-ajukan")
    operator.wait_for_timeout(300)
    if dialog.is_visible():  # the quarter has empty cells: confirm them
        expect(operator.locator("#ajukan-ya")).to_be_focused()
        operator.keyboard.press("Enter")
    expect(operator.locator("#status-laporan")).to_contain_text("Diajukan")
    assert RealisasiK.objects.get(indikator=indikator, triwulan=TW).nilai == Decimal("76.5")
    assert RealisasiRp.objects.get(simpul=leaf, triwulan=TW).nilai == Decimal(1_000_000)

    # The verifier sees both answered threads on the home page, resolves them and accepts.
    verifier.goto(f"{base}/")
    answered = verifier.locator("#tugas-komentar-dijawab a")
    expect(answered).to_have_count(2)
    shot(verifier, "5-verifikator-beranda-dijawab")
    verifier.locator(f"#tugas-komentar-dijawab a[href$='#sel-{k}']").focus()
    verifier.keyboard.press("Enter")
    verifier.wait_for_url(f"**/entri/{TW}/#sel-{k}")
    expect(verifier.locator(f"#km-{k}")).to_be_focused()  # no cell to type in: its button
    expect(verifier.locator(f"#km-{k} .sr")).to_contain_text("sudah dijawab operator")
    verifier.keyboard.press("Enter")
    expect(verifier.locator("#panel-komentar")).to_have_attribute("open", "")
    shot(verifier, "6-verifikator-panel-dijawab")
    assert serious(verifier) == []  # the page with the comment panel open
    tab_to(verifier, "Tandai selesai")
    verifier.keyboard.press("Enter")
    expect(verifier.locator("#komentar-pesan")).to_have_text("Utas ditandai selesai.")
    verifier.keyboard.press("Escape")
    expect(verifier.locator(f"#km-{k}")).to_have_class("km km-selesai")

    # The second through the report page's list of open flagged lines.
    verifier.locator(f"#komentar-tl a[data-sel='{rp}']").focus()
    verifier.keyboard.press("Enter")
    expect(verifier.locator(f"#km-{rp}")).to_be_focused()
    verifier.keyboard.press("Enter")
    expect(verifier.locator("#panel-komentar")).to_have_attribute("open", "")
    tab_to(verifier, "Tandai selesai")
    verifier.keyboard.press("Enter")
    expect(verifier.locator("#komentar-pesan")).to_have_text("Utas ditandai selesai.")
    verifier.keyboard.press("Escape")

    tab_to(verifier, "Terima (verifikasi)", limit=400)
    verifier.keyboard.press("Enter")
    expect(verifier.locator("#status-laporan")).to_contain_text("Diverifikasi")
    assert LaporanTriwulan.objects.get(renja=renja, triwulan=TW).status == "diverifikasi"
    assert not Komentar.objects.filter(induk__isnull=True, selesai=False).exists()

    verifier.goto(f"{base}/renja/{renja.pk}/riwayat/{TW}/")
    shot(verifier, "7-riwayat-laporan")
    events = verifier.locator("table.riwayat-laporan tbody tr td:nth-child(3)").all_inner_texts()
    assert (
        events[0] == "Diajukan ke Bappeda" and events[-1] == "Diterima (diverifikasi) dan dikunci"
    )
    assert "Dikembalikan ke operator" in events and events.count("Komentar dibalas") == 2


@pytest.mark.parametrize("path", ["/renja/{r}/entri/3/", "/renja/{r}/evaluasi/?triwulan=3"])
def test_pages_with_comment_marks_pass_an_accessibility_scan(live_server, contexts, demo, path):
    from django.contrib.auth import get_user_model

    from monev.web import komentar

    renja, indikator, _leaf = demo
    verifikator = get_user_model().objects.get(username="verifikator")
    komentar.komentar_write(
        user=verifikator,
        renja=renja,
        triwulan=TW,
        sasaran=komentar.Sasaran("k", indikator.simpul, indikator),
        teks="Cek",
        perlu_tindak_lanjut=True,
    )
    page = contexts()
    sign_in(page, live_server.url, "verifikator")
    page.goto(live_server.url + path.format(r=renja.pk))
    assert serious(page) == []
    open_panel(page, f"k-{indikator.pk}")
    shot(page, "8-panel-" + ("entri" if "entri" in path else "evaluasi"))
    assert serious(page) == []
