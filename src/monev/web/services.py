"""Writes: one function per action, keyword-only, one transaction each, every change recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monev.core import model as core
from monev.core.budget import parent_kode
from monev.core.numbers import AngkaError, format_nilai, parse_angka
from monev.web import access, siklus
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


def _check_version(row: RealisasiK | RealisasiRp, versi: int | None) -> None:
    """Refuse a save made from a page that showed an older version of the row."""
    if versi is None or versi == row.versi:
        return
    oleh = (
        row.diubah_oleh.get_full_name() or row.diubah_oleh.username
        if row.diubah_oleh
        else "pengguna lain"
    )
    waktu = timezone.localtime(row.diubah).strftime("%d-%m-%Y %H:%M")
    nilai = shown(row.nilai) or "kosong"
    raise siklus.NilaiBasi(
        f"Nilai ini sudah diubah oleh {oleh} pada {waktu} menjadi {nilai}. Simpanan Anda tidak "
        "dipakai; periksa lalu ketik ulang bila perlu.",
        nilai=shown(row.nilai),
        oleh=oleh,
        versi=row.versi,
    )


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
    row.save()
    riwayat.save()


@transaction.atomic
def realisasi_k_update(
    *,
    user: Any,
    indikator: Indikator,
    triwulan: int,
    nilai: Decimal | None,
    versi: int | None = None,
) -> RealisasiK:
    """Save an indicator's realisation (K) of a quarter and record the change.

    `versi` is the version the user's page showed; a save from a stale page is refused
    (`siklus.NilaiBasi`) instead of silently overwriting another person's value.
    """
    _check_triwulan(triwulan)
    renja = indikator.simpul.renja
    siklus.require_entry(user, renja, triwulan)
    row, _ = (
        RealisasiK.objects.select_for_update(of=("self",))
        .select_related("diubah_oleh")
        .get_or_create(indikator=indikator, triwulan=triwulan)
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
    *, user: Any, simpul: Simpul, triwulan: int, nilai: Decimal | None, versi: int | None = None
) -> RealisasiRp:
    """Save a node's budget realisation (Rp) of a quarter and record the change."""
    _check_triwulan(triwulan)
    siklus.require_entry(user, simpul.renja, triwulan)
    row, _ = (
        RealisasiRp.objects.select_for_update(of=("self",))
        .select_related("diubah_oleh")
        .get_or_create(simpul=simpul, triwulan=triwulan)
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
    *, user: Any, renja: Renja, triwulan: int, narasi: dict[str, str], versi: int | None = None
) -> LaporanTriwulan:
    """Save the quarter's narrative fields and record each change."""
    _check_triwulan(triwulan)
    siklus.require_entry(user, renja, triwulan)
    laporan, _ = LaporanTriwulan.objects.select_for_update().get_or_create(
        renja=renja, triwulan=triwulan
    )
    if versi is not None and versi != laporan.versi:
        raise siklus.Ditolak(
            "Narasi triwulan ini sudah diubah orang lain sejak halaman Anda dibuka; muat ulang "
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
    *, user: Any, indikator: Indikator, target: Decimal | None
) -> Indikator:
    """Change an indicator's yearly target (admin) and record it."""
    access.require_admin(user)
    if indikator.target != target:
        Riwayat.objects.create(
            pengguna=user,
            renja=indikator.simpul.renja,
            simpul=indikator.simpul,
            indikator=indikator,
            jenis=Riwayat.Jenis.TARGET,
            kolom="target_k",
            nilai_lama=shown(indikator.target),
            nilai_baru=shown(target),
        )
        indikator.target = target
        indikator.save(update_fields=["target"])
    return indikator


@transaction.atomic
def simpul_pagu_update(*, user: Any, simpul: Simpul, pagu: Decimal | None) -> Simpul:
    """Change a node's pagu (admin) and record it."""
    access.require_admin(user)
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
        simpul.save(update_fields=["pagu"])
    return simpul


@transaction.atomic
def renja_import(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    renja: core.Renja,
    versi: str = Renja.Versi.MURNI,
    sumber: str = "",
) -> Renja:
    """Save a whole Renja read from a file, replacing the plan of that PD, year and version.

    All or nothing: one transaction. Realisations in the file are saved too. The import itself
    is recorded; so is every target, pagu and realisation that differs from the plan it replaces.
    """
    access.require_admin(user)
    stored, created = Renja.objects.select_for_update().get_or_create(
        perangkat_daerah=perangkat_daerah, tahun=tahun, versi=versi
    )
    previous: dict[tuple[str, int, str], str] = {}
    locked = LaporanTriwulan.objects.filter(renja=stored, status__in=siklus.LOCKED).order_by(
        "triwulan"
    )
    if locked:
        quarters = ", ".join(siklus.ROMAWI[lap.triwulan - 1] for lap in locked)
        raise siklus.Ditolak(
            f"Renja ini tidak dapat diganti: triwulan {quarters} sudah diajukan atau diverifikasi. "
            "Kembalikan atau buka kuncinya dulu."
        )
    if not created:
        previous = _snapshot(stored)
        Simpul.objects.filter(renja=stored).delete()

    simpul_by_kode: dict[str, Simpul] = {}
    new_simpul = []
    for urutan, node in enumerate(renja.nodes):
        s = Simpul(
            renja=stored,
            urutan=urutan,
            kode=node.kode,
            tingkat=node.tingkat.value,
            nama=node.nama,
            sasaran=node.sasaran,
            unit_kerja=node.unit,
            pagu=node.pagu,
            target_renstra_rp=node.target_renstra_rp,
            realisasi_lalu_rp=node.realisasi_lalu_rp,
            agregasi_rp=node.agregasi_rp.value,
        )
        new_simpul.append(s)
        simpul_by_kode[node.kode] = s
    Simpul.objects.bulk_create(new_simpul)
    if not all(s.pk for s in new_simpul):  # backends that do not return ids on bulk insert
        ids = dict(Simpul.objects.filter(renja=stored).values_list("kode", "id"))
        for s in new_simpul:
            s.pk = ids[s.kode]
    parented = []
    for node in renja.nodes:
        parent = parent_kode(node)
        if parent and parent in simpul_by_kode:
            s = simpul_by_kode[node.kode]
            s.induk = simpul_by_kode[parent]
            parented.append(s)
    Simpul.objects.bulk_update(parented, ["induk"], batch_size=500)

    indikator_rows = []
    for node in renja.nodes:
        s = simpul_by_kode[node.kode]
        for urutan, item in enumerate(node.indikator):
            indikator_rows.append(
                (
                    item,
                    Indikator(
                        simpul=s,
                        urutan=urutan,
                        teks=item.teks,
                        satuan=item.satuan,
                        polaritas=item.polaritas.value,
                        agregasi=item.agregasi.value,
                        target=item.target,
                        target_volume=item.target_volume,
                        target_renstra=item.target_renstra,
                        realisasi_lalu=item.realisasi_lalu,
                    ),
                )
            )
    Indikator.objects.bulk_create([i for _, i in indikator_rows], batch_size=500)
    if indikator_rows and not all(i.pk for _, i in indikator_rows):
        saved = Indikator.objects.filter(simpul__renja=stored).order_by("simpul__urutan", "urutan")
        for (_, i), pk in zip(indikator_rows, saved.values_list("id", flat=True), strict=True):
            i.pk = pk

    RealisasiK.objects.bulk_create(
        [
            RealisasiK(indikator=i, triwulan=q, nilai=v)
            for item, i in indikator_rows
            for q, v in enumerate(item.triwulan, start=1)
            if v is not None
        ],
        batch_size=500,
    )
    RealisasiRp.objects.bulk_create(
        [
            RealisasiRp(simpul=simpul_by_kode[node.kode], triwulan=q, nilai=v)
            for node in renja.nodes
            for q, v in enumerate(node.triwulan_rp, start=1)
            if v is not None
        ],
        batch_size=500,
    )
    _record_import_changes(user, stored, previous, sumber, created)
    if not created:  # the nodes are new rows: link them again to the Renstra the Renja is of
        from monev.renstra.services import tautan_setelah_impor

        tautan_setelah_impor(user, stored)
    return stored


def _snapshot(renja: Renja) -> dict[tuple[str, int, str], str]:
    """Return the plan's recorded values keyed by (code, indicator order, column)."""
    values: dict[tuple[str, int, str], str] = {}
    for kode, pagu in Simpul.objects.filter(renja=renja).values_list("kode", "pagu"):
        values[(kode, -1, "pagu")] = shown(pagu)
    for kode, urutan, target in Indikator.objects.filter(simpul__renja=renja).values_list(
        "simpul__kode", "urutan", "target"
    ):
        values[(kode, urutan, "target_k")] = shown(target)
    for kode, urutan, q, nilai in RealisasiK.objects.filter(
        indikator__simpul__renja=renja
    ).values_list("indikator__simpul__kode", "indikator__urutan", "triwulan", "nilai"):
        values[(kode, urutan, f"tw{q}_k")] = shown(nilai)
    for kode, q, nilai in RealisasiRp.objects.filter(simpul__renja=renja).values_list(
        "simpul__kode", "triwulan", "nilai"
    ):
        values[(kode, -1, f"tw{q}_rp")] = shown(nilai)
    return values


def _record_import_changes(
    user: Any, renja: Renja, previous: dict[tuple[str, int, str], str], sumber: str, created: bool
) -> None:
    Riwayat.objects.create(
        pengguna=user,
        renja=renja,
        jenis=Riwayat.Jenis.IMPOR,
        keterangan=f"{'impor baru' if created else 'impor menggantikan rencana sebelumnya'}"
        f"{': ' + sumber if sumber else ''}",
    )
    if created:
        return
    current = _snapshot(renja)
    simpul = {s.kode: s for s in Simpul.objects.filter(renja=renja)}
    indikator = {
        (i.simpul.kode, i.urutan): i
        for i in Indikator.objects.filter(simpul__renja=renja).select_related("simpul")
    }
    jenis_of = {"pagu": Riwayat.Jenis.PAGU, "target_k": Riwayat.Jenis.TARGET}
    entries = []
    for key in sorted(set(previous) | set(current)):
        old, new = previous.get(key, ""), current.get(key, "")
        if old == new:
            continue
        kode, urutan, kolom = key
        jenis = jenis_of.get(kolom) or (
            Riwayat.Jenis.REALISASI_K if kolom.endswith("_k") else Riwayat.Jenis.REALISASI_RP
        )
        entries.append(
            Riwayat(
                pengguna=user,
                renja=renja,
                simpul=simpul.get(kode),
                indikator=indikator.get((kode, urutan)) if urutan >= 0 else None,
                jenis=jenis,
                triwulan=int(kolom[2]) if kolom.startswith("tw") else None,
                kolom=kolom,
                nilai_lama=old,
                nilai_baru=new,
                keterangan="impor",
            )
        )
    Riwayat.objects.bulk_create(entries, batch_size=500)
