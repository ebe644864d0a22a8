"""The quarterly cycle (spec §8): entry windows, submit / verify / return / unlock, and locks.

A submitted report climbs the pemda's approval levels (`monev.web.persetujuan`, issue 16 point
4): `laporan_approve` at each level, the last level's approval being the acceptance; a return at
any level sends it back to the operator. A pemda without levels has one (a Bappeda verifier).

Writes to realisations and narrative ask `require_entry` first, so that every way in (pages,
API, imports of realisations) obeys the same windows and locks. Every transition is recorded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from monev.web import access, persetujuan, selectors, snapshot
from monev.web.access import Peran
from monev.web.models import (
    VERSI_SEMENTARA,
    JendelaEntri,
    LaporanTriwulan,
    Pemda,
    PengecualianJendela,
    PerangkatDaerah,
    Renja,
    Riwayat,
    Simpul,
)
from monev.web.prepared import Prepared

Status = LaporanTriwulan.Status
ROMAWI = ("I", "II", "III", "IV")
#: Narrative fields that must be filled before a quarter can be submitted.
NARASI_WAJIB = LaporanTriwulan.NARASI
NARASI_LABEL = {
    "faktor_pendorong": "Faktor pendorong keberhasilan pencapaian",
    "faktor_penghambat": "Faktor penghambat pencapaian kinerja",
    "tindak_lanjut_triwulan": "Tindak lanjut yang diperlukan dalam triwulan berikutnya",
    "tindak_lanjut_renja": "Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya",
}
LOCKED = (Status.DIAJUKAN, Status.DIVERIFIKASI)
#: How an admin's unlock is recorded (`laporan_unlock`): "buka kunci: <reason>", or for a later
#: quarter reopened with it "buka kunci ikut TW …: <reason>". Its reason is not a verifier's note.
UNLOCK = "buka kunci"


def unlock_reason(note: str) -> str | None:
    """Return the reason of an admin's unlock recorded as `note`, without the record's prefix
    (None when the note is not an unlock's)."""
    if not note.startswith(UNLOCK):
        return None
    return note.removeprefix(UNLOCK).removeprefix(":").strip()


class Ditolak(Exception):
    """A write or a transition the cycle does not allow now; the message says why."""


class NilaiBasi(Ditolak):
    """A save made from a page that shows an older value than the one stored (another person's)."""

    def __init__(
        self, message: str, *, nilai: str, oleh: str, versi: int, asli: Decimal | None = None
    ) -> None:
        super().__init__(message)
        self.nilai = nilai  # as the page shows it (Indonesian notation)
        self.asli = asli  # the stored value itself, for the API's machine form
        self.oleh = oleh
        self.versi = versi


# Every cell save asks these (prepared: compiled once per thread, `monev.web.prepared`).
def _window_query(pd: int, tahun: int, q: int) -> Any:
    """The PD's own exception for the quarter (None: none), and the pemda's window (open, its
    deadline), in one query."""
    where = {"tahun": tahun, "triwulan": q}
    window = JendelaEntri.objects.filter(pemda_id=OuterRef("pemda_id"), **where)
    return (
        PerangkatDaerah.objects.filter(pk=pd)
        .annotate(
            pengecualian=Subquery(
                PengecualianJendela.objects.filter(
                    perangkat_daerah_id=OuterRef("pk"), **where
                ).values("terbuka")[:1]
            ),
            jendela_terbuka=Subquery(window.values("terbuka")[:1]),
            jendela_batas=Subquery(window.values("batas")[:1]),
        )
        .values_list("pengecualian", "jendela_terbuka", "jendela_batas")
    )


_WINDOW = Prepared(_window_query, 2_147_480_001, 32_701, 32_702)
_LOCKED = Prepared(
    lambda renja, q: (
        LaporanTriwulan.objects.select_for_update()
        .filter(renja_id=renja, triwulan__gte=q)
        .values_list("triwulan", "status")
    ),
    2_147_480_001,
    32_702,
)


def window_open(perangkat_daerah: PerangkatDaerah, tahun: int, triwulan: int) -> bool:
    """Tell whether the PD may enter the quarter: its own exception, else the pemda's window."""
    found = _WINDOW.first(perangkat_daerah.pk, tahun, triwulan)
    exception, terbuka, batas = found if found is not None else (None, None, None)
    if exception is not None:
        return bool(exception)
    if not terbuka:
        return False
    return batas is None or timezone.localdate() <= batas


@dataclass(frozen=True)
class StatusEntri:
    """Whether a user may change a quarter's data now, and if not, why (in Indonesian)."""

    bisa_ubah: bool
    alasan: str
    status: str
    jendela_terbuka: bool


def _states(renja: Renja) -> dict[int, str]:
    return dict(LaporanTriwulan.objects.filter(renja=renja).values_list("triwulan", "status"))


def _later_lock(states: dict[int, str], triwulan: int) -> str:
    """Return why a realisation of the quarter cannot change: a later quarter whose figures carry
    it (the year's value of `progresif`, `akumulatif` and `rata_rata`) is submitted or verified."""
    for q in range(triwulan + 1, 5):
        if states.get(q) in LOCKED:
            return (
                f"Realisasi TW {ROMAWI[triwulan - 1]} tidak dapat diubah: {_locked_text(q, states[q])} "
                f"dan angkanya memuat TW {ROMAWI[triwulan - 1]}."
            )
    return ""


def _locked_text(triwulan: int, status: str) -> str:
    if status == Status.DIVERIFIKASI:
        return f"TW {ROMAWI[triwulan - 1]} sudah diverifikasi; minta admin membuka kuncinya"
    return f"TW {ROMAWI[triwulan - 1]} sudah diajukan; minta verifikator mengembalikannya"


def plan_lock(renja: Renja) -> str:
    """Return why the Renja's plan (targets, pagu, an import) cannot change now, or "".

    A target or a pagu enters every quarter's figures, so any submitted or verified quarter
    forbids it."""
    states = _states(renja)
    for q in range(1, 5):
        if states.get(q) in LOCKED:
            return f"{_locked_text(q, states[q])}. Target dan pagu dipakai setiap triwulan."
    return ""


DIGANTI_IMPOR = "Rencana ini baru saja diganti lewat impor; muat ulang halaman lalu ulangi."


def _require_in_force(renja: Renja) -> None:
    """Refuse a write to a node an import has just replaced (its hidden row, being removed)."""
    if renja.versi.startswith(VERSI_SEMENTARA):
        raise Ditolak(DIGANTI_IMPOR)


def require_node_in_force(simpul_id: int, renja: Renja) -> None:
    """Refuse a write to a node that an import has moved out of `renja` since the caller read it
    (the swap puts the new plan's nodes under the Renja and the old ones under a hidden row,
    whose rows are then deleted: a value saved there would be lost).

    Call it first in the write's transaction, before any other lock (the swap locks the Renja,
    then its report rows). On PostgreSQL the node and its Renja are locked FOR KEY SHARE, which
    saves share: a save waits for a swap in progress and then sees the node moved; a swap
    waits for a save that locked first, and compares the plan with that save in it. SQLite's
    writers take turns anyway (IMMEDIATE transactions), so there the query only reads."""
    simpul, renja_table = Simpul._meta.db_table, Renja._meta.db_table
    lock = " FOR KEY SHARE OF s, r" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {simpul} s INNER JOIN {renja_table} r ON r.id = s.renja_id "
            f"WHERE s.id = %s AND r.id = %s{lock}",
            [simpul_id, renja.pk],
        )
        if cursor.fetchone() is None:
            raise Ditolak(DIGANTI_IMPOR)


def require_plan_change(user: Any, renja: Renja) -> None:
    """Refuse a change of the Renja's plan while any quarter is submitted or verified.

    Call it inside the write's transaction: the quarters' report rows stay locked until it ends,
    so that no submission or verification slips in between."""
    _require_in_force(renja)
    access.require_admin(user, renja)
    list(LaporanTriwulan.objects.select_for_update().filter(renja=renja))
    reason = plan_lock(renja)
    if reason:
        raise Ditolak(reason)


def status_entri(
    user: Any,
    renja: Renja,
    triwulan: int,
    *,
    realisasi: bool = True,
    states: dict[int, str] | None = None,
) -> StatusEntri:
    """Return whether the user may change the quarter's realisations (`realisasi`; they enter
    every later quarter too) or, with `realisasi=False`, its narrative (the quarter's own).

    `states`: the report states of this quarter and the later ones when the caller has read
    them already (the earlier quarters' do not decide)."""
    if states is None:
        states = _states(renja)
    status = states.get(triwulan, Status.DRAF)
    terbuka = window_open(renja.perangkat_daerah, renja.tahun, triwulan)
    romawi = ROMAWI[triwulan - 1]
    if not access.can_edit_realisasi(user, renja):
        return StatusEntri(False, "Anda hanya dapat membaca data ini.", status, terbuka)
    if status == Status.DIVERIFIKASI:
        return StatusEntri(
            False,
            f"TW {romawi} sudah diverifikasi dan dikunci; hanya admin Bappeda yang dapat "
            "membuka kuncinya.",
            status,
            terbuka,
        )
    if status == Status.DIAJUKAN:
        return StatusEntri(
            False,
            f"TW {romawi} sudah diajukan dan sedang diverifikasi; data tidak dapat diubah "
            "kecuali dikembalikan oleh verifikator.",
            status,
            terbuka,
        )
    later = _later_lock(states, triwulan) if realisasi else ""
    if later:
        return StatusEntri(False, later, status, terbuka)
    if not terbuka and access.peran(user) != Peran.ADMIN:
        return StatusEntri(
            False,
            f"Jendela entri TW {romawi} {renja.tahun} sedang ditutup oleh Bappeda.",
            status,
            terbuka,
        )
    return StatusEntri(True, "", status, terbuka)


def _locked_states(renja_id: int, triwulan: int, *, shared: bool) -> dict[int, str]:
    """Return the report states of the quarter and the later ones, their rows locked until the
    caller's transaction ends. `shared`: a realisation's save, which only reads them, takes a
    share lock on PostgreSQL (saves of one Renja do not wait for each other; a submit, a
    verification or a narrative's save, which lock the rows for update, waits for them and they
    for it); otherwise, and on SQLite (whose writers take turns), as `select_for_update`."""
    if not shared or connection.vendor != "postgresql":
        return dict(_LOCKED.rows(renja_id, triwulan))
    meta = LaporanTriwulan._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT triwulan, status FROM {meta.db_table} WHERE renja_id = %s AND triwulan >= %s "
            "FOR SHARE",
            [renja_id, triwulan],
        )
        return dict(cursor.fetchall())


def require_entry(user: Any, renja: Renja, triwulan: int, *, realisasi: bool = True) -> None:
    """Refuse a write to the quarter's data unless the role, the lock and the window allow it:
    a realisation also while a later quarter (which carries it) is locked; the narrative
    (`realisasi=False`) only the quarter's own lock.

    Call it inside the write's transaction."""
    _require_in_force(renja)
    access.require_edit_realisasi(user, renja)
    # Lock the report rows of the quarter and the later ones (whose figures carry it) for the rest
    # of the caller's transaction, so that a submit or a verification (which lock them too)
    # cannot slip in between this check and the write.
    states = _locked_states(renja.pk, triwulan, shared=realisasi)
    state = status_entri(user, renja, triwulan, realisasi=realisasi, states=states)
    if not state.bisa_ubah:
        raise Ditolak(state.alasan)


def _laporan_for_update(renja: Renja, triwulan: int) -> LaporanTriwulan:
    laporan, _ = LaporanTriwulan.objects.select_for_update().get_or_create(
        renja=renja, triwulan=triwulan
    )
    return laporan


def _transition(
    user: Any,
    laporan: LaporanTriwulan,
    new: str,
    keterangan: str = "",
    *,
    tingkat: persetujuan.Level | None = None,
) -> LaporanTriwulan:
    """Move the report to `new` and record it, with the approval level it happened at."""
    old = laporan.status
    laporan.status = new
    laporan.versi += 1
    if new != Status.DIAJUKAN:
        laporan.tingkat = 0
    if new in (Status.DIKEMBALIKAN,) and keterangan:
        laporan.catatan_verifikasi = keterangan
    laporan.save()
    Riwayat.objects.create(
        pengguna=user,
        renja=laporan.renja,
        jenis=Riwayat.Jenis.STATUS,
        triwulan=laporan.triwulan,
        kolom="status",
        tingkat=tingkat.label if tingkat is not None else "",
        nilai_lama=old,
        nilai_baru=new,
        keterangan=keterangan,
    )
    return laporan


def _require_from(laporan: LaporanTriwulan, allowed: tuple[str, ...], action: str) -> None:
    if laporan.status not in allowed:
        label = Status(laporan.status).label.lower()
        raise Ditolak(
            f"Laporan TW {ROMAWI[laporan.triwulan - 1]} berstatus {label}; tidak dapat {action}."
        )


@transaction.atomic
def laporan_submit(*, user: Any, renja: Renja, triwulan: int) -> LaporanTriwulan:
    """The PD submits the quarter (diajukan); refused while a required narrative is empty."""
    access.require_edit_realisasi(user, renja)
    laporan = _laporan_for_update(renja, triwulan)
    _require_from(laporan, (Status.DRAF, Status.DIKEMBALIKAN), "diajukan")
    if (
        not window_open(renja.perangkat_daerah, renja.tahun, triwulan)
        and access.peran(user) != Peran.ADMIN
    ):
        raise Ditolak(
            f"Jendela entri TW {ROMAWI[triwulan - 1]} sedang ditutup; laporan tidak dapat diajukan."
        )
    empty = [NARASI_LABEL[f] for f in NARASI_WAJIB if not getattr(laporan, f).strip()]
    if empty:
        raise Ditolak("Belum dapat diajukan; isi dulu: " + "; ".join(empty) + ".")
    # The record says how complete the quarter was when it went to Bappeda (the page asked the
    # operator to confirm a submission with empty cells).
    kosong = selectors.sel_kosong(renja, triwulan)
    keterangan = f"diajukan dengan {kosong} sel kosong" if kosong else ""
    laporan.tingkat = 1
    first = persetujuan.levels_of(renja.perangkat_daerah.pemda_id)[0]
    return _transition(user, laporan, Status.DIAJUKAN, keterangan, tingkat=first)


def _waiting_level(user: Any, renja: Renja, laporan: LaporanTriwulan) -> persetujuan.Level:
    """Return the level the locked report waits at, refusing (403) a user who does not hold it.

    The levels are read after the report's row is locked: a change of the levels, which locks
    the reports in flight, is either wholly before this or wholly after."""
    level = persetujuan.level_at(
        persetujuan.levels_of(renja.perangkat_daerah.pemda_id), laporan.tingkat
    )
    access.require_approve(user, renja, level.peran, level.label)
    return level


def _require_approver_somewhere(
    user: Any, renja: Renja, laporan: LaporanTriwulan, action: str
) -> None:
    """Refuse (403) a user who holds no level of the pemda, then (Ditolak) a report that is not
    waiting at a level, so that a report in another state says why to those who may act on it."""
    levels = persetujuan.levels_of(renja.perangkat_daerah.pemda_id)
    if not any(access.can_approve(user, renja, lv.peran) for lv in levels):
        raise PermissionDenied("Anda tidak berwenang menyetujui atau mengembalikan laporan ini.")
    _require_from(laporan, (Status.DIAJUKAN,), action)


@transaction.atomic
def laporan_approve(
    *, user: Any, renja: Renja, triwulan: int, catatan: str = ""
) -> LaporanTriwulan:
    """Approve a submitted quarter at the level it waits at: it moves to the next level, or,
    at the last, it is accepted (verified, locked, its evaluation kept as a snapshot)."""
    laporan = _laporan_for_update(renja, triwulan)
    if laporan.status != Status.DIAJUKAN:
        _require_approver_somewhere(user, renja, laporan, "disetujui")
    level = _waiting_level(user, renja, laporan)
    note = catatan.strip()
    if not level.terakhir:
        laporan.tingkat = level.urutan + 1
        return _transition(user, laporan, Status.DIAJUKAN, note, tingkat=level)
    from monev.web import komentar  # it builds on this module

    komentar.require_no_open_flag(renja, triwulan)  # accepted only when every flag is resolved
    laporan.catatan_verifikasi = ""
    laporan = _transition(user, laporan, Status.DIVERIFIKASI, note, tingkat=level)
    snapshot.take(user=user, renja=renja, triwulan=triwulan)
    return laporan


def laporan_verify(*, user: Any, renja: Renja, triwulan: int) -> LaporanTriwulan:
    """Accept a submitted quarter: in a pemda with the single verifier level (the default) this
    is the acceptance itself; with more levels, the approval at the level it waits at."""
    return laporan_approve(user=user, renja=renja, triwulan=triwulan)


@transaction.atomic
def laporan_return(*, user: Any, renja: Renja, triwulan: int, catatan: str) -> LaporanTriwulan:
    """The approver of the level a submitted quarter waits at returns it to the operator with a
    note the operator sees; it starts again from the first level when submitted again."""
    laporan = _laporan_for_update(renja, triwulan)
    if laporan.status != Status.DIAJUKAN:
        _require_approver_somewhere(user, renja, laporan, "dikembalikan")
    level = _waiting_level(user, renja, laporan)
    if not catatan.strip():
        raise Ditolak("Tulis catatan untuk operator: apa yang harus diperbaiki.")
    from monev.web import komentar  # it builds on this module

    # The record and the operator's note list the lines flagged *perlu tindak lanjut*.
    keterangan = komentar.return_text(renja, triwulan, catatan.strip())
    return _transition(user, laporan, Status.DIKEMBALIKAN, keterangan, tingkat=level)


def reopened_with(renja: Renja, triwulan: int) -> list[int]:
    """Return the later quarters that unlocking this one reopens too: every later submitted or
    verified quarter, since each carries this quarter's realisations in its figures."""
    states = _states(renja)
    return [q for q in range(triwulan + 1, 5) if states.get(q) in LOCKED]


@transaction.atomic
def laporan_unlock(*, user: Any, renja: Renja, triwulan: int, alasan: str) -> LaporanTriwulan:
    """An admin reopens a verified quarter, with a reason that is recorded.

    Every later quarter that is submitted or verified is reopened with it (and recorded so), so
    that a corrected value never changes a verified quarter behind its back: each is verified
    again, with a new snapshot."""
    access.require_admin(user, renja)
    if not alasan.strip():
        raise Ditolak("Tulis alasan membuka kunci; alasan dicatat di riwayat.")
    rows = {
        lap.triwulan: lap
        for lap in LaporanTriwulan.objects.select_for_update()
        .filter(renja=renja, triwulan__gte=triwulan)
        .order_by("triwulan")
    }
    laporan = rows.get(triwulan) or _laporan_for_update(renja, triwulan)
    _require_from(laporan, (Status.DIVERIFIKASI,), "dibuka kuncinya")
    romawi = ROMAWI[triwulan - 1]
    for q in range(4, triwulan, -1):
        later = rows.get(q)
        if later is not None and later.status in LOCKED:
            _transition(
                user,
                later,
                Status.DIKEMBALIKAN,
                f"{UNLOCK} ikut TW {romawi} (angkanya memuat TW {romawi}): {alasan.strip()}",
            )
    return _transition(user, laporan, Status.DIKEMBALIKAN, f"{UNLOCK}: {alasan.strip()}")


def actions(
    user: Any, renja: Renja, status: str, *, tingkat: int = 1
) -> list[tuple[str, str, str]]:
    """Return the cycle actions this user may take now: (action, label, field asked for);
    `tingkat` is the position of the level a submitted report waits at."""
    status_ = Status
    actions = []
    if status in (status_.DRAF, status_.DIKEMBALIKAN) and access.can_edit_realisasi(user, renja):
        actions.append(("ajukan", "Ajukan ke Bappeda", ""))
    if status == status_.DIAJUKAN:
        level = persetujuan.level_at(
            persetujuan.levels_of(renja.perangkat_daerah.pemda_id), tingkat
        )
        if access.can_approve(user, renja, level.peran):
            label = "Terima (verifikasi)" if level.terakhir else f"Setujui ({level.label})"
            actions += [("terima", label, ""), ("kembalikan", "Kembalikan", "catatan")]
    if status == status_.DIVERIFIKASI and access.is_admin_of(user, renja):
        actions.append(("buka-kunci", "Buka kunci", "alasan"))
    return actions


@transaction.atomic
def jendela_set(
    *,
    user: Any,
    pemda: Pemda,
    tahun: int,
    triwulan: int,
    terbuka: bool,
    batas: datetime.date | None = None,
) -> JendelaEntri:
    """Open or close a quarter's entry window for the whole pemda (admin)."""
    access.require_admin(user, pemda)
    window, _ = JendelaEntri.objects.select_for_update().get_or_create(
        pemda=pemda, tahun=tahun, triwulan=triwulan
    )
    window.terbuka = terbuka
    window.batas = batas
    window.save()
    return window


@transaction.atomic
def pengecualian_set(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    triwulan: int,
    terbuka: bool | None,
    alasan: str = "",
) -> PengecualianJendela | None:
    """Give a PD its own window for a quarter (True/False), or remove the exception (None)."""
    access.require_admin(user, perangkat_daerah)
    if terbuka is None:
        PengecualianJendela.objects.filter(
            perangkat_daerah=perangkat_daerah, tahun=tahun, triwulan=triwulan
        ).delete()
        return None
    exception, _ = PengecualianJendela.objects.update_or_create(
        perangkat_daerah=perangkat_daerah,
        tahun=tahun,
        triwulan=triwulan,
        defaults={"terbuka": terbuka, "alasan": alasan},
    )
    return exception
