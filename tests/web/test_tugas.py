"""The home page's to-do list for every role (issue 16, point 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from monev.web.models import JendelaEntri, LaporanTriwulan, Riwayat
from monev.web.tugas import lama_menunggu, sisa_hari, tugas_for

Status = LaporanTriwulan.Status
TODAY = dt.date(2022, 7, 10)


@pytest.mark.parametrize(
    ("batas", "expected"),
    [
        (None, "tanpa batas akhir"),
        (TODAY + dt.timedelta(days=5), "sisa 5 hari"),
        (TODAY + dt.timedelta(days=2), "sisa 2 hari"),
        (TODAY + dt.timedelta(days=1), "batas akhir besok"),
        (TODAY, "batas akhir hari ini"),
        (TODAY - dt.timedelta(days=1), "lewat 1 hari"),
        (TODAY - dt.timedelta(days=30), "lewat 30 hari"),
    ],
)
def test_days_left(batas, expected):
    assert sisa_hari(batas, TODAY) == expected


NOW = dt.datetime(2022, 7, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("waited", "expected"),
    [
        (dt.timedelta(minutes=59), "kurang dari 1 jam"),
        (dt.timedelta(hours=1), "1 jam"),
        (dt.timedelta(hours=23, minutes=59), "23 jam"),
        (dt.timedelta(days=1), "1 hari"),
        (dt.timedelta(days=3, hours=5), "3 hari"),
        (dt.timedelta(seconds=-5), "kurang dari 1 jam"),  # a clock a little ahead
    ],
)
def test_time_waiting(waited, expected):
    assert lama_menunggu(NOW - waited, NOW) == expected


def _state(renja, triwulan, status, user, keterangan="", ago=dt.timedelta(0)):
    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=triwulan, defaults={"status": status}
    )
    record = Riwayat.objects.create(
        pengguna=user,
        renja=renja,
        jenis=Riwayat.Jenis.STATUS,
        triwulan=triwulan,
        kolom="status",
        nilai_baru=status,
        keterangan=keterangan,
    )
    Riwayat.objects.filter(pk=record.pk).update(waktu=timezone.now() - ago)


def _window(renja, triwulan, batas):
    JendelaEntri.objects.filter(
        pemda=renja.perangkat_daerah.pemda, tahun=renja.tahun, triwulan=triwulan
    ).update(terbuka=True, batas=batas)


def test_operator_sees_open_windows_with_days_left_and_returned_reports(users, disnaker):
    today = timezone.localdate()
    _window(disnaker, 3, today + dt.timedelta(days=2))
    _window(disnaker, 4, today + dt.timedelta(days=20))
    _state(disnaker, 1, Status.DIVERIFIKASI, users["verifikator"])
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Lengkapi faktor penghambat.")
    _state(disnaker, 3, Status.DIKEMBALIKAN, users["admin"], "buka kunci: salah ketik pagu")
    tugas = tugas_for(users["operator"])
    windows = {j.triwulan: j for j in tugas.jendela}
    assert set(windows) == {2, 3, 4}  # TW I is verified: nothing to do
    assert windows[3].sisa == "sisa 2 hari" and windows[3].mendesak
    assert windows[4].sisa == "sisa 20 hari" and not windows[4].mendesak
    returned = {d.triwulan: d for d in tugas.dikembalikan}
    assert returned[2].catatan == "Lengkapi faktor penghambat." and not returned[2].buka_kunci
    assert returned[3].buka_kunci  # an admin's reason, not a verifier's note
    assert returned[3].catatan == "salah ketik pagu"
    assert not tugas.antrean and not tugas.tertinggal  # not the operator's work


def test_operator_home_page_shows_the_list(client_for, users, disnaker):
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Lengkapi faktor penghambat.")
    _state(disnaker, 3, Status.DIKEMBALIKAN, users["admin"], "buka kunci: salah ketik pagu")
    text = client_for("operator").get("/").content.decode()
    assert "Yang perlu dikerjakan" in text
    assert "Catatan verifikator: Lengkapi faktor penghambat." in text
    assert "Kunci dibuka admin" in text and "Alasan: salah ketik pagu" in text
    assert "buka kunci:" not in text  # the record's prefix is not said twice
    assert f'href="/renja/{disnaker.pk}/entri/2/"' in text


def test_verifier_queue_is_oldest_first_with_time_waiting(users, disnaker, contoh):
    _state(disnaker, 2, Status.DIAJUKAN, users["operator"], ago=dt.timedelta(hours=5))
    _state(contoh, 2, Status.DIAJUKAN, users["operator2"], ago=dt.timedelta(days=3, hours=1))
    _state(disnaker, 1, Status.DIVERIFIKASI, users["verifikator"])
    for username in ("verifikator", "admin"):
        queue = tugas_for(users[username]).antrean
        assert [(a.renja.pk, a.triwulan) for a in queue] == [(contoh.pk, 2), (disnaker.pk, 2)]
        assert [a.menunggu for a in queue] == ["3 hari", "5 jam"]
    assert not tugas_for(users["pimpinan"]).antrean
    assert not tugas_for(users["operator"]).antrean


def test_admin_and_pimpinan_see_late_and_not_started_pds(users, disnaker, contoh):
    today = timezone.localdate()
    _window(disnaker, 2, today - dt.timedelta(days=4))  # the deadline passed
    _state(disnaker, 1, Status.DIAJUKAN, users["operator"])
    for username in ("admin", "pimpinan"):
        tertinggal = {t.triwulan: t for t in tugas_for(users[username]).tertinggal}
        assert 1 not in tertinggal  # TW I: one PD submitted, the other has entered data
        late = {pd.pk: lewat for pd, _, lewat in tertinggal[2].terlambat}
        assert late == {
            disnaker.perangkat_daerah_id: "lewat 4 hari",
            contoh.perangkat_daerah_id: "lewat 4 hari",
        }
        assert [pd.pk for pd, _ in tertinggal[3].belum_mulai] == [contoh.perangkat_daerah_id]
    assert not tugas_for(users["verifikator"]).tertinggal


def test_home_page_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client = client_for("admin")
    client.get("/")
    # 18: the status board reads the pemda's approval levels (one query for every pemda); three
    # for tenancy: the pemda shown, whether the user may read several, and the to-do's own PDs; one for the comment threads an operator answered.
    with django_assert_max_num_queries(19):
        assert client.get("/").status_code == 200
