"""Writes of the Renstra: import, edits, links, the code mapping. One transaction each; every
change recorded in `web.models.Riwayat` (jenis `renstra` or `tautan`; `renja` left empty for a
write that belongs to no Renja)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from monev.core.codes import KodeError, read_kode
from monev.core.renstra import RenstraPeriode
from monev.renstra import selectors
from monev.renstra.models import (
    IndikatorRenstra,
    PemetaanKode,
    RenjaRenstra,
    Renstra,
    SimpulRenstra,
    TahunIndikator,
    TahunSimpul,
    TautanIndikator,
    TautanSimpul,
)
from monev.web import access
from monev.web.models import PerangkatDaerah, Renja, Riwayat
from monev.web.services import shown


def label(renstra: Renstra) -> str:
    """The prefix of every history record of a Renstra (how its page finds them)."""
    return f"Renstra #{renstra.pk} {renstra.tahun_awal}–{renstra.tahun_akhir}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return shown(value)
    return str(value)


def _catat(
    user: Any, renstra: Renstra, kolom: str, lama: object, baru: object, keterangan: str = ""
) -> Riwayat | None:
    if _text(lama) == _text(baru):
        return None
    return Riwayat(
        pengguna=user,
        renja=None,
        jenis=Riwayat.Jenis.RENSTRA,
        kolom=kolom[:60],
        nilai_lama=_text(lama),
        nilai_baru=_text(baru),
        keterangan=f"{label(renstra)}{': ' + keterangan if keterangan else ''}",
    )


def require_manual_year(renstra: Renstra, tahun: int) -> None:
    """Refuse a hand-entered realisation for a year held in monev (its verified figures count)."""
    if tahun in selectors.tahun_monev(renstra):
        raise ValidationError(
            f"Realisasi tahun {tahun} tidak dapat dimasukkan manual: Renja {tahun} ada di monev, "
            "realisasinya diambil dari evaluasi yang sudah diverifikasi."
        )


def _set(
    obj: models.Model, values: dict[str, object], prefix: str, log: list[Any], r: Renstra, user: Any
) -> bool:
    changed = False
    for field, new in values.items():
        old = getattr(obj, field)
        if _text(old) != _text(new):
            log.append(_catat(user, r, f"{prefix} {field}", old, new))
            setattr(obj, field, new)
            changed = True
    return changed


@transaction.atomic
def renstra_import(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    periode: RenstraPeriode,
    nama: str = "",
    sumber: str = "",
) -> Renstra:
    """Save a Renstra read from a file: nodes and indicators matched by code and order are updated
    (their links to the Renja of every year stay), new ones added, those gone from the file deleted.

    All or nothing. A hand-entered realisation for a year held in monev is refused.
    """
    access.require_admin(user, perangkat_daerah)
    renstra, created = Renstra.objects.select_for_update().get_or_create(
        perangkat_daerah=perangkat_daerah,
        tahun_awal=periode.tahun_awal,
        defaults={"tahun_akhir": periode.tahun_akhir, "nama": nama},
    )
    if renstra.tahun_akhir != periode.tahun_akhir:
        raise ValidationError(
            f"Renstra {perangkat_daerah} mulai {periode.tahun_awal} sudah ada untuk periode "
            f"{renstra.tahun_awal}–{renstra.tahun_akhir}, bukan sampai {periode.tahun_akhir}."
        )
    held = selectors.tahun_monev(renstra)
    manual = sorted(
        {
            v.tahun
            for s in periode.simpul
            for v in (*s.tahun, *(t for i in s.indikator for t in i.tahun))
            if v.realisasi is not None and v.tahun in held
        }
    )
    if manual:
        raise ValidationError(
            "Realisasi manual tidak diterima untuk tahun yang Renja-nya ada di monev: "
            + ", ".join(map(str, manual))
        )
    log: list[Any] = [
        Riwayat(
            pengguna=user,
            jenis=Riwayat.Jenis.IMPOR,
            keterangan=f"{label(renstra)}: {'impor baru' if created else 'impor memperbarui'}"
            + (f" dari {sumber}" if sumber else ""),
        )
    ]
    existing = {s.kode: s for s in SimpulRenstra.objects.filter(renstra=renstra)}
    by_kode: dict[str, SimpulRenstra] = {}
    for urutan, node in enumerate(periode.simpul):
        s = existing.pop(node.kode, None) or SimpulRenstra(renstra=renstra, kode=node.kode)
        is_new = s.pk is None
        values = {
            "urutan": urutan,
            "tingkat": node.tingkat.value,
            "nama": node.nama,
            "target_akhir_rp": node.target_akhir_rp,
        }
        if is_new:
            for field, value in values.items():
                setattr(s, field, value)
            log.append(_catat(user, renstra, f"{node.kode}", "", "ditambahkan"))
        else:
            _set(s, values, node.kode, log, renstra, user)
        s.save()
        by_kode[node.kode] = s
        _save_years_rp(user, renstra, s, node.tahun, log)
        _save_indikator(user, renstra, s, node.indikator, log)
    for kode, gone in existing.items():
        log.append(_catat(user, renstra, kode, "ada", "dihapus"))
        gone.delete()
    for kode, s in by_kode.items():
        parent = _parent(kode, by_kode)
        if s.induk_id != (parent.pk if parent else None):
            s.induk = parent
            s.save(update_fields=["induk"])
    Riwayat.objects.bulk_create([r for r in log if r is not None], batch_size=500)
    return renstra


def _parent(kode: str, by_kode: dict[str, SimpulRenstra]) -> SimpulRenstra | None:
    parts = kode.split(".")
    while len(parts) > 1:
        parts.pop()
        if ".".join(parts) in by_kode:
            return by_kode[".".join(parts)]
    return None


def _save_years_rp(user: Any, r: Renstra, s: SimpulRenstra, tahun: Any, log: list[Any]) -> None:
    rows = {t.tahun: t for t in TahunSimpul.objects.filter(simpul=s)}
    for v in tahun:
        row = rows.get(v.tahun) or TahunSimpul(simpul=s, tahun=v.tahun)
        if (
            _set(
                row,
                {"target_rp": v.target, "realisasi_manual_rp": v.realisasi},
                f"{s.kode} {v.tahun}",
                log,
                r,
                user,
            )
            or row.pk is None
        ):
            row.save()


def _save_indikator(user: Any, r: Renstra, s: SimpulRenstra, items: Any, log: list[Any]) -> None:
    existing = list(IndikatorRenstra.objects.filter(simpul=s).order_by("urutan", "id"))
    for urutan, item in enumerate(items):
        row = existing[urutan] if urutan < len(existing) else IndikatorRenstra(simpul=s)
        where = f"{s.kode} ind.{urutan + 1}"
        values = {
            "urutan": urutan,
            "teks": item.teks,
            "satuan": item.satuan,
            "polaritas": item.polaritas.value,
            "agregasi": item.agregasi.value,
            "target_akhir": item.target_akhir,
        }
        if _set(row, values, where, log, r, user) or row.pk is None:
            row.save()
        years = {t.tahun: t for t in TahunIndikator.objects.filter(indikator=row)}
        for v in item.tahun:
            y = years.get(v.tahun) or TahunIndikator(indikator=row, tahun=v.tahun)
            if (
                _set(
                    y,
                    {"target": v.target, "realisasi_manual": v.realisasi},
                    f"{where} {v.tahun}",
                    log,
                    r,
                    user,
                )
                or y.pk is None
            ):
                y.save()
    for gone in existing[len(items) :]:
        log.append(_catat(user, r, f"{s.kode} ind.{gone.urutan + 1}", gone.teks, "dihapus"))
        gone.delete()


def renstra_of_object(obj: models.Model) -> Renstra:
    if isinstance(obj, Renstra):
        return obj
    if isinstance(obj, SimpulRenstra):
        return obj.renstra
    if isinstance(obj, IndikatorRenstra):
        return obj.simpul.renstra
    if isinstance(obj, TahunSimpul):
        return obj.simpul.renstra
    if isinstance(obj, TahunIndikator):
        return obj.indikator.simpul.renstra
    raise TypeError(type(obj).__name__)


@transaction.atomic
def objek_simpan(*, user: Any, obj: models.Model) -> models.Model:
    """Save one Renstra row edited on the web (admin) and record every changed field."""
    access.require_admin(user, renstra_of_object(obj).perangkat_daerah)
    if isinstance(obj, TahunIndikator) and obj.realisasi_manual is not None:
        require_manual_year(renstra_of_object(obj), obj.tahun)
    if isinstance(obj, TahunSimpul) and obj.realisasi_manual_rp is not None:
        require_manual_year(renstra_of_object(obj), obj.tahun)
    old = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    obj.save()
    renstra = renstra_of_object(obj)
    log = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in ("dibuat",):
            continue
        before = getattr(old, field.attname) if old else None
        after = getattr(obj, field.attname)
        log.append(
            _catat(user, renstra, f"{type(obj).__name__} {obj.pk} {field.name}", before, after)
        )
    Riwayat.objects.bulk_create([r for r in log if r is not None])
    return obj


@transaction.atomic
def objek_hapus(*, user: Any, obj: models.Model) -> None:
    renstra = renstra_of_object(obj)
    access.require_admin(user, renstra.perangkat_daerah)
    if obj is renstra:
        Riwayat.objects.create(
            pengguna=user,
            jenis=Riwayat.Jenis.RENSTRA,
            kolom="Renstra",
            nilai_lama=str(renstra),
            nilai_baru="dihapus",
            keterangan=label(renstra),
        )
    else:
        record = _catat(user, renstra, f"{type(obj).__name__} {obj.pk}", str(obj), "dihapus")
        if record is not None:
            record.save()
    obj.delete()


# -- links -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilTautan:
    simpul: int
    indikator: int
    tanpa_pasangan: list[str]


@transaction.atomic
def tautan_terapkan(*, user: Any, renja: Renja, renstra: Renstra) -> HasilTautan:
    """Link a Renja to its Renstra, and every node and indicator that has no link yet to the
    counterpart proposed by code (through the code mapping) and name. Existing links stay."""
    access.require_admin(user, renja)
    if renstra.perangkat_daerah_id != renja.perangkat_daerah_id:
        raise ValidationError("Renstra dan Renja harus milik Perangkat Daerah yang sama.")
    if not renstra.tahun_awal <= renja.tahun <= renstra.tahun_akhir:
        raise ValidationError(
            f"Renja {renja.tahun} di luar periode Renstra {renstra.tahun_awal}–{renstra.tahun_akhir}."
        )
    current = RenjaRenstra.objects.filter(renja=renja).first()
    log = []
    if current is None or current.renstra_id != renstra.pk:
        RenjaRenstra.objects.update_or_create(renja=renja, defaults={"renstra": renstra})
        log.append(
            Riwayat(
                pengguna=user,
                renja=renja,
                jenis=Riwayat.Jenis.TAUTAN,
                kolom="renstra",
                nilai_lama=str(current.renstra) if current else "",
                nilai_baru=str(renstra),
            )
        )
    usul = selectors.usul_tautan(renja, renstra)
    new_simpul = [
        TautanSimpul(simpul=u.simpul, simpul_renstra=u.simpul_renstra)
        for u in usul.simpul
        if u.simpul_renstra is not None and not u.tertaut
    ]
    new_indikator = [
        TautanIndikator(indikator=u.indikator, indikator_renstra=u.indikator_renstra)
        for u in usul.indikator
        if u.indikator_renstra is not None and not u.tertaut
    ]
    TautanSimpul.objects.bulk_create(new_simpul)
    TautanIndikator.objects.bulk_create(new_indikator)
    for t in new_simpul:
        log.append(
            Riwayat(
                pengguna=user,
                renja=renja,
                simpul=t.simpul,
                jenis=Riwayat.Jenis.TAUTAN,
                kolom="tautan simpul",
                nilai_baru=f"{t.simpul_renstra.kode} {t.simpul_renstra.nama}",
            )
        )
    for t in new_indikator:
        log.append(
            Riwayat(
                pengguna=user,
                renja=renja,
                simpul=t.indikator.simpul,
                indikator=t.indikator,
                jenis=Riwayat.Jenis.TAUTAN,
                kolom="tautan indikator",
                nilai_baru=f"{t.indikator_renstra.simpul.kode}: {t.indikator_renstra.teks}",
            )
        )
    Riwayat.objects.bulk_create(log, batch_size=500)
    return HasilTautan(len(new_simpul), len(new_indikator), usul.tanpa_pasangan)


def tautan_setelah_impor(user: Any, renja: Renja) -> None:
    """After a Renja is imported again (its nodes are new rows), link it again to its Renstra."""
    renstra = selectors.renstra_of(renja)
    if renstra is not None:
        tautan_terapkan(user=user, renja=renja, renstra=renstra)


# -- the code mapping --------------------------------------------------------------------------

PEMETAAN_KOLOM = ("versi", "tahun_berlaku", "kode_lama", "kode_baru")


@transaction.atomic
def pemetaan_import(*, user: Any, data: bytes, berkas: str) -> int:
    """Load a code mapping from CSV (columns `versi,tahun_berlaku,kode_lama,kode_baru`); a line
    of the same version and old code replaces the stored one. All lines or none."""
    access.require_admin(user)
    text = data.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in first else ",")
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in PEMETAAN_KOLOM if c not in header]
    if missing:
        raise ValidationError(f"{berkas}, baris 1: kolom wajib tidak ada: {', '.join(missing)}")
    problems = []
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            tahun = int(row["tahun_berlaku"])
        except ValueError:
            problems.append(
                f"{berkas}, baris {number}, kolom tahun_berlaku: '{row['tahun_berlaku']}' bukan tahun"
            )
            continue
        try:
            lama, _ = read_kode(row["kode_lama"])
            baru, _ = read_kode(row["kode_baru"])
        except KodeError as exc:
            problems.append(f"{berkas}, baris {number}: kode tidak terbaca ({exc})")
            continue
        if not row["versi"]:
            problems.append(f"{berkas}, baris {number}, kolom versi: kosong")
            continue
        rows.append((row["versi"], tahun, lama, baru))
    if problems:
        raise ValidationError(problems)
    for versi, tahun, lama, baru in rows:
        PemetaanKode.objects.update_or_create(
            versi=versi, kode_lama=lama, defaults={"tahun_berlaku": tahun, "kode_baru": baru}
        )
    Riwayat.objects.create(
        pengguna=user,
        jenis=Riwayat.Jenis.RENSTRA,
        kolom="pemetaan kode",
        nilai_baru=f"{len(rows)} baris",
        keterangan=f"pemetaan kode dimuat dari {berkas}",
    )
    return len(rows)
