"""Writes of the pemda app: quarterly plans (recorded in the Renja's history) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from monev.core.model import Quarters
from monev.io.flat import InputError, Masalah, read_rows
from monev.web import access
from monev.web.models import Indikator, Renja, Riwayat, Simpul
from monev.web.services import MAX_K_PLACES, MAX_RP_PLACES, parse_nilai, shown

from .models import RencanaK, RencanaRp, TokenApi

ROMAWI = ("I", "II", "III", "IV")
KOSONG: Quarters = (None, None, None, None)


def _record(
    *,
    user: Any,
    renja: Renja,
    simpul: Simpul,
    indikator: Indikator | None,
    old: Quarters,
    new: Quarters,
) -> None:
    side = "k" if indikator is not None else "rp"
    jenis = Riwayat.Jenis.TARGET if indikator is not None else Riwayat.Jenis.PAGU
    Riwayat.objects.bulk_create(
        [
            Riwayat(
                pengguna=user,
                renja=renja,
                simpul=simpul,
                indikator=indikator,
                jenis=jenis,
                triwulan=q,
                kolom=f"rencana_tw{q}_{side}",
                nilai_lama=shown(a),
                nilai_baru=shown(b),
                keterangan="rencana triwulan",
            )
            for q, (a, b) in enumerate(zip(old, new, strict=True), start=1)
            if a != b
        ]
    )


@transaction.atomic
def rencana_k_update(*, user: Any, indikator: Indikator, nilai: Quarters) -> RencanaK | None:
    """Save an indicator's quarterly plan (TW I–IV; all blank removes it) and record the change."""
    renja = indikator.simpul.renja
    access.require_edit_realisasi(user, renja)
    row = RencanaK.objects.select_for_update().filter(indikator=indikator).first()
    old = row.quarters() if row else KOSONG
    if tuple(old) == tuple(nilai):
        return row
    _record(
        user=user, renja=renja, simpul=indikator.simpul, indikator=indikator, old=old, new=nilai
    )
    if all(v is None for v in nilai):
        if row:
            row.delete()
        return None
    row = row or RencanaK(indikator=indikator)
    row.tw1, row.tw2, row.tw3, row.tw4 = nilai
    row.save()
    return row


def is_leaf(simpul: Simpul) -> bool:
    return not Simpul.objects.filter(induk=simpul).exists()


@transaction.atomic
def rencana_rp_update(*, user: Any, simpul: Simpul, nilai: Quarters) -> RencanaRp | None:
    """Save a sub kegiatan's withdrawal plan (Rp, TW I–IV) and record the change.

    Budgets are planned where they are spent: on nodes without children, as they are entered.
    """
    renja = simpul.renja
    access.require_edit_realisasi(user, renja)
    if not is_leaf(simpul):
        raise ValidationError(
            f"{simpul.kode}: rencana penarikan dana diisi pada sub kegiatan, bukan pada induknya"
        )
    row = RencanaRp.objects.select_for_update().filter(simpul=simpul).first()
    old = row.quarters() if row else KOSONG
    if tuple(old) == tuple(nilai):
        return row
    _record(user=user, renja=renja, simpul=simpul, indikator=None, old=old, new=nilai)
    if all(v is None for v in nilai):
        if row:
            row.delete()
        return None
    row = row or RencanaRp(simpul=simpul)
    row.tw1, row.tw2, row.tw3, row.tw4 = nilai
    row.save()
    return row


def parse_quarters(texts: Sequence[str], *, places: int) -> Quarters:
    """Return four values typed the Indonesian way; raise ValidationError naming the quarter."""
    values: list[Decimal | None] = []
    problems = []
    for q, text in enumerate(texts, start=1):
        try:
            values.append(parse_nilai(text, places=places, label=f"TW {ROMAWI[q - 1]}"))
        except ValidationError as exc:
            problems.extend(exc.messages)
            values.append(None)
    if problems:
        raise ValidationError(problems)
    return (values[0], values[1], values[2], values[3])


# -- import from a CSV or XLSX file -------------------------------------------------------------

KOLOM_WAJIB = ("kode", "tw1", "tw2", "tw3", "tw4")


@dataclass(frozen=True)
class BarisRencana:
    """A plan line of a file, matched to its indicator (K) or its sub kegiatan (Rp)."""

    baris: int
    simpul: Simpul
    indikator: Indikator | None
    nilai: Quarters


def read_rencana(renja: Renja, nama_berkas: str, data: bytes) -> list[BarisRencana]:
    """Read and check a plan file: every problem with its line and column, or every line.

    Columns (any order, any extra ignored): `kode`, `indikator` (the indicator's text, or its
    order 1, 2, … under the node; empty for a budget plan), optional `jenis` (`k` or `rp`),
    `tw1`…`tw4`. Numbers in machine form or Indonesian notation.
    """
    berkas = Path(nama_berkas).name
    sheet = read_rows(Path(berkas), data)
    problems: list[Masalah] = []
    rows = [[str(c).strip() if c is not None else "" for c in r] for r in sheet.rows]
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise InputError([Masalah("berkas kosong", berkas)])
    header = [h.lower() for h in rows[0]]
    missing = [k for k in KOLOM_WAJIB if k not in header]
    if missing:
        raise InputError([Masalah(f"kolom wajib tidak ada: {', '.join(missing)}", berkas, 1)])
    col = {name: header.index(name) for name in header if name}

    simpul = {s.kode: s for s in Simpul.objects.filter(renja=renja)}
    parents = set(
        Simpul.objects.filter(renja=renja, induk__isnull=False).values_list("induk_id", flat=True)
    )
    indikator: dict[str, list[Indikator]] = {}
    for item in Indikator.objects.filter(simpul__renja=renja).select_related("simpul"):
        indikator.setdefault(item.simpul.kode, []).append(item)
    for items in indikator.values():
        items.sort(key=lambda i: (i.urutan, i.pk))

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else ""

    result = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        kode = cell(row, "kode")
        node = simpul.get(kode)
        if node is None:
            problems.append(
                Masalah(f"kode '{kode}' tidak ada dalam Renja ini", berkas, number, "kode")
            )
            continue
        teks = cell(row, "indikator")
        jenis = cell(row, "jenis").lower() or ("k" if teks else "rp")
        if jenis not in ("k", "rp"):
            problems.append(Masalah(f"jenis '{jenis}' harus k atau rp", berkas, number, "jenis"))
            continue
        places = MAX_K_PLACES if jenis == "k" else MAX_RP_PLACES
        values: list[Decimal | None] = []
        for q in range(1, 5):
            try:
                values.append(parse_nilai(cell(row, f"tw{q}"), places=places, label=f"tw{q}"))
            except ValidationError as exc:
                problems.append(Masalah(exc.messages[0], berkas, number, f"tw{q}"))
                values.append(None)
        target = None
        if jenis == "k":
            items = indikator.get(kode, [])
            if teks.isdigit():
                if 1 <= int(teks) <= len(items):
                    target = items[int(teks) - 1]
            else:
                target = next((i for i in items if i.teks.strip() == teks), None)
            if target is None:
                problems.append(
                    Masalah(
                        f"indikator '{teks}' tidak ada pada {kode} (tulis teksnya persis atau "
                        f"nomor urutnya 1 sampai {len(items)})",
                        berkas,
                        number,
                        "indikator",
                    )
                )
                continue
        elif node.pk in parents:
            problems.append(
                Masalah(
                    f"{kode}: rencana penarikan dana diisi pada sub kegiatan, bukan pada induknya",
                    berkas,
                    number,
                    "kode",
                )
            )
            continue
        result.append(
            BarisRencana(number, node, target, (values[0], values[1], values[2], values[3]))
        )
    seen: dict[tuple[str, int], int] = {}
    for line in result:
        key = ("k", line.indikator.pk) if line.indikator else ("rp", line.simpul.pk)
        if key in seen:
            problems.append(
                Masalah(f"rencana yang sama sudah ada di baris {seen[key]}", berkas, line.baris)
            )
        seen[key] = line.baris
    if problems:
        raise InputError(problems)
    return result


@transaction.atomic
def rencana_import(*, user: Any, renja: Renja, lines: Sequence[BarisRencana]) -> int:
    """Save every plan line of a checked file, all or nothing; return how many changed."""
    access.require_edit_realisasi(user, renja)
    changed = 0
    for line in lines:
        if line.indikator is not None:
            k = RencanaK.objects.filter(indikator=line.indikator).first()
            before = k.quarters() if k else KOSONG
            rencana_k_update(user=user, indikator=line.indikator, nilai=line.nilai)
        else:
            rp = RencanaRp.objects.filter(simpul=line.simpul).first()
            before = rp.quarters() if rp else KOSONG
            rencana_rp_update(user=user, simpul=line.simpul, nilai=line.nilai)
        changed += tuple(before) != tuple(line.nilai)
    return changed


# -- API tokens ---------------------------------------------------------------------------------

TOKEN_PREFIX = "monev_"
#: How often the "last used" time is written, at most (a read must not write on every call).
USE_RESOLUTION = timedelta(minutes=1)


def digest_of(token: str) -> str:
    """Return the stored form of a token. A fast hash is enough: tokens carry 256 random bits."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: Any, nama: str) -> tuple[TokenApi, str]:
    """Create a personal API token; return it with the token text (shown once, never stored)."""
    if access.peran(user) is None:
        raise PermissionDenied("Pengguna tanpa peran tidak dapat membuat token.")
    nama = nama.strip()
    if not nama:
        raise ValidationError("Tulis keterangan token, misalnya nama aplikasi yang memakainya.")
    if len(nama) > 100:
        raise ValidationError("Keterangan token paling panjang 100 huruf.")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = TokenApi.objects.create(
        pengguna=user, nama=nama, awalan=text[: len(TOKEN_PREFIX) + 6], digest=digest_of(text)
    )
    return token, text


@transaction.atomic
def token_revoke(*, user: Any, token: TokenApi) -> TokenApi:
    """Revoke a token of the user's own (an admin may revoke those of its own pemda's users)."""
    if token.pengguna_id != user.pk and not access.is_admin_of_user(user, token.pengguna):
        raise PermissionDenied("Token ini bukan milik Anda.")
    if token.dicabut is None:
        token.dicabut = timezone.now()
        token.save(update_fields=["dicabut"])
    return token


def token_user(text: str) -> Any:
    """Return the active user of a token text, or None (unknown, revoked, or inactive user)."""
    if not text.startswith(TOKEN_PREFIX) or len(text) > 200:
        return None
    token = (
        TokenApi.objects.select_related("pengguna__profil")
        .filter(digest=digest_of(text), dicabut__isnull=True)
        .first()
    )
    if token is None or not token.pengguna.is_active:
        return None
    now = timezone.now()
    if token.terakhir_dipakai is None or now - token.terakhir_dipakai > USE_RESOLUTION:
        TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=now)
    return token.pengguna
