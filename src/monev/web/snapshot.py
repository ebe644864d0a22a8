"""A verified quarter's evaluation is a record (spec §8): taken when the quarter is accepted, served
as long as it stays accepted, whatever changes afterwards (data, the pemda's settings, the rules).

`take` is called by `monev.web.siklus.laporan_approve` at the last approval level (the
acceptance), in its transaction. `evaluasi_of` is the one
read of a quarter's evaluation for pages, reports, the API and open data: the snapshot when the
quarter is verified, else the live evaluation. Nothing here computes a figure: the engine did, once,
and `monev.io.rekaman` keeps its result exactly.

The pemda's figures of a verified quarter are rows of the same shape as every other quarter's
(`monev.pemda.angka`: `AngkaSimpul`, `AngkaIndikator`, `AngkaPD`, flagged `terverifikasi`),
written from the snapshot's evaluation the next time the Renja's rows are refreshed (the
verification is a recorded change, so it always is) and pulled between servers as rows
(`export_rows` / `import_rows`). `rekaman` stays: the PD's E.81 page, its files and the API of a
verified quarter render the whole evaluation (every line, every check), not only the figures.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from monev.core import model as core
from monev.core.evaluation import Evaluasi, evaluate
from monev.io import rekaman, tabular
from monev.io.tabular import ROMAWI
from monev.web.models import LaporanTriwulan, Renja, SnapshotEvaluasi
from monev.web.pengaturan import pengaturan_of

logger = logging.getLogger(__name__)


def live(renja: Renja, triwulan: int | None = None, data: core.Renja | None = None) -> Evaluasi:
    """Return the evaluation of the Renja's data as it stands (`data`: already loaded), with its
    pemda's settings."""
    if data is None:
        from monev.web.selectors import renja_data

        data = renja_data(renja).core
    return evaluate(data, triwulan, pengaturan_of(renja.perangkat_daerah.pemda))


def _pack(evaluasi: Evaluasi) -> bytes:
    return zlib.compress(rekaman.dumps(evaluasi).encode("utf-8"), 6)


def unpack(row: SnapshotEvaluasi) -> Evaluasi:
    """Return the evaluation a snapshot holds, equal to the one taken."""
    result = rekaman.loads(zlib.decompress(bytes(row.rekaman)).decode("utf-8"))
    if not isinstance(result, Evaluasi):
        raise rekaman.RekamanError("rekaman bukan evaluasi")
    return result


def take(*, user: Any, renja: Renja, triwulan: int) -> SnapshotEvaluasi:
    """Record the quarter's evaluation as it stands now; the one taken before is superseded.

    Call it inside the verification's transaction (the quarter's report row is locked)."""
    evaluasi = live(renja, triwulan)
    SnapshotEvaluasi.objects.filter(renja=renja, triwulan=triwulan, berlaku=True).update(
        berlaku=False, diganti=timezone.now()
    )
    return SnapshotEvaluasi.objects.create(
        renja=renja,
        triwulan=triwulan,
        rekaman=_pack(evaluasi),
        dokumen=tabular.render_json(evaluasi),
        dibuat_oleh=user,
    )


def take_missing() -> int:
    """Record every verified quarter that has no snapshot yet (verified before snapshots were
    kept), from its data as it stands: locked since, it is the data it was accepted with, as far
    as the locks of that version held. Return how many were recorded."""
    from django.db import transaction

    taken = 0
    verified = LaporanTriwulan.objects.filter(status=LaporanTriwulan.Status.DIVERIFIKASI)
    recorded = set(
        SnapshotEvaluasi.objects.filter(berlaku=True).values_list("renja_id", "triwulan")
    )
    for laporan in verified.select_related("renja__perangkat_daerah__pemda").order_by("pk"):
        if (laporan.renja_id, laporan.triwulan) in recorded:
            continue
        with transaction.atomic():
            locked = LaporanTriwulan.objects.select_for_update().get(pk=laporan.pk)
            if locked.status == LaporanTriwulan.Status.DIVERIFIKASI:
                take(user=None, renja=laporan.renja, triwulan=laporan.triwulan)
                taken += 1
    return taken


def in_force(renja_ids: Iterable[int], triwulan: int | None = None) -> dict[tuple[int, int], Any]:
    """Return the snapshot rows in force of verified quarters, keyed (renja id, quarter)."""
    verified = LaporanTriwulan.objects.filter(
        renja_id__in=list(renja_ids), status=LaporanTriwulan.Status.DIVERIFIKASI
    )
    if triwulan is not None:
        verified = verified.filter(triwulan=triwulan)
    keys = set(verified.values_list("renja_id", "triwulan"))
    if not keys:
        return {}
    rows = SnapshotEvaluasi.objects.filter(renja_id__in={r for r, _ in keys}, berlaku=True).defer(
        "dokumen"
    )
    return {(s.renja_id, s.triwulan): s for s in rows if (s.renja_id, s.triwulan) in keys}


class RekamanRusak(Exception):
    """A verified quarter whose record cannot be read (damaged, or written in a form this version
    does not know). Its figures are not shown at all: the live figures in their place would be
    figures that may have moved since the acceptance, shown as the accepted ones."""

    def __init__(self, row: SnapshotEvaluasi, triwulan: int) -> None:
        self.row = row
        pd = row.renja.perangkat_daerah  # two queries, only when a record is damaged
        super().__init__(
            f"Rekaman evaluasi TW {ROMAWI[triwulan - 1]} {row.renja.tahun} {pd.nama} yang sudah "
            f"diverifikasi (rekaman #{row.pk}) tidak dapat dibaca, sehingga angkanya tidak "
            "ditampilkan: angka lain di tempatnya bisa berbeda dengan yang diverifikasi. Admin "
            "dapat memulihkan cadangan basis data, atau membuka kunci triwulan ini dengan alasan "
            "lalu memverifikasinya lagi."
        )


def verified_records(
    renja_ids: Iterable[int], triwulan: int | None = None
) -> tuple[dict[tuple[int, int], Evaluasi], dict[tuple[int, int], RekamanRusak]]:
    """Return the recorded evaluation of every verified quarter of these Renja (two queries), and
    apart, keyed the same way (renja id, quarter), those whose record cannot be read (logged)."""
    found, unreadable = {}, {}
    for key, row in in_force(renja_ids, triwulan).items():
        try:
            found[key] = unpack(row)
        except (rekaman.RekamanError, zlib.error, UnicodeDecodeError) as exc:
            logger.error("snapshot %s Renja %s TW %s tak terbaca: %s", row.pk, *key, exc)
            unreadable[key] = RekamanRusak(row, key[1])
    return found, unreadable


def verified_evaluation(renja: Renja, triwulan: int) -> Evaluasi | None:
    """Return the quarter's record when it is verified, else None; raise `RekamanRusak` when it
    is verified and its record cannot be read."""
    found, unreadable = verified_records([renja.pk], triwulan)
    if (renja.pk, triwulan) in unreadable:
        raise unreadable[(renja.pk, triwulan)]
    return found.get((renja.pk, triwulan))


def evaluasi_of(
    renja: Renja, triwulan: int | None = None, data: core.Renja | None = None
) -> Evaluasi:
    """Return the quarter's evaluation: its snapshot when the quarter is verified, else live
    (`data`: the Renja already loaded, for the live one). A verified quarter whose record cannot
    be read raises `RekamanRusak` (its message says what an admin can do).

    Without a quarter: up to the last quarter with data, as the live evaluation chooses it."""
    if triwulan is not None:
        found = verified_evaluation(renja, triwulan)
        return found if found is not None else live(renja, triwulan, data)
    current = live(renja, None, data)
    return verified_evaluation(renja, current.triwulan) or current
