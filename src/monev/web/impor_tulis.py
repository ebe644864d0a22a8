"""Write an imported plan in short transactions, then swap it in with one more (issue 14, point 6).

SQLite has one write lock: an import of 100 000 indicator lines written in one transaction held it
for minutes (replacing a plan of that size, ~100 s on a loaded machine), longer than the busy
timeout of the sign-ins waiting behind it, which then failed. Here the writer holds the lock only
for one chunk at a time:

1. a hidden Renja row is made (`versi` starting with `VERSI_SEMENTARA`, archived, not in force:
   `Renja.objects` never returns it, so no page, list or figure sees it);
2. the plan's nodes, indicators and realisations are written under it, `POTONGAN` rows per
   transaction;
3. one short transaction swaps it in: a first import turns the hidden row into the Renja; a
   replace moves the old nodes under a second hidden row and the new ones under the Renja, which
   keeps its id (its history, reports, snapshots, evidence and every URL holding its id stay);
4. the old nodes, now hidden, are deleted in chunks, then the hidden row.

As the user sees it, all or nothing: a failure before or during the swap removes the hidden row
and what was written under it, and leaves the old plan as it was. A crash (the process killed
between two chunks) leaves a hidden row nobody reads; each chunk renews its `dibuat`, and
`sisa_bersihkan` (run by every import and every job pass) removes a hidden row not renewed for
MONEV_IMPOR_BASI_DETIK seconds, a live import's rows never being that old.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from monev.core import model as core
from monev.core.budget import parent_kode
from monev.core.codes import Tingkat
from monev.web import bulk
from monev.web.hapus_rencana import hapus_simpul
from monev.web.models import (
    VERSI_SEMENTARA,
    Indikator,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Simpul,
)

#: Rows per transaction: one chunk holds SQLite's write lock for a fraction of a second.
POTONGAN = 5_000

#: progress(selesai, jumlah): rows written (or removed) so far and in all.
Kemajuan = Callable[[int, int], None]

T = TypeVar("T")


def _chunks(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def tersembunyi_buat(perangkat_daerah: PerangkatDaerah, tahun: int) -> Renja:
    """Make a hidden Renja row for the PD and year (its own short transaction)."""
    with transaction.atomic():
        return Renja.semua.create(
            perangkat_daerah=perangkat_daerah,
            tahun=tahun,
            versi=VERSI_SEMENTARA + uuid.uuid4().hex[:16],
            berlaku=False,
            diarsipkan=True,
        )


@contextmanager
def _potongan() -> Iterator[None]:
    """One chunk's transaction. On PostgreSQL its commit does not wait for the disk
    (`synchronous_commit` off for it alone): a chunk lost in a crash is a hidden row's, which
    the cleanup removes anyway; the swap's commit waits as every other does."""
    outermost = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _renew(hidden: Renja) -> None:
    """Show that the hidden row's import is alive (a Renja in force is left as it is)."""
    Renja.semua.filter(pk=hidden.pk, versi__startswith=VERSI_SEMENTARA).update(
        dibuat=timezone.now()
    )


def rencana_tulis(
    hidden: Renja, renja: core.Renja, kemajuan: Kemajuan | None = None
) -> dict[str, int]:
    """Write the plan's rows under the hidden row, in short transactions; return node ids by code.

    Nodes top down by level (a node's parent id is known when the node is written)."""
    simpul_id: dict[str, int] = {}
    urutan_of = {node.kode: urutan for urutan, node in enumerate(renja.nodes)}
    items = [
        (node, urutan, item) for node in renja.nodes for urutan, item in enumerate(node.indikator)
    ]
    total = len(renja.nodes) + len(items)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if kemajuan is not None:
            kemajuan(done, total)

    for tingkat in Tingkat:
        level = [node for node in renja.nodes if node.tingkat is tingkat]
        for part in _chunks(level, POTONGAN):
            rows = [
                {
                    "renja_id": hidden.pk,
                    "induk_id": simpul_id.get(parent) if (parent := parent_kode(node)) else None,
                    "urutan": urutan_of[node.kode],
                    "kode": node.kode,
                    "tingkat": node.tingkat.value,
                    "nama": node.nama,
                    "sasaran": node.sasaran,
                    "unit_kerja": node.unit,
                    "pagu": node.pagu,
                    "target_renstra_rp": node.target_renstra_rp,
                    "realisasi_lalu_rp": node.realisasi_lalu_rp,
                    "agregasi_rp": node.agregasi_rp.value,
                }
                for node in part
            ]
            with _potongan():
                ids = bulk.insert_returning_ids(Simpul, rows)
                bulk.insert(
                    RealisasiRp,
                    [
                        {"simpul_id": pk, "triwulan": q, "nilai": v}
                        for node, pk in zip(part, ids, strict=True)
                        for q, v in enumerate(node.triwulan_rp, start=1)
                        if v is not None
                    ],
                )
                _renew(hidden)
            step(len(part))
            simpul_id.update(zip((n.kode for n in part), ids, strict=True))
    for part_items in _chunks(items, POTONGAN):
        rows = [
            {
                "simpul_id": simpul_id[node.kode],
                "urutan": urutan,
                "teks": item.teks,
                "satuan": item.satuan,
                "polaritas": item.polaritas.value,
                "agregasi": item.agregasi.value,
                "target": item.target,
                "target_volume": item.target_volume,
                "target_renstra": item.target_renstra,
                "realisasi_lalu": item.realisasi_lalu,
            }
            for node, urutan, item in part_items
        ]
        with _potongan():
            ids = bulk.insert_returning_ids(Indikator, rows)
            bulk.insert(
                RealisasiK,
                [
                    {"indikator_id": pk, "triwulan": q, "nilai": v}
                    for (_, _, item), pk in zip(part_items, ids, strict=True)
                    for q, v in enumerate(item.triwulan, start=1)
                    if v is not None
                ],
            )
            _renew(hidden)
        step(len(part_items))
    return simpul_id


def tukar(hidden: Renja, stored: Renja | None, versi: str) -> tuple[Renja, Renja | None]:
    """Put the plan written under `hidden` in force, inside the caller's transaction (which holds
    `stored`, the Renja it replaces, locked). Return the Renja and the hidden row now holding the
    old nodes (None for a first import)."""
    if not Renja.semua.filter(pk=hidden.pk).exists():
        # Removed as a crash's leftover while this import paused longer than the limit.
        raise RuntimeError("baris Renja sementara impor sudah dihapus")
    if stored is None:
        Renja.semua.filter(pk=hidden.pk).update(
            versi=versi, berlaku=True, diarsipkan=False, dibuat=timezone.now()
        )
        return Renja.objects.get(pk=hidden.pk), None
    old = tersembunyi_buat(stored.perangkat_daerah, stored.tahun)
    Simpul._base_manager.filter(renja=stored).update(renja=old)
    Simpul._base_manager.filter(renja=hidden).update(renja=stored)
    Renja.semua.filter(pk=hidden.pk).delete()
    return stored, old


def tersembunyi_hapus(hidden: Renja, kemajuan: Kemajuan | None = None) -> None:
    """Delete a hidden row's nodes (with all that hangs off them) in short transactions, children
    before parents, then the row."""
    nodes = Simpul._base_manager.filter(renja_id=hidden.pk)
    total = nodes.count()
    done = 0
    for tingkat in reversed(Tingkat):
        ids = list(nodes.filter(tingkat=tingkat.value).order_by("pk").values_list("pk", flat=True))
        for part in _chunks(ids, POTONGAN):
            with _potongan():
                hapus_simpul(Simpul._base_manager.filter(pk__in=list(part)))
                _renew(hidden)
            done += len(part)
            if kemajuan is not None:
                kemajuan(done, total)
    with transaction.atomic():
        hapus_simpul(nodes)  # a node of a level this loop does not know (none today)
        Renja.semua.filter(pk=hidden.pk).delete()


def sisa_bersihkan(batas: timedelta | None = None) -> int:
    """Remove the hidden rows a crashed import left (not renewed for `batas`); return how many."""
    limit = batas if batas is not None else timedelta(seconds=settings.MONEV_IMPOR_BASI_DETIK)
    stale = Renja.semua.filter(
        versi__startswith=VERSI_SEMENTARA, dibuat__lt=timezone.now() - limit
    ).order_by("pk")
    count = 0
    for hidden in stale:
        tersembunyi_hapus(hidden)
        count += 1
    return count
