"""Imports run as background jobs, apart from the request that asked (issue 14, point 6).

A job (`TugasImpor`) names who asked, the PD, year and version, the reader (`jenis`) and the
uploaded file, kept in a private folder (`DATA_DIR/impor/tugas`, owner only) until the job ends.
The web process starts one detached process per job (`python -m monev kelola jalankan_impor ID`);
a scheduler may also run `monev kelola jalankan_impor --semua`, which runs what is still queued
(a process that never started) and marks as failed a job whose runner died (no progress for
MONEV_IMPOR_BASI_DETIK seconds). No broker, no queue server: the database is the queue, and a
job is claimed by one conditional UPDATE, so two runners never run the same job.

A job reads and checks the file first, outside any transaction, reporting its progress (short
writes of the job's row); then `services.renja_import` saves it, all or nothing as every reader
sees it: chunks of short transactions under a hidden Renja row, then one short swap
(`monev.web.impor_tulis`), each chunk reported. A job that fails keeps every message that refused
it, and nothing of the plan is left.

Readers are registered by kind (`daftar_jenis`), so that another entry point (e.g. the mapping
preview's import) can run its import as a job too: a reader takes the file's name, its bytes, the
job's options and a progress callback, and returns the Renja to save.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from monev.core import model as core
from monev.io.flat import InputError
from monev.web import access, impor_tulis, services, siklus
from monev.web.models import PerangkatDaerah, Renja, TugasImpor

logger = logging.getLogger(__name__)
Status = TugasImpor.Status

#: progress(tahap, selesai, jumlah): the phase in words, lines done and lines in all (0: unknown).
Kemajuan = Callable[[str, int, int], None]
#: reader(nama_berkas, data, opsi, kemajuan) -> the Renja to save; raises InputError.
Pembaca = Callable[[str, bytes, dict[str, Any], Kemajuan], core.Renja]

TAHAP_BACA = "Membaca berkas"
TAHAP_PERIKSA = "Memeriksa baris"
TAHAP_SIMPAN = services.TAHAP_TULIS


def baca_datar(nama: str, data: bytes, opsi: dict[str, Any], kemajuan: Kemajuan) -> core.Renja:
    """Read a file of the flat format, reporting the check line by line."""
    from monev.io.flat import parse_flat, read_rows

    kemajuan(TAHAP_BACA, 0, 0)
    sheet = read_rows(Path(nama), data)
    return parse_flat(sheet, lambda done, total: kemajuan(TAHAP_PERIKSA, done, total))


def baca_lama(nama: str, data: bytes, opsi: dict[str, Any], kemajuan: Kemajuan) -> core.Renja:
    """Read an old evaluation report or any other table (one phase: its readers say no more)."""
    from monev.web import legacy_import
    from monev.web.impor_tabel import entri_aktif

    kemajuan("Membaca dan memeriksa laporan", 0, 0)
    pemda_id = opsi.get("pemda_id")
    entries = entri_aktif(pemda_id) if pemda_id is not None else None
    return legacy_import.read(Path(nama), data, entries)[1]


JENIS: dict[str, Pembaca] = {"datar": baca_datar, "lama": baca_lama}


def daftar_jenis(jenis: str, pembaca: Pembaca) -> None:
    """Register a reader for jobs of kind `jenis`."""
    JENIS[jenis] = pembaca


#: Jobs that only read (the mapping preview of a large file): kind -> runner(job, progress),
#: which returns what the job ends with instead of the reader-and-save of an import.
PELAKSANA: dict[str, Callable[[TugasImpor, Kemajuan], _Hasil]] = {}


def daftar_pelaksana(jenis: str, pelaksana: Callable[[TugasImpor, Kemajuan], _Hasil]) -> None:
    """Register a runner for jobs of kind `jenis` that save no plan."""
    PELAKSANA[jenis] = pelaksana


def _every_kind() -> None:
    """Load the modules that register further kinds (the mapping preview's, with the table
    reader and its libraries): on the first use of a job's kind, not at every process start."""
    import monev.web.pratinjau_tugas  # noqa: F401


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "impor" / "tugas"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _berkas(tugas: TugasImpor) -> Path:
    return folder() / Path(tugas.berkas).name  # never a path from the client


def tugas_buat(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    versi: str,
    jenis: str,
    nama_berkas: str,
    data: bytes,
    opsi: dict[str, Any] | None = None,
) -> TugasImpor:
    """Queue an import job with its file; refuse at once (siklus.Ditolak) an import into a Renja
    whose plan is locked, so that the user reads why without waiting for the job."""
    access.require_admin(user)
    _every_kind()
    if jenis not in JENIS and jenis not in PELAKSANA:
        raise ValueError(f"jenis impor tidak dikenal: {jenis}")
    if jenis in JENIS:  # a job that only reads changes no Renja
        _refuse_locked(perangkat_daerah, tahun, versi)
    name = f"{uuid.uuid4().hex}{Path(nama_berkas).suffix.lower()[:10]}"
    fd = os.open(folder() / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    try:
        return TugasImpor.objects.create(
            pengguna=user,
            perangkat_daerah=perangkat_daerah,
            tahun=tahun,
            versi=versi,
            jenis=jenis,
            nama_berkas=Path(nama_berkas).name[:255],
            berkas=name,
            opsi=opsi or {},
        )
    except Exception:
        (folder() / name).unlink(missing_ok=True)
        raise


def _refuse_locked(perangkat_daerah: PerangkatDaerah, tahun: int, versi: str) -> None:
    existing = Renja.objects.filter(perangkat_daerah=perangkat_daerah, tahun=tahun, versi=versi)
    renja = existing.first()
    reason = siklus.plan_lock(renja) if renja is not None else ""
    if reason:
        raise siklus.Ditolak(f"Renja ini tidak dapat diganti dengan impor: {reason}")


# -- starting a job ---------------------------------------------------------------------------

#: Runner processes started by this process, reaped by a thread each (no zombie is left).
_running: set[subprocess.Popen[bytes]] = set()


def tugas_mulai(tugas: TugasImpor) -> None:
    """Start the job: in a detached process (MONEV_IMPOR_LATAR=proses, the default) or here and
    now (=langsung: tests, and a server that must not start processes)."""
    if settings.MONEV_IMPOR_LATAR == "langsung":
        tugas_jalankan(tugas.pk)
        return
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "monev", "kelola", "jalankan_impor", str(tugas.pk)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # a server restarted (Ctrl+C) does not stop the import
            close_fds=True,
        )
    except OSError:
        # The job stays queued: `jalankan_impor --semua` (the scheduler) runs it.
        logger.exception("tugas impor %s tidak dapat dimulai", tugas.pk)
        return
    _running.add(process)
    threading.Thread(target=_reap, args=(process,), daemon=True).start()


def _reap(process: subprocess.Popen[bytes]) -> None:
    process.wait()
    _running.discard(process)


# -- running a job ----------------------------------------------------------------------------


class _Pelapor:
    """Write a job's progress to its row, at most every `jeda` seconds (each a short write)."""

    def __init__(self, tugas: TugasImpor, jeda: float = 0.5) -> None:
        self.tugas = tugas
        self.jeda = jeda
        self.last = 0.0
        self.tahap = ""

    def __call__(self, tahap: str, selesai: int, jumlah: int) -> None:
        now = time.monotonic()
        if tahap == self.tahap and now - self.last < self.jeda and selesai < jumlah:
            return
        self.tahap, self.last = tahap, now
        try:
            TugasImpor.objects.filter(pk=self.tugas.pk).update(
                tahap=tahap, selesai_baris=selesai, jumlah_baris=jumlah, diperbarui=timezone.now()
            )
        except DatabaseError:  # progress is shown as it can be; it never stops the import
            logger.info("kemajuan tugas impor %s tidak tercatat", self.tugas.pk, exc_info=True)


def tugas_jalankan(pk: int, kemajuan: Kemajuan | None = None) -> TugasImpor | None:
    """Run the queued job `pk` to its end; return it, or None when another runner has it."""
    claimed = TugasImpor.objects.filter(pk=pk, status=Status.ANTRE).update(
        status=Status.BERJALAN,
        mulai=timezone.now(),
        pid=os.getpid(),
        tahap=TAHAP_BACA,
        diperbarui=timezone.now(),
    )
    if not claimed:
        return None
    tugas = TugasImpor.objects.select_related("pengguna", "perangkat_daerah").get(pk=pk)
    pelapor = _Pelapor(tugas)

    def report(tahap: str, selesai: int, jumlah: int) -> None:
        pelapor(tahap, selesai, jumlah)
        if kemajuan is not None:
            kemajuan(tahap, selesai, jumlah)

    _every_kind()
    try:
        hasil = PELAKSANA.get(tugas.jenis, _run)(tugas, report)
    except InputError as exc:
        _akhiri(tugas, Status.GAGAL, galat=[str(m) for m in exc.masalah])
    except siklus.Ditolak as exc:
        _akhiri(tugas, Status.GAGAL, galat=[str(exc)])
    except Exception as exc:
        logger.exception("tugas impor %s gagal", pk)
        _akhiri(
            tugas,
            Status.GAGAL,
            galat=[
                f"{tugas.nama_berkas}: galat tak terduga ({exc.__class__.__name__}); tidak ada "
                "yang disimpan. Laporkan ke admin server bila terulang."
            ],
        )
    else:
        _akhiri(tugas, Status.SELESAI, hasil=hasil.teks, renja=hasil.renja)
    finally:
        _berkas(tugas).unlink(missing_ok=True)
    tugas.refresh_from_db()
    return tugas


@dataclass(frozen=True)
class _Hasil:
    renja: Renja | None
    teks: str


HasilTugas = _Hasil


def isi_berkas(tugas: TugasImpor) -> bytes:
    """Return the bytes of the job's kept file; refuse (siklus.Ditolak) when it is gone."""
    try:
        return _berkas(tugas).read_bytes()
    except FileNotFoundError as exc:
        raise siklus.Ditolak(
            f"{tugas.nama_berkas}: berkas unggahan sudah tidak ada; unggah ulang"
        ) from exc


def _run(tugas: TugasImpor, report: Kemajuan) -> _Hasil:
    data = isi_berkas(tugas)
    # The readers learn the job's pemda (for its active nomenclature list).
    opsi = {**tugas.opsi, "pemda_id": tugas.perangkat_daerah.pemda_id}
    renja = JENIS[tugas.jenis](tugas.nama_berkas, data, opsi, report)
    del data
    lines = sum(len(n.indikator) for n in renja.nodes)
    size = f"({len(renja.nodes)} simpul, {lines} indikator)"
    report(f"{TAHAP_SIMPAN} {size}", 0, 0)

    stored = services.renja_import(
        user=tugas.pengguna,
        perangkat_daerah=tugas.perangkat_daerah,
        tahun=tugas.tahun,
        renja=renja,
        versi=tugas.versi,
        sumber=tugas.nama_berkas,
        kemajuan=lambda tahap, selesai, jumlah: report(f"{tahap} {size}", selesai, jumlah),
    )
    return _Hasil(
        stored,
        f"Renja {tugas.perangkat_daerah.nama} {tugas.tahun} ({tugas.versi}) tersimpan: "
        f"{len(renja.nodes)} simpul, {lines} indikator.",
    )


def _akhiri(tugas: TugasImpor, status: str, **fields: Any) -> None:
    now = timezone.now()
    tahap = "Selesai" if status == Status.SELESAI else "Gagal; tidak ada yang disimpan"
    TugasImpor.objects.filter(pk=tugas.pk).update(
        status=status, tahap=tahap, berakhir=now, diperbarui=now, **fields
    )


# -- the scheduler's pass ---------------------------------------------------------------------


@dataclass(frozen=True)
class Putaran:
    dijalankan: int
    basi: int
    berkas_dihapus: int


def tugas_basi(batas: timedelta | None = None) -> int:
    """Mark as failed every running job without progress for `batas` (its runner died); return
    how many. The write phase reports each chunk; only the swap is silent, and short."""
    limit = batas if batas is not None else timedelta(seconds=settings.MONEV_IMPOR_BASI_DETIK)
    stale = TugasImpor.objects.filter(status=Status.BERJALAN, diperbarui__lt=timezone.now() - limit)
    count = 0
    for tugas in stale:
        _akhiri(
            tugas,
            Status.GAGAL,
            galat=[
                f"{tugas.nama_berkas}: impor terhenti sebelum selesai (proses berhenti atau "
                "server dimatikan); tidak ada yang disimpan. Unggah ulang berkasnya."
            ],
        )
        _berkas(tugas).unlink(missing_ok=True)
        count += 1
    return count


def tugas_jalankan_semua(kemajuan: Kemajuan | None = None) -> Putaran:
    """Mark stale jobs, remove what a crashed import left, run every queued one oldest first,
    remove files no job needs."""
    basi = tugas_basi()
    impor_tulis.sisa_bersihkan()
    done = 0
    for pk in (
        TugasImpor.objects.filter(status=Status.ANTRE)
        .order_by("dibuat", "pk")
        .values_list("pk", flat=True)
    ):
        if tugas_jalankan(pk, kemajuan) is not None:
            done += 1
    needed = set(
        TugasImpor.objects.filter(status__in=(Status.ANTRE, Status.BERJALAN)).values_list(
            "berkas", flat=True
        )
    )
    removed = 0
    for path in folder().iterdir():
        # A job being queued writes its file before its row: a minute's grace.
        if path.is_file() and path.name not in needed and _older_than(path, 60):
            path.unlink(missing_ok=True)
            removed += 1
    return Putaran(done, basi, removed)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except FileNotFoundError:
        return False
