"""Refresh a Renja's stored rows soon after each recorded change commits, off the request that
made it, so that the figures of every group that holds the Renja (its pemda, its province, the
nation: `monev.pemda.angka_sql`) follow a save within about one evaluation of that Renja.

Every write to a Renja's data goes through a service that records it in `Riwayat` (spec §8):
a record names the Renja, and after its transaction commits the Renja is queued once (a Renja
already waiting is not queued twice) and refreshed by one worker thread of this process, which
evaluates only that Renja and writes only the rows that moved (`monev.pemda.angka.refresh`).
Pages of the pemda refresh what they read anyway; this keeps the rows that no page of that pemda
reads (a province's, the nation's figures) as fresh.

On in a served deployment, off elsewhere: `MONEV_ANGKA_LATAR` (the setting, else the environment
variable) decides when set; unset, it is on in a process that serves the web application
(`monev.web.wsgi`, which gunicorn and the demo server load, calls `served`) and off in tests and
one-off commands, which never start a thread.

The cost stays bounded however many operators save (issue 17: 50 operators on one Renja save
~100 times a second, and one evaluation of a Renja costs far more than a save):
- the saves of a Renja made while it waits are one refresh (coalescing);
- a Renja's refresh starts no sooner than `JEDA_RENJA` after its previous one started;
- the thread rests after each refresh at least as long as that refresh took (`BAGIAN_KERJA`),
  so it takes at most half of one core, and the requests of its process the rest;
- on PostgreSQL the refreshes of one Renja in several processes (gunicorn's workers) take turns
  on an advisory lock, and a later one finds the rows already fresh (two cheap queries) unless a
  change committed after the earlier one read its state;
- the interval holds across processes too: a refresh that finds the Renja's rows written by
  another process less than `JEDA_RENJA` ago waits out the rest of it (the Renja stays queued),
  so that the workers of a server make one refresh per interval between them, not one each.
A save's figures then follow within about JEDA_RENJA + two evaluations of its Renja.
A failed refresh is logged; the next read or the next change refreshes the Renja again.
"""

from __future__ import annotations

import heapq
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Seconds between the starts of two refreshes of one Renja (on every server's processes
#: together): a save reaches the figures of its province and the nation within about this and
#: one evaluation of its Renja; under 50 operators on one Renja each refresh (~50 ms of CPU)
#: comes out of the saves' share of the machine.
JEDA_RENJA = 0.5
#: The share of the time the refresh thread may work.
BAGIAN_KERJA = 0.5
#: The advisory lock class of a Renja's refresh (PostgreSQL: `pg_advisory_lock(int, int)`).
KUNCI_SEGAR = 1717

_YA = {"1", "true", "yes", "ya", "on"}
_TIDAK = {"0", "false", "no", "tidak", "off"}

_served = False
_waiting: set[int] = set()
_lock = threading.Lock()


class Penyegar:
    """One daemon thread that runs the queued refreshes, each Renja no sooner than `JEDA_RENJA`
    after its previous start, resting after each refresh as long as `BAGIAN_KERJA` asks."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.due: list[tuple[float, int, Callable[[int], float | None]]] = []
        self.started: dict[int, float] = {}
        self.ready = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, fn: Callable[[int], float | None], renja_id: int) -> None:
        with self.ready:
            at = max(self.clock(), self.started.get(renja_id, float("-inf")) + JEDA_RENJA)
            heapq.heappush(self.due, (at, renja_id, fn))
            if self.thread is None:
                self.thread = threading.Thread(target=self.loop, name="angka", daemon=True)
                self.thread.start()
            self.ready.notify()

    def next_due(self) -> tuple[int, Callable[[int], float | None]]:
        """Wait for the earliest refresh that is due; take it off the queue."""
        with self.ready:
            while True:
                wait = self.due[0][0] - self.clock() if self.due else None
                if wait is not None and wait <= 0:
                    _, renja_id, fn = heapq.heappop(self.due)
                    self.started[renja_id] = self.clock()
                    return renja_id, fn
                self.ready.wait(wait)

    def loop(self) -> None:
        while True:
            renja_id, fn = self.next_due()
            began = self.clock()
            again = fn(renja_id)
            took = self.clock() - began
            if again:  # not yet: put back, due after that many seconds
                with self.ready:
                    heapq.heappush(self.due, (self.clock() + again, renja_id, fn))
            time.sleep(took * (1 - BAGIAN_KERJA) / BAGIAN_KERJA)


_pool: Any = None  # the Penyegar of this process, made at its first refresh


def _switch(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YA:
        return True
    if text in _TIDAK:
        return False
    raise ImproperlyConfigured(f"{where} harus bernilai 1/0, true/false; bukan {value!r}")


def enabled() -> bool:
    """Tell whether recorded changes refresh their Renja's rows in the background."""
    value = getattr(settings, "MONEV_ANGKA_LATAR", None)
    if value is not None:
        return _switch(value, "MONEV_ANGKA_LATAR")
    text = os.environ.get("MONEV_ANGKA_LATAR", "")
    if text.strip():
        return _switch(text, "MONEV_ANGKA_LATAR")
    return _served


def served() -> None:
    """Mark this process as one that serves the web application (on unless switched off);
    refuse a misspelt `MONEV_ANGKA_LATAR` now rather than at the first save."""
    global _served
    _served = True
    enabled()


def _written_ago(renja_id: int) -> float | None:
    """Return how many seconds ago the Renja's rows were last written (by any process)."""
    from monev.pemda.models import AngkaTanda

    dihitung = (
        AngkaTanda.objects.filter(renja_id=renja_id).values_list("dihitung", flat=True).first()
    )
    return None if dihitung is None else (timezone.now() - dihitung).total_seconds()


def refresh_now(renja_id: int, *, interval: bool = False) -> float | None:
    """Refresh one Renja's rows (what the worker runs; callable directly). With `interval`, a
    Renja whose rows another process wrote less than `JEDA_RENJA` ago is left for later: return
    the seconds to wait (it stays queued), else None."""
    from monev.pemda import angka
    from monev.web.models import Renja

    locked = connection.vendor == "postgresql"
    if locked:
        # Outside any transaction, so that the refresh inside reads what committed before it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [KUNCI_SEGAR, renja_id])
    try:
        ago = _written_ago(renja_id) if interval else None
        if ago is not None and 0 <= ago < JEDA_RENJA:
            return JEDA_RENJA - ago
        with _lock:
            _waiting.discard(renja_id)  # a change committed from now on queues it again
        renja = Renja.objects.select_related("perangkat_daerah__pemda").filter(pk=renja_id).first()
        if renja is not None and renja.berlaku and not renja.diarsipkan:
            angka.refresh([renja])
        return None
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [KUNCI_SEGAR, renja_id])


def _work(renja_id: int) -> float | None:
    close_old_connections()  # as a request does: the thread keeps its connection between them
    try:
        return refresh_now(renja_id, interval=True)
    except Exception:  # logged; the next read refreshes it again
        with _lock:
            _waiting.discard(renja_id)
        logger.exception("angka Renja %s gagal disegarkan di latar", renja_id)
        connection.close()  # a lock it may still hold goes with its session
        return None
    finally:
        close_old_connections()


def schedule(renja_id: int) -> None:
    """Queue the Renja for a refresh once the current transaction commits."""

    def submit() -> None:
        global _pool
        with _lock:
            if renja_id in _waiting:
                return
            _waiting.add(renja_id)
            if _pool is None:
                _pool = Penyegar()
            pool = _pool
        pool.submit(_work, renja_id)

    transaction.on_commit(submit)


def on_riwayat_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Queue the Renja of a new record (connected in `PemdaConfig.ready`)."""
    if created and instance.renja_id is not None and enabled():
        schedule(instance.renja_id)
