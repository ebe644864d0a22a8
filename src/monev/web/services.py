"""Writes: one function per action, keyword-only, one transaction each, every change recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monev.core import model as core
from monev.core.numbers import AngkaError, format_nilai, parse_angka
from monev.web import access, bulk, impor_tulis, prepared, sel_simpan, siklus
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)

logger = logging.getLogger(__name__)

MAX_K_PLACES = 4
MAX_RP_PLACES = 2


def parse_nilai(text: str, *, places: int, label: str = "nilai") -> Decimal | None:
    """Return a number typed the Indonesian way (`1.234.567,89`); blank means none.

    A typed `1.234` is read as one thousand two hundred thirty-four: users type Indonesian.
    """
    try:
        value = parse_angka(text, dot_is_thousands=True)
    except AngkaError as exc:
        raise ValidationError(f"{label}: {exc}; tulis seperti 1.234,5") from exc
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(f"{label}: paling banyak {places} angka di belakang koma")
    if abs(value) >= Decimal(10) ** 16:
        raise ValidationError(f"{label}: angka terlalu besar")
    return value


def shown(value: Decimal | None) -> str:
    """Return a stored value as a user reads and types it (`1.234,5`; blank for none)."""
    return "" if value is None else format_nilai(value)


def _check_triwulan(triwulan: int) -> None:
    if triwulan not in (1, 2, 3, 4):
        raise ValidationError("triwulan harus 1 sampai 4")


def _stale(*, nilai: Decimal | None, versi: int, oleh: str, waktu: Any, sent: int | None) -> None:
    """Refuse a write whose version is not the stored one, with the stored value (and who set it).

    A write without a version is refused as well: it cannot show that its author saw the value
    it replaces, and a silent overwrite of another person's value is what the version prevents."""
    if sent is not None and sent == versi:
        return
    shown_nilai = shown(nilai) or "kosong"
    if sent is None:
        message = (
            f"Simpanan ditolak karena tidak menyertakan versi nilai yang Anda lihat. Nilai "
            f"tersimpan sekarang: {shown_nilai}; muat ulang halaman lalu simpan lagi."
        )
    else:
        when = f" pada {timezone.localtime(waktu).strftime('%d-%m-%Y %H:%M')}" if waktu else ""
        message = (
            f"Nilai ini sudah diubah oleh {oleh}{when} menjadi {shown_nilai}. Simpanan Anda tidak "
            "dipakai; periksa lalu ketik ulang bila perlu."
        )
    raise siklus.NilaiBasi(message, nilai=shown(nilai), oleh=oleh, versi=versi, asli=nilai)


def _check_version(row: RealisasiK | RealisasiRp, versi: int | None) -> None:
    """Refuse a save made from a page that showed another version of the row (or none)."""
    if versi is not None and versi == row.versi:
        return  # who changed it last is read only to say so (one query on a refused save)
    oleh = sel_simpan.user_name(row.diubah_oleh_id)
    _stale(nilai=row.nilai, versi=row.versi, oleh=oleh, waktu=row.diubah, sent=versi)


def _check_plan_version(
    *, value: Decimal | None, versi: int, sent: int | None, **where: Any
) -> None:
    """The version check of a target or a pagu: who changed it last comes from the history."""
    if sent is not None and sent == versi:
        return
    last = (
        Riwayat.objects.filter(**where).select_related("pengguna").order_by("-waktu", "-id").first()
    )
    user = last.pengguna if last else None
    oleh = (user.get_full_name() or user.username) if user else "pengguna lain"
    _stale(nilai=value, versi=versi, oleh=oleh, waktu=last.waktu if last else None, sent=sent)


def _save_realisasi(
    row: RealisasiK | RealisasiRp,
    *,
    user: Any,
    versi: int | None,
    nilai: Decimal | None,
    riwayat: Riwayat,
) -> None:
    """Save a locked realisation row (after the version check) and record the change."""
    _check_version(row, versi)
    if row.nilai == nilai:
        return
    riwayat.nilai_lama, riwayat.nilai_baru = shown(row.nilai), shown(nilai)
    row.nilai = nilai
    row.versi += 1
    row.diubah_oleh = user
    # No signal listens to a realisation row's save; the history record's is heard.
    prepared.update(row, ["nilai", "versi", "diubah", "diubah_oleh"])
    riwayat.save()


@transaction.atomic
def realisasi_k_update(
    *,
    user: Any,
    indikator: Indikator,
    triwulan: int,
    nilai: Decimal | None,
    versi: int | None,
) -> RealisasiK:
    """Save an indicator's realisation (K) of a quarter and record the change.

    `versi` is the version the user's page showed (0 for a cell never saved); a save from a stale
    page, or without a version, is refused (`siklus.NilaiBasi`) instead of silently overwriting
    another person's value. The quarter and every later one must be open (`siklus.require_entry`).
    """
    _check_triwulan(triwulan)
    renja = indikator.simpul.renja
    siklus.require_node_in_force(indikator.simpul_id, renja)
    siklus.require_entry(user, renja, triwulan)
    row = sel_simpan.realisasi_for_update(RealisasiK, indikator.pk, triwulan)
    if row is None:
        row, _ = RealisasiK.objects.select_for_update().get_or_create(
            indikator=indikator, triwulan=triwulan
        )
    change = Riwayat(
        pengguna=user,
        renja=renja,
        simpul=indikator.simpul,
        indikator=indikator,
        jenis=Riwayat.Jenis.REALISASI_K,
        triwulan=triwulan,
        kolom=f"tw{triwulan}_k",
    )
    _save_realisasi(row, user=user, versi=versi, nilai=nilai, riwayat=change)
    return row


@transaction.atomic
def realisasi_rp_update(
    *, user: Any, simpul: Simpul, triwulan: int, nilai: Decimal | None, versi: int | None
) -> RealisasiRp:
    """Save a node's budget realisation (Rp) of a quarter and record the change."""
    _check_triwulan(triwulan)
    siklus.require_node_in_force(simpul.pk, simpul.renja)
    siklus.require_entry(user, simpul.renja, triwulan)
    row = sel_simpan.realisasi_for_update(RealisasiRp, simpul.pk, triwulan)
    if row is None:
        row, _ = RealisasiRp.objects.select_for_update().get_or_create(
            simpul=simpul, triwulan=triwulan
        )
    change = Riwayat(
        pengguna=user,
        renja=simpul.renja,
        simpul=simpul,
        jenis=Riwayat.Jenis.REALISASI_RP,
        triwulan=triwulan,
        kolom=f"tw{triwulan}_rp",
    )
    _save_realisasi(row, user=user, versi=versi, nilai=nilai, riwayat=change)
    return row


@transaction.atomic
def laporan_narasi_update(
    *, user: Any, renja: Renja, triwulan: int, narasi: dict[str, str], versi: int | None
) -> LaporanTriwulan:
    """Save the quarter's narrative fields and record each change.

    `versi` is the report's version the user's page showed; another one, or none, is refused."""
    _check_triwulan(triwulan)
    siklus.require_entry(user, renja, triwulan, realisasi=False)
    laporan, _ = LaporanTriwulan.objects.select_for_update().get_or_create(
        renja=renja, triwulan=triwulan
    )
    if versi is None or versi != laporan.versi:
        raise siklus.Ditolak(
            "Narasi triwulan ini sudah diubah orang lain sejak halaman Anda dibuka; muat ulang "
            "halaman (teks Anda masih ada di kotak isian) lalu simpan lagi."
            if versi is not None
            else "Narasi ditolak karena tidak menyertakan versi yang Anda lihat; muat ulang "
            "halaman (teks Anda masih ada di kotak isian) lalu simpan lagi."
        )
    changed = []
    for field in LaporanTriwulan.NARASI:
        if field not in narasi:
            continue
        new = narasi[field].strip()
        old = getattr(laporan, field)
        if new != old:
            setattr(laporan, field, new)
            changed.append(field)
            Riwayat.objects.create(
                pengguna=user,
                renja=renja,
                jenis=Riwayat.Jenis.NARASI,
                triwulan=triwulan,
                kolom=field,
                nilai_lama=old,
                nilai_baru=new,
            )
    if changed:
        laporan.versi += 1
        laporan.save()
    return laporan


@transaction.atomic
def indikator_target_update(
    *, user: Any, indikator: Indikator, target: Decimal | None, versi: int | None
) -> Indikator:
    """Change an indicator's yearly target (admin) and record it.

    Refused while any quarter of the Renja is submitted or verified (the target is in every
    quarter's figures), and when `versi` is not the target's version the user's page showed."""
    renja = indikator.simpul.renja
    siklus.require_plan_change(user, renja)
    indikator = (
        Indikator.objects.select_for_update().select_related("simpul__renja").get(pk=indikator.pk)
    )
    _check_plan_version(
        value=indikator.target,
        versi=indikator.versi,
        sent=versi,
        indikator=indikator,
        jenis=Riwayat.Jenis.TARGET,
    )
    if indikator.target != target:
        Riwayat.objects.create(
            pengguna=user,
            renja=renja,
            simpul=indikator.simpul,
            indikator=indikator,
            jenis=Riwayat.Jenis.TARGET,
            kolom="target_k",
            nilai_lama=shown(indikator.target),
            nilai_baru=shown(target),
        )
        indikator.target = target
        indikator.versi += 1
        indikator.save(update_fields=["target", "versi"])
    return indikator


@transaction.atomic
def simpul_pagu_update(
    *, user: Any, simpul: Simpul, pagu: Decimal | None, versi: int | None
) -> Simpul:
    """Change a node's pagu (admin) and record it; refused as a target change is."""
    siklus.require_plan_change(user, simpul.renja)
    simpul = Simpul.objects.select_for_update().select_related("renja").get(pk=simpul.pk)
    _check_plan_version(
        value=simpul.pagu,
        versi=simpul.versi,
        sent=versi,
        simpul=simpul,
        indikator__isnull=True,
        jenis=Riwayat.Jenis.PAGU,
    )
    if simpul.pagu != pagu:
        Riwayat.objects.create(
            pengguna=user,
            renja=simpul.renja,
            simpul=simpul,
            jenis=Riwayat.Jenis.PAGU,
            kolom="pagu",
            nilai_lama=shown(simpul.pagu),
            nilai_baru=shown(pagu),
        )
        simpul.pagu = pagu
        simpul.versi += 1
        simpul.save(update_fields=["pagu", "versi"])
    return simpul


def renja_import(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    renja: core.Renja,
    versi: str = Renja.Versi.MURNI,
    sumber: str = "",
    kemajuan: Callable[[str, int, int], None] | None = None,
) -> Renja:
    """Save a whole Renja read from a file, replacing the plan of that PD, year and version.

    All or nothing as every reader sees it: the plan is written in short transactions under a
    hidden Renja row and swapped in by one more (`monev.web.impor_tulis`), so that SQLite's only
    write lock is never held for long; a failure leaves the old plan as it was. A replaced Renja
    keeps its id. Realisations in the file are saved too. The import itself is recorded; so is
    every target, pagu and realisation that differs from the plan it replaces. `kemajuan(tahap,
    selesai, jumlah)` hears the rows written (`TAHAP_TULIS`), then the old rows removed.
    """
    access.require_admin(user, perangkat_daerah)
    impor_tulis.sisa_bersihkan()
    # The plan being replaced is read before any transaction (on SQLite in WAL readers neither
    # wait nor make a writer wait); it is read again in the swap only when a change was
    # recorded in between (every change of a value is recorded).
    before = _snapshot_before(perangkat_daerah, tahun, versi)
    if before is not None:
        _refuse_locked(Renja.objects.get(pk=before[0]))  # said before the long write, not after
    hidden = impor_tulis.tersembunyi_buat(perangkat_daerah, tahun)
    try:
        impor_tulis.rencana_tulis(hidden, renja, _phase(kemajuan, TAHAP_TULIS))
        # Compared (outside the lock) only with a plan it replaces, read back from its rows.
        changes = None
        if before is not None:
            changes = _changes(user, before[0], before[2], _snapshot(hidden), _ids(hidden))
        with transaction.atomic():
            stored, old = _swap(
                user, hidden, perangkat_daerah, tahun, versi, sumber, before, changes
            )
    except BaseException:
        _remove_quietly(hidden)
        raise
    if old is not None:
        try:
            impor_tulis.tersembunyi_hapus(old, _phase(kemajuan, TAHAP_HAPUS))
        except Exception:  # the import is saved; the old rows, hidden, go in a later pass
            logger.warning("rencana lama (Renja %s) belum terhapus", old.pk, exc_info=True)
    return stored


TAHAP_TULIS = "Menyimpan ke basis data"
TAHAP_HAPUS = "Menyimpan ke basis data: menghapus rencana lama"


def _phase(
    kemajuan: Callable[[str, int, int], None] | None, tahap: str
) -> impor_tulis.Kemajuan | None:
    if kemajuan is None:
        return None
    return lambda selesai, jumlah: kemajuan(tahap, selesai, jumlah)


def _insert_plan(stored: Renja, renja: core.Renja) -> None:
    """Write a plan's rows under `stored`, inside the caller's transaction (a Renja perubahan
    made from a plan: `monev.renstra.perubahan`)."""
    impor_tulis.rencana_tulis(stored, renja)


def _remove_quietly(hidden: Renja) -> None:
    """Remove a failed import's hidden rows; if that fails too (the database gone, an outer
    transaction broken), the rows stay hidden until `impor_tulis.sisa_bersihkan` finds them."""
    if transaction.get_connection().needs_rollback:
        return  # the caller's transaction is rolled back, and these rows with it
    try:
        impor_tulis.tersembunyi_hapus(hidden)
    except Exception:
        logger.warning("sisa impor (Renja %s) belum terhapus", hidden.pk, exc_info=True)


def _refuse_locked(renja: Renja) -> None:
    reason = siklus.plan_lock(renja)
    if reason:
        raise siklus.Ditolak(f"Renja ini tidak dapat diganti dengan impor: {reason}")


_Snapshot = dict[tuple[str, int, str], Decimal | None]
#: Node ids by code and indicator ids by (code, order) of a plan.
_Ids = tuple[dict[str, int], dict[tuple[str, int], int]]


def _snapshot_before(
    perangkat_daerah: PerangkatDaerah, tahun: int, versi: str
) -> tuple[int, int | None, _Snapshot] | None:
    found = Renja.objects.filter(perangkat_daerah=perangkat_daerah, tahun=tahun, versi=versi)
    existing = found.first()
    if existing is None:
        return None
    return existing.pk, _last_change(existing), _snapshot(existing)


def _last_change(renja: Renja) -> int | None:
    return Riwayat.objects.filter(renja=renja).order_by("-pk").values_list("pk", flat=True).first()


def _ids(renja: Renja) -> _Ids:
    # Ids only (a plan has tens of thousands of nodes): no model instance per row.
    simpul = dict(Simpul.objects.filter(renja=renja).values_list("kode", "pk"))
    indikator = {
        (kode, urutan): pk
        for kode, urutan, pk in Indikator.objects.filter(simpul__renja=renja).values_list(
            "simpul__kode", "urutan", "pk"
        )
    }
    return simpul, indikator


def _swap(
    user: Any,
    hidden: Renja,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    versi: str,
    sumber: str,
    before: tuple[int, int | None, _Snapshot] | None,
    changes: list[dict[str, Any]] | None,
) -> tuple[Renja, Renja | None]:
    """The swap's transaction: check the Renja may still be replaced, put the new plan in force,
    record the import and every value it changed (`changes`, worked out before the lock, unless
    a change was recorded since the old plan was read).

    Two imports of one PD take turns here (its row locked until this commits): a first import
    that finds the Renja another import has just put in force is refused, not failed on the
    unique constraint, and leaves nothing written."""
    PerangkatDaerah.objects.select_for_update(no_key=True).filter(pk=perangkat_daerah.pk).first()
    existing = (
        Renja.objects.select_for_update()
        .filter(perangkat_daerah=perangkat_daerah, tahun=tahun, versi=versi)
        .first()
    )
    if existing is not None and before is None:
        raise siklus.Ditolak(
            f"Renja {perangkat_daerah.nama} tahun {tahun} ({versi}) baru saja disimpan oleh impor "
            "lain yang berjalan bersamaan (impor lain sedang berjalan atau baru saja selesai); "
            "impor ini tidak menyimpan apa pun. Coba lagi: impor berikutnya menggantikan rencana "
            "itu."
        )
    if existing is not None:
        list(LaporanTriwulan.objects.select_for_update().filter(renja=existing))
        _refuse_locked(existing)
        unchanged = before is not None and before[:2] == (existing.pk, _last_change(existing))
        if not unchanged or changes is None:
            changes = _changes(
                user, existing.pk, _snapshot(existing), _snapshot(hidden), _ids(hidden)
            )
    stored, old = impor_tulis.tukar(hidden, existing, versi)
    Riwayat.objects.create(
        pengguna=user,
        renja=stored,
        jenis=Riwayat.Jenis.IMPOR,
        keterangan=f"{'impor menggantikan rencana sebelumnya' if existing else 'impor baru'}"
        f"{': ' + sumber if sumber else ''}",
    )
    if existing is not None:
        bulk.insert(Riwayat, changes or [])
    if existing is not None:  # the nodes are new rows: link them again to the Renstra
        from monev.renstra.services import tautan_setelah_impor

        tautan_setelah_impor(user, stored)
    return stored, old


def _snapshot(renja: Renja) -> _Snapshot:
    """Return the plan's recorded values keyed by (code, indicator order, column)."""
    values: _Snapshot = {}
    for kode, pagu in Simpul.objects.filter(renja=renja).values_list("kode", "pagu"):
        values[(kode, -1, "pagu")] = pagu
    for kode, urutan, target in Indikator.objects.filter(simpul__renja=renja).values_list(
        "simpul__kode", "urutan", "target"
    ):
        values[(kode, urutan, "target_k")] = target
    for kode, urutan, q, nilai in RealisasiK.objects.filter(
        indikator__simpul__renja=renja
    ).values_list("indikator__simpul__kode", "indikator__urutan", "triwulan", "nilai"):
        values[(kode, urutan, f"tw{q}_k")] = nilai
    for kode, q, nilai in RealisasiRp.objects.filter(simpul__renja=renja).values_list(
        "simpul__kode", "triwulan", "nilai"
    ):
        values[(kode, -1, f"tw{q}_rp")] = nilai
    return values


def _changes(
    user: Any, renja_id: int, previous: _Snapshot, current: _Snapshot, ids: _Ids
) -> list[dict[str, Any]]:
    """Return the history rows of every value that differs between the old plan and the new
    one (ids of the new rows: they keep them in the swap)."""
    simpul, indikator = ids
    jenis_of = {"pagu": Riwayat.Jenis.PAGU, "target_k": Riwayat.Jenis.TARGET}
    entries = []
    for key in sorted(set(previous) | set(current)):
        # Decimals compared as numbers (1,50 is 1,5), shown as the user reads them.
        old, new = previous.get(key), current.get(key)
        if old == new:
            continue
        kode, urutan, kolom = key
        jenis = jenis_of.get(kolom) or (
            Riwayat.Jenis.REALISASI_K if kolom.endswith("_k") else Riwayat.Jenis.REALISASI_RP
        )
        entries.append(
            {
                "pengguna_id": user.pk,
                "renja_id": renja_id,
                "simpul_id": simpul.get(kode),
                "indikator_id": indikator.get((kode, urutan)) if urutan >= 0 else None,
                "jenis": jenis,
                "triwulan": int(kolom[2]) if kolom.startswith("tw") else None,
                "kolom": kolom,
                "nilai_lama": shown(old),
                "nilai_baru": shown(new),
                "keterangan": "impor",
            }
        )
    return entries


@transaction.atomic
def renja_arsip(*, user: Any, renja: Renja, diarsipkan: bool) -> Renja:
    """Archive a Renja (hidden from the lists, kept with its history) or bring it back; the
    audit trail forbids deleting one with history, so this is how an old Renja goes away."""
    access.require_admin(user, renja)
    locked = Renja.objects.select_for_update().get(pk=renja.pk)
    if locked.diarsipkan == diarsipkan:
        return locked
    Riwayat.objects.create(
        pengguna=user,
        renja=locked,
        jenis=Riwayat.Jenis.STATUS,
        kolom="diarsipkan",
        nilai_lama="ya" if locked.diarsipkan else "tidak",
        nilai_baru="ya" if diarsipkan else "tidak",
        keterangan="diarsipkan" if diarsipkan else "dikeluarkan dari arsip",
    )
    locked.diarsipkan = diarsipkan
    locked.save(update_fields=["diarsipkan"])
    return locked
