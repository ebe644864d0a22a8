"""Reads for the pemda's view, in a fixed number of queries whatever the number of PDs.

A PD's figures are read from the rows its Renja's evaluations were stored as (`monev.pemda.angka`,
read back by `monev.pemda.angka_baca`): a Renja whose state moved since its rows were written
(its last recorded change, the settings, the code: `monev.pemda.muat.change_marks`) is loaded
and evaluated once, and only its rows that changed are written. The figures read are also kept
in this process, keyed on the same state, so that a page reads the rows only when one moved.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from monev.core.model import Quarters
from monev.core.rules import Pengaturan
from monev.pemda import angka
from monev.pemda.angka_baca import StoredPeringatan as StoredPeringatan  # re-exported
from monev.pemda.angka_baca import figures_from_rows
from monev.pemda.models import RencanaK, RencanaRp
from monev.pemda.muat import DataRenja as DataRenja  # re-exported: callers read it here
from monev.pemda.muat import change_marks as change_marks
from monev.pemda.muat import code_digest as code_digest
from monev.pemda.muat import load_renja as load_renja
from monev.pemda.muat import settings_key
from monev.pemda.summary import RingkasanPD
from monev.web.models import (
    LaporanTriwulan,
    Pemda,
    PerangkatDaerah,
    Renja,
)
from monev.web.pengaturan import pengaturan_of

Status = LaporanTriwulan.Status
logger = logging.getLogger(__name__)


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


def clear_cache(*, stored: bool = False) -> None:
    """Forget the figures kept in this process (as a new process starts); `stored`: the rows
    kept in the database too (every Renja is evaluated again on its next read)."""
    _FIGURES.clear()
    if stored:
        angka.forget()


# -- loading many Renja at once -----------------------------------------------------------------


def figures_of(renja: list[Renja], pengaturan: Pengaturan) -> dict[int, RingkasanPD]:
    """Return the figures of many Renja: from this process's cache, else from their stored rows
    (refreshed first where a Renja changed: only those are evaluated, once each)."""
    marks = change_marks(r.pk for r in renja)
    skey = settings_key(pengaturan)
    keys = {r.pk: (r.pk, marks.get(r.pk), skey) for r in renja}
    found: dict[int, RingkasanPD] = {}
    missing = []
    for r in renja:
        cached = _FIGURES.get(keys[r.pk])
        if cached is None:
            missing.append(r)
        else:
            found[r.pk] = cached
    if not missing:
        return found
    # The marks are read before the rows: rows read under a mark are never older than it.
    angka.refresh(missing, pengaturan)
    for renja_id, figures in figures_from_rows([r.pk for r in missing], pengaturan).items():
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
        Renja.objects.filter(
            perangkat_daerah__pemda=pemda, tahun=tahun, berlaku=True, diarsipkan=False
        )
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
