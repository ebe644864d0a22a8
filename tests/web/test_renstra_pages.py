"""The Renstra's pages: import, targets per year, E.80 page and files, the Renja's place in the
period (links, next year, perubahan, comparison, the E.81 on the version in force)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monev.renstra import services
from monev.renstra.models import Renstra
from monev.web import services as web_services
from monev.web.models import Indikator, Renja
from tests.web.renstra_helpers import (
    KEGIATAN,
    RENSTRA_CSV,
    contoh_pd,
    renja_core,
    renstra_periode,
    verify_year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def renstra(users):
    return services.renstra_import(
        user=users["admin"], perangkat_daerah=contoh_pd(), periode=renstra_periode()
    )


@pytest.fixture
def first(users, renstra):
    renja = web_services.renja_import(
        user=users["admin"], perangkat_daerah=contoh_pd(), tahun=2024, renja=renja_core()
    )
    services.tautan_terapkan(user=users["admin"], renja=renja, renstra=renstra)
    return renja


def _upload(text: str, name: str = "renstra.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_import_page_saves_a_good_file_and_lists_every_problem_of_a_bad_one(client_for):
    client = client_for("admin")
    form = {"perangkat_daerah": contoh_pd().pk, "tahun_awal": "2024", "tahun_akhir": "2028"}
    bad = client.post(
        "/renstra/impor/", {**form, "berkas": _upload(RENSTRA_CSV.replace(",90,", ",x,"))}
    )
    assert bad.status_code == 400
    assert "baris 2, kolom target_akhir_k" in bad.content.decode()
    assert not Renstra.objects.filter(tahun_awal=2024).exists()
    good = client.post("/renstra/impor/", {**form, "berkas": _upload(RENSTRA_CSV)})
    renstra = Renstra.objects.get(tahun_awal=2024, perangkat_daerah=contoh_pd())
    assert good.status_code == 302 and good["Location"] == f"/renstra/{renstra.pk}/"
    page = client.get(good["Location"]).content.decode()
    assert "Program contoh" in page and "impor baru" in page


def test_operator_reads_own_renstra_only_and_cannot_import(client_for, renstra):
    assert client_for("operator2").get(f"/renstra/{renstra.pk}/").status_code == 200
    assert client_for("operator").get(f"/renstra/{renstra.pk}/").status_code == 404
    response = client_for("operator2").post("/renstra/impor/", {"berkas": _upload(RENSTRA_CSV)})
    assert response.status_code == 403


def test_e80_page_and_files(client_for, renstra, first):
    client = client_for("pimpinan")
    page = client.get(f"/renstra/{renstra.pk}/e80/?sampai=2025").content.decode()
    assert "Formulir E.80" in page and "belum diverifikasi" in page
    xlsx = client.get(f"/renstra/{renstra.pk}/e80.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.cell(1, 1).value == "EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH"
    assert client.get(f"/renstra/{renstra.pk}/e80.pdf").content.startswith(b"%PDF")
    assert client.get(f"/renstra/{renstra.pk}/e80.doc").status_code == 404


def test_renja_panel_links_and_shows_where_column_7_comes_from(client_for, users, renstra, first):
    verify_year(first)
    second = web_services.renja_import(
        user=users["admin"], perangkat_daerah=contoh_pd(), tahun=2025, renja=renja_core()
    )
    client = client_for("admin")
    assert "belum ditautkan" in client.get(f"/renstra/renja/{second.pk}/").content.decode()
    response = client.post(
        f"/renstra/renja/{second.pk}/tautkan/", {"renstra": renstra.pk}, follow=True
    )
    page = response.content.decode()
    assert "3 simpul dan 3 indikator baru ditautkan" in page
    assert "2024: 6 (terverifikasi di monev)" in page
    assert client_for("operator2").post(f"/renstra/renja/{second.pk}/tautkan/").status_code == 403


def test_next_year_page_creates_the_year_and_reports_it(client_for, first):
    client = client_for("admin")
    response = client.post(f"/renstra/renja/{first.pk}/tahun-berikut/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Renja 2025" in page and "Dibawa dari 2024 (3)" in page
    renja = Renja.objects.get(perangkat_daerah=contoh_pd(), tahun=2025)
    assert client.get(f"/renja/{renja.pk}/entri/1/").status_code == 200
    again = client.post(f"/renstra/renja/{first.pk}/tahun-berikut/", follow=True)
    assert "sudah ada" in again.content.decode()


def test_perubahan_pages_and_the_e81_title_says_the_version(client_for, users, first):
    client = client_for("admin")
    response = client.post(
        f"/renstra/renja/{first.pk}/perubahan/", {"triwulan_mulai": "3", "alasan": "APBD-P"}
    )
    baru = Renja.objects.get(perangkat_daerah=contoh_pd(), tahun=2024, versi="perubahan")
    assert response.status_code == 302
    assert response["Location"] == f"/renstra/renja/{baru.pk}/rencana-perubahan/"
    assert 'name="nilai"' in client.get(response["Location"]).content.decode()
    item = Indikator.objects.get(simpul__renja=baru, simpul__kode=KEGIATAN)
    url = f"/renstra/renja/{baru.pk}/rencana-perubahan/target/{item.pk}/"
    stale = client.post(url, {"nilai": "5", "versi": str(item.versi + 1)}, follow=True)
    assert "diubah orang lain" in stale.content.decode()
    saved = client.post(url, {"nilai": "4", "versi": str(item.versi)}, follow=True)
    assert "Target tersimpan" in saved.content.decode()
    bad = client.post(url, {"nilai": "empat", "versi": str(item.versi + 1)}, follow=True)
    assert "bukan angka" in bad.content.decode()
    page = client.get(f"/renstra/renja/{baru.pk}/banding/").content.decode()
    assert "APBD-P" in page and KEGIATAN in page and ">4<" in page
    for triwulan, versi in (
        (2, "Renja Murni (berlaku sampai TW II)"),
        (3, "Renja Perubahan (berlaku mulai TW III)"),
    ):
        xlsx = client.get(f"/renstra/renja/{baru.pk}/e81/{triwulan}.xlsx")
        ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        titles = [str(ws.cell(r, 1).value) for r in range(1, 6)]
        assert f"Periode Pelaksanaan: 2024 · {versi}" in titles
    bad = client.post(f"/renstra/renja/{baru.pk}/perubahan/", {"triwulan_mulai": "3"}, follow=True)
    assert "bukan Renja murni" in bad.content.decode()


def test_whole_pemda_e80_by_program_for_bappeda(client_for, users, renstra):
    from monev.web.models import PerangkatDaerah

    disnaker = PerangkatDaerah.objects.get(kode="2.07.01")
    services.renstra_import(
        user=users["admin"],
        perangkat_daerah=disnaker,
        periode=renstra_periode(RENSTRA_CSV.replace("2.16.03", "2.07.03")),
    )
    client = client_for("verifikator")
    page = client.get("/renstra/pemda/?periode=2024-2028")
    assert page.status_code == 200
    lines = page.context["evaluasi"].baris
    assert [(b.simpul.kode, b.simpul.penanggung_jawab) for b in lines] == [
        ("2.07.03", "Dinas Ketenagakerjaan"),
        ("2.16.03", "Dinas Komunikasi dan Informatika (contoh)"),
    ]
    xlsx = client.get("/renstra/pemda/e80.xlsx?periode=2024-2028")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert "Seluruh Perangkat Daerah" in " ".join(str(ws.cell(r, 1).value) for r in range(1, 6))
    assert client_for("operator").get("/renstra/pemda/").status_code == 403


def test_the_evaluation_page_of_a_quarter_opens_the_version_in_force(client_for, users, first):
    client = client_for("admin")
    client.post(
        f"/renstra/renja/{first.pk}/perubahan/", {"triwulan_mulai": "3", "alasan": "APBD-P"}
    )
    baru = Renja.objects.get(perangkat_daerah=contoh_pd(), tahun=2024, versi="perubahan")
    # TW III on the murni: the perubahan is in force then.
    moved = client.get(f"/renja/{first.pk}/evaluasi/?triwulan=3")
    assert moved.status_code == 302
    assert moved["Location"] == f"/renja/{baru.pk}/evaluasi/?triwulan=3"
    page = client.get(moved["Location"])
    assert page.status_code == 200
    assert (
        "versi yang berlaku saat itu: Renja Perubahan (berlaku mulai TW III)"
        in page.content.decode()
    )
    # TW II on the perubahan: the murni was in force then; the download follows the same rule.
    back = client.get(f"/renja/{baru.pk}/unduh/?format=csv&triwulan=2")
    assert back.status_code == 302
    assert back["Location"].startswith(f"/renja/{first.pk}/unduh/?")
    assert client.get(f"/renja/{first.pk}/evaluasi/?triwulan=2").status_code == 200
    # The E.81 downloaded from the evaluation page says which version it evaluates.
    xlsx = client.get(f"/renja/{baru.pk}/unduh/?format=xlsx&triwulan=3")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    titles = [str(ws.cell(r, 1).value) for r in range(1, 7)]
    assert "Periode Pelaksanaan: 2024 · Renja Perubahan (berlaku mulai TW III)" in " ".join(titles)


def test_a_perubahan_target_posted_without_its_version_is_refused(client_for, users, first):
    client = client_for("admin")
    client.post(
        f"/renstra/renja/{first.pk}/perubahan/", {"triwulan_mulai": "3", "alasan": "APBD-P"}
    )
    baru = Renja.objects.get(perangkat_daerah=contoh_pd(), tahun=2024, versi="perubahan")
    item = Indikator.objects.get(simpul__renja=baru, simpul__kode=KEGIATAN)
    before = item.target
    answer = client.post(
        f"/renstra/renja/{baru.pk}/rencana-perubahan/target/{item.pk}/", {"nilai": "7"}, follow=True
    )
    assert "versi nilai tidak dikirim" in answer.content.decode()
    item.refresh_from_db()
    assert item.target == before
