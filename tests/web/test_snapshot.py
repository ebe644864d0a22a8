"""A verified quarter is a record (spec §8): its figures are stored when it is accepted, served
from there, and no write moves them until an admin unlocks it with a recorded reason."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from monev.pemda import selectors as pemda_selectors
from monev.web import reports, selectors, services, siklus, snapshot
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    RealisasiK,
    Riwayat,
    Simpul,
    SnapshotEvaluasi,
)

NARASI = dict.fromkeys(LaporanTriwulan.NARASI, "ada")
Status = LaporanTriwulan.Status


def accept(users, renja, triwulan):
    """The demo scenario: the operator writes the narrative and submits, the verifier accepts."""
    services.laporan_narasi_update(
        user=users["operator"],
        renja=renja,
        triwulan=triwulan,
        narasi=NARASI,
        versi=selectors.versi_laporan(renja, triwulan),
    )
    siklus.laporan_submit(user=users["operator"], renja=renja, triwulan=triwulan)
    siklus.laporan_verify(user=users["verifikator"], renja=renja, triwulan=triwulan)


def open_data(client, renja, triwulan):
    """Every public answer about the quarter, as bytes, computed afresh (no cached figures)."""
    pemda_selectors.clear_cache(stored=True)
    return [
        client.get(url).content
        for url in (
            "/pemda/api/terbuka/evaluasi",
            "/pemda/api/terbuka/evaluasi.csv",
            f"/pemda/api/terbuka/evaluasi/{renja.pk}/{triwulan}",
            f"/pemda/api/terbuka/evaluasi/{renja.pk}/{triwulan}/csv",
        )
    ]


def _indikator(renja):
    return Indikator.objects.filter(simpul__renja=renja, simpul__kode="2.07.02.2.01").first()


def _program(renja):
    return Simpul.objects.get(renja=renja, kode="2.07.01")


class _FixedNow(datetime.datetime):
    """A clock stopped at one second, so that two workbooks written a second apart compare."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls(2026, 1, 2, 3, 4, 5, tzinfo=tz)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "pdf"])
def test_a_snapshot_renders_byte_for_byte_what_the_live_evaluation_rendered(
    users, disnaker, monkeypatch, fmt
):
    import xlsxwriter.core
    from reportlab import rl_config

    monkeypatch.setattr(xlsxwriter.core, "datetime", _FixedNow)
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation time or random id in the PDF
    accept(users, disnaker, 1)
    live = snapshot.live(disnaker, 1)  # the data has not changed since the verification
    konteks = reports.konteks_laporan(disnaker, 1)
    row = SnapshotEvaluasi.objects.get(renja=disnaker, triwulan=1, berlaku=True)
    recorded = snapshot.unpack(row)
    assert recorded == live
    assert (
        reports.render_file(recorded, konteks, fmt).data
        == reports.render_file(live, konteks, fmt).data
    )
    assert row.dokumen == reports.render_file(live, konteks, "json").data.decode()
    assert row.dibuat_oleh == users["verifikator"]


def test_pagu_and_target_edits_are_refused_and_the_open_data_stays_byte_for_byte(
    users, disnaker, client, client_for
):
    accept(users, disnaker, 1)
    before = open_data(client, disnaker, 1)
    admin = client_for("admin")
    program, indikator = _program(disnaker), _indikator(disnaker)
    pagu, target = program.pagu, indikator.target
    for url, versi in (
        (f"/renja/{disnaker.pk}/pagu/{program.pk}/", program.versi),
        (f"/renja/{disnaker.pk}/target/{indikator.pk}/", indikator.versi),
    ):
        response = admin.post(url, {"nilai": "4.981.143.201", "versi": versi})
        assert response.status_code == 409
        assert "TW I sudah diverifikasi; minta admin membuka kuncinya" in response.content.decode()
    program.refresh_from_db()
    indikator.refresh_from_db()
    assert (program.pagu, indikator.target) == (pagu, target)
    assert open_data(client, disnaker, 1) == before


def _every_view(client_for, renja, triwulan):
    """The quarter as Bappeda's pages, files and API show it (no cached figures)."""
    pemda_selectors.clear_cache(stored=True)
    c = client_for("verifikator")
    rekap = c.get(f"/pemda/api/rekap?tahun=2022&triwulan={triwulan}").json()
    return (
        c.get(f"/renja/{renja.pk}/evaluasi/?triwulan={triwulan}").context["evaluasi"],
        c.get(f"/renja/{renja.pk}/unduh/?format=json&triwulan={triwulan}").content,
        c.get(f"/pemda/api/renja/{renja.pk}/evaluasi?triwulan={triwulan}").content,
        [p for p in rekap["perangkat_daerah"] if p["renja_id"] == renja.pk],
        c.get(f"/pemda/konsolidasi/?tahun=2022&triwulan={triwulan}").context["total"],
        c.get(f"/pemda/pd/{renja.pk}/?triwulan={triwulan}").context["evaluasi"],
    )


def test_a_verified_quarter_is_served_from_its_record_whatever_changes_underneath(
    users, disnaker, client, client_for
):
    accept(users, disnaker, 1)
    before = open_data(client, disnaker, 1)
    seen = _every_view(client_for, disnaker, 1)
    total = snapshot.evaluasi_of(disnaker, 1).ringkasan.pagu
    assert total == Decimal(22_423_624_520)  # the reference case's footer
    # A change no service would make now (as a rule or a setting changing would): the record
    # holds the figures as accepted.
    Simpul.objects.filter(pk=_program(disnaker).pk).update(pagu=Decimal(4_981_143_201))
    assert open_data(client, disnaker, 1) == before
    assert _every_view(client_for, disnaker, 1) == seen
    assert snapshot.evaluasi_of(disnaker, 1).ringkasan.pagu == total
    assert snapshot.evaluasi_of(disnaker, 2).ringkasan.pagu != total  # TW II is not verified


def test_after_an_unlock_with_a_reason_the_edit_goes_through_and_both_are_in_the_history(
    users, disnaker, client, client_for
):
    accept(users, disnaker, 1)
    admin = client_for("admin")
    assert admin.post(f"/renja/{disnaker.pk}/laporan/1/buka-kunci/", {}).status_code == 302
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=1).status == Status.DIVERIFIKASI
    admin.post(f"/renja/{disnaker.pk}/laporan/1/buka-kunci/", {"alasan": "pagu salah ketik"})
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=1).status == Status.DIKEMBALIKAN
    indikator = _indikator(disnaker)
    response = admin.post(
        f"/renja/{disnaker.pk}/target/{indikator.pk}/", {"nilai": "90", "versi": indikator.versi}
    )
    assert response.status_code == 200
    page = admin.get(f"/indikator/{indikator.pk}/riwayat/").content.decode()
    assert "Alasan: pagu salah ketik" in page and "90" in page and "Target" in page
    assert client.get(f"/pemda/api/terbuka/evaluasi/{disnaker.pk}/1").status_code == 404


def test_unlocking_a_quarter_reopens_every_later_locked_one_and_says_so(
    users, disnaker, client, client_for
):
    accept(users, disnaker, 1)
    accept(users, disnaker, 2)
    page = client_for("admin").get(f"/renja/{disnaker.pk}/entri/1/").content.decode()
    assert "juga membuka kunci TW II" in page
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=1, alasan="koreksi TW I")
    states = dict(LaporanTriwulan.objects.filter(renja=disnaker).values_list("triwulan", "status"))
    assert (states[1], states[2]) == (Status.DIKEMBALIKAN, Status.DIKEMBALIKAN)
    record = Riwayat.objects.filter(renja=disnaker, jenis="status", triwulan=2).latest("id")
    assert "ikut TW I" in record.keterangan and "koreksi TW I" in record.keterangan
    assert client.get("/pemda/api/terbuka/evaluasi").json() == []
    indikator = _indikator(disnaker)
    services.realisasi_k_update(
        user=users["operator"],
        indikator=indikator,
        triwulan=1,
        nilai=Decimal(99),
        versi=selectors.versi_k(indikator, 1),
    )
    siklus.laporan_submit(user=users["operator"], renja=disnaker, triwulan=1)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=1)
    rows = SnapshotEvaluasi.objects.filter(renja=disnaker, triwulan=1).order_by("id")
    assert [(r.berlaku, r.diganti is not None) for r in rows] == [(False, True), (True, False)]


def test_a_realisation_is_refused_while_a_later_quarter_that_carries_it_is_verified(
    users, disnaker, client, client_for
):
    accept(users, disnaker, 2)  # TW I itself stays open
    before = open_data(client, disnaker, 2)
    indikator = _indikator(disnaker)
    with pytest.raises(siklus.Ditolak) as refused:
        services.realisasi_k_update(
            user=users["operator"],
            indikator=indikator,
            triwulan=1,
            nilai=Decimal(99),
            versi=selectors.versi_k(indikator, 1),
        )
    assert "TW II sudah diverifikasi; minta admin membuka kuncinya" in str(refused.value)
    assert RealisasiK.objects.get(indikator=indikator, triwulan=1).nilai != Decimal(99)
    assert open_data(client, disnaker, 2) == before
    # TW I's narrative is its own: it stays open, and the page says why the cells are not
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/1/").content.decode()
    assert 'name="nilai"' not in page and "TW II sudah diverifikasi" in page
    assert "Simpan narasi" in page
    services.laporan_narasi_update(
        user=users["operator"],
        renja=disnaker,
        triwulan=1,
        narasi={"faktor_pendorong": "baru"},
        versi=selectors.versi_laporan(disnaker, 1),
    )
    # a later quarter that is open takes writes as before
    services.realisasi_k_update(
        user=users["operator"],
        indikator=indikator,
        triwulan=3,
        nilai=Decimal(99),
        versi=selectors.versi_k(indikator, 3),
    )


def test_an_import_into_a_renja_with_a_verified_quarter_is_refused_with_a_message(
    users, disnaker, client_for, reference_csv
):
    accept(users, disnaker, 1)
    client = client_for("admin")
    upload = io.BytesIO(reference_csv.read_bytes())
    upload.name = "renja.csv"
    form = {"perangkat_daerah": disnaker.perangkat_daerah_id, "tahun": "2022", "versi": "murni"}
    preview = client.post("/impor/", {**form, "berkas": upload})
    done = client.post(
        "/impor/",
        {**form, "token": preview.context["token"], "nama_berkas": "renja.csv", "konfirmasi": "1"},
    )
    assert done.status_code == 409
    assert "TW I sudah diverifikasi; minta admin membuka kuncinya" in done.content.decode()
    assert SnapshotEvaluasi.objects.filter(renja=disnaker).count() == 1
    assert Simpul.objects.filter(renja=disnaker).count() == len(snapshot.live(disnaker).renja.nodes)


def test_the_renja_page_says_the_plan_is_locked_while_a_quarter_is_verified(
    users, disnaker, client_for
):
    admin = client_for("admin")
    before = admin.get(f"/renja/{disnaker.pk}/").content.decode()
    assert (
        'name="nilai"' in before and """hx-vals='{"versi": "0"}'""" in before
    )  # posts its version
    assert "terkunci" not in before
    accept(users, disnaker, 1)
    page = admin.get(f"/renja/{disnaker.pk}/").content.decode()
    # the cells stay (the guides show them), the page says they are locked and why; a save is
    # refused (test_pagu_and_target_edits_are_refused_and_the_open_data_stays_byte_for_byte)
    assert "Target dan pagu terkunci: TW I sudah diverifikasi" in page


def test_hitung_angka_records_a_verified_quarter_that_has_no_snapshot(disnaker):
    from django.core.management import call_command

    LaporanTriwulan.objects.update_or_create(
        renja=disnaker, triwulan=2, defaults={"status": Status.DIVERIFIKASI}
    )
    call_command("hitung_angka", stdout=io.StringIO())
    row = SnapshotEvaluasi.objects.get(renja=disnaker, triwulan=2, berlaku=True)
    assert snapshot.unpack(row) == snapshot.live(disnaker, 2)
    call_command("hitung_angka", stdout=io.StringIO())  # once only
    assert SnapshotEvaluasi.objects.filter(renja=disnaker).count() == 1


def test_the_import_command_refuses_a_renja_with_a_verified_quarter_without_a_traceback(
    users, disnaker, reference_csv
):
    from click.testing import CliRunner

    from monev.cli import main

    accept(users, disnaker, 1)
    result = CliRunner().invoke(
        main, ["impor", str(reference_csv), "--pd", "2.07.01", "--tahun", "2022"]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output  # refused input: exit 2
    assert "TW I sudah diverifikasi; minta admin membuka kuncinya" in result.output


def test_the_records_are_listed_read_only_in_the_django_admin(users, disnaker, client_for):
    accept(users, disnaker, 1)
    admin = client_for("admin")
    listed = admin.get("/admin/monev/snapshotevaluasi/")
    assert listed.status_code == 200 and "Dinas Ketenagakerjaan" in listed.content.decode()
    row = SnapshotEvaluasi.objects.get(renja=disnaker, triwulan=1)
    assert admin.post(f"/admin/monev/snapshotevaluasi/{row.pk}/delete/").status_code == 403


def test_a_verified_quarter_whose_record_cannot_be_read_shows_no_other_figures_in_its_place(
    users, disnaker, client, client_for
):
    """A damaged record (or one written in a form this version cannot read) is said on every page,
    file and API of that quarter, with what an admin can do; the live figures are never passed
    off as the accepted ones, nor stored or pulled as verified rows."""
    from monev.pemda import angka
    from monev.pemda.models import AngkaPD

    accept(users, disnaker, 1)
    row = SnapshotEvaluasi.objects.get(renja=disnaker, triwulan=1, berlaku=True)
    SnapshotEvaluasi.objects.filter(pk=row.pk).update(rekaman=b"bukan rekaman")
    pemda_selectors.clear_cache(stored=True)
    c = client_for("verifikator")
    pk = disnaker.pk
    said = f"Rekaman evaluasi TW I 2022 {disnaker.perangkat_daerah.nama} yang sudah diverifikasi"
    for url in (
        f"/renja/{pk}/evaluasi/?triwulan=1",
        f"/renja/{pk}/unduh/?format=xlsx&triwulan=1",
        f"/pemda/pd/{pk}/?triwulan=1",
        "/pemda/konsolidasi/e79.pdf?tahun=2022&triwulan=1",
    ):
        response = c.get(url)
        assert response.status_code == 500, url
        page = response.content.decode()
        assert said in page and f"(rekaman #{row.pk}) tidak dapat dibaca" in page, url
        assert "membuka kunci triwulan ini dengan alasan" in page
    for answer in (
        c.get(f"/pemda/api/renja/{pk}/evaluasi?triwulan=1"),
        client.get(f"/pemda/api/terbuka/evaluasi/{pk}/1"),
    ):
        assert answer.status_code == 500
        assert said in answer.json()["detail"]
    # The quarters after it are live, as before.
    assert c.get(f"/renja/{pk}/evaluasi/?triwulan=2").status_code == 200
    angka.refresh([disnaker])
    stored = dict(AngkaPD.objects.filter(renja=disnaker).values_list("triwulan", "terverifikasi"))
    assert stored[1] is False
    with pytest.raises(snapshot.RekamanRusak):
        snapshot.evaluasi_of(disnaker, 1)
    # What the message advises: unlocked with a reason and verified again, a new record serves.
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=1, alasan="rekaman rusak")
    siklus.laporan_submit(user=users["operator"], renja=disnaker, triwulan=1)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=1)
    assert snapshot.evaluasi_of(disnaker, 1) == snapshot.live(disnaker, 1)
    assert c.get(f"/renja/{pk}/evaluasi/?triwulan=1").status_code == 200
