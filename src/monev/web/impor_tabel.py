"""Importing tables without codes: the pemda's nomenclature lists, its saved column mappings, and
the table import itself (one service function, `impor_tabel`, which the web preview calls and
a background job can call alike).

Writes are services (keyword-only, one transaction each); reads are the selectors below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from monev.core.codes import Tingkat
from monev.io.flat import InputError, Masalah
from monev.io.legacy.grid import read_grids
from monev.io.tabel import parse_tables
from monev.io.tabel.laporan import mapping_lines
from monev.io.tabel.model import Pemetaan
from monev.io.tabel.nomenklatur import Entri, read_nomenklatur
from monev.io.tabel.pilih import renja_of
from monev.io.tabel.pratinjau import Pratinjau, preview
from monev.web import access, services
from monev.web.models import (
    DaftarNomenklatur,
    EntriNomenklatur,
    Pemda,
    PemetaanTersimpan,
    PerangkatDaerah,
    Renja,
)


class Ditolak(Exception):
    """A request refused with a message for the user (Bahasa Indonesia)."""


# --- nomenclature lists -------------------------------------------------------------------


def nomenklatur_upload(
    *,
    user: Any,
    pemda: Pemda,
    nama: str,
    regulasi: str,
    tahun: int | None,
    berkas: str,
    data: bytes,
    aktif: bool,
) -> DaftarNomenklatur:
    """Save a nomenclature list read from a CSV/XLSX file, whole or not at all; raise
    `InputError` with every line that cannot be used, `Ditolak` for a name already taken."""
    access.require_admin(user, pemda)
    nama = " ".join(nama.split())
    if not nama:
        raise Ditolak("Beri nama/versi daftar nomenklatur, misalnya 'Kepmendagri 900.1.15.5-1317'.")
    entries = read_nomenklatur(Path(Path(berkas).name), data)
    try:
        with transaction.atomic():
            if aktif:
                DaftarNomenklatur.objects.filter(pemda=pemda, aktif=True).update(aktif=False)
            daftar = DaftarNomenklatur.objects.create(
                pemda=pemda,
                nama=nama,
                regulasi=regulasi.strip(),
                tahun=tahun,
                nama_berkas=Path(berkas).name,
                aktif=aktif,
                diunggah_oleh=user,
            )
            EntriNomenklatur.objects.bulk_create(
                [
                    EntriNomenklatur(
                        daftar=daftar,
                        kode=e.kode,
                        tingkat=e.tingkat.value,
                        nama=e.nama,
                        regulasi=e.regulasi,
                        tahun=e.tahun,
                    )
                    for e in entries
                ],
                batch_size=2000,
            )
    except IntegrityError as exc:
        raise Ditolak(
            f"Daftar nomenklatur bernama '{nama}' sudah ada untuk {pemda.nama}; pakai nama lain."
        ) from exc
    return daftar


def nomenklatur_activate(*, user: Any, daftar: DaftarNomenklatur, aktif: bool = True) -> None:
    """Make a list the pemda's active one (the others stop being active), or stop using it."""
    access.require_admin(user, daftar.pemda_id)
    with transaction.atomic():
        DaftarNomenklatur.objects.filter(pemda_id=daftar.pemda_id, aktif=True).update(aktif=False)
        if aktif:
            DaftarNomenklatur.objects.filter(pk=daftar.pk).update(aktif=True)


def daftar_aktif(pemda_id: int) -> DaftarNomenklatur | None:
    return DaftarNomenklatur.objects.filter(pemda_id=pemda_id, aktif=True).first()


def entri_aktif(pemda_id: int) -> list[Entri] | None:
    """Return the entries of the pemda's active nomenclature list (None without one)."""
    daftar = daftar_aktif(pemda_id)
    if daftar is None:
        return None
    rows = EntriNomenklatur.objects.filter(daftar=daftar).values_list(
        "kode", "tingkat", "nama", "regulasi", "tahun"
    )
    return [
        Entri(kode, Tingkat(tingkat), nama, regulasi or daftar.regulasi, tahun or daftar.tahun)
        for kode, tingkat, nama, regulasi, tahun in rows
    ]


def daftar_nomenklatur(pemda_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Return every list with its pemda and its number of entries (one query)."""
    from django.db.models import Count

    lists = DaftarNomenklatur.objects.select_related("pemda", "diunggah_oleh").annotate(
        jumlah=Count("entri")
    )
    if pemda_ids is not None:
        lists = lists.filter(pemda_id__in=pemda_ids)
    return [{"daftar": d, "jumlah": d.jumlah} for d in lists]


# --- saved mappings -----------------------------------------------------------------------


def pemetaan_save(*, user: Any, pemda: Pemda, nama: str, pemetaan: Pemetaan) -> PemetaanTersimpan:
    """Save a confirmed mapping under a name for the pemda (replacing one of the same name)."""
    access.require_admin(user, pemda)
    nama = " ".join(nama.split())
    if not nama:
        raise Ditolak("Beri nama pemetaan, misalnya 'SIPD realisasi per bulan'.")
    if len(nama) > 200:
        raise Ditolak("Nama pemetaan paling panjang 200 huruf.")
    with transaction.atomic():
        saved, _ = PemetaanTersimpan.objects.update_or_create(
            pemda=pemda, nama=nama, defaults={"isi": pemetaan.to_json(), "dibuat_oleh": user}
        )
    return saved


def pemetaan_of(saved: PemetaanTersimpan) -> Pemetaan:
    """Return a saved mapping, read as `--pemetaan` reads a file."""
    return Pemetaan.from_json(saved.isi, f"pemetaan '{saved.nama}'")


# --- reading and importing a table ----------------------------------------------------------


def grids_of(berkas: str, data: bytes) -> list[Any]:
    """Return the grids of a table file; a damaged one ends in `InputError`."""
    try:
        return read_grids(Path(Path(berkas).name), data)
    except InputError:
        raise
    except Exception as exc:  # a damaged input ends in a message, as in `monev periksa`
        raise InputError(
            [Masalah(f"berkas tidak dapat dibaca ({exc.__class__.__name__}: {exc})", berkas)]
        ) from exc


def baca_tabel(
    *,
    perangkat_daerah: PerangkatDaerah,
    berkas: str,
    data: bytes,
    pemetaan: Pemetaan | None,
    grids: list[Any] | None = None,
) -> Pratinjau:
    """Return the preview of a table read with a mapping and the pemda's active nomenclature
    (from `grids` when the file has been read already)."""
    entries = entri_aktif(perangkat_daerah.pemda_id)
    try:
        if grids is None:
            grids = grids_of(berkas, data)
        return preview(grids, Path(berkas).name, pemetaan, entries)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            [Masalah(f"tabel tidak dapat dibaca ({exc.__class__.__name__}: {exc})", berkas)]
        ) from exc


@dataclass
class HasilImpor:
    renja: Renja
    simpul: int
    indikator: int
    #: The mapping used, line by line (as `monev impor` prints it).
    pemetaan: list[str]
    kode_sementara: int


def impor_tabel(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    versi: str,
    berkas: str,
    data: bytes,
    pemetaan: Pemetaan | None,
) -> HasilImpor:
    """Import a table as the PD's Renja through the import path of every file (the flat
    reader's validation, then `services.renja_import`); raise `InputError` for a file that
    cannot be read and `siklus.Ditolak` when a quarter is submitted or verified."""
    access.require_admin(user, perangkat_daerah)
    entries = entri_aktif(perangkat_daerah.pemda_id)
    try:
        hasil = parse_tables(grids_of(berkas, data), Path(berkas).name, pemetaan, entries)
        renja = renja_of(hasil)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            [Masalah(f"tabel tidak dapat dibaca ({exc.__class__.__name__}: {exc})", berkas)]
        ) from exc
    stored = services.renja_import(
        user=user,
        perangkat_daerah=perangkat_daerah,
        tahun=tahun,
        renja=renja,
        versi=versi,
        sumber=Path(berkas).name,
    )
    return HasilImpor(
        stored,
        len(renja.nodes),
        sum(len(n.indikator) for n in renja.nodes),
        mapping_lines(hasil),
        len(hasil.susunan.sementara),
    )
