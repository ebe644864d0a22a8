"""Levels of approval (issue 16, point 4): every transition by every role at every level, changes
of the levels while reports are in flight, the status board, the queues, the reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from monev.web import pengingat, persetujuan, siklus, tugas
from monev.web.models import (
    LaporanTriwulan,
    Pemda,
    Profil,
    Riwayat,
    SnapshotEvaluasi,
    TingkatPersetujuan,
)
from tests.web.test_siklus import NARASI, fill_narrative

THREE = [
    ("Kepala Perangkat Daerah", "kepala_pd"),
    ("Verifikator bidang Bappeda", "verifikator"),
    ("Kepala Bappeda", "kepala_bappeda"),
]


def _make(username, peran, pd=None):
    # No password: hashing one costs seconds per test, and these users never sign in here.
    user = get_user_model().objects.create(
        username=username, email=f"{username}@contoh.go.id", first_name=username
    )
    pemda = pd.pemda if pd else Pemda.objects.get(nama="Kota Tangerang")
    Profil.objects.create(user=user, peran=peran, perangkat_daerah=pd, pemda=pemda)
    return user


@pytest.fixture
def cast(users, disnaker, contoh):
    """The demo's cast plus the heads: of Disnaker, of the other PD, and of Bappeda."""
    found = dict(users)
    found["kepala_pd"] = _make("kepala_pd", "kepala_pd", disnaker.perangkat_daerah)
    found["kepala_pd2"] = _make("kepala_pd2", "kepala_pd", contoh.perangkat_daerah)
    found["kepala_bappeda"] = _make("kepala_bappeda", "kepala_bappeda")
    return found


def configure(cast, pemda, rows):
    hasil = persetujuan.tingkat_set(user=cast["admin"], pemda=pemda, rows=rows)
    assert hasil.tersimpan, hasil.kesalahan
    return hasil


@pytest.fixture
def three(cast, disnaker):
    configure(cast, disnaker.perangkat_daerah.pemda, THREE)
    return cast


def report(renja, triwulan=3):
    return LaporanTriwulan.objects.get(renja=renja, triwulan=triwulan)


def position(renja, triwulan=3):
    found = LaporanTriwulan.objects.filter(renja=renja, triwulan=triwulan).first()
    return (found.status, found.tingkat) if found else ("draf", 0)


def approve(cast, who, renja, triwulan=3, catatan=""):
    return siklus.laporan_approve(user=cast[who], renja=renja, triwulan=triwulan, catatan=catatan)


APPROVER = {1: "kepala_pd", 2: "verifikator", 3: "kepala_bappeda"}


def bring_to(state, cast, renja):
    """Bring TW III to a state: (status, level) as `position` returns it."""
    fill_narrative(cast, renja)
    status, level = state
    if status == "draf":
        return
    siklus.laporan_submit(user=cast["operator"], renja=renja, triwulan=3)
    if status == "dikembalikan":
        siklus.laporan_return(user=cast["kepala_pd"], renja=renja, triwulan=3, catatan="perbaiki")
        return
    top = 4 if status == "diverifikasi" else level
    for k in range(1, top):
        approve(cast, APPROVER[k], renja)


ACTIONS = {
    "ajukan": lambda u, r: siklus.laporan_submit(user=u, renja=r, triwulan=3),
    "setujui": lambda u, r: siklus.laporan_approve(user=u, renja=r, triwulan=3),
    "kembalikan": lambda u, r: siklus.laporan_return(user=u, renja=r, triwulan=3, catatan="x"),
    "buka_kunci": lambda u, r: siklus.laporan_unlock(user=u, renja=r, triwulan=3, alasan="x"),
}
STATES = [
    ("draf", 0),
    ("diajukan", 1),
    ("diajukan", 2),
    ("diajukan", 3),
    ("dikembalikan", 0),
    ("diverifikasi", 0),
]
ROLES = [
    "admin",
    "verifikator",
    "pimpinan",
    "operator",
    "operator2",
    "kepala_pd",
    "kepala_pd2",
    "kepala_bappeda",
]
# (state, action) -> (the roles that may, the state after); everyone else is refused.
ALLOWED = {
    (("draf", 0), "ajukan"): ({"operator", "admin"}, ("diajukan", 1)),
    (("dikembalikan", 0), "ajukan"): ({"operator", "admin"}, ("diajukan", 1)),
    (("diajukan", 1), "setujui"): ({"kepala_pd", "admin"}, ("diajukan", 2)),
    (("diajukan", 2), "setujui"): ({"verifikator", "admin"}, ("diajukan", 3)),
    (("diajukan", 3), "setujui"): ({"kepala_bappeda", "admin"}, ("diverifikasi", 0)),
    (("diajukan", 1), "kembalikan"): ({"kepala_pd", "admin"}, ("dikembalikan", 0)),
    (("diajukan", 2), "kembalikan"): ({"verifikator", "admin"}, ("dikembalikan", 0)),
    (("diajukan", 3), "kembalikan"): ({"kepala_bappeda", "admin"}, ("dikembalikan", 0)),
    (("diverifikasi", 0), "buka_kunci"): ({"admin"}, ("dikembalikan", 0)),
}


class _Undo(Exception):
    pass


def attempt(action, user, renja):
    """Try an action and undo it: return (the state after, its record) or the refusal."""
    outcome = None
    try:
        with transaction.atomic():
            try:
                ACTIONS[action](user, renja)
            except (PermissionDenied, siklus.Ditolak) as exc:
                outcome = exc
                raise _Undo from None
            record = Riwayat.objects.filter(renja=renja, jenis="status").latest("waktu", "id")
            outcome = (position(renja), (record.nilai_lama, record.nilai_baru, record.pengguna))
            raise _Undo
    except _Undo:
        pass
    return outcome


@pytest.mark.parametrize("state", STATES, ids=lambda s: f"{s[0]}{s[1] or ''}")
@pytest.mark.parametrize("role", ROLES)
def test_every_transition_by_every_role_at_every_level(three, disnaker, state, role):
    bring_to(state, three, disnaker)
    assert position(disnaker) == state
    for action in ACTIONS:  # each tried from the same state, then undone
        allowed, after = ALLOWED.get((state, action), (set(), state))
        outcome = attempt(action, three[role], disnaker)
        if role in allowed:
            assert outcome == (after, (state[0], after[0], three[role])), action
            continue
        assert isinstance(outcome, (PermissionDenied, siklus.Ditolak)), action
        if state[0] == "diajukan" and action in ("setujui", "kembalikan"):
            # Acting at a level one does not hold is a 403 that names the level waited for.
            assert isinstance(outcome, PermissionDenied), action
            assert f"{THREE[state[1] - 1][0]} ({state[1]}/3)" in str(outcome), action
        assert position(disnaker) == state, action


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("verifikator", True),
        ("admin", True),
        ("kepala_pd", False),
        ("kepala_bappeda", False),
        ("pimpinan", False),
        ("operator", False),
    ],
)
def test_without_levels_the_bappeda_verifier_accepts_as_before(cast, disnaker, role, may):
    bring_to(("diajukan", 1), cast, disnaker)
    if may:
        approve(cast, role, disnaker)
        assert position(disnaker) == ("diverifikasi", 0)
        assert SnapshotEvaluasi.objects.filter(renja=disnaker, triwulan=3, berlaku=True).exists()
    else:
        with pytest.raises(PermissionDenied, match=r"Verifikator Bappeda \(1/1\)"):
            approve(cast, role, disnaker)
        assert position(disnaker) == ("diajukan", 1)


def test_every_step_is_recorded_with_who_when_level_and_note(three, disnaker):
    fill_narrative(three, disnaker)
    siklus.laporan_submit(user=three["operator"], renja=disnaker, triwulan=3)
    approve(three, "kepala_pd", disnaker, catatan="sudah saya periksa")
    approve(three, "verifikator", disnaker)
    approve(three, "kepala_bappeda", disnaker)
    records = list(
        Riwayat.objects.filter(renja=disnaker, jenis="status", triwulan=3).order_by("waktu", "id")
    )
    assert [
        (r.pengguna.username, r.tingkat, r.nilai_lama, r.nilai_baru, r.keterangan) for r in records
    ] == [
        ("operator", "Kepala Perangkat Daerah (1/3)", "draf", "diajukan", ""),
        (
            "kepala_pd",
            "Kepala Perangkat Daerah (1/3)",
            "diajukan",
            "diajukan",
            "sudah saya periksa",
        ),
        ("verifikator", "Verifikator bidang Bappeda (2/3)", "diajukan", "diajukan", ""),
        ("kepala_bappeda", "Kepala Bappeda (3/3)", "diajukan", "diverifikasi", ""),
    ]
    assert all(r.waktu is not None for r in records)
    # Only the last level's approval accepts: one snapshot, taken then.
    assert SnapshotEvaluasi.objects.filter(renja=disnaker, triwulan=3).count() == 1


def test_a_return_at_any_level_goes_back_to_the_operator_and_starts_again(three, disnaker):
    bring_to(("diajukan", 3), three, disnaker)
    with pytest.raises(siklus.Ditolak):
        siklus.laporan_return(user=three["kepala_bappeda"], renja=disnaker, triwulan=3, catatan="")
    siklus.laporan_return(
        user=three["kepala_bappeda"], renja=disnaker, triwulan=3, catatan="Lampirkan SP2D"
    )
    assert position(disnaker) == ("dikembalikan", 0)
    assert report(disnaker).catatan_verifikasi == "Lampirkan SP2D"
    record = Riwayat.objects.filter(renja=disnaker, jenis="status").latest("waktu", "id")
    assert (record.tingkat, record.keterangan) == ("Kepala Bappeda (3/3)", "Lampirkan SP2D")
    siklus.laporan_submit(user=three["operator"], renja=disnaker, triwulan=3)
    assert position(disnaker) == ("diajukan", 1)


def test_the_operator_sees_at_which_level_the_report_was_returned(three, disnaker, client, _mails):
    bring_to(("diajukan", 3), three, disnaker)
    siklus.laporan_return(
        user=three["kepala_bappeda"], renja=disnaker, triwulan=3, catatan="Lampirkan SP2D"
    )
    client.force_login(three["operator"])
    home = client.get("/").content.decode()
    assert "Dikembalikan di tingkat Kepala Bappeda (3/3) oleh kepala_bappeda" in home
    page = client.get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert "Dikembalikan di tingkat Kepala Bappeda (3/3); catatan: Lampirkan SP2D" in page
    pengingat.kirim_pengingat(hari=())
    body = next(m.body for m in mail.outbox if m.to == ["operator@contoh.go.id"])
    assert "di tingkat Kepala Bappeda (3/3). Catatan: Lampirkan SP2D" in body


MIDDLE_GONE = [THREE[0], THREE[2]]
REORDERED = [THREE[1], THREE[0], THREE[2]]


# (levels before, after, the level a report waited at) -> the level it waits at afterwards.
@pytest.mark.parametrize(
    ("before", "after", "at", "expected"),
    [
        (THREE, MIDDLE_GONE, 1, "Kepala Perangkat Daerah (1/2)"),
        (THREE, MIDDLE_GONE, 2, "Kepala Bappeda (2/2)"),  # the removed level is skipped
        (THREE, MIDDLE_GONE, 3, "Kepala Bappeda (2/2)"),
        (THREE, REORDERED, 1, "Kepala Perangkat Daerah (2/3)"),  # it keeps its role
        (THREE, REORDERED, 2, "Verifikator bidang Bappeda (1/3)"),
        (THREE, REORDERED, 3, "Kepala Bappeda (3/3)"),
        (THREE, THREE[:2], 3, "Verifikator bidang Bappeda (2/2)"),  # last removed: new last
        (THREE, THREE[1:], 1, "Verifikator bidang Bappeda (1/2)"),  # first removed: next
        (THREE, [], 1, "Verifikator Bappeda (1/1)"),  # back to the default level
        (THREE, [], 3, "Verifikator Bappeda (1/1)"),
        ([], THREE, 1, "Verifikator bidang Bappeda (2/3)"),  # the verifier's level, renamed
        ([], [THREE[0], THREE[2]], 1, "Kepala Bappeda (2/2)"),
    ],
)
def test_reports_in_flight_keep_their_place_when_the_levels_change(
    cast, disnaker, before, after, at, expected
):
    pemda = disnaker.perangkat_daerah.pemda
    if before:
        configure(cast, pemda, before)
    bring_to(("diajukan", at), cast, disnaker)
    configure(cast, pemda, after)
    laporan = report(disnaker)
    assert laporan.status == "diajukan"
    assert persetujuan.waiting_level(laporan).label == expected


def test_a_move_is_recorded_and_the_next_level_approves(three, disnaker):
    bring_to(("diajukan", 2), three, disnaker)
    hasil = configure(three, disnaker.perangkat_daerah.pemda, [THREE[0], THREE[2]])
    assert hasil.dipindah == 1
    record = Riwayat.objects.filter(renja=disnaker, jenis="status").latest("waktu", "id")
    assert record.kolom == "tingkat" and record.tingkat == "Kepala Bappeda (2/2)"
    assert "Verifikator bidang Bappeda dihapus" in record.keterangan
    assert Riwayat.objects.filter(
        renja=disnaker, jenis="pengaturan", kolom="tingkat_persetujuan"
    ).exists()
    with pytest.raises(PermissionDenied):
        approve(three, "verifikator", disnaker)
    approve(three, "kepala_bappeda", disnaker)
    assert position(disnaker) == ("diverifikasi", 0)


def test_a_report_submitted_after_a_change_starts_at_the_new_first_level(three, disnaker):
    configure(three, disnaker.perangkat_daerah.pemda, [THREE[2], THREE[1]])
    bring_to(("diajukan", 1), three, disnaker)
    assert persetujuan.waiting_level(report(disnaker)).label == "Kepala Bappeda (1/2)"


@pytest.mark.parametrize(
    ("rows", "fault"),
    [
        ([("Kepala Bappeda", "kepala_bappeda"), ("Lagi", "kepala_bappeda")], "sudah dipakai"),
        ([("", "verifikator")], "Baris 1: tulis nama"),
        ([("Kepala PD", "")], "pilih peran"),
        ([("Operator", "operator")], "pilih peran"),
        ([(f"T{n}", "verifikator") for n in range(6)], "Paling banyak 5"),
    ],
)
def test_a_bad_configuration_is_refused_whole(three, disnaker, rows, fault):
    pemda = disnaker.perangkat_daerah.pemda
    hasil = persetujuan.tingkat_set(user=three["admin"], pemda=pemda, rows=rows)
    assert not hasil.tersimpan and any(fault in e for e in hasil.kesalahan), hasil.kesalahan
    assert (
        list(TingkatPersetujuan.objects.filter(pemda=pemda).values_list("nama", "peran")) == THREE
    )


@pytest.mark.parametrize("role", ["verifikator", "pimpinan", "operator", "kepala_bappeda"])
def test_only_the_admin_configures_the_levels(cast, disnaker, role):
    with pytest.raises(PermissionDenied):
        persetujuan.tingkat_set(user=cast[role], pemda=disnaker.perangkat_daerah.pemda, rows=THREE)


def test_the_settings_page_saves_levels_and_shows_faults(three, disnaker, client):
    client.force_login(three["admin"])
    pemda = disnaker.perangkat_daerah.pemda
    page = client.get(f"/pengaturan/persetujuan/?pemda={pemda.pk}").content.decode()
    assert "Kepala Bappeda (3/3)" in page
    bad = client.post(
        "/pengaturan/persetujuan/",
        {
            "pemda": pemda.pk,
            "nama_1": "A",
            "peran_1": "verifikator",
            "nama_2": "B",
            "peran_2": "verifikator",
        },
    )
    assert bad.status_code == 400 and "satu peran hanya untuk satu tingkat" in bad.content.decode()
    good = client.post(
        "/pengaturan/persetujuan/",
        {"pemda": pemda.pk, "nama_1": "Verifikator", "peran_1": "verifikator"},
    )
    assert good.status_code == 302
    assert [lv.label for lv in persetujuan.levels_of(pemda.pk)] == ["Verifikator (1/1)"]


def test_the_status_board_shows_the_level_reached(three, disnaker, client):
    bring_to(("diajukan", 2), three, disnaker)
    for who in ("admin", "kepala_bappeda", "kepala_pd"):
        client.force_login(three[who])
        page = client.get("/papan/?tahun=2022").content.decode()
        assert "Menunggu: Verifikator bidang Bappeda (2/3)" in page, who
        assert "disetujui Kepala Perangkat Daerah (1/3)" in page, who


def test_the_entry_page_offers_the_level_action_to_its_holder_only(three, disnaker, client):
    bring_to(("diajukan", 1), three, disnaker)
    url = f"/renja/{disnaker.pk}/entri/3/"
    client.force_login(three["kepala_pd"])
    page = client.get(url).content.decode()
    assert "Menunggu: <strong>Kepala Perangkat Daerah (1/3)</strong>" in page
    assert "Setujui (Kepala Perangkat Daerah (1/3))" in page
    client.force_login(three["verifikator"])
    assert "Setujui (" not in client.get(url).content.decode()
    refused = client.post(f"/renja/{disnaker.pk}/laporan/3/terima/")
    assert refused.status_code == 403
    assert "menunggu persetujuan Kepala Perangkat Daerah (1/3)" in refused.content.decode()
    assert position(disnaker) == ("diajukan", 1)
    client.force_login(three["kepala_pd"])
    done = client.post(f"/renja/{disnaker.pk}/laporan/3/terima/", follow=True)
    assert "disetujui; kini menunggu Verifikator bidang Bappeda (2/3)" in done.content.decode()


def test_a_head_of_another_pd_cannot_open_or_approve_the_report(three, disnaker, client):
    bring_to(("diajukan", 1), three, disnaker)
    client.force_login(three["kepala_pd2"])
    assert client.post(f"/renja/{disnaker.pk}/laporan/3/terima/").status_code == 404
    assert position(disnaker) == ("diajukan", 1)


def _queue(user, now=None):
    return [
        (a.renja.perangkat_daerah.kode, a.triwulan, a.tingkat)
        for a in tugas.tugas_for(user, now).antrean
    ]


def test_each_level_has_its_own_queue(three, disnaker):
    bring_to(("diajukan", 1), three, disnaker)
    first = [("2.07.01", 3, "Kepala Perangkat Daerah (1/3)")]
    assert _queue(three["kepala_pd"]) == first
    assert _queue(three["admin"]) == first
    for who in ("kepala_pd2", "verifikator", "kepala_bappeda", "operator", "pimpinan"):
        assert _queue(three[who]) == [], who
    approve(three, "kepala_pd", disnaker)
    assert _queue(three["kepala_pd"]) == []
    assert _queue(three["verifikator"]) == [("2.07.01", 3, "Verifikator bidang Bappeda (2/3)")]
    entry = tugas.tugas_for(three["verifikator"]).antrean[0]
    assert entry.dari == "disetujui Kepala Perangkat Daerah (1/3)" and entry.oleh == "kepala_pd"


def test_a_queue_is_oldest_first_with_the_time_waiting_at_the_level(three, disnaker):
    fill_narrative(three, disnaker, triwulan=2)
    fill_narrative(three, disnaker, triwulan=3)
    siklus.laporan_submit(user=three["operator"], renja=disnaker, triwulan=3)
    siklus.laporan_submit(user=three["operator"], renja=disnaker, triwulan=2)
    now = timezone.now()
    for q, days in ((3, 2), (2, 5)):
        Riwayat.objects.filter(renja=disnaker, triwulan=q, jenis="status").update(
            waktu=now - dt.timedelta(days=days)
        )
    queue = tugas.tugas_for(three["kepala_pd"], now).antrean
    assert [(a.triwulan, a.menunggu) for a in queue] == [(2, "5 hari"), (3, "2 hari")]


@pytest.fixture
def _mails(cast):
    for name, user in cast.items():
        user.email = f"{name}@contoh.go.id"
        user.save(update_fields=["email"])
    mail.outbox.clear()


def _inbox():
    return sorted((m.to[0].split("@")[0], m.subject) for m in mail.outbox)


def test_a_report_waiting_at_a_level_reminds_that_level_once(_mails, three, disnaker):
    bring_to(("diajukan", 1), three, disnaker)
    pengingat.kirim_pengingat(hari=())
    subject = "[monev] Laporan TW III 2022 Dinas Ketenagakerjaan menunggu persetujuan Kepala Perangkat Daerah (1/3)"
    assert [m for m in _inbox() if "menunggu" in m[1]] == [("kepala_pd", subject)]
    mail.outbox.clear()
    pengingat.kirim_pengingat(hari=())
    assert [m for m in _inbox() if "menunggu" in m[1]] == []  # never twice per event
    approve(three, "kepala_pd", disnaker)
    pengingat.kirim_pengingat(hari=())
    assert [m for m in _inbox() if "menunggu" in m[1]] == [
        (
            "verifikator",
            "[monev] Laporan TW III 2022 Dinas Ketenagakerjaan menunggu persetujuan "
            "Verifikator bidang Bappeda (2/3)",
        )
    ]
    body = next(m.body for m in mail.outbox if m.to == ["verifikator@contoh.go.id"])
    assert "disetujui Kepala Perangkat Daerah (1/3)" in body


def test_without_levels_the_waiting_reminder_goes_to_the_verifiers_as_before(
    cast, disnaker, _mails
):
    bring_to(("diajukan", 1), cast, disnaker)
    pengingat.kirim_pengingat(hari=())
    assert [m for m in _inbox() if "menunggu" in m[1]] == [
        ("verifikator", "[monev] Laporan TW III 2022 Dinas Ketenagakerjaan menunggu verifikasi")
    ]


def test_a_level_queue_asks_no_query_per_report(three, disnaker, contoh, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(three["kepala_bappeda"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    bring_to(("diajukan", 3), three, disnaker)
    one = count()
    # The other PD's report reaches the same level: a second Renja and PD in the queue.
    LaporanTriwulan.objects.update_or_create(renja=contoh, triwulan=3, defaults=NARASI)
    siklus.laporan_submit(user=three["operator2"], renja=contoh, triwulan=3)
    approve(three, "kepala_pd2", contoh)
    approve(three, "verifikator", contoh)
    assert len(tugas.tugas_for(three["kepala_bappeda"]).antrean) == 2
    assert count() == one
