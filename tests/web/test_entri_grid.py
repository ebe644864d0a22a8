"""The entry grid's server side (issue 16): a save answers with its row's capaian and predikat
from the engine, cells changed since a verification are marked, the empty cells of a quarter are
counted, and a submission with empty cells needs a confirmation and records their count."""

from __future__ import annotations

import pytest

from monev.core.evaluation import evaluate
from monev.core.numbers import format_angka
from monev.web import entri_html, selectors, services, siklus
from monev.web.models import Indikator, LaporanTriwulan, RealisasiK, Riwayat, Simpul


def _answer_part(html: str, sel: str) -> str:
    start = html.index(f'<template data-ganti="cap-{sel}">')
    return html[start : html.index("</template>", start)]


@pytest.mark.parametrize(
    ("kode", "typed"),
    [("2.07.02.2.01", "95,5"), ("2.07.02.2.01", "37,5"), ("2.07.01.2.06.05", "")],
)
def test_a_k_save_answers_with_the_row_capaian_of_the_whole_evaluation(
    client_for, disnaker, kode, typed
):
    indikator = Indikator.objects.filter(simpul__renja=disnaker, simpul__kode=kode).first()
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": typed, "versi": selectors.versi_k(indikator, 3)},
    )
    assert response.status_code == 200
    line = next(
        b
        for b in evaluate(selectors.renja_data(disnaker).core, 3).baris
        if b.indikator.ref == indikator.pk
    )
    part = _answer_part(response.content.decode(), f"k-{indikator.pk}")
    assert part.removeprefix(f'<template data-ganti="cap-k-{indikator.pk}">') == (
        entri_html.capaian_html(line.capaian, line.predikat)
    )
    if line.capaian is not None:
        assert format_angka(line.capaian) in part and line.predikat in part


def test_an_rp_save_answers_with_the_budget_capaian_of_the_whole_evaluation(client_for, disnaker):
    simpul = Simpul.objects.get(renja=disnaker, kode="2.07.01.2.02.01")
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/rp/{simpul.pk}/",
        {"nilai": "8.300.000.000", "versi": selectors.versi_rp(simpul, 3)},
    )
    assert response.status_code == 200
    rp = evaluate(selectors.renja_data(disnaker).core, 3).rp_of(simpul.kode)
    part = _answer_part(response.content.decode(), f"rp-{simpul.pk}")
    assert f">{format_angka(rp.capaian)}<" in part and f">{rp.predikat}<" in part


def test_a_bad_value_keeps_what_was_typed_and_says_why(client_for, disnaker):
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": "12,3,4", "versi": selectors.versi_k(indikator, 3)},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="12,3,4"' in html and 'data-keadaan="galat"' in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_a_stale_save_answers_with_the_stored_value(client_for, disnaker):
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    url = f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/"
    versi = RealisasiK.objects.get(indikator=indikator, triwulan=3).versi
    client_for("admin").post(url, {"nilai": "60", "versi": versi})
    response = client_for("operator").post(url, {"nilai": "70", "versi": versi})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="60"' in html and 'data-tersimpan="60"' in html
    assert f'"versi": "{versi + 1}"' in html


def _fill_narrative(users, renja, triwulan):  # type: ignore[no-untyped-def]
    services.laporan_narasi_update(
        user=users["operator"],
        renja=renja,
        triwulan=triwulan,
        narasi=dict.fromkeys(LaporanTriwulan.NARASI, "ada"),
        versi=selectors.versi_laporan(renja, triwulan),
    )


def test_cells_changed_after_a_verification_are_marked(users, client_for, disnaker):
    _fill_narrative(users, disnaker, 3)
    siklus.laporan_submit(user=users["operator"], renja=disnaker, triwulan=3)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=3)
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=3, alasan="salah ketik")
    changed, same = Indikator.objects.filter(simpul__renja=disnaker, simpul__kode="2.07.01")[:2]
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{changed.pk}/",
        {"nilai": "76", "versi": selectors.versi_k(changed, 3)},
    )
    assert 'data-keadaan="berubah"' in response.content.decode()
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()

    def field(pk: int) -> str:
        start = page.index(f'id="in-k-{pk}"')
        return page[start : page.index(">", start)]

    assert 'data-keadaan="berubah"' in field(changed.pk)
    assert 'data-keadaan="tersimpan"' in field(same.pk)
    assert selectors.berubah_sejak_verifikasi(disnaker, 3) == {f"k-{changed.pk}"}


@pytest.mark.parametrize("triwulan", [1, 2, 3, 4])
def test_the_empty_count_is_the_same_on_the_page_and_at_submission(client_for, disnaker, triwulan):
    kosong = selectors.sel_kosong(disnaker, triwulan)
    assert kosong == entri_html.kosong_count(selectors.entri_grid(disnaker, triwulan))
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/{triwulan}/").content.decode()
    assert f'<strong id="jumlah-kosong">{kosong}</strong>' in page


def test_the_empty_count_follows_a_save(client_for, disnaker):
    before = selectors.sel_kosong(disnaker, 4)
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/4/k/{indikator.pk}/",
        {"nilai": "1", "versi": selectors.versi_k(indikator, 4)},
    )
    assert selectors.sel_kosong(disnaker, 4) == before - 1


def test_submitting_with_empty_cells_asks_for_a_confirmation(users, client_for, disnaker):
    _fill_narrative(users, disnaker, 4)
    kosong = selectors.sel_kosong(disnaker, 4)
    assert kosong == 55
    client = client_for("operator")
    url = f"/renja/{disnaker.pk}/laporan/4/ajukan/"
    response = client.post(url, {"konfirmasi_kosong": ""}, follow=True)
    assert "masih memiliki 55 sel kosong" in response.content.decode()
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=4).status == "draf"

    client.post(url, {"konfirmasi_kosong": "1"})
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=4).status == "diajukan"
    record = Riwayat.objects.filter(renja=disnaker, triwulan=4, jenis=Riwayat.Jenis.STATUS).latest(
        "waktu", "id"
    )
    assert (record.nilai_baru, record.keterangan) == ("diajukan", "diajukan dengan 55 sel kosong")


def test_a_complete_quarter_is_submitted_without_a_question(users, client_for, disnaker):
    assert selectors.sel_kosong(disnaker, 3) == 0
    _fill_narrative(users, disnaker, 3)
    client_for("operator").post(f"/renja/{disnaker.pk}/laporan/3/ajukan/")
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=3).status == "diajukan"
    record = Riwayat.objects.filter(renja=disnaker, triwulan=3, jenis=Riwayat.Jenis.STATUS).latest(
        "waktu", "id"
    )
    assert record.keterangan == ""


def test_the_summary_before_submitting_links_each_empty_cell(client_for, disnaker):
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/4/").content.decode()
    summary = page[page.index('id="sebelum-ajukan"') :]
    first = Indikator.objects.filter(simpul__renja=disnaker).order_by("simpul__urutan").first()
    assert f'<a href="#sel-k-{first.pk}" data-sel="k-{first.pk}">2.07.01 · ' in summary
    assert summary.count('data-sel="k-') >= 50 and "… dan 5 sel kosong lainnya" in summary
    assert f'id="in-k-{first.pk}"' in page  # the link's cell is on the page


def test_the_summary_is_served_alone_to_the_renja_readers_only(client_for, disnaker):
    url = f"/renja/{disnaker.pk}/entri/4/ringkasan/"
    response = client_for("operator").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span id="ringkas-kosong">55</span>' in html and 'id="daftar-temuan"' in html
    assert client_for("verifikator").get(url).status_code == 200
    assert client_for("operator2").get(url).status_code == 404
