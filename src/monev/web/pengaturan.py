"""A pemda's evaluation settings: its predikat band sets (spec §7), read and written here only.

`pengaturan_of` is what every page, file and API answer evaluates a pemda's Renja with;
`pita_set` is the one write (validated by the engine, recorded in `Riwayat`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from monev.core.predikat import DEFAULT_PITA, PitaError, PitaPredikat, parse_pita
from monev.core.rules import Pengaturan
from monev.web import access
from monev.web.models import Pemda, Renja, Riwayat


def _pita(text: str) -> PitaPredikat:
    """Return a stored set; a stored text is valid (only `pita_set` writes it)."""
    return parse_pita(text) if text.strip() else DEFAULT_PITA


def pengaturan_of(pemda: Pemda | None) -> Pengaturan:
    """Return a pemda's evaluation settings (the defaults where it has chosen none)."""
    if pemda is None:
        return Pengaturan()
    return Pengaturan(
        predikat_k=_pita(pemda.pita_predikat_k), predikat_rp=_pita(pemda.pita_predikat_rp)
    )


def pengaturan_of_renja(renja: Renja) -> Pengaturan:
    return pengaturan_of(renja.perangkat_daerah.pemda)


@dataclass(frozen=True)
class HasilPita:
    """The outcome of a save: the faults per side ("k", "rp"); none when saved."""

    kesalahan: dict[str, list[str]]

    @property
    def tersimpan(self) -> bool:
        return not self.kesalahan


_SISI = {"k": ("pita_predikat_k", "kinerja (K)"), "rp": ("pita_predikat_rp", "anggaran (Rp)")}


def _normal(text: str) -> str:
    """The text as stored: the set's own writing, blank for the default set."""
    if not text.strip():
        return ""
    pita = parse_pita(text)
    return "" if pita == DEFAULT_PITA else pita.teks()


def pita_set(*, user: Any, pemda: Pemda, k: str, rp: str) -> HasilPita:
    """Validate and store both band sets, or neither; record each change on the pemda's Renja.

    The record goes to every Renja of the pemda, since the predikat of each changes with it.
    """
    access.require_admin(user, pemda)
    kesalahan: dict[str, list[str]] = {}
    baru: dict[str, str] = {}
    for sisi, text in (("k", k), ("rp", rp)):
        try:
            baru[sisi] = _normal(text)
        except PitaError as exc:
            kesalahan[sisi] = exc.kesalahan
    if kesalahan:
        return HasilPita(kesalahan)
    with transaction.atomic():
        locked = Pemda.objects.select_for_update().get(pk=pemda.pk)
        changed = []
        for sisi, (field, nama) in _SISI.items():
            lama = getattr(locked, field)
            if lama != baru[sisi]:
                setattr(locked, field, baru[sisi])
                changed.append((field, nama, lama, baru[sisi]))
        if not changed:
            return HasilPita({})
        locked.save(update_fields=[field for field, *_ in changed])
        renja_ids = list(
            Renja.objects.filter(perangkat_daerah__pemda=locked).values_list("pk", flat=True)
        )
        Riwayat.objects.bulk_create(
            Riwayat(
                pengguna=user,
                renja_id=renja_id,
                jenis=Riwayat.Jenis.PENGATURAN,
                kolom=field,
                nilai_lama=lama or DEFAULT_PITA.teks(),
                nilai_baru=nilai or DEFAULT_PITA.teks(),
                keterangan=f"pita predikat {nama} {locked.nama} diubah",
            )
            for renja_id in renja_ids
            for field, nama, lama, nilai in changed
        )
    pemda.refresh_from_db()
    return HasilPita({})
