"""E-mail reminders (issue 16, point 6): sent by `monev kelola kirim_pengingat`, run by a
scheduler (cron, a systemd timer) as often as one likes; each event reaches each user once.

Events:
- a deadline approaching: the quarter's window is open for the PD, the report is not submitted,
  and the deadline is at most N days away (N from `hari`, e.g. 7, 3 and 1: one mail at each);
  to the PD's operators;
- a report returned (a verifier's return or an admin's unlock): to the PD's operators;
- a report waiting at an approval level (`monev.web.persetujuan`): to that level's approvers
  (Bappeda's verifiers where the pemda configured no levels); one event per level reached.

A user without an e-mail address, or who turned reminders off (`PengaturanPengingat`), gets
none. A reminder is recorded (`PengingatTerkirim`, unique per user and event) in the same
transaction that sends it: a failed send records nothing and is tried again at the next run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from monev.io.tabular import ROMAWI
from monev.web import persetujuan, siklus
from monev.web.models import (
    JendelaEntri,
    LaporanTriwulan,
    PengaturanPengingat,
    PengecualianJendela,
    PengingatTerkirim,
    Profil,
    Renja,
    Riwayat,
)
from monev.web.reports import tanggal_indonesia
from monev.web.tugas import sisa_hari

Status = LaporanTriwulan.Status
Peran = Profil.Peran

#: The days before a deadline at which a reminder goes out, unless the command says otherwise.
HARI_BAWAAN = (7, 3, 1)
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"


def hari_from_text(text: str) -> tuple[int, ...]:
    """Return the days of `--hari 7,3,1`; raise ValueError with an Indonesian message."""
    try:
        days = sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        raise ValueError(f"'{text}' bukan daftar hari, mis. 7,3,1") from None
    if not days or any(d < 0 or d > 60 for d in days):
        raise ValueError(f"'{text}': setiap hari harus 0 sampai 60, mis. 7,3,1")
    return tuple(sorted(days, reverse=True))


def email_backend() -> str:
    """Return the e-mail backend: `MONEV_EMAIL_BACKEND`, else the settings' own unless they
    left Django's SMTP default outside production (the demo prints mails on the console)."""
    chosen = os.environ.get("MONEV_EMAIL_BACKEND")
    if chosen:
        return chosen
    configured = str(settings.EMAIL_BACKEND)
    if configured == _SMTP and not getattr(settings, "PRODUCTION", False):
        return _CONSOLE
    return configured


@dataclass(frozen=True)
class Pengingat:
    kunci: tuple[str, ...]  # the event's keys (a deadline mail covers every threshold crossed)
    penerima: tuple[Any, ...]  # users
    subjek: str
    isi: str


def _link(path: str) -> str:
    base = os.environ.get("MONEV_ALAMAT", "").rstrip("/")
    return f"{base}{path}" if base else path


def _footer() -> str:
    return (
        "\n\n--\nPesan ini dikirim otomatis oleh monev. Untuk berhenti menerima pengingat, "
        f"buka {_link('/pengingat/')}."
    )


def _operators(pd_ids: Iterable[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for profil in Profil.objects.filter(
        peran=Peran.OPERATOR, perangkat_daerah_id__in=set(pd_ids)
    ).select_related("user"):
        found.setdefault(profil.perangkat_daerah_id or 0, []).append(profil.user)
    return found


def _renja_in_force() -> list[Renja]:
    return list(
        Renja.objects.filter(berlaku=True, diarsipkan=False)
        .select_related("perangkat_daerah__pemda")
        .order_by("perangkat_daerah__kode", "tahun", "pk")
    )


def deadline_events(hari: Sequence[int], today: dt.date) -> list[Pengingat]:
    """Return a reminder per PD and quarter whose open window ends within the largest of `hari`
    days and whose report is not handed in; keyed by every threshold the deadline crossed."""
    renja = _renja_in_force()
    if not renja or not hari:
        return []
    windows = {
        (w.pemda_id, w.tahun, w.triwulan): w
        for w in JendelaEntri.objects.filter(terbuka=True, batas__isnull=False, batas__gte=today)
    }
    closed = set(
        PengecualianJendela.objects.filter(terbuka=False).values_list(
            "perangkat_daerah_id", "tahun", "triwulan"
        )
    )
    handed_in = set(
        LaporanTriwulan.objects.filter(
            renja__in=renja, status__in=(Status.DIAJUKAN, Status.DIVERIFIKASI)
        ).values_list("renja_id", "triwulan")
    )
    operators = _operators(r.perangkat_daerah_id for r in renja)
    events = []
    for item in renja:
        pd = item.perangkat_daerah
        for q in range(1, 5):
            window = windows.get((pd.pemda_id, item.tahun, q))
            if window is None or window.batas is None:
                continue
            if (pd.pk, item.tahun, q) in closed or (item.pk, q) in handed_in:
                continue
            left = (window.batas - today).days
            crossed = [d for d in hari if left <= d]
            if not crossed:
                continue
            nama = f"TW {ROMAWI[q - 1]} {item.tahun}"
            batas = tanggal_indonesia(window.batas)
            events.append(
                Pengingat(
                    kunci=tuple(f"batas:{item.pk}:{q}:{window.batas}:{d}" for d in crossed),
                    penerima=tuple(operators.get(pd.pk, ())),
                    subjek=f"[monev] Batas entri {nama} {pd.nama}: {batas} ({sisa_hari(window.batas, today)})",
                    isi=(
                        f"Jendela entri {nama} untuk {pd.nama} ditutup pada {batas} "
                        f"({sisa_hari(window.batas, today)}). Laporan triwulan ini belum diajukan."
                        f"\n\nIsi dan ajukan di {_link(f'/renja/{item.pk}/entri/{q}/')}"
                    ),
                )
            )
    return events


def _current_transitions(status: str) -> list[tuple[Riwayat, LaporanTriwulan]]:
    """Return each quarter now in `status` with the transition that put it there."""
    reports = {
        (lap.renja_id, lap.triwulan): lap
        for lap in LaporanTriwulan.objects.filter(
            status=status, renja__berlaku=True, renja__diarsipkan=False
        ).select_related("renja__perangkat_daerah")
    }
    if not reports:
        return []
    last: dict[tuple[int, int], Riwayat] = {}
    for record in (
        Riwayat.objects.filter(
            renja_id__in={r for r, _ in reports}, jenis=Riwayat.Jenis.STATUS, nilai_baru=status
        )
        .select_related("pengguna")
        .order_by("waktu", "id")
    ):
        key = (record.renja_id, record.triwulan or 0)
        if key in reports:
            last[key] = record
    return [(last[key], reports[key]) for key in sorted(last)]


def returned_events() -> list[Pengingat]:
    pairs = _current_transitions(Status.DIKEMBALIKAN)
    operators = _operators(lap.renja.perangkat_daerah_id for _, lap in pairs)
    events = []
    for record, lap in pairs:
        pd = lap.renja.perangkat_daerah
        nama = f"TW {ROMAWI[lap.triwulan - 1]} {lap.renja.tahun}"
        oleh = (
            (record.pengguna.get_full_name() or record.pengguna.username)
            if record.pengguna
            else "-"
        )
        reason = siklus.unlock_reason(record.keterangan)
        unlock = reason is not None
        why = (
            f"Kunci dibuka admin {oleh}. Alasan: {reason}"
            if unlock
            else f"Dikembalikan verifikator {oleh}. Catatan verifikator: {record.keterangan or '-'}"
        )
        if not unlock and persetujuan.returned_at(record):
            why = (
                f"Dikembalikan {oleh} di tingkat {persetujuan.returned_at(record)}. "
                f"Catatan: {record.keterangan or '-'}"
            )
        events.append(
            Pengingat(
                kunci=(f"kembali:{record.pk}",),
                penerima=tuple(operators.get(pd.pk, ())),
                subjek=f"[monev] Laporan {nama} {pd.nama} dikembalikan",
                isi=(
                    f"Laporan {nama} {pd.nama} perlu diperbaiki lalu diajukan lagi.\n\n{why}"
                    f"\n\nBuka {_link(f'/renja/{lap.renja_id}/entri/{lap.triwulan}/')}"
                ),
            )
        )
    return events


def waiting_events(now: dt.datetime) -> list[Pengingat]:
    from monev.web.tugas import lama_menunggu

    pairs = _current_transitions(Status.DIAJUKAN)
    levels = persetujuan.levels_by_pemda({lap.renja.perangkat_daerah.pemda_id for _, lap in pairs})
    approvers: dict[tuple[str, int], tuple[Any, ...]] = {}
    events = []
    for record, lap in pairs:
        pd = lap.renja.perangkat_daerah
        level = persetujuan.level_at(levels[pd.pemda_id], lap.tingkat)
        who = (level.peran, pd.pk if level.peran == Peran.KEPALA_PD else 0)
        if who not in approvers:
            approvers[who] = tuple(persetujuan.approvers(level, pd.pk))
        nama = f"TW {ROMAWI[lap.triwulan - 1]} {lap.renja.tahun}"
        single = len(levels[pd.pemda_id]) == 1
        how = persetujuan.langkah(record)
        events.append(
            Pengingat(
                # The record is the event: a report reaching a new level is a new reminder.
                kunci=(f"menunggu:{record.pk}",),
                penerima=approvers[who],
                subjek=(
                    f"[monev] Laporan {nama} {pd.nama} menunggu verifikasi"
                    if single
                    else f"[monev] Laporan {nama} {pd.nama} menunggu persetujuan {level.label}"
                ),
                isi=(
                    f"Laporan {nama} {pd.nama} {how} {timezone.localtime(record.waktu):%d-%m-%Y %H:%M} "
                    f"dan menunggu {'verifikasi' if single else 'persetujuan ' + level.label} "
                    f"({lama_menunggu(record.waktu, now)})."
                    f"\n\nPeriksa di {_link(f'/renja/{lap.renja_id}/entri/{lap.triwulan}/')}"
                ),
            )
        )
    return events


@dataclass
class Hasil:
    terkirim: int = 0
    sudah: int = 0  # the user already had this event's reminder
    tanpa_email: int = 0
    dimatikan: int = 0  # the user turned reminders off
    gagal: int = 0  # the mail server refused: nothing recorded, tried again at the next run


def send(events: Sequence[Pengingat]) -> Hasil:
    """Send every event's reminder to each of its recipients who has not had it yet."""
    hasil = Hasil()
    users = {u.pk for e in events for u in e.penerima}
    off = set(
        PengaturanPengingat.objects.filter(pengguna_id__in=users, kirim=False).values_list(
            "pengguna_id", flat=True
        )
    )
    sent = set(
        PengingatTerkirim.objects.filter(pengguna_id__in=users).values_list("pengguna_id", "kunci")
    )
    connection = get_connection(backend=email_backend())
    for event in events:
        for user in event.penerima:
            keys = [k for k in event.kunci if (user.pk, k) not in sent]
            if not keys:
                hasil.sudah += 1
                continue
            if user.pk in off:
                hasil.dimatikan += 1
                continue
            if not user.email:
                hasil.tanpa_email += 1
                continue
            try:
                with transaction.atomic():
                    PengingatTerkirim.objects.bulk_create(
                        [
                            PengingatTerkirim(pengguna=user, kunci=k, subjek=event.subjek[:300])
                            for k in keys
                        ]
                    )
                    EmailMessage(
                        event.subjek,
                        f"Yth. {user.get_full_name() or user.username},\n\n{event.isi}{_footer()}",
                        to=[user.email],
                        connection=connection,
                    ).send()
            except IntegrityError:  # another run sent it meanwhile
                hasil.sudah += 1
                continue
            except OSError:  # smtplib's errors are OSErrors: the transaction recorded nothing
                hasil.gagal += 1
                continue
            sent.update((user.pk, k) for k in keys)
            hasil.terkirim += 1
    return hasil


def kirim_pengingat(hari: Sequence[int] = HARI_BAWAAN, now: dt.datetime | None = None) -> Hasil:
    """Collect every event due now and send its reminders (the command's whole work)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    events = [*deadline_events(hari, today), *returned_events(), *waiting_events(now)]
    return send(events)


def set_kirim(user: Any, kirim: bool) -> PengaturanPengingat:
    """Turn the user's reminders on or off."""
    pengaturan, _ = PengaturanPengingat.objects.update_or_create(
        pengguna=user, defaults={"kirim": kirim}
    )
    return pengaturan


def kirim_aktif(user: Any) -> bool:
    found = (
        PengaturanPengingat.objects.filter(pengguna=user).values_list("kirim", flat=True).first()
    )
    return True if found is None else bool(found)
