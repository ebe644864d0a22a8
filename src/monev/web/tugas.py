"""What each role has to do now, for the home page (issue 16, point 5). Reads only.

- operator: the quarters whose entry window is open for their PD, with the deadline and the
  days left; the quarters Bappeda returned, with the verifier's note (or the admin's reason for
  an unlock, which is not a verifier's note);
- each approval level's role (verifikator, kepala_pd for their PD, kepala_bappeda; see
  `monev.web.persetujuan`): the queue of quarters waiting at their level, oldest first, with the
  time waiting there; the admin sees every level's queue;
- admin, pimpinan and kepala_bappeda: per quarter whose window Bappeda opened, the PDs late
  (deadline passed, not submitted) or not started (nothing entered yet).
- operator: the lines flagged *perlu tindak lanjut* still open (`monev.web.komentar`), each a
  link to its cell; verifikator and admin: the open threads an operator answered last.

Built on `selectors.papan_status` (the status board's states, windows and last transitions),
plus one query per kind of realisation to tell a started quarter from one not started: a fixed
number of queries whatever the number of PDs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from monev.io.tabular import ROMAWI
from monev.web import access, komentar, persetujuan, selectors, siklus
from monev.web.access import Peran
from monev.web.models import (
    JendelaEntri,
    LaporanTriwulan,
    PengecualianJendela,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
)
from monev.web.reports import tanggal_indonesia

Status = LaporanTriwulan.Status


def sisa_hari(batas: dt.date | None, today: dt.date) -> str:
    """Return the days left before a deadline, in words."""
    if batas is None:
        return "tanpa batas akhir"
    days = (batas - today).days
    if days > 1:
        return f"sisa {days} hari"
    if days == 1:
        return "batas akhir besok"
    if days == 0:
        return "batas akhir hari ini"
    return f"lewat {-days} hari"


def lama_menunggu(since: dt.datetime, now: dt.datetime) -> str:
    """Return how long something has waited, in words (days, else hours)."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds >= 86_400:
        return f"{seconds // 86_400} hari"
    if seconds >= 3_600:
        return f"{seconds // 3_600} jam"
    return "kurang dari 1 jam"


@dataclass(frozen=True)
class JendelaTerbuka:
    renja: Renja
    triwulan: int
    status: str
    batas: dt.date | None
    batas_teks: str  # "31 Juli 2022", or empty
    sisa: str  # "sisa 3 hari"
    mendesak: bool  # three days or fewer left

    @property
    def nama(self) -> str:
        return f"TW {ROMAWI[self.triwulan - 1]}"


@dataclass(frozen=True)
class Dikembalikan:
    renja: Renja
    triwulan: int
    oleh: str
    waktu: dt.datetime | None
    catatan: str
    buka_kunci: bool  # the admin unlocked it (the text is the reason), not a verifier's return
    tingkat: str = ""  # the approval level it was returned at, when the pemda has several

    @property
    def nama(self) -> str:
        return f"TW {ROMAWI[self.triwulan - 1]}"


@dataclass(frozen=True)
class Antrean:
    renja: Renja
    triwulan: int
    diajukan: dt.datetime | None  # when it reached its level (submitted, or the last approval)
    oleh: str
    menunggu: str
    tingkat: str = ""  # the level it waits at, "Kepala Bappeda (2/3)"
    dari: str = "diajukan"  # how it reached its level: submitted, or approved at the one before

    @property
    def nama(self) -> str:
        return f"TW {ROMAWI[self.triwulan - 1]}"


@dataclass(frozen=True)
class Tertinggal:
    """One quarter's PDs that are late or have not started."""

    triwulan: int
    batas: dt.date | None
    terlambat: list[tuple[PerangkatDaerah, Renja, str]]  # with the days past the deadline
    belum_mulai: list[tuple[PerangkatDaerah, Renja]]

    @property
    def nama(self) -> str:
        return f"TW {ROMAWI[self.triwulan - 1]}"


@dataclass(frozen=True)
class Tugas:
    tahun: int
    peran: str | None
    jendela: list[JendelaTerbuka] = field(default_factory=list)
    dikembalikan: list[Dikembalikan] = field(default_factory=list)
    antrean: list[Antrean] = field(default_factory=list)
    tertinggal: list[Tertinggal] = field(default_factory=list)
    komentar_tl: list[komentar.BarisKomentar] = field(default_factory=list)
    komentar_dijawab: list[komentar.BarisKomentar] = field(default_factory=list)

    @property
    def kosong(self) -> bool:
        return not (
            self.jendela
            or self.dikembalikan
            or self.antrean
            or self.tertinggal
            or self.komentar_tl
            or self.komentar_dijawab
        )


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "-"


def _started(renja_ids: list[int]) -> set[tuple[int, int]]:
    """Return the (Renja, quarter) pairs in which anything has been entered."""
    k = RealisasiK.objects.filter(
        indikator__simpul__renja_id__in=renja_ids, nilai__isnull=False
    ).values_list("indikator__simpul__renja_id", "triwulan")
    rp = RealisasiRp.objects.filter(
        simpul__renja_id__in=renja_ids, nilai__isnull=False
    ).values_list("simpul__renja_id", "triwulan")
    return set(k.distinct()) | set(rp.distinct())


def _deadlines(pds: list[PerangkatDaerah], tahun: int) -> dict[tuple[int, int], dt.date | None]:
    """Return each PD's deadline per quarter whose window Bappeda ever opened (an exception that
    opens a PD's window counts; one that closes it takes the quarter out)."""
    windows = {
        (pemda_id, q): (terbuka, batas)
        for pemda_id, q, terbuka, batas in JendelaEntri.objects.filter(
            pemda_id__in={pd.pemda_id for pd in pds}, tahun=tahun
        ).values_list("pemda_id", "triwulan", "terbuka", "batas")
    }
    exceptions = {
        (pd_id, q): terbuka
        for pd_id, q, terbuka in PengecualianJendela.objects.filter(
            perangkat_daerah__in=pds, tahun=tahun
        ).values_list("perangkat_daerah_id", "triwulan", "terbuka")
    }
    found: dict[tuple[int, int], dt.date | None] = {}
    for pd in pds:
        for q in range(1, 5):
            window = windows.get((pd.pemda_id, q))
            if exceptions.get((pd.pk, q)) is False:
                continue
            if window is not None or exceptions.get((pd.pk, q)):
                found[(pd.pk, q)] = window[1] if window is not None else None
    return found


def _year(visible: QuerySet[Renja]) -> int | None:
    return (
        visible.filter(berlaku=True, diarsipkan=False)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .first()
    )


def tugas_for(user: Any, now: dt.datetime | None = None) -> Tugas:
    """Return the user's to-do list for the newest year with a Renja they may read."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    role = access.peran(user)
    own = access.working_pd(user)  # a province's tasks are its own, not its kabupaten/kota's
    tahun = _year(Renja.objects.filter(perangkat_daerah__in=own))
    if tahun is None or role is None:
        return Tugas(tahun=tahun or today.year, peran=role)
    pds = list(own.select_related("pemda").order_by("kode"))
    rows = [row for row in selectors.papan_status(pds, tahun) if row.renja is not None]
    deadlines = _deadlines(pds, tahun)
    tugas = Tugas(tahun=tahun, peran=role)

    if role == Peran.OPERATOR:
        for row in rows:
            assert row.renja is not None
            for q, sel in enumerate(row.sel, start=1):
                if sel.status == Status.DIKEMBALIKAN:
                    last = sel.terakhir
                    note = last.keterangan if last is not None else ""
                    reason = siklus.unlock_reason(note)
                    tugas.dikembalikan.append(
                        Dikembalikan(
                            row.renja,
                            q,
                            _name(last.pengguna) if last is not None else "-",
                            last.waktu if last is not None else None,
                            note if reason is None else reason,
                            reason is not None,
                            persetujuan.returned_at(last) if last is not None else "",
                        )
                    )
                if sel.jendela_terbuka and sel.status in (Status.DRAF, Status.DIKEMBALIKAN):
                    batas = deadlines.get((row.perangkat_daerah.pk, q))
                    tugas.jendela.append(
                        JendelaTerbuka(
                            row.renja,
                            q,
                            sel.status,
                            batas,
                            tanggal_indonesia(batas) if batas else "",
                            sisa_hari(batas, today),
                            batas is not None and (batas - today).days <= 3,
                        )
                    )

    renja_ids = [row.renja.pk for row in rows if row.renja is not None]
    if role == Peran.OPERATOR:
        tugas.komentar_tl.extend(komentar.tindak_lanjut_untuk(renja_ids))
    if role in (Peran.VERIFIKATOR, Peran.ADMIN):
        tugas.komentar_dijawab.extend(komentar.dijawab_untuk(renja_ids))
    for row in rows:
        assert row.renja is not None
        for q, sel in enumerate(row.sel, start=1):
            if sel.menunggu is None or not access.can_approve_level(
                role, access.own_pd_id(user), row.perangkat_daerah.pk, sel.menunggu.peran
            ):
                continue
            # The last transition put it at its level: the submission or the previous approval.
            last = sel.terakhir
            since = last.waktu if last is not None else None
            tugas.antrean.append(
                Antrean(
                    row.renja,
                    q,
                    since,
                    _name(last.pengguna) if last is not None else "-",
                    lama_menunggu(since, now) if since else "-",
                    sel.menunggu.label,
                    persetujuan.langkah(last) if last is not None else "diajukan",
                )
            )
    if tugas.antrean:
        tugas.antrean.sort(key=lambda a: (a.diajukan is None, a.diajukan or now))

    if role in (Peran.ADMIN, Peran.PIMPINAN, Peran.KEPALA_BAPPEDA):
        started = _started([row.renja.pk for row in rows if row.renja is not None])
        for q in range(1, 5):
            late: list[tuple[PerangkatDaerah, Renja, str]] = []
            not_started: list[tuple[PerangkatDaerah, Renja]] = []
            batas_q: dt.date | None = None
            for row in rows:
                assert row.renja is not None
                key = (row.perangkat_daerah.pk, q)
                if key not in deadlines:
                    continue  # the window of this quarter was never opened
                if row.sel[q - 1].status in (Status.DIAJUKAN, Status.DIVERIFIKASI):
                    continue
                batas = deadlines[key]
                batas_q = batas_q or batas
                if batas is not None and batas < today:
                    late.append((row.perangkat_daerah, row.renja, sisa_hari(batas, today)))
                elif (row.renja.pk, q) not in started:
                    not_started.append((row.perangkat_daerah, row.renja))
            if late or not_started:
                tugas.tertinggal.append(Tertinggal(q, batas_q, late, not_started))
    return tugas
