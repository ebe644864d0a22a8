"""The mapping preview of a large table, read as a background job (issue 14, point 3 and 6).

A preview reads the whole file (every line is mapped and checked, so that every problem is
named with its sheet, table, line and column): ~0,5 ms of CPU per line, so a 100 000-line
upload would hold a web worker for most of a minute, at every change of a column's field. From
MONEV_PRATINJAU_LATAR_BYTES on, the read runs as an import job of kind `pratinjau`
(`monev.web.tugas_impor`: the same queue, runner process, progress bar and failure messages),
which saves nothing: it writes the preview, cut to what the page shows, next to the upload in
the private upload area. The page follows the job and shows the preview once it is done; the
same file read with the same mapping and nomenclature list is not read again (a download of
the mapping, a save, a second look). Importing such a file is an import job of kind `tabel`.

The preview is kept with `pickle`: it is this program's own objects, written by its own runner
into a folder only the server's user can read, and read back by the server; nothing a user
sends is ever unpickled (the file's name comes from the job's row, never from the request).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from monev.core import model as core
from monev.io.flat import InputError, Masalah
from monev.io.tabel.model import Pemetaan
from monev.io.tabel.pratinjau import Pratinjau
from monev.web import impor_tabel, tugas_impor, uploads
from monev.web.models import PerangkatDaerah, TugasImpor

JENIS_PRATINJAU = "pratinjau"
JENIS_TABEL = "tabel"
#: How many nodes the preview page lists (names editable); the rest are counted.
SIMPUL_TAMPIL = 1000
TAHAP_BACA = "Membaca berkas"
TAHAP_PETAKAN = "Memetakan kolom dan memeriksa setiap baris"
TAHAP_SIMPAN = "Menyiapkan pratinjau"


def latar(ukuran: int) -> bool:
    """Whether a file of `ukuran` bytes is read in the background."""
    return ukuran >= settings.MONEV_PRATINJAU_LATAR_BYTES


@dataclass
class Ringkasan:
    """What the page shows of a read's findings (in place of the whole read result)."""

    temuan: list[str] = field(default_factory=list)
    pemeriksaan: list[Any] = field(default_factory=list)


def _opsi(token: str, nama_berkas: str, pemetaan: Pemetaan | None, pemda_id: int) -> dict[str, Any]:
    daftar = impor_tabel.daftar_aktif(pemda_id)
    return {
        "token": token,
        "nama_berkas": nama_berkas,
        "pemetaan": pemetaan.to_json() if pemetaan is not None else "",
        # A read with another nomenclature list active is another read.
        "nomenklatur": daftar.pk if daftar is not None else None,
    }


def pratinjau_cari(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    token: str,
    nama_berkas: str,
    pemetaan: Pemetaan | None,
) -> TugasImpor | None:
    """Return the user's latest preview job of this file with this mapping that has not failed
    and whose preview is still kept, or None."""
    opsi = _opsi(token, nama_berkas, pemetaan, perangkat_daerah.pemda_id)
    jobs = TugasImpor.objects.filter(
        pengguna=user, perangkat_daerah=perangkat_daerah, jenis=JENIS_PRATINJAU
    ).exclude(status=TugasImpor.Status.GAGAL)
    for tugas in jobs.order_by("-dibuat")[:20]:
        if tugas.opsi == opsi and (tugas.aktif or _hasil_path(tugas).exists()):
            return tugas
    return None


def pratinjau_mulai(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    versi: str,
    token: str,
    nama_berkas: str,
    data: bytes,
    pemetaan: Pemetaan | None,
) -> TugasImpor:
    """Queue and start the preview read of a kept upload."""
    tugas = tugas_impor.tugas_buat(
        user=user,
        perangkat_daerah=perangkat_daerah,
        tahun=tahun,
        versi=versi,
        jenis=JENIS_PRATINJAU,
        nama_berkas=nama_berkas,
        data=data,
        opsi=_opsi(token, nama_berkas, pemetaan, perangkat_daerah.pemda_id),
    )
    tugas_impor.tugas_mulai(tugas)
    tugas.refresh_from_db()
    return tugas


def pemetaan_tugas(tugas: TugasImpor) -> Pemetaan | None:
    text = tugas.opsi.get("pemetaan") or ""
    return Pemetaan.from_json(text, tugas.nama_berkas) if text else None


def _hasil_path(tugas: TugasImpor) -> Path:
    stem = Path(str(tugas.opsi.get("token", ""))).name.partition(".")[0]
    return uploads.folder() / f"{stem}.{tugas.pk}.pratinjau"


def pratinjau_hasil(tugas: TugasImpor) -> Pratinjau | None:
    """Return the preview a finished job wrote, or None when it is gone."""
    try:
        with _hasil_path(tugas).open("rb") as handle:
            shown = pickle.load(handle)  # our own runner's file; see the module's docstring
    except (FileNotFoundError, EOFError, pickle.UnpicklingError):
        return None
    return shown if isinstance(shown, Pratinjau) else None


def _baca(tugas: TugasImpor, report: tugas_impor.Kemajuan) -> tugas_impor.HasilTugas:
    data = tugas_impor.isi_berkas(tugas)
    report(TAHAP_BACA, 0, 0)
    grids = impor_tabel.grids_of(tugas.nama_berkas, data)
    del data
    report(TAHAP_PETAKAN, 0, 0)
    shown = impor_tabel.baca_tabel(
        perangkat_daerah=tugas.perangkat_daerah,
        berkas=tugas.nama_berkas,
        data=b"",
        pemetaan=pemetaan_tugas(tugas),
        grids=grids,
    )
    report(TAHAP_SIMPAN, 0, 0)
    if shown.hasil is not None:
        shown.hasil = Ringkasan(list(shown.hasil.temuan), list(shown.hasil.pemeriksaan))  # type: ignore[assignment]
    shown.simpul = shown.simpul[:SIMPUL_TAMPIL]
    path = _hasil_path(tugas)
    part = path.with_name(path.name + ".tmp")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(shown, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, path)  # the page never sees half a preview
    return tugas_impor.HasilTugas(
        None, f"Pratinjau {tugas.nama_berkas} siap: {shown.jumlah_simpul} simpul terbaca."
    )


def baca_tabel_tugas(
    nama: str, data: bytes, opsi: dict[str, Any], kemajuan: tugas_impor.Kemajuan
) -> core.Renja:
    """The reader of an import job of kind `tabel`: the table read with the preview's mapping."""
    from monev.io.tabel import parse_tables
    from monev.io.tabel.pilih import renja_of

    kemajuan(TAHAP_BACA, 0, 0)
    grids = impor_tabel.grids_of(nama, data)
    kemajuan(TAHAP_PETAKAN, 0, 0)
    text = opsi.get("pemetaan") or ""
    pemetaan = Pemetaan.from_json(text, nama) if text else None
    pemda_id = opsi.get("pemda_id")
    entries = impor_tabel.entri_aktif(pemda_id) if pemda_id is not None else None
    try:
        return renja_of(parse_tables(grids, Path(nama).name, pemetaan, entries))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            [Masalah(f"tabel tidak dapat dibaca ({exc.__class__.__name__}: {exc})", nama)]
        ) from exc


def impor_mulai(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    versi: str,
    nama_berkas: str,
    data: bytes,
    pemetaan: Pemetaan,
) -> TugasImpor:
    """Queue and start the import of a table read with the preview's mapping."""
    tugas = tugas_impor.tugas_buat(
        user=user,
        perangkat_daerah=perangkat_daerah,
        tahun=tahun,
        versi=versi,
        jenis=JENIS_TABEL,
        nama_berkas=nama_berkas,
        data=data,
        opsi={"pemetaan": pemetaan.to_json()},
    )
    tugas_impor.tugas_mulai(tugas)
    return tugas


tugas_impor.daftar_pelaksana(JENIS_PRATINJAU, _baca)
tugas_impor.daftar_jenis(JENIS_TABEL, baca_tabel_tugas)
