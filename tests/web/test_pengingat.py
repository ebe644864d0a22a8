"""E-mail reminders: a deadline approaching, a report returned, a report waiting; each event
once per user (locmem backend); a user can turn them off."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from monev.web import pengingat
from monev.web.models import JendelaEntri, LaporanTriwulan, PengingatTerkirim, Riwayat

Status = LaporanTriwulan.Status


@pytest.fixture(autouse=True)
def _emails(users):
    for name, user in users.items():
        user.email = f"{name}@contoh.go.id"
        user.save(update_fields=["email"])
    mail.outbox.clear()


def _state(renja, triwulan, status, user, keterangan=""):
    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=triwulan, defaults={"status": status}
    )
    return Riwayat.objects.create(
        pengguna=user,
        renja=renja,
        jenis=Riwayat.Jenis.STATUS,
        triwulan=triwulan,
        kolom="status",
        nilai_baru=status,
        keterangan=keterangan,
    )


def _deadline(renja, triwulan, batas):
    JendelaEntri.objects.filter(tahun=renja.tahun).update(terbuka=False, batas=None)
    JendelaEntri.objects.filter(
        pemda=renja.perangkat_daerah.pemda, tahun=renja.tahun, triwulan=triwulan
    ).update(terbuka=True, batas=batas)


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.parametrize(
    ("text", "days"), [("7,3,1", (7, 3, 1)), ("1, 3", (3, 1)), ("0", (0,)), ("3,3", (3,))]
)
def test_days_option(text, days):
    assert pengingat.hari_from_text(text) == days


@pytest.mark.parametrize("text", ["", "abc", "7,-1", "100"])
def test_days_option_refused_in_indonesian(text):
    with pytest.raises(ValueError, match="hari"):
        pengingat.hari_from_text(text)


def test_deadline_reminder_once_per_threshold(disnaker):
    now = timezone.now()
    today = timezone.localdate(now)
    _deadline(disnaker, 3, today + dt.timedelta(days=2))
    first = pengingat.kirim_pengingat((7, 3, 1), now)
    mine = _to("operator@contoh.go.id")
    assert first.terkirim >= 1 and len(mine) == 1  # thresholds 7 and 3 crossed: one mail
    assert "TW III 2022" in mine[0].subject and "sisa 2 hari" in mine[0].subject
    assert f"/renja/{disnaker.pk}/entri/3/" in mine[0].body and "/pengingat/" in mine[0].body
    assert not _to("verifikator@contoh.go.id") and not _to("pimpinan@contoh.go.id")

    again = pengingat.kirim_pengingat((7, 3, 1), now)  # the scheduler runs again: nothing new
    assert again.terkirim == 0 and again.sudah >= 1
    assert len(_to("operator@contoh.go.id")) == 1

    tomorrow = now + dt.timedelta(days=1)  # the 1-day threshold is crossed: one more
    pengingat.kirim_pengingat((7, 3, 1), tomorrow)
    pengingat.kirim_pengingat((7, 3, 1), tomorrow)
    mine = _to("operator@contoh.go.id")
    assert len(mine) == 2 and "batas akhir besok" in mine[1].subject


def test_no_deadline_reminder_once_submitted_or_far_away(users, disnaker):
    today = timezone.localdate()
    _deadline(disnaker, 3, today + dt.timedelta(days=20))
    pengingat.kirim_pengingat((7, 3, 1))
    assert not _to("operator@contoh.go.id")
    _deadline(disnaker, 3, today + dt.timedelta(days=2))
    _state(disnaker, 3, Status.DIAJUKAN, users["operator"])
    pengingat.kirim_pengingat((7, 3, 1))
    assert not [m for m in _to("operator@contoh.go.id") if "Batas entri" in m.subject]


def test_returned_report_reaches_the_pds_operator_once(users, disnaker):
    JendelaEntri.objects.update(batas=None)
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Lengkapi faktor penghambat.")
    pengingat.kirim_pengingat()
    pengingat.kirim_pengingat()
    mine = _to("operator@contoh.go.id")
    assert len(mine) == 1
    assert "dikembalikan" in mine[0].subject and "TW II 2022" in mine[0].subject
    assert "Catatan verifikator: Lengkapi faktor penghambat." in mine[0].body
    assert not _to("operator2@contoh.go.id")  # another PD's operator

    _state(disnaker, 2, Status.DIAJUKAN, users["operator"])
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["admin"], "buka kunci: salah ketik")
    pengingat.kirim_pengingat()
    mine = _to("operator@contoh.go.id")
    assert len(mine) == 2 and "Kunci dibuka admin" in mine[1].body  # a new event
    assert "Alasan: salah ketik" in mine[1].body and "buka kunci:" not in mine[1].body


def test_waiting_report_reaches_the_verifiers(users, disnaker):
    JendelaEntri.objects.update(batas=None)
    _state(disnaker, 2, Status.DIAJUKAN, users["operator"])
    pengingat.kirim_pengingat()
    pengingat.kirim_pengingat()
    mine = _to("verifikator@contoh.go.id")
    assert len(mine) == 1 and "menunggu verifikasi" in mine[0].subject
    assert not _to("operator@contoh.go.id") and not _to("pimpinan@contoh.go.id")


def test_a_user_can_turn_reminders_off(users, disnaker):
    JendelaEntri.objects.update(batas=None)
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Perbaiki.")
    pengingat.set_kirim(users["operator"], False)
    result = pengingat.kirim_pengingat()
    assert result.dimatikan >= 1 and not _to("operator@contoh.go.id")
    pengingat.set_kirim(users["operator"], True)  # nothing was recorded while off
    pengingat.kirim_pengingat()
    assert len(_to("operator@contoh.go.id")) == 1


def test_a_user_without_an_address_is_skipped(users, disnaker):
    JendelaEntri.objects.update(batas=None)
    users["operator"].email = ""
    users["operator"].save(update_fields=["email"])
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Perbaiki.")
    assert pengingat.kirim_pengingat().tanpa_email >= 1
    assert not PengingatTerkirim.objects.filter(pengguna=users["operator"]).exists()


def test_a_refused_mail_is_tried_again_next_time(users, disnaker, monkeypatch):
    JendelaEntri.objects.update(batas=None)
    _state(disnaker, 2, Status.DIKEMBALIKAN, users["verifikator"], "Perbaiki.")

    def refuse(self, *args, **kwargs):
        raise OSError("server e-mail tidak menjawab")

    with monkeypatch.context() as m:
        m.setattr(pengingat.EmailMessage, "send", refuse)
        assert pengingat.kirim_pengingat().gagal >= 1
    assert not PengingatTerkirim.objects.filter(pengguna=users["operator"]).exists()
    pengingat.kirim_pengingat()
    assert len(_to("operator@contoh.go.id")) == 1


def test_the_command_reports_what_it_did(users, disnaker):
    JendelaEntri.objects.update(batas=None)
    _state(disnaker, 2, Status.DIAJUKAN, users["operator"])
    out = io.StringIO()
    call_command("kirim_pengingat", "--hari", "3", stdout=out)
    assert "pengingat terkirim" in out.getvalue()
    assert _to("verifikator@contoh.go.id")
    with pytest.raises(CommandError, match="bukan daftar hari"):
        call_command("kirim_pengingat", "--hari", "tiga")


def test_the_settings_page_turns_reminders_off_and_on(client_for, users):
    client = client_for("operator")
    assert 'data-pengingat="nyala"' in client.get("/pengingat/").content.decode()
    response = client.post("/pengingat/", {"kirim": "0"}, follow=True)
    assert "Pengingat e-mail dimatikan." in response.content.decode()
    assert not pengingat.kirim_aktif(users["operator"])
    client.post("/pengingat/", {"kirim": "1"})
    assert pengingat.kirim_aktif(users["operator"])
