"""A pemda's own predikat band sets (spec §7): the admin page, its checks, its record, and the
same pemda-specific labels on the evaluation page, the XLSX, the PDF and the API."""

from __future__ import annotations

import io
import subprocess

import pytest

from monev.pemda import selectors as pemda_selectors
from monev.pemda.services import token_create
from monev.web.models import Riwayat

URL = "/pengaturan/predikat/"

#: Labels no default set uses, so that finding them proves the pemda's set was applied.
K_SET = """tanpa target = Tidak ada target
0–49,99 = K Kurang Sekali
50–74,99 = K Kurang
75–99,99 = K Baik
100 = K Tercapai
> 100 = K Melebihi Target"""
RP_SET = """0–24,99 = Rp Sangat Rendah
25–49,99 = Rp Rendah
50–74,99 = Rp Sedang
75–94,99 = Rp Tinggi
≥ 95 = Rp Sangat Tinggi"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    pemda_selectors.clear_cache()


@pytest.fixture
def pemda(disnaker):
    return disnaker.perangkat_daerah.pemda


def _save(client, pemda, k, rp):
    return client.post(URL, {"pemda": pemda.pk, "pita_k": k, "pita_rp": rp})


def test_only_the_admin_opens_the_page(client_for, pemda):
    assert client_for("admin").get(URL).status_code == 200
    assert client_for("verifikator").get(URL).status_code == 403
    assert client_for("operator").get(URL).status_code == 403


def test_a_gap_is_refused_with_its_values_and_nothing_is_stored(client_for, pemda):
    response = _save(client_for("admin"), pemda, K_SET, RP_SET.replace("25–49,99", "25,01–49,99"))
    assert response.status_code == 400
    assert "celah antara 24,99 dan 25,01: nilai 25,00 tidak masuk pita mana pun" in (
        response.content.decode()
    )
    pemda.refresh_from_db()
    assert (pemda.pita_predikat_k, pemda.pita_predikat_rp) == ("", "")


def test_an_overlap_is_refused(client_for, pemda):
    response = _save(client_for("admin"), pemda, K_SET.replace("50–74,99", "49–74,99"), "")
    assert response.status_code == 400
    assert "tumpang tindih: nilai 49,00 sampai 49,99 masuk keduanya" in response.content.decode()


def test_saved_sets_are_recorded_on_every_renja_of_the_pemda(client_for, pemda, disnaker):
    response = _save(client_for("admin"), pemda, K_SET, RP_SET)
    assert response.status_code == 302
    pemda.refresh_from_db()
    assert pemda.pita_predikat_k.splitlines()[0] == "tanpa target = Tidak ada target"
    records = Riwayat.objects.filter(renja=disnaker, jenis=Riwayat.Jenis.PENGATURAN)
    assert {r.kolom for r in records} == {"pita_predikat_k", "pita_predikat_rp"}
    assert all(r.pengguna.username == "admin" for r in records)  # type: ignore[union-attr]


def _xlsx_texts(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return " ".join(
        str(c.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    )


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "evaluasi.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(done.stdout.split())


def test_page_xlsx_pdf_and_api_show_the_same_pemda_labels(
    client, client_for, users, pemda, disnaker, tmp_path
):
    assert _save(client_for("admin"), pemda, K_SET, RP_SET).status_code == 302
    reader = client_for("verifikator")
    page = reader.get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=4")
    evaluasi = page.context["evaluasi"]
    ringkasan = evaluasi.ringkasan
    labels_k = {b.predikat for b in evaluasi.baris if b.predikat}
    labels_rp = {b.rp.predikat for b in evaluasi.baris if b.rp and b.rp.predikat}
    assert labels_k and all(label.startswith(("K ", "Tidak ada target")) for label in labels_k)
    assert labels_rp and all(label.startswith("Rp ") for label in labels_rp)
    assert ringkasan.predikat_k.startswith("K ") and ringkasan.predikat_rp.startswith("Rp ")
    html = page.content.decode()
    footer = {ringkasan.predikat_k, ringkasan.predikat_rp}
    assert all(label in html for label in footer | labels_k)

    xlsx = reader.get(f"/renja/{disnaker.pk}/unduh/?format=xlsx&triwulan=4&tata_letak=ringkas")
    assert all(label in _xlsx_texts(xlsx.content) for label in footer)

    pdf = reader.get(f"/renja/{disnaker.pk}/unduh/?format=pdf&triwulan=4")
    assert all(label in _pdf_text(pdf.content, tmp_path) for label in footer)

    token = token_create(user=users["verifikator"], nama="uji pita")[1]
    body = client.get(
        f"/pemda/api/renja/{disnaker.pk}/evaluasi?triwulan=4",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert body["ringkasan"]["predikat_k"] == ringkasan.predikat_k
    assert body["ringkasan"]["predikat_rp"] == ringkasan.predikat_rp
    assert {line["predikat_k"] for line in body["baris"] if line["predikat_k"]} == labels_k


def test_chart_palette_keeps_the_default_colours_and_ranks_a_pemdas_own_labels():
    from monev.core.predikat import DEFAULT_PITA, parse_pita
    from monev.pemda import charts

    default = charts.palet(DEFAULT_PITA, DEFAULT_PITA)
    assert default.urutan == charts.PREDIKAT
    assert all(default.warna[p] == charts.WARNA_PREDIKAT[p] for p in charts.PREDIKAT)
    assert default.batas == charts.BAWAAN.batas
    own = charts.palet(parse_pita(K_SET), parse_pita(RP_SET))
    assert own.urutan[:6] == (
        "K Melebihi Target",
        "K Tercapai",
        "K Baik",
        "K Kurang",
        "K Kurang Sekali",
        "Tidak ada target",
    )
    assert own.warna["K Melebihi Target"] == charts.WARNA_PREDIKAT["Sangat Tinggi"]
    assert own.warna["K Kurang Sekali"] == charts.WARNA_PREDIKAT["Sangat Rendah"]
    assert own.warna["Rp Sangat Rendah"] == charts.WARNA_PREDIKAT["Sangat Rendah"]
    assert own.warna["Tidak ada target"] == charts.WARNA_PREDIKAT[None]


def test_dashboard_filters_and_charts_by_the_pemda_labels(client_for, pemda, disnaker):
    assert _save(client_for("admin"), pemda, K_SET, RP_SET).status_code == 302
    reader = client_for("verifikator")
    page = reader.get("/pemda/?tahun=2022&triwulan=4")
    assert '<option value="K Tercapai"' in page.content.decode()
    row = next(r for r in page.context["dasbor"].rows if r.kode == "2.07.01")
    assert row.predikat_k.startswith("K ")
    only = reader.get("/pemda/", {"tahun": 2022, "triwulan": 4, "predikat": row.predikat_k})
    assert [r.kode for r in only.context["dasbor"].rows] == ["2.07.01"]
    svg = reader.get("/pemda/grafik/peta-panas.svg?tahun=2022&triwulan=4").content.decode()
    assert row.predikat_k in svg and "Rp Sangat Tinggi" in svg
