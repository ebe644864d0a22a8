"""Take the screenshots of the user guides (docs/gambar/*.png) on a fresh demo.

    .venv/bin/python scripts/tangkap_layar.py [--keluaran docs/gambar] [--chromium /usr/bin/chromium]

Builds a new demo database in a temporary folder (`monev demo`, the reference case), serves it on
127.0.0.1, and drives headless Chromium (Playwright, 1366×768) through one quarter as each role
lives it: the operator enters and submits TW III, the verifikator returns it with a note, the
operator corrects and submits again, the verifikator accepts; the admin sees the entry windows,
the status board and the unlock form; the pimpinan reads the pemda dashboard and the
consolidated evaluation. Each picture is saved as an 8-bit palette PNG (Pillow) to keep the
repository small.

`tests/web/test_panduan_browser.py` runs the same journeys (`JOURNEY`) against a live test
server, so the guides' steps cannot go stale without a failing test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1366, "height": 768}
PASSWORD = "monev-demo"
#: The narrative of the quarter (the four fields a PD writes; Ajukan is refused without them).
NARASI = {
    "faktor_pendorong": "Koordinasi rutin antarbidang dan pelaksanaan kegiatan sesuai jadwal.",
    "faktor_penghambat": "Sebagian pengadaan baru terealisasi pada akhir triwulan.",
    "tindak_lanjut_triwulan": "Mempercepat realisasi kegiatan pemeliharaan pada triwulan IV.",
    "tindak_lanjut_renja": "Menyusun jadwal pengadaan lebih awal pada Renja berikutnya.",
}
#: The line the verifikator questions: its K TW III (40) is lower than TW II (80).
SUB_KEGIATAN = "Jumlah penyediaan jasa pemeliharaan, biaya pemeliharaan, pajak, dan perizinan"
CATATAN = "Realisasi K TW III sub kegiatan 2.07.01.2.09.02 (40) lebih kecil dari TW II (80); mohon diperiksa."

Shot = Callable[[Any, str], None]


def sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def _show(page: Any, locator: Any, above: int = 160) -> None:
    """Scroll so that `locator` sits a little below the top of the window."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate(f"window.scrollBy(0, -{above})")


def _disnaker_2022(page: Any) -> Any:
    """The home page's row of the reference Renja (the demo also holds illustrative other years)."""
    return page.locator("tr", has_text="Dinas Ketenagakerjaan").filter(has_text="2022")


def _entri(page: Any, triwulan: str = "TW III") -> None:
    _disnaker_2022(page).get_by_role("link", name=triwulan).click()
    page.wait_for_load_state()


def _saved(row: Any, value: str) -> None:
    """Wait until the row's entry cell holds `value` as stored (the grid marks it saved, or
    saved with the engine's warning)."""
    row.locator(f'td[data-k] input[data-tersimpan="{value}"]').wait_for()


def _status(page: Any) -> str:
    return str(page.locator("#status-laporan").inner_text())


def operator_submits(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "operator")
    assert "isi realisasi triwulan" in page.inner_text("body")
    shot(page, "operator-beranda")

    _entri(page)
    assert "Status laporan TW III: Draf" in _status(page)
    row = page.locator("tr", has_text="Jumlah dokumen perencanaan tenaga kerja")
    field = row.locator("td[data-k] input[name=nilai]")
    field.fill("37,5")  # Indonesian notation
    field.press("Tab")  # the cell saves on its own; focus moves on
    _saved(row, "37,5")
    wrong = page.locator("tr", has_text="Jumlah dokumen penyusunan rencana tenaga kerja mikro")
    field = wrong.locator("td[data-k] input[name=nilai]")
    field.fill("5O")  # a letter O for a zero: the cell says what is wrong, nothing is saved
    field.press("Tab")
    wrong.locator('input[data-keadaan="galat"]').wait_for()
    assert "bukan angka" in wrong.locator(".cell-error").inner_text()
    _show(page, wrong, 360)
    shot(page, "operator-entri")
    field = wrong.locator("td[data-k] input[name=nilai]")
    field.fill("0")
    field.press("Tab")
    _saved(wrong, "0")

    for name, text in NARASI.items():
        page.fill(f"textarea[name={name}]", text)
    page.get_by_role("button", name="Simpan narasi").click()
    page.locator("#narasi-status", has_text="tersimpan").wait_for()
    # The narrative and its saved mark at the bottom of the window.
    page.locator("#narasi-status").evaluate("e => e.scrollIntoView({block: 'end'})")
    page.evaluate("window.scrollBy(0, 24)")
    shot(page, "operator-narasi")

    page.get_by_role("button", name="Ajukan ke Bappeda").click()
    page.wait_for_load_state()
    assert "Diajukan" in _status(page)
    assert page.locator("td[data-k] input[name=nilai]").count() == 0  # locked once submitted
    page.close()


def verifikator_returns(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "verifikator")
    page.get_by_role("link", name="Papan status").click()
    page.wait_for_load_state()
    cell = page.locator('tr[data-pd="2.07.01"] td[data-triwulan="3"]')
    assert "Diajukan" in cell.inner_text()
    shot(page, "verifikator-papan")

    page.goto(f"{base}/")
    # The Renja list's row (the verifier's queue above it links the same evaluation too).
    _disnaker_2022(page).get_by_role("link", name="Evaluasi").last.click()
    page.get_by_role("link", name="s.d. TW III").click()
    page.wait_for_load_state()
    assert "sampai dengan TW III" in page.inner_text("body")
    shot(page, "verifikator-evaluasi")
    finding = page.locator("tr", has_text="lebih kecil dari TW II (80)")
    assert finding.count() == 1
    _show(page, finding, 250)
    shot(page, "verifikator-pemeriksaan")

    page.goto(f"{base}/")
    _entri(page)
    page.fill("input[name=catatan]", CATATAN)
    page.get_by_role("button", name="Kembalikan").click()
    page.wait_for_load_state()
    assert "Dikembalikan" in _status(page)
    page.close()


def operator_corrects(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "operator")
    _entri(page)
    assert CATATAN in _status(page)
    row = page.locator("tr", has_text=SUB_KEGIATAN)
    field = row.locator("td[data-k] input[name=nilai]")
    field.fill("80")
    field.press("Tab")
    _saved(row, "80")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "operator-dikembalikan")
    page.get_by_role("button", name="Ajukan ke Bappeda").click()
    page.wait_for_load_state()
    assert "Diajukan" in _status(page)
    page.close()


def verifikator_accepts(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "verifikator")
    _entri(page)
    page.get_by_role("button", name="Terima (verifikasi)").click()
    page.wait_for_load_state()
    assert "Diverifikasi" in _status(page)
    shot(page, "verifikator-diterima")
    page.close()


def admin_manages(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "admin")
    page.get_by_role("link", name="Jendela entri").click()
    page.wait_for_load_state()
    assert "Pengecualian per Perangkat Daerah" in page.inner_text("body")
    shot(page, "admin-jendela")

    page.get_by_role("link", name="Papan status").click()
    page.wait_for_load_state()
    assert (
        "Diverifikasi" in page.locator('tr[data-pd="2.07.01"] td[data-triwulan="3"]').inner_text()
    )

    page.goto(f"{base}/")
    _entri(page)
    assert page.get_by_role("button", name="Buka kunci").count() == 1
    page.fill("input[name=alasan]", "Koreksi pagu sesuai DPA perubahan")
    shot(page, "admin-buka-kunci")

    page.get_by_role("link", name="Renja", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("td[data-target] input").count() > 0
    shot(page, "admin-renja")
    page.close()


def pimpinan_reads(browser: Any, base: str, shot: Shot) -> None:
    page = sign_in(browser, base, "pimpinan")
    assert page.locator("input[name=nilai]").count() == 0
    page.get_by_role("link", name="Dasbor pemda").click()
    page.wait_for_load_state()
    page.select_option("select[name=triwulan]", "3")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_load_state()
    assert "sampai dengan TW III" in page.inner_text("body")
    assert "Diverifikasi" in page.locator("#tabel-pd").inner_text()
    assert "Rata-rata capaian kinerja pemda" in page.inner_text("#ringkasan-pemda")
    shot(page, "pimpinan-dasbor")

    page.locator("#tabel-pd").get_by_role("link", name="Dinas Ketenagakerjaan").click()
    page.wait_for_load_state()
    assert "Rata-rata capaian kinerja (K)" in page.inner_text("body")
    shot(page, "pimpinan-pd")

    page.get_by_role("link", name="Evaluasi pemda (konsolidasi)").click()
    page.wait_for_load_state()
    assert "Tenaga Kerja" in page.inner_text("body")
    shot(page, "pimpinan-konsolidasi")
    page.close()


def provinsi_reads_the_region(browser: Any, base: str, shot: Shot) -> None:
    """The province's Bappeda reads its kabupaten/kota side by side (docs/panduan/rekap-wilayah.md),
    from the stored figures (the pemda's pages have refreshed them in the steps before)."""
    page = sign_in(browser, base, "provinsi")
    page.get_by_role("link", name="Rekap wilayah").click()
    page.wait_for_load_state()
    page.select_option("select[name=tahun]", "2022")
    page.select_option("select[name=triwulan]", "3")
    page.select_option("select[name=kelompok]", "pemda")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    table = page.locator("#tabel-wilayah").inner_text()
    assert "Kota Tangerang" in table and "Jumlah" in table
    assert page.locator("input[name=nilai]").count() == 0  # read only
    shot(page, "provinsi-wilayah")

    page.select_option("select[name=kelompok]", "program")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    assert "2.07.01" in page.locator("#tabel-wilayah").inner_text()
    shot(page, "provinsi-wilayah-program")
    page.close()


#: One quarter, in the order it happens; each step leaves the state the next one needs.
JOURNEY = (
    operator_submits,
    verifikator_returns,
    operator_corrects,
    verifikator_accepts,
    admin_manages,
    pimpinan_reads,
    provinsi_reads_the_region,
)


def run_journey(browser: Any, base: str, shot: Shot) -> None:
    for step in JOURNEY:
        step(browser, base, shot)


def save_small(png: bytes, path: Path) -> None:
    """Write a screenshot as an 8-bit palette PNG: a tenth of the size of the 24-bit one."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=32, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("server demo berhenti sebelum siap")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server demo tidak menjawab di port {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keluaran", type=Path, default=ROOT / "docs" / "gambar")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    args.keluaran.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    data = tempfile.mkdtemp(prefix="monev-tangkap-")
    port = _free_port()
    env = {**os.environ, "MONEV_DATA_DIR": data}
    env.pop("DATABASE_URL", None)  # always a fresh SQLite demo, never a configured database
    server = subprocess.Popen(
        [sys.executable, "-m", "monev", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written: list[Path] = []

    def shot(page: Any, name: str) -> None:
        path = args.keluaran / f"{name}.png"
        save_small(page.screenshot(), path)
        written.append(path)

    try:
        _wait_for(port, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            run_journey(browser, f"http://127.0.0.1:{port}", shot)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)
    total = sum(p.stat().st_size for p in written)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"{len(written)} gambar, {total // 1024} KB")


if __name__ == "__main__":
    main()
