"""The verified rows of a pemda, for another monev server to pull (`/pemda/api/terbuka/pemda/…`).

One item per verified PD quarter of the Renja in force: its rows (`monev.pemda.angka.export_rows`:
one per node and one per indicator line, as the quarter's snapshot recorded them, spec §8). The
listing has a change mark (a digest of what each item is made of: PD, quarter, version, snapshot)
so that a pull finding nothing new costs one small answer (`ETag`, 304).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monev.pemda import angka
from monev.web.models import LaporanTriwulan, Pemda, Renja, SnapshotEvaluasi

#: The version of the document another server reads; a puller refuses any other.
FORMAT = "monev-baris/1"
#: PD quarters per page: a PD quarter is never split across pages. Small, because a page of
#: quarters whose rows are not yet stored costs their Renja's evaluation at the source (about a
#: second each), and a quarter of a large Renja weighs more than a megabyte.
PER_HALAMAN = 10


@dataclass(frozen=True, slots=True)
class TriwulanTerbuka:
    """One verified PD quarter as listed: what its item is made of, without its rows."""

    kode_perangkat_daerah: str
    perangkat_daerah: str
    tahun: int
    triwulan: int
    versi: str
    renja_id: int
    snapshot_id: int
    diverifikasi: datetime

    @property
    def tanda(self) -> str:
        return f"{self.snapshot_id}-{self.diverifikasi.isoformat()}"


def open_pemda() -> list[Pemda]:
    """Return the pemda whose data this server opens: those with a verified quarter (a pemda
    with nothing verified is not named to anyone who has not signed in)."""
    return list(
        Pemda.objects.filter(
            perangkat_daerah__renja__laporan__status=LaporanTriwulan.Status.DIVERIFIKASI
        )
        .distinct()
        .order_by("nama")
    )


def verified_quarters(pemda: Pemda, tahun: int | None = None) -> list[TriwulanTerbuka]:
    """Return the verified quarters of the pemda's Renja in force (the amended version when a PD
    has both), in a stable order: year, PD code, quarter. Three queries."""
    reports = LaporanTriwulan.objects.filter(
        status=LaporanTriwulan.Status.DIVERIFIKASI,
        renja__perangkat_daerah__pemda=pemda,
        renja__berlaku=True,
        renja__diarsipkan=False,
    )
    snapshots = SnapshotEvaluasi.objects.filter(
        berlaku=True,
        renja__perangkat_daerah__pemda=pemda,
        renja__berlaku=True,
        renja__diarsipkan=False,
    )
    if tahun is not None:
        reports = reports.filter(renja__tahun=tahun)
        snapshots = snapshots.filter(renja__tahun=tahun)
    verified = set(reports.values_list("renja_id", "triwulan"))
    rows = snapshots.values_list(
        "pk",
        "dibuat",
        "triwulan",
        "renja_id",
        "renja__versi",
        "renja__tahun",
        "renja__perangkat_daerah_id",
        "renja__perangkat_daerah__kode",
        "renja__perangkat_daerah__nama",
    )
    # The Renja in force of each PD and year: the amended one when both are (as the dashboard).
    renja = Renja.objects.filter(perangkat_daerah__pemda=pemda, berlaku=True, diarsipkan=False)
    if tahun is not None:
        renja = renja.filter(tahun=tahun)
    chosen: dict[tuple[int, int], tuple[int, str]] = {}
    for renja_id, versi, year, pd_id in renja.values_list(
        "pk", "versi", "tahun", "perangkat_daerah_id"
    ):
        current = chosen.get((pd_id, year))
        if current is None or (
            versi == Renja.Versi.PERUBAHAN and current[1] != Renja.Versi.PERUBAHAN
        ):
            chosen[(pd_id, year)] = (renja_id, versi)
    out = [
        TriwulanTerbuka(kode, nama, year, tw, versi, renja_id, pk, dibuat)
        for pk, dibuat, tw, renja_id, versi, year, pd_id, kode, nama in rows
        if (renja_id, tw) in verified and chosen.get((pd_id, year), (0,))[0] == renja_id
    ]
    out.sort(key=lambda t: (t.tahun, t.kode_perangkat_daerah, t.triwulan))
    return out


def change_mark(pemda: Pemda, items: list[TriwulanTerbuka]) -> str:
    """Return a digest of the listing: it changes when any item, or the pemda's name, does."""
    h = hashlib.sha256(
        f"{FORMAT}/{angka.VERSI_DOKUMEN}\n{pemda.pk}\n{pemda.nama}\n{pemda.jenis}\n".encode()
    )
    for t in items:
        h.update(
            f"{t.kode_perangkat_daerah}\t{t.perangkat_daerah}\t{t.tahun}\t{t.triwulan}\t"
            f"{t.versi}\t{t.tanda}\n".encode()
        )
    return h.hexdigest()[:32]


def rows_of(items: list[TriwulanTerbuka]) -> list[dict[str, Any]]:
    """Return the items with their rows (refreshed once for the page's Renja, then exported)."""
    renja = Renja.objects.select_related("perangkat_daerah__pemda").in_bulk(
        {t.renja_id for t in items}
    )
    angka.refresh(renja.values())
    return [
        {
            "kode_perangkat_daerah": t.kode_perangkat_daerah,
            "perangkat_daerah": t.perangkat_daerah,
            "tahun": t.tahun,
            "triwulan": t.triwulan,
            "versi": t.versi,
            "tanda": t.tanda,
            "diverifikasi": t.diverifikasi.isoformat(),
            "angka": angka.export_rows(renja[t.renja_id], t.triwulan),
        }
        for t in items
    ]
