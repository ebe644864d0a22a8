"""A pemda's levels of approval of the quarterly reports (issue 16, point 4): read and written here.

A level is a role (`TingkatPersetujuan.Peran`): every user with that role approves at it, a
kepala_pd only the reports of their own PD. A role rather than named users, because a real pemda
already organises approval that way (the head of each PD, Bappeda's verifiers, the head of
Bappeda), people change post without the configuration changing, and the roles exist already
for reading rights. A pemda that configured none has one level: a Bappeda verifier (`BAWAAN`),
which is the cycle as it was before levels existed.

A submitted report waits at a position (`LaporanTriwulan.tingkat`, 1..n). When the admin changes
the levels, every report in flight stays with the role it waited for, at that role's new
position; a report whose level was removed moves on to the next level of the old order that is
still configured (the removed level is skipped), else to the new last level: a report is never
accepted without an approval. Each move is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from monev.io.tabular import ROMAWI
from monev.web import access
from monev.web.models import LaporanTriwulan, Pemda, Profil, Renja, Riwayat, TingkatPersetujuan

PeranTingkat = TingkatPersetujuan.Peran
#: The most levels a pemda may configure.
MAKS_TINGKAT = 5


@dataclass(frozen=True)
class Level:
    """One approval level of a pemda as the cycle uses it."""

    urutan: int  # 1..jumlah
    jumlah: int
    nama: str
    peran: str

    @property
    def label(self) -> str:
        """Return the level as the status board shows it: "Kepala Bappeda (2/3)"."""
        return f"{self.nama} ({self.urutan}/{self.jumlah})"

    @property
    def terakhir(self) -> bool:
        return self.urutan == self.jumlah


BAWAAN: tuple[Level, ...] = (Level(1, 1, "Verifikator Bappeda", PeranTingkat.VERIFIKATOR),)


def _levels(rows: Sequence[tuple[str, str]]) -> tuple[Level, ...]:
    if not rows:
        return BAWAAN
    return tuple(Level(i, len(rows), nama, peran) for i, (nama, peran) in enumerate(rows, start=1))


def levels_by_pemda(pemda_ids: Iterable[int]) -> dict[int, tuple[Level, ...]]:
    """Return each pemda's levels in order (the default level where it configured none)."""
    ids = set(pemda_ids)
    found: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for pemda_id, nama, peran in (
        TingkatPersetujuan.objects.filter(pemda_id__in=ids)
        .order_by("pemda_id", "urutan")
        .values_list("pemda_id", "nama", "peran")
    ):
        found[pemda_id].append((nama, peran))
    return {pk: _levels(rows) for pk, rows in found.items()}


def levels_of(pemda_id: int) -> tuple[Level, ...]:
    return levels_by_pemda([pemda_id])[pemda_id]


def level_at(levels: Sequence[Level], urutan: int) -> Level:
    """Return the level at a position; a position outside the levels (a row written before the
    levels existed) counts as the nearest one."""
    return levels[min(max(urutan, 1), len(levels)) - 1]


def waiting_level(laporan: LaporanTriwulan, levels: Sequence[Level] | None = None) -> Level | None:
    """Return the level a submitted report waits at, or None when it waits at none."""
    if laporan.status != LaporanTriwulan.Status.DIAJUKAN:
        return None
    if levels is None:
        levels = levels_of(laporan.renja.perangkat_daerah.pemda_id)
    return level_at(levels, laporan.tingkat)


def approvers(level: Level, perangkat_daerah_id: int) -> list[Any]:
    """Return the users who approve at a level a report of this PD waits at: of the PD's own
    pemda only (not the admins, who may act at any level but are not asked to)."""
    profiles = Profil.objects.filter(
        peran=level.peran, pemda__perangkat_daerah=perangkat_daerah_id
    ).select_related("user")
    if level.peran == PeranTingkat.KEPALA_PD:
        profiles = profiles.filter(perangkat_daerah_id=perangkat_daerah_id)
    return [p.user for p in profiles.order_by("user__username") if p.user.is_active]


@dataclass(frozen=True)
class HasilTingkat:
    """The outcome of a save: the faults (each says which row and what); none when saved."""

    kesalahan: list[str]
    dipindah: int = 0  # reports in flight moved because their level was removed

    @property
    def tersimpan(self) -> bool:
        return not self.kesalahan


def validate(rows: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the filled rows (blank ones dropped) and every fault, in Indonesian."""
    kept: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for n, (nama, peran) in enumerate(rows, start=1):
        nama = " ".join(nama.split())
        if not nama and not peran:
            continue
        if not nama:
            errors.append(f"Baris {n}: tulis nama tingkatnya, mis. Kepala Bappeda.")
        elif len(nama) > 100:
            errors.append(f"Baris {n}: nama tingkat paling banyak 100 huruf.")
        if peran not in PeranTingkat.values:
            errors.append(f"Baris {n} ({nama or 'tanpa nama'}): pilih peran yang menyetujui.")
        elif peran in seen:
            errors.append(
                f"Baris {n}: peran {PeranTingkat(peran).label} sudah dipakai di baris "
                f"{seen[peran]}; satu peran hanya untuk satu tingkat."
            )
        else:
            seen[peran] = n
        kept.append((nama, peran))
    if len(kept) > MAKS_TINGKAT:
        errors.append(f"Paling banyak {MAKS_TINGKAT} tingkat persetujuan.")
    return kept, errors


def _new_position(old: Sequence[Level], new: Sequence[Level], urutan: int) -> int:
    """Return where a report at `urutan` of the old levels waits among the new ones: its role's
    new position, else the next old level still configured, else the new last level."""
    position = {level.peran: level.urutan for level in new}
    for level in old[min(max(urutan, 1), len(old)) - 1 :]:
        if level.peran in position:
            return position[level.peran]
    return len(new)


def tingkat_set(*, user: Any, pemda: Pemda, rows: Sequence[tuple[str, str]]) -> HasilTingkat:
    """Validate and store a pemda's levels (name, role) in order, or nothing; an empty list
    returns the pemda to the single verifier level. Reports in flight are moved as the module
    says, each move recorded; the change itself is recorded on every Renja of the pemda."""
    access.require_admin(user, pemda)
    kept, errors = validate(rows)
    if errors:
        return HasilTingkat(errors)
    with transaction.atomic():
        locked = Pemda.objects.select_for_update().get(pk=pemda.pk)
        old = levels_of(locked.pk)
        new = _levels(kept)
        if [(lv.nama, lv.peran) for lv in old] == [(lv.nama, lv.peran) for lv in new]:
            return HasilTingkat([])
        in_flight = list(
            # of=self: lock the reports only, not the Renja and PD rows the filter joins.
            LaporanTriwulan.objects.select_for_update(of=("self",))
            .filter(renja__perangkat_daerah__pemda=locked, status=LaporanTriwulan.Status.DIAJUKAN)
            .select_related("renja")
            .order_by("pk")
        )
        TingkatPersetujuan.objects.filter(pemda=locked).delete()
        TingkatPersetujuan.objects.bulk_create(
            TingkatPersetujuan(pemda=locked, urutan=i, nama=nama, peran=peran)
            for i, (nama, peran) in enumerate(kept, start=1)
        )
        moved = 0
        records = []
        for laporan in in_flight:
            was = level_at(old, laporan.tingkat)
            now = level_at(new, _new_position(old, new, laporan.tingkat))
            if (was.label, was.peran) == (now.label, now.peran) and laporan.tingkat == now.urutan:
                continue
            skipped = was.peran not in {lv.peran for lv in new}
            moved += skipped
            laporan.tingkat = now.urutan
            laporan.versi += 1
            laporan.save(update_fields=["tingkat", "versi", "diubah"])
            why = (
                f"tingkat {was.nama} dihapus dari pengaturan; laporan lanjut ke {now.label}"
                if skipped
                else f"pengaturan tingkat diubah; laporan tetap menunggu {now.label}"
            )
            records.append(
                Riwayat(
                    pengguna=user,
                    renja=laporan.renja,
                    jenis=Riwayat.Jenis.STATUS,
                    triwulan=laporan.triwulan,
                    kolom="tingkat",
                    tingkat=now.label,
                    nilai_lama=laporan.status,
                    nilai_baru=laporan.status,
                    keterangan=f"TW {ROMAWI[laporan.triwulan - 1]}: {why}",
                )
            )
        renja_ids = Renja.objects.filter(perangkat_daerah__pemda=locked).values_list(
            "pk", flat=True
        )
        records += [
            Riwayat(
                pengguna=user,
                renja_id=renja_id,
                jenis=Riwayat.Jenis.PENGATURAN,
                kolom="tingkat_persetujuan",
                nilai_lama=teks(old),
                nilai_baru=teks(new),
                keterangan=f"tingkat persetujuan {locked.nama} diubah",
            )
            for renja_id in renja_ids
        ]
        Riwayat.objects.bulk_create(records)
    return HasilTingkat([], moved)


def langkah(record: Riwayat) -> str:
    """Return how a status record put a report where it is, in words: "diajukan", "disetujui
    Kepala PD (1/2)", "dipindah: pengaturan tingkat diubah", else its new state."""
    if record.kolom == "tingkat":
        return "dipindah: pengaturan tingkat diubah"
    if record.nilai_lama == record.nilai_baru == LaporanTriwulan.Status.DIAJUKAN:
        return f"disetujui {record.tingkat}".strip()
    return record.nilai_baru


def returned_at(record: Riwayat) -> str:
    """Return the level a return was made at, when the pemda has more than one ("" otherwise,
    where a return is simply the verifier's)."""
    label = record.tingkat
    return "" if not label or label.endswith("(1/1)") else label


def returned_level(laporan: LaporanTriwulan) -> str:
    """Return the level a returned report was returned at (see `returned_at`), or ""."""
    if laporan.status != LaporanTriwulan.Status.DIKEMBALIKAN or laporan.pk is None:
        return ""
    last = (
        Riwayat.objects.filter(
            renja_id=laporan.renja_id, triwulan=laporan.triwulan, jenis=Riwayat.Jenis.STATUS
        )
        .order_by("-waktu", "-id")
        .first()
    )
    return returned_at(last) if last is not None else ""


def teks(levels: Sequence[Level]) -> str:
    """Return the levels in one line: "1. Kepala PD (kepala_pd); 2. …"."""
    return "; ".join(f"{lv.urutan}. {lv.nama} ({lv.peran})" for lv in levels)
