"""Reads for the pemda's view, in a fixed number of queries whatever the number of PDs.

`pemda_year` loads every PD's Renja of a year at once (six queries for all the Renja whose figures
are not cached) and hands each to the engine once. The figures of a Renja are kept in this
process, keyed on the Renja's last recorded change: every write to a plan, a target, a budget or
a realisation goes through a service that records it in `Riwayat` (spec §8), so a new record is a
new key and a stale figure is never served. Keying on the record's id and time together keeps two
states apart even where a rolled-back transaction hands out the same id again (SQLite).

The figures are also kept in the database (`AngkaRenja`, one row per Renja) under the same key
and a digest of the code that computes them, so that a new process (each gunicorn worker, each
restart) reads them back instead of evaluating every Renja again: evaluating 50 Renja of 600
lines takes seconds, reading their figures back tens of milliseconds. Each quarter's list of
warnings, the bulk of the figures, is unpickled only when a page reads it.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import pickle
import threading
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction

from monev.core.frozen import builder
from monev.core.model import Quarters
from monev.core.rules import Pengaturan
from monev.pemda.models import AngkaRenja, RencanaK, RencanaRp
from monev.pemda.muat import DataRenja as DataRenja  # re-exported: callers read it here
from monev.pemda.muat import change_marks, code_digest, load_renja, settings_key
from monev.pemda.summary import AngkaTriwulan, PeringatanIndikator, RingkasanPD, summarise
from monev.web import snapshot
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
    """Forget the figures kept in this process (as a new process starts); `stored`: those kept
    in the database too (nothing is cached anywhere)."""
    _FIGURES.clear()
    if stored:
        AngkaRenja.objects.all().delete()


# -- loading many Renja at once -----------------------------------------------------------------


def figures_of(renja: list[Renja], pengaturan: Pengaturan) -> dict[int, RingkasanPD]:
    """Return the figures of many Renja: from this process's cache, else from the database's,
    else loaded in bulk and evaluated (and then kept in both)."""
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
    # A Renja without any recorded change is not stored: nothing would tell its states apart.
    stored_keys = {r.pk: _stored_key(marks[r.pk], skey) for r in missing if marks.get(r.pk)}
    for renja_id, figures in _read_stored(stored_keys).items():
        _FIGURES.put(keys[renja_id], figures)
        found[renja_id] = figures
    # The marks are read before the data: figures stored under a mark are never older than it
    # (a write in between only makes them newer, and its own mark replaces them next time).
    computed = {}
    loaded = load_renja(r for r in missing if r.pk not in found)
    recorded = snapshot.verified_evaluations(loaded)  # verified quarters: as accepted
    for renja_id, data in loaded.items():
        figures = summarise(
            data.core,
            rencana_k=data.rencana_k,
            rencana_rp=data.rencana_rp,
            pengaturan=pengaturan,
            tetap={q: e for (r, q), e in recorded.items() if r == renja_id},
        )
        _FIGURES.put(keys[renja_id], figures)
        found[renja_id] = computed[renja_id] = figures
    _store(computed, stored_keys)
    return found


# -- the figures kept in the database -----------------------------------------------------------
#
# Only bytes this module pickled into its own table are ever unpickled: whoever can write that
# table can already change any figure in the database. The key holds a digest of the code, so
# that figures pickled by another version of the code (other classes, other rules) are never
# read back.


def _stored_key(mark: tuple[Any, ...], settings_key: str) -> str:
    return "|".join([*(str(part) for part in mark), settings_key, code_digest()])


def _read_stored(keys: dict[int, str]) -> dict[int, RingkasanPD]:
    """Return the stored figures of the Renja whose key is still the given one (one query)."""
    if not keys:
        return {}
    found = {}
    rows = AngkaRenja.objects.filter(
        renja_id__in=list(keys), kunci__in=list(keys.values())
    ).values_list("renja_id", "kunci", "data")
    for renja_id, kunci, data in rows:
        if kunci != keys[renja_id]:
            continue
        try:
            found[renja_id] = pickle.loads(data)
        except Exception:  # a damaged row is computed again and replaced, never an error page
            logger.warning("angka Renja %s yang tersimpan tidak terbaca", renja_id, exc_info=True)
    return found


def _store(figures: dict[int, RingkasanPD], keys: dict[int, str]) -> None:
    """Keep the figures in the database (one query), replacing those of older states."""
    rows = [
        AngkaRenja(renja_id=renja_id, kunci=keys[renja_id], data=_dumps(value))
        for renja_id, value in figures.items()
        if renja_id in keys
    ]
    if not rows:
        return
    try:
        with transaction.atomic():  # a savepoint inside a caller's transaction
            AngkaRenja.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["renja"],
                update_fields=["kunci", "data"],
            )
    except DatabaseError:  # e.g. the Renja was deleted meanwhile; the page is served anyway
        logger.warning("angka Renja tidak dapat disimpan", exc_info=True)


_BUILDERS: dict[type, Callable[..., Any] | None] = {}


def _builder_of(cls: type) -> Callable[..., Any] | None:
    if cls not in _BUILDERS:
        try:
            _BUILDERS[cls] = builder(cls) if dataclasses.is_dataclass(cls) else None
        except TypeError:  # not a plain slots dataclass: pickled the usual way
            _BUILDERS[cls] = None
    return _BUILDERS[cls]


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    return _builder_of(cls)(*values)  # type: ignore[misc]


def _rebuild_angka(values: tuple[Any, ...], peringatan: bytes, jumlah: int) -> AngkaTriwulan:
    return _rebuild(AngkaTriwulan, (*values, StoredPeringatan(peringatan, jumlah)))


class _Pickler(pickle.Pickler):
    """Pickle the figures' frozen dataclasses as their field values, rebuilt on loading through
    `monev.core.frozen.builder` (dataclasses' own pickling looks their fields up for every
    object and takes several times longer to load), and each quarter's warnings apart,
    compressed: they make nine tenths of the bytes and most pages only count them."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls is AngkaTriwulan:
            *values, peringatan = (getattr(obj, name) for name in cls.__slots__)
            warnings = zlib.compress(_dumps(tuple(peringatan)), 1)
            return _rebuild_angka, (tuple(values), warnings, len(peringatan))
        if _builder_of(cls) is not None:
            return _rebuild, (cls, tuple(getattr(obj, name) for name in cls.__slots__))
        return NotImplemented


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


class StoredPeringatan(Sequence[PeringatanIndikator]):
    """A quarter's warnings as stored: counted at once, unpickled when first read (most pages
    only count them). Equal to the tuple it was stored from."""

    __slots__ = ("_data", "_items", "_jumlah")

    def __init__(self, data: bytes, jumlah: int) -> None:
        self._data = data
        self._jumlah = jumlah
        self._items: tuple[PeringatanIndikator, ...] | None = None

    def _load(self) -> tuple[PeringatanIndikator, ...]:
        items = self._items
        if items is None:  # two threads may both unpickle: the same value, no harm
            items = self._items = pickle.loads(zlib.decompress(self._data))
        return items

    def __len__(self) -> int:
        return self._jumlah

    def __getitem__(self, index: Any) -> Any:
        return self._load()[index]

    def __iter__(self) -> Iterator[PeringatanIndikator]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredPeringatan | tuple):
            return self._load() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


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
