"""Reads for the pemda's view, in a fixed number of queries whatever the number of PDs.

`pemda_year` loads every PD's Renja of a year at once (six queries for all the Renja whose figures
are not cached) and hands each to the engine once. The figures of a Renja are kept in this
process, keyed on the Renja's last recorded change: every write to a plan, a target, a budget or
a realisation goes through a service that records it in `Riwayat` (spec §8), so a new record is a
new key and a stale figure is never served. Keying on the record's id and time together keeps two
states apart even where a rolled-back transaction hands out the same id again (SQLite).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.model import Quarters
from monev.core.rules import Agregasi, Pengaturan, Polaritas
from monev.pemda.models import RencanaK, RencanaRp
from monev.pemda.summary import RingkasanPD, summarise
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    Pemda,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)

Status = LaporanTriwulan.Status


def pengaturan_of(pemda: Pemda | None) -> Pengaturan:
    """Return a pemda's evaluation settings (the defaults until a pemda can choose its own)."""
    return Pengaturan()


# -- the in-process cache of figures ------------------------------------------------------------


class _Lru:
    """A small thread-safe LRU map. Values are shared, never copied: they are frozen."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_FIGURES = _Lru(1024)


def clear_cache() -> None:
    _FIGURES.clear()


def _settings_key(pengaturan: Pengaturan) -> str:
    return hashlib.sha1(repr(pengaturan).encode()).hexdigest()


def change_marks(renja_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Return each Renja's last recorded change and the number of its records (one query).

    The number, too: on PostgreSQL a record can commit after one with a higher id and a later
    time, and so change neither maximum; records are never deleted, so it changes the count.
    """
    rows = (
        Riwayat.objects.filter(renja_id__in=list(renja_ids))
        .values("renja_id")
        .annotate(last_id=Max("id"), last_time=Max("waktu"), count=Count("id"))
        .values_list("renja_id", "last_id", "last_time", "count")
    )
    return {
        renja_id: (last_id, str(last_time), count) for renja_id, last_id, last_time, count in rows
    }


# -- loading many Renja at once -----------------------------------------------------------------


def _q(values: dict[int, Decimal | None]) -> Quarters:
    return (values.get(1), values.get(2), values.get(3), values.get(4))


@dataclass(frozen=True)
class DataRenja:
    """What the engine needs of one Renja, and its plans, loaded in bulk."""

    core: core.Renja
    rencana_k: dict[int, Quarters]
    rencana_rp: dict[int, Quarters]


def load_renja(renja: Iterable[Renja]) -> dict[int, DataRenja]:
    """Load the trees, indicators, realisations and plans of many Renja in six queries.

    The engine's view is built exactly as `monev.web.selectors.renja_data` builds it (a test
    holds the two equal), so that every figure equals the PD's own evaluation page.
    """
    by_id = {r.pk: r for r in renja}
    ids = list(by_id)
    if not ids:
        return {}
    simpul_rows = list(
        Simpul.objects.filter(renja_id__in=ids)
        .order_by("renja_id", "urutan")
        .values_list(
            "id",
            "renja_id",
            "kode",
            "tingkat",
            "nama",
            "pagu",
            "target_renstra_rp",
            "realisasi_lalu_rp",
            "agregasi_rp",
            "unit_kerja",
            "sasaran",
        )
    )
    indikator: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        Indikator.objects.filter(simpul__renja_id__in=ids)
        .order_by("simpul_id", "urutan", "id")
        .values_list(
            "id",
            "simpul_id",
            "teks",
            "satuan",
            "target_renstra",
            "realisasi_lalu",
            "target",
            "target_volume",
            "polaritas",
            "agregasi",
        )
    ):
        indikator[row[1]].append(row)
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for indikator_id, triwulan, nilai in RealisasiK.objects.filter(
        indikator__simpul__renja_id__in=ids
    ).values_list("indikator_id", "triwulan", "nilai"):
        realisasi_k[indikator_id][triwulan] = nilai
    realisasi_rp: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for simpul_id, triwulan, nilai in RealisasiRp.objects.filter(
        simpul__renja_id__in=ids
    ).values_list("simpul_id", "triwulan", "nilai"):
        realisasi_rp[simpul_id][triwulan] = nilai
    rencana_k: dict[int, dict[int, Quarters]] = defaultdict(dict)
    for renja_id, indikator_id, *values in RencanaK.objects.filter(
        indikator__simpul__renja_id__in=ids
    ).values_list("indikator__simpul__renja_id", "indikator_id", "tw1", "tw2", "tw3", "tw4"):
        rencana_k[renja_id][indikator_id] = tuple(values)  # type: ignore[assignment]
    rencana_rp: dict[int, dict[int, Quarters]] = defaultdict(dict)
    for renja_id, simpul_id, *values in RencanaRp.objects.filter(
        simpul__renja_id__in=ids
    ).values_list("simpul__renja_id", "simpul_id", "tw1", "tw2", "tw3", "tw4"):
        rencana_rp[renja_id][simpul_id] = tuple(values)  # type: ignore[assignment]

    nodes: dict[int, list[core.Node]] = defaultdict(list)
    for (
        simpul_id,
        renja_id,
        kode,
        tingkat,
        nama,
        pagu,
        target_renstra_rp,
        realisasi_lalu_rp,
        agregasi_rp,
        unit,
        sasaran,
    ) in simpul_rows:
        nodes[renja_id].append(
            core.Node(
                kode=kode,
                tingkat=Tingkat(tingkat),
                nama=nama,
                indikator=tuple(
                    core.Indikator(
                        teks=teks,
                        satuan=satuan,
                        target_renstra=target_renstra,
                        realisasi_lalu=realisasi_lalu,
                        target=target,
                        target_volume=target_volume,
                        triwulan=_q(realisasi_k.get(indikator_id, {})),
                        polaritas=Polaritas(polaritas),
                        agregasi=Agregasi(agregasi),
                        ref=indikator_id,
                    )
                    for (
                        indikator_id,
                        _,
                        teks,
                        satuan,
                        target_renstra,
                        realisasi_lalu,
                        target,
                        target_volume,
                        polaritas,
                        agregasi,
                    ) in indikator.get(simpul_id, [])
                ),
                pagu=pagu,
                triwulan_rp=_q(realisasi_rp.get(simpul_id, {})),
                target_renstra_rp=target_renstra_rp,
                realisasi_lalu_rp=realisasi_lalu_rp,
                agregasi_rp=Agregasi(agregasi_rp),
                unit=unit,
                sasaran=sasaran,
                ref=simpul_id,
            )
        )
    result = {}
    for renja_id, r in by_id.items():
        pd = r.perangkat_daerah
        result[renja_id] = DataRenja(
            core=core.Renja(
                tuple(nodes.get(renja_id, [])),
                perangkat_daerah=pd.nama,
                pemda=pd.pemda.nama,
                tahun=r.tahun,
            ),
            rencana_k=dict(rencana_k.get(renja_id, {})),
            rencana_rp=dict(rencana_rp.get(renja_id, {})),
        )
    return result


def figures_of(renja: list[Renja], pengaturan: Pengaturan) -> dict[int, RingkasanPD]:
    """Return the figures of many Renja: from the cache, else loaded in bulk and evaluated."""
    marks = change_marks(r.pk for r in renja)
    settings_key = _settings_key(pengaturan)
    keys = {r.pk: (r.pk, marks.get(r.pk), settings_key) for r in renja}
    found: dict[int, RingkasanPD] = {}
    missing = []
    for r in renja:
        cached = _FIGURES.get(keys[r.pk])
        if cached is None:
            missing.append(r)
        else:
            found[r.pk] = cached
    # The marks are read before the data: figures stored under a mark are never older than it
    # (a write in between only makes them newer, and its own mark replaces them next time).
    for renja_id, data in load_renja(missing).items():
        figures = summarise(
            data.core,
            rencana_k=data.rencana_k,
            rencana_rp=data.rencana_rp,
            pengaturan=pengaturan,
        )
        _FIGURES.put(keys[renja_id], figures)
        found[renja_id] = figures
    return found


# -- the pemda's year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PDTahun:
    """A PD with its Renja of the year in force (None: no Renja yet) and its reports' states."""

    perangkat_daerah: PerangkatDaerah
    renja: Renja | None
    status: dict[int, str]  # quarter → LaporanTriwulan.status
    angka: RingkasanPD | None

    def status_of(self, triwulan: int) -> str:
        return self.status.get(triwulan, Status.DRAF)


@dataclass(frozen=True)
class PemdaTahun:
    pemda: Pemda
    tahun: int
    pengaturan: Pengaturan
    pd: list[PDTahun]

    def default_triwulan(self) -> int:
        """Return the last quarter with any realisation in any PD (TW I when none)."""
        return max((p.angka.last_triwulan for p in self.pd if p.angka), default=1)


def pemda_list() -> list[Pemda]:
    return list(Pemda.objects.order_by("nama"))


def years_of(pemda: Pemda) -> list[int]:
    return list(
        Renja.objects.filter(perangkat_daerah__pemda=pemda)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .distinct()
    )


def renja_in_force(renja: Iterable[Renja]) -> dict[int, Renja]:
    """Return each PD's Renja in force: the amended version when both are marked in force."""
    chosen: dict[int, Renja] = {}
    for r in renja:
        current = chosen.get(r.perangkat_daerah_id)
        if current is None or (
            r.versi == Renja.Versi.PERUBAHAN and current.versi != Renja.Versi.PERUBAHAN
        ):
            chosen[r.perangkat_daerah_id] = r
    return chosen


def pemda_year(pemda: Pemda, tahun: int) -> PemdaTahun:
    """Return every PD of the pemda with its Renja of the year and its figures."""
    pengaturan = pengaturan_of(pemda)
    pds = list(PerangkatDaerah.objects.filter(pemda=pemda).select_related("pemda").order_by("kode"))
    renja = renja_in_force(
        Renja.objects.filter(perangkat_daerah__pemda=pemda, tahun=tahun, berlaku=True)
        .select_related("perangkat_daerah__pemda")
        .order_by("perangkat_daerah_id", "versi")
    )
    status: dict[int, dict[int, str]] = defaultdict(dict)
    for renja_id, triwulan, state in LaporanTriwulan.objects.filter(
        renja_id__in=[r.pk for r in renja.values()]
    ).values_list("renja_id", "triwulan", "status"):
        status[renja_id][triwulan] = state
    figures = figures_of(list(renja.values()), pengaturan)
    rows = []
    for pd in pds:
        r = renja.get(pd.pk)
        rows.append(
            PDTahun(
                perangkat_daerah=pd,
                renja=r,
                status=status.get(r.pk, {}) if r else {},
                angka=figures.get(r.pk) if r else None,
            )
        )
    return PemdaTahun(pemda=pemda, tahun=tahun, pengaturan=pengaturan, pd=rows)


def renja_figures(renja: Renja) -> RingkasanPD:
    """Return one Renja's figures (cached as the pemda's are)."""
    return figures_of([renja], pengaturan_of(renja.perangkat_daerah.pemda))[renja.pk]


def rencana_of(renja: Renja) -> tuple[dict[int, Quarters], dict[int, Quarters]]:
    """Return a Renja's K plans by indicator id and Rp plans by node id (two queries)."""
    k = {
        i: (a, b, c, d)
        for i, a, b, c, d in RencanaK.objects.filter(indikator__simpul__renja=renja).values_list(
            "indikator_id", "tw1", "tw2", "tw3", "tw4"
        )
    }
    rp = {
        s: (a, b, c, d)
        for s, a, b, c, d in RencanaRp.objects.filter(simpul__renja=renja).values_list(
            "simpul_id", "tw1", "tw2", "tw3", "tw4"
        )
    }
    return k, rp


def verified(tahun: int | None = None, triwulan: int | None = None) -> list[LaporanTriwulan]:
    """Return the accepted quarterly reports (status `diverifikasi`), with Renja, PD and pemda."""
    found = LaporanTriwulan.objects.filter(status=Status.DIVERIFIKASI).select_related(
        "renja__perangkat_daerah__pemda"
    )
    if tahun is not None:
        found = found.filter(renja__tahun=tahun)
    if triwulan is not None:
        found = found.filter(triwulan=triwulan)
    return list(
        found.order_by(
            "renja__perangkat_daerah__pemda__nama",
            "renja__tahun",
            "renja__perangkat_daerah__kode",
            "triwulan",
        )
    )
