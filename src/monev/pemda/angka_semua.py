"""Refreshing the stored rows of many Renja at once, in several processes: what an admin runs after
an upgrade (whose new code makes every stored row stale), `monev kelola segarkan_angka`.

Each worker process refreshes chunks of Renja with `monev.pemda.angka.refresh`, one transaction
per chunk, its marks written first: a Renja refreshed meanwhile by a page or a save is never
written twice, and a chunk that fails leaves its Renja stale for the next read. The work is one
evaluation per stale Renja, so on a machine of N cores N processes finish in about 1/N of the
time while the database keeps up (measured in bench/skala.py, phase a).
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import DatabaseError, connection, connections

from monev.pemda import angka
from monev.pemda.models import AngkaIndikator, AngkaJumlah, AngkaPD, AngkaSimpul, AngkaTanda
from monev.web.models import Renja

#: Renja per transaction: enough that each query and each COPY carries thousands of rows, few
#: enough that a chunk's rows (some 4,000 per Renja) stay a few tens of MB in memory.
CHUNK = 20


@dataclass(frozen=True)
class Kemajuan:
    """How far a refresh of many Renja is: done of total Renja, seconds since it started."""

    selesai: int
    jumlah: int
    detik: float

    def line(self) -> str:
        """Return the progress as one line of Indonesian, with the time left at this pace."""
        persen = 100 * self.selesai // self.jumlah if self.jumlah else 100
        text = f"{self.selesai}/{self.jumlah} Renja ({persen}%), {self.detik:.0f} detik"
        if 0 < self.selesai < self.jumlah:
            sisa = self.detik * (self.jumlah - self.selesai) / self.selesai
            text += f", sisa ±{sisa:.0f} detik"
        return text


def stale_renja(pemda_ids: Iterable[int] | None = None) -> list[int]:
    """Return the ids of the current (not archived) Renja whose stored rows are missing or
    stale, of these pemda (every pemda by default), in id order."""
    found = Renja.objects.filter(diarsipkan=False).select_related("perangkat_daerah__pemda")
    if pemda_ids is not None:
        found = found.filter(perangkat_daerah__pemda_id__in=list(pemda_ids))
    return sorted(angka.stale(found))


def _refresh_chunk(ids: list[int]) -> int:
    renja = Renja.objects.filter(pk__in=ids).select_related("perangkat_daerah__pemda")
    angka.refresh(renja)
    return len(ids)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def refresh_all(
    ids: list[int],
    *,
    proses: int = 1,
    chunk: int = CHUNK,
    progress: Callable[[Kemajuan], None] | None = None,
) -> int:
    """Refresh the stored rows of these Renja in `proses` processes (1: in this one), chunks of
    `chunk` Renja each; call `progress` after every chunk. Return the number of Renja done.

    SQLite takes one writer at a time: there it runs in this process whatever `proses`."""
    started = time.monotonic()
    done = 0

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(Kemajuan(done, len(ids), time.monotonic() - started))

    parts = list(_chunks(ids, chunk))
    if proses <= 1 or len(parts) <= 1 or connection.vendor == "sqlite":
        for part in parts:
            report(_refresh_chunk(part))
        return done
    connections.close_all()  # a forked worker must open its own connection, never share this one
    pool = multiprocessing.get_context("fork").Pool(min(proses, len(parts)))
    try:
        for n in pool.imap_unordered(_refresh_chunk, parts):
            report(n)
        pool.close()  # the workers end on their own, and their CPU time is counted
    finally:
        pool.terminate()
        pool.join()
    return done


#: The tables of stored rows, which a refresh of many Renja rewrites in bulk.
STORED_TABLES = (AngkaIndikator, AngkaSimpul, AngkaPD, AngkaJumlah, AngkaTanda)


def tidy_tables() -> str | None:
    """Bring the database's view of the stored-row tables up to date after a bulk refresh:
    PostgreSQL `VACUUM (ANALYZE)` (planner statistics, and the visibility map that lets the
    readers' index-only scans skip the table: measured in bench/skala.py, a pemda's dashboard
    read its rows in 163 ms of SQL before and 12 ms after, on a server whose autovacuum is off or
    has not come round yet), SQLite `ANALYZE`. Return None, or why it could not be done (the
    database user may not own the tables: the rows are right either way, only slower to read).

    Inside a transaction (VACUUM cannot run in one) PostgreSQL gets `ANALYZE` only."""
    names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in STORED_TABLES)
    if connection.vendor != "postgresql":
        statement = "ANALYZE"
    elif connection.in_atomic_block:
        statement = f"ANALYZE {names}"
    else:
        statement = f"VACUUM (ANALYZE) {names}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return None
