from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from monev.web import selectors
from monev.web.models import Indikator, RealisasiK, RealisasiRp, Riwayat, Simpul

REFERENCE_FIGURES = (
    "78,25",
    "50,00",
    "75,88",
    "85,41",
    "81,55",
    "72,37",
    "80,85",
    "75,91",
    "82,97",
    "77,69",
)


def test_evaluation_page_shows_the_reference_figures(client_for, disnaker):
    response = client_for("verifikator").get(f"/renja/{disnaker.pk}/evaluasi/")
    assert response.status_code == 200
    page = response.content.decode()
    for figure in REFERENCE_FIGURES:
        assert figure in page
    assert "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH" in page
    assert "17.442.481.320" in page


def test_evaluation_page_equals_the_command_line(client_for, disnaker, reference_csv):
    result = subprocess.run(
        [sys.executable, "-m", "monev", "evaluasi", str(reference_csv), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(result.stdout)
    response = client_for("admin").get(f"/renja/{disnaker.pk}/evaluasi/")
    evaluasi = response.context["evaluasi"]
    assert evaluasi.triwulan == doc["triwulan"]
    assert [
        str(b.capaian.quantize(Decimal("0.01"))) if b.capaian is not None else None
        for b in evaluasi.baris
    ] == [b["capaian_k"] for b in doc["baris"]]


def test_evaluation_page_runs_a_fixed_number_of_queries(
    client_for, disnaker, contoh, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get(f"/renja/{contoh.pk}/evaluasi/")  # warm the session
    # One query more than before the Renja perubahan: which version is in force at the quarter;
    # two more for tenancy (the pemda the user may read; whether it may read several, for the
    # "Pilih pemda" link); one for the quarter's comment threads (their marks on the lines).
    with django_assert_max_num_queries(13) as small:
        client.get(f"/renja/{contoh.pk}/evaluasi/")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/renja/{disnaker.pk}/evaluasi/")


def test_evaluation_cut_by_quarter(client_for, disnaker):
    response = client_for("admin").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=2")
    assert response.context["evaluasi"].triwulan == 2
    bad = client_for("admin").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=abc")
    assert bad.context["evaluasi"].triwulan == 4


def _first_indikator(renja):
    return (
        Indikator.objects.filter(simpul__renja=renja).order_by("simpul__urutan", "urutan").first()
    )


def test_value_typed_the_indonesian_way_is_stored_exactly(client_for, disnaker):
    indikator = _first_indikator(disnaker)
    url = f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/"
    response = client_for("operator").post(
        url, {"nilai": "1.234,5", "versi": selectors.versi_k(indikator, 3)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "tersimpan" in response.content.decode()
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai == Decimal("1234.5")


def test_bad_value_is_refused_at_its_cell_and_nothing_changes(client_for, disnaker):
    indikator = _first_indikator(disnaker)
    before = RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/", {"nilai": "abc"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "bukan angka" in page and 'value="abc"' in page and 'aria-invalid="true"' in page
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai == before


@pytest.mark.parametrize("typed", ["1,23456", "99999999999999999999"])
def test_value_out_of_bounds_is_refused(client_for, disnaker, typed):
    indikator = _first_indikator(disnaker)
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/", {"nilai": typed}
    )
    assert response.status_code == 422


def test_blank_value_clears_the_realisation(client_for, disnaker):
    indikator = _first_indikator(disnaker)
    client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": "", "versi": selectors.versi_k(indikator, 3)},
    )
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai is None


def test_rp_entry_and_history(client_for, disnaker, users):
    simpul = Simpul.objects.get(renja=disnaker, kode="2.07.01.2.02.01")
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/rp/{simpul.pk}/",
        {"nilai": "8.300.000.000", "versi": selectors.versi_rp(simpul, 3)},
    )
    assert response.status_code == 200
    assert RealisasiRp.objects.get(simpul=simpul, triwulan=3).nilai == Decimal(8_300_000_000)
    record = Riwayat.objects.filter(simpul=simpul, jenis="realisasi_rp").latest("waktu")
    assert (record.pengguna, record.nilai_lama, record.nilai_baru) == (
        users["operator"],
        "8.281.581.973",
        "8.300.000.000",
    )


def test_every_change_is_shown_per_indicator(client_for, disnaker):
    indikator = _first_indikator(disnaker)
    client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": "80", "versi": selectors.versi_k(indikator, 3)},
    )
    page = client_for("verifikator").get(f"/indikator/{indikator.pk}/riwayat/").content.decode()
    assert "operator" in page and "75" in page and "80" in page and "Realisasi kinerja" in page


def test_new_realisation_changes_capaian_on_the_evaluation_page(client_for, disnaker):
    indikator = Indikator.objects.get(simpul__renja=disnaker, simpul__kode="2.07.02.2.01")
    client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": "95,5", "versi": selectors.versi_k(indikator, 3)},
    )
    evaluasi = client_for("operator").get(f"/renja/{disnaker.pk}/evaluasi/").context["evaluasi"]
    program = next(p for p in evaluasi.ringkasan.program if p.kode == "2.07.02")
    assert program.rata_rata_capaian_kegiatan == Decimal("95.5")


def test_narrative_is_saved_and_recorded(client_for, disnaker):
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/narasi/",
        {
            "faktor_pendorong": "Koordinasi baik",
            "faktor_penghambat": "Anggaran terlambat",
            "versi": selectors.versi_laporan(disnaker, 3),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = (
        client_for("verifikator").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=3").content.decode()
    )
    assert "Koordinasi baik" in page and "Anggaran terlambat" in page
    assert Riwayat.objects.filter(renja=disnaker, jenis="narasi").count() == 2


def test_entry_page_lists_every_indicator_and_leaf_budget(client_for, disnaker):
    response = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/")
    page = response.content.decode()
    assert (
        page.count('name="nilai"')
        == 55 + Simpul.objects.filter(renja=disnaker, anak__isnull=True).count()
    )
    assert 'inputmode="decimal"' in page and 'type="number"' not in page


def test_verifikator_sees_entry_read_only(client_for, disnaker):
    page = client_for("verifikator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert 'name="nilai"' not in page and "hanya dapat membaca" in page


def test_text_from_users_is_escaped(client_for, disnaker):
    client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/narasi/",
        {"faktor_pendorong": "<script>alert(1)</script>", "versi": 0},
    )
    page = client_for("admin").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=3").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_login_page_and_sign_in(client, users):
    assert client.get("/masuk/").status_code == 200
    response = client.post("/masuk/", {"username": "operator", "password": "monev-demo"})
    assert response.status_code == 302
    home = client.get("/")
    assert "Dinas Ketenagakerjaan" in home.content.decode()
    assert "Dinas Komunikasi" not in home.content.decode()  # an operator's home shows only their PD


def test_admin_changes_target_and_pagu_and_both_are_recorded(client_for, disnaker):
    indikator = _first_indikator(disnaker)
    client = client_for("admin")
    response = client.post(
        f"/renja/{disnaker.pk}/target/{indikator.pk}/", {"nilai": "90", "versi": indikator.versi}
    )
    assert response.status_code == 200
    simpul = indikator.simpul
    client.post(
        f"/renja/{disnaker.pk}/pagu/{simpul.pk}/",
        {"nilai": "17.500.000.000", "versi": simpul.versi},
    )
    indikator.refresh_from_db()
    simpul.refresh_from_db()
    assert indikator.target == Decimal(90) and simpul.pagu == Decimal(17_500_000_000)
    page = client.get(f"/indikator/{indikator.pk}/riwayat/").content.decode()
    assert "Target" in page and "17.500.000.000" in page and "17.442.481.320" in page
    evaluasi = client.get(f"/renja/{disnaker.pk}/evaluasi/").context["evaluasi"]
    assert evaluasi.baris[0].capaian == Decimal(75) / Decimal(90) * 100
