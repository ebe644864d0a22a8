"""The mapping preview in headless Chromium (issue 14 point 3): an admin uploads a table without
codes, changes a column's field, corrects a name with the keyboard, saves the mapping, uploads a
second file of the same system with the saved mapping applied, and imports it; the figures
imported equal a recomputation from the file.

Screenshots at 1366 × 768 are left in /tmp/pemetaan-shots/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.io import tabel_shapes as shapes

pytestmark = [pytest.mark.browser]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = Path("/tmp/pemetaan-shots")
HEADER = ["No", "Uraian", "Indikator", "Satuan", "Target", "Realisasi TW I", "Realisasi TW II", "Realisasi TW III", "Realisasi TW IV", "Nilai DPA", "Realisasi Keuangan"]  # fmt: skip
DAMAGED = "Penyediaan Gaji dan Tunjangan ASM"  # `ASN` misread by OCR
CORRECT = "Penyediaan Gaji dan Tunjangan ASN"


def table(figures: list[tuple[str, str, str]]) -> bytes:
    """A code-less table: the program, its kegiatan, two sub kegiatan; `figures` per sub
    kegiatan: (K realisation of TW IV, the DPA pagu, the Rp realisation)."""
    (k1, pagu1, rp1), (k2, pagu2, rp2) = figures
    rows = [
        ["EVALUASI RENJA DINAS KETENAGAKERJAAN TAHUN 2024"],
        HEADER,
        ["1", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Persentase layanan", "%", "100", "25", "50", "75", "100", "", ""],
        ["", "Kegiatan : Administrasi Keuangan Perangkat Daerah", "Jumlah dokumen", "dokumen", "12", "3", "3", "3", "3", "", ""],
        ["", f"1. Sub Kegiatan {DAMAGED}", "Jumlah bulan", "bulan", "12", "3", "3", "3", k1, pagu1, rp1],
        ["", "2. Sub Kegiatan Penyediaan Administrasi Pelaksanaan Tugas ASN", "Jumlah dokumen", "dokumen", "4", "1", "1", "1", k2, pagu2, rp2],
    ]  # fmt: skip
    return shapes.csv_bytes(rows)


FIRST = table([("3", "1.000.000.000", "900.000.000"), ("1", "250.000.000", "200.000.000")])
SECOND = table([("2", "1.200.000.000", "1.000.000.000"), ("1", "300.000.000", "150.500.000")])


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    from monev.web.demo import load_demo

    settings.DATA_DIR = tmp_path  # the private upload area of this test
    load_demo()
    from monev.web.models import PerangkatDaerah

    return PerangkatDaerah.objects.get(kode="2.07.01")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


def choose_file(page, base: str, pd, name: str, data: bytes, saved: str | None = None) -> None:
    page.goto(f"{base}/impor/tabel/")
    page.select_option("select[name=perangkat_daerah]", str(pd.pk))
    page.fill("input[name=tahun]", "2024")
    page.set_input_files(
        "input[name=berkas]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    if saved is not None:
        page.select_option("select[name=terapkan]", label=f"{saved} ({pd.pemda.nama})")
    shot(page, f"01-unggah-{Path(name).stem}")
    page.get_by_role("button", name="Unggah dan tampilkan pratinjau").click()
    expect(page.locator("h1")).to_contain_text("Pratinjau pemetaan")


def test_admin_maps_a_table_saves_the_mapping_and_reuses_it_on_a_second_file(
    live_server, page, demo
):
    from monev.core.evaluation import evaluate
    from monev.io.legacy.grid import read_grids
    from monev.io.tabel import parse_tables
    from monev.io.tabel.pilih import renja_of
    from monev.web import selectors
    from monev.web.models import PemetaanTersimpan, Renja

    base = live_server.url
    sign_in(page, base)
    choose_file(page, base, demo, "dpa-tw4.csv", FIRST)
    mapping = page.locator("#pemetaan-json")
    # Every node without a code is shown with its level and a provisional code.
    expect(page.locator(".badge.sementara")).to_have_count(4)
    expect(mapping).to_contain_text('"nilai dpa": "abaikan"')  # the header is not recognised
    shot(page, "02-pratinjau")

    # `Target` alone was read as the Rp target (pagu); the DPA column is the pagu, and `Target`
    # the K target. Each change reads the table again (htmx); two columns of one field are
    # warned about.
    expect(mapping).to_contain_text('"target": "pagu"')
    page.select_option('select[name="kolom:nilai dpa"]', "pagu")
    expect(page.locator(".peringatan").first).to_contain_text(
        "kolom 'Nilai DPA' dan 'Target' sama-sama berisi pagu (target Rp); yang dipakai kolom 'Target'"
    )
    page.select_option('select[name="kolom:target"]', "target_k")
    expect(mapping).to_contain_text('"target": "target_k"')
    expect(mapping).to_contain_text('"nilai dpa": "pagu"')
    expect(page.locator('select[name="notasi:nilai dpa"]')).to_have_value("id")
    expect(page.locator(".peringatan")).to_have_count(0)  # no field held by two columns
    shot(page, "03-kolom-diubah")

    # The damaged name is corrected with the keyboard; Enter moves to the next name.
    damaged = page.locator(f'input.nama-simpul[value="{DAMAGED}"]')
    damaged.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(CORRECT)
    page.keyboard.press("Enter")
    next_name = page.evaluate("document.activeElement.value")
    assert next_name == "Penyediaan Administrasi Pelaksanaan Tugas ASN"
    expect(page.locator("input.nama-simpul.diubah")).to_have_count(1)
    shot(page, "04-nama-diperbaiki")

    # Saved under a name for the pemda (Enter in the name saves).
    page.locator("#nama_pemetaan").click()
    page.keyboard.type("DPA tanpa kode")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Pemetaan 'DPA tanpa kode' tersimpan")
    shot(page, "05-pemetaan-tersimpan")
    saved = PemetaanTersimpan.objects.get(pemda=demo.pemda, nama="DPA tanpa kode")
    from monev.io.tabel.model import Pemetaan

    stored_mapping = Pemetaan.from_json(saved.isi)
    assert stored_mapping.kolom["nilai dpa"] == "pagu", stored_mapping
    assert stored_mapping.kolom["target"] == "target_k", stored_mapping
    assert stored_mapping.nama == {DAMAGED: CORRECT}

    # A second file of the same system, with the saved mapping applied, then imported.
    choose_file(page, base, demo, "dpa-tw4-revisi.csv", SECOND, saved="DPA tanpa kode")
    expect(page.locator(".messages")).to_contain_text("'DPA tanpa kode' diterapkan")
    expect(mapping).to_contain_text('"nilai dpa": "pagu"')
    expect(page.locator(f'input.nama-simpul[value="{CORRECT}"]')).to_have_count(1)
    shot(page, "06-kedua-diterapkan")
    page.get_by_role("button", name="Impor ke basis data").click()
    expect(page.locator(".messages")).to_contain_text("tersimpan: 4 simpul")
    shot(page, "07-renja-tersimpan")

    renja = Renja.objects.get(perangkat_daerah=demo, tahun=2024)
    imported = selectors.renja_evaluasi(renja, 4)
    expected = evaluate(
        renja_of(parse_tables(read_grids(Path("kedua.csv"), SECOND), "kedua.csv", stored_mapping)),
        4,
    )
    assert imported.ringkasan.pagu == expected.ringkasan.pagu == Decimal("1500000000")
    assert imported.ringkasan.realisasi_rp == Decimal("1150500000")
    assert [(b.node.kode, b.node.nama, b.capaian) for b in imported.baris] == [
        (b.node.kode, b.node.nama, b.capaian) for b in expected.baris
    ]
    assert CORRECT in {b.node.nama for b in imported.baris}
    # The provisional codes are marked on the evaluation page.
    page.goto(f"{base}/renja/{renja.pk}/evaluasi/?triwulan=4")
    expect(page.get_by_text("(kode sementara)").first).to_be_visible()
    shot(page, "08-evaluasi-kode-sementara")
