"""The Renja perubahan (spec §10): a new version made mid-year from the version in force, in force
from a quarter on; the version it came from is kept and evaluates the quarters before.

The perubahan carries every realisation and quarter report of its origin. Its plan (targets, pagu)
may change while its own quarters, from the first one it is in force for, are open: the quarters
before are evaluated on the origin, whose plan stays as it was verified. A plan with added or
dropped nodes comes as a file (`rencana`); realisations follow their node and indicator by code.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from monev.core import model as core
from monev.core.model import NO_QUARTERS
from monev.renstra.models import PerubahanRenja, RenjaRenstra, TautanIndikator, TautanSimpul
from monev.web import access, siklus
from monev.web import services as web_services
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)


def versi_berlaku(renja: Renja, triwulan: int) -> Renja:
    """Return the version of a Renja's year in force at the end of a quarter: the perubahan from
    its first quarter on, the version it was made from before."""
    perubahan = (
        PerubahanRenja.objects.filter(
            renja__perangkat_daerah_id=renja.perangkat_daerah_id, renja__tahun=renja.tahun
        )
        .select_related("renja", "asal")
        .first()
    )
    if perubahan is None:
        return renja
    return perubahan.renja if triwulan >= perubahan.triwulan_mulai else perubahan.asal


def punya_perubahan(renja: Renja) -> bool:
    """Whether the Renja's year has a perubahan (this one is it, or it was made from this one)."""
    return PerubahanRenja.objects.filter(Q(renja=renja) | Q(asal=renja)).exists()


def keterangan_versi(renja: Renja) -> str:
    """The version's line of the E.81 title."""
    perubahan = PerubahanRenja.objects.filter(renja=renja).first()
    if perubahan is not None:
        mulai = siklus.ROMAWI[perubahan.triwulan_mulai - 1]
        return f"Renja Perubahan (berlaku mulai TW {mulai})"
    after = PerubahanRenja.objects.filter(asal=renja).first()
    if after is not None:
        return f"Renja Murni (berlaku sampai TW {siklus.ROMAWI[after.triwulan_mulai - 2]})"
    return f"Renja {renja.get_versi_display()}"


def _key(teks: str) -> str:
    return " ".join(teks.lower().split())


def _carry(user: Any, asal: Renja, baru: Renja) -> None:
    """Copy realisations, quarter reports and Renstra links from `asal` to the nodes and
    indicators of `baru` that have the same code (and indicator text, else order)."""
    new_simpul = {s.kode: s for s in Simpul.objects.filter(renja=baru)}
    old_simpul = {s.pk: s for s in Simpul.objects.filter(renja=asal)}
    simpul_map = {pk: new_simpul[s.kode] for pk, s in old_simpul.items() if s.kode in new_simpul}
    new_items: dict[int, list[Indikator]] = {}
    for i in Indikator.objects.filter(simpul__renja=baru).order_by("urutan", "id"):
        new_items.setdefault(i.simpul_id, []).append(i)
    indikator_map: dict[int, Indikator] = {}
    old_items: dict[int, list[Indikator]] = {}
    for i in Indikator.objects.filter(simpul__renja=asal).order_by("urutan", "id"):
        old_items.setdefault(i.simpul_id, []).append(i)
    for old_pk, items in old_items.items():
        target = simpul_map.get(old_pk)
        if target is None:
            continue
        candidates = new_items.get(target.pk, [])
        by_text = {_key(c.teks): c for c in candidates}
        for position, i in enumerate(items):
            found = by_text.get(_key(i.teks))
            if found is None and len(items) == len(candidates):
                found = candidates[position]
            if found is not None:
                indikator_map[i.pk] = found
    RealisasiK.objects.bulk_create(
        RealisasiK(
            indikator=indikator_map[r.indikator_id],
            triwulan=r.triwulan,
            nilai=r.nilai,
            diubah_oleh=r.diubah_oleh,
        )
        for r in RealisasiK.objects.filter(indikator__simpul__renja=asal)
        if r.indikator_id in indikator_map
    )
    RealisasiRp.objects.bulk_create(
        RealisasiRp(
            simpul=simpul_map[r.simpul_id],
            triwulan=r.triwulan,
            nilai=r.nilai,
            diubah_oleh=r.diubah_oleh,
        )
        for r in RealisasiRp.objects.filter(simpul__renja=asal)
        if r.simpul_id in simpul_map
    )
    for lap in LaporanTriwulan.objects.filter(renja=asal):
        lap.pk = None
        lap.renja = baru
        lap.versi = 0
        lap.save()
    TautanSimpul.objects.bulk_create(
        TautanSimpul(simpul=simpul_map[t.simpul_id], simpul_renstra_id=t.simpul_renstra_id)
        for t in TautanSimpul.objects.filter(simpul__renja=asal)
        if t.simpul_id in simpul_map
    )
    TautanIndikator.objects.bulk_create(
        TautanIndikator(
            indikator=indikator_map[t.indikator_id], indikator_renstra_id=t.indikator_renstra_id
        )
        for t in TautanIndikator.objects.filter(indikator__simpul__renja=asal)
        if t.indikator_id in indikator_map
    )


def _copy_plan(asal: Renja, baru: Renja) -> None:
    by_old: dict[int, Simpul] = {}
    for s in Simpul.objects.filter(renja=asal).order_by("urutan"):
        old_pk, parent = s.pk, s.induk_id
        s.pk, s.renja, s.versi = None, baru, 0
        s.induk = by_old.get(parent) if parent else None
        s.save()
        by_old[old_pk] = s
    for i in Indikator.objects.filter(simpul__renja=asal):
        i.pk, i.simpul, i.versi = None, by_old[i.simpul_id], 0
        i.save()


@transaction.atomic
def renja_perubahan(
    *,
    user: Any,
    renja: Renja,
    triwulan_mulai: int,
    alasan: str = "",
    rencana: core.Renja | None = None,
) -> Renja:
    """Make the Renja perubahan of a year from the murni in force, in force from `triwulan_mulai`.

    Its plan is the murni's, or `rencana` (an amended plan read from a file: added and dropped
    nodes, other targets and pagu; its own realisations are ignored). Realisations, quarter
    reports and Renstra links are carried by code; the murni stays, no longer in force."""
    access.require_admin(user, renja)
    if triwulan_mulai not in (2, 3, 4):
        raise ValidationError("Perubahan berlaku mulai triwulan II, III, atau IV.")
    if not renja.berlaku or renja.versi != Renja.Versi.MURNI:
        raise ValidationError(f"{renja} bukan Renja murni yang sedang berlaku.")
    if Renja.objects.filter(
        perangkat_daerah=renja.perangkat_daerah, tahun=renja.tahun, versi=Renja.Versi.PERUBAHAN
    ).exists():
        raise ValidationError(f"Renja perubahan {renja.tahun} sudah ada.")
    locked = LaporanTriwulan.objects.filter(
        renja=renja, triwulan__gte=triwulan_mulai, status__in=siklus.LOCKED
    ).order_by("triwulan")
    if locked:
        daftar = ", ".join(siklus.ROMAWI[lap.triwulan - 1] for lap in locked)
        raise ValidationError(
            f"TW {daftar} sudah diajukan atau diverifikasi pada Renja murni; perubahan "
            "tidak dapat berlaku untuk triwulan itu."
        )
    baru = Renja.objects.create(
        perangkat_daerah=renja.perangkat_daerah,
        periode=renja.periode,
        tahun=renja.tahun,
        versi=Renja.Versi.PERUBAHAN,
    )
    Renja.objects.filter(pk=renja.pk).update(berlaku=False)
    renja.berlaku = False
    link = RenjaRenstra.objects.filter(renja=renja).first()
    if link is not None:
        RenjaRenstra.objects.create(renja=baru, renstra_id=link.renstra_id)
    if rencana is None:
        _copy_plan(renja, baru)
    else:
        plain = tuple(
            dataclasses.replace(
                node,
                triwulan_rp=NO_QUARTERS,
                indikator=tuple(
                    dataclasses.replace(i, triwulan=NO_QUARTERS) for i in node.indikator
                ),
            )
            for node in rencana.nodes
        )
        web_services._insert_plan(baru, dataclasses.replace(rencana, nodes=plain))
    _carry(user, renja, baru)
    PerubahanRenja.objects.create(
        renja=baru, asal=renja, triwulan_mulai=triwulan_mulai, alasan=alasan
    )
    mulai = siklus.ROMAWI[triwulan_mulai - 1]
    for target, text in (
        (baru, f"Renja perubahan dibuat dari Renja murni, berlaku mulai triwulan {mulai}"),
        (renja, f"digantikan oleh Renja perubahan mulai triwulan {mulai}"),
    ):
        Riwayat.objects.create(
            pengguna=user,
            renja=target,
            jenis=Riwayat.Jenis.VERSI,
            kolom="versi",
            nilai_lama="murni",
            nilai_baru="perubahan",
            keterangan=text + (f"; alasan: {alasan}" if alasan else ""),
        )
    return baru


def _require_open_from_start(user: Any, renja: Renja) -> PerubahanRenja:
    """Refuse a plan change of a perubahan once a quarter it is in force for is submitted or
    verified (the quarters before are the murni's)."""
    access.require_admin(user, renja)
    perubahan = PerubahanRenja.objects.filter(renja=renja).first()
    if perubahan is None:
        raise ValidationError(f"{renja} bukan Renja perubahan.")
    list(LaporanTriwulan.objects.select_for_update().filter(renja=renja))
    locked = LaporanTriwulan.objects.filter(
        renja=renja, triwulan__gte=perubahan.triwulan_mulai, status__in=siklus.LOCKED
    ).order_by("triwulan")
    if locked:
        q = siklus.ROMAWI[locked[0].triwulan - 1]
        raise ValidationError(
            f"TW {q} Renja perubahan sudah diajukan atau diverifikasi; target dan pagu "
            "tidak dapat diubah lagi."
        )
    return perubahan


@transaction.atomic
def perubahan_target_update(
    *, user: Any, indikator: Indikator, target: Decimal | None, versi: int | None
) -> Indikator:
    """Change a target of a Renja perubahan and record it (a stale page is refused)."""
    renja = indikator.simpul.renja
    _require_open_from_start(user, renja)
    indikator = Indikator.objects.select_for_update().select_related("simpul").get(pk=indikator.pk)
    if versi is not None and versi != indikator.versi:
        raise ValidationError(
            f"Target '{indikator.teks}' sudah diubah orang lain menjadi "
            f"{web_services.shown(indikator.target) or 'kosong'}; muat ulang halaman."
        )
    if indikator.target != target:
        Riwayat.objects.create(
            pengguna=user,
            renja=renja,
            simpul=indikator.simpul,
            indikator=indikator,
            jenis=Riwayat.Jenis.TARGET,
            kolom="target_k",
            nilai_lama=web_services.shown(indikator.target),
            nilai_baru=web_services.shown(target),
            keterangan="Renja perubahan",
        )
        indikator.target = target
        indikator.versi += 1
        indikator.save(update_fields=["target", "versi"])
    return indikator


@transaction.atomic
def perubahan_pagu_update(
    *, user: Any, simpul: Simpul, pagu: Decimal | None, versi: int | None
) -> Simpul:
    """Change a pagu of a Renja perubahan and record it (a stale page is refused)."""
    _require_open_from_start(user, simpul.renja)
    simpul = Simpul.objects.select_for_update().select_related("renja").get(pk=simpul.pk)
    if versi is not None and versi != simpul.versi:
        raise ValidationError(
            f"Pagu {simpul.kode} sudah diubah orang lain menjadi "
            f"{web_services.shown(simpul.pagu) or 'kosong'}; muat ulang halaman."
        )
    if simpul.pagu != pagu:
        Riwayat.objects.create(
            pengguna=user,
            renja=simpul.renja,
            simpul=simpul,
            jenis=Riwayat.Jenis.PAGU,
            kolom="pagu",
            nilai_lama=web_services.shown(simpul.pagu),
            nilai_baru=web_services.shown(pagu),
            keterangan="Renja perubahan",
        )
        simpul.pagu = pagu
        simpul.versi += 1
        simpul.save(update_fields=["pagu", "versi"])
    return simpul
