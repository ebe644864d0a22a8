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
  change committed after the earlier one read its state.
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

logger = logging.getLogger(__name__)

#: Seconds between the starts of two refreshes of one Renja.
JEDA_RENJA = 0.25
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
        self.due: list[tuple[float, int, Callable[[int], None]]] = []
        self.started: dict[int, float] = {}
        self.ready = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, fn: Callable[[int], None], renja_id: int) -> None:
        with self.ready:
            at = max(self.clock(), self.started.get(renja_id, float("-inf")) + JEDA_RENJA)
            heapq.heappush(self.due, (at, renja_id, fn))
            if self.thread is None:
                self.thread = threading.Thread(target=self.loop, name="angka", daemon=True)
                self.thread.start()
            self.ready.notify()

    def next_due(self) -> tuple[int, Callable[[int], None]]:
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
            fn(renja_id)
            took = self.clock() - began
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


def refresh_now(renja_id: int) -> None:
    """Refresh one Renja's rows (what the worker runs; callable directly)."""
    from monev.pemda import angka
    from monev.web.models import Renja

    with _lock:
        _waiting.discard(renja_id)
    renja = Renja.objects.select_related("perangkat_daerah__pemda").filter(pk=renja_id).first()
    if renja is None or not renja.berlaku or renja.diarsipkan:
        return
    if connection.vendor != "postgresql":
        angka.refresh([renja])
        return
    # Outside any transaction, so that the refresh inside reads what committed before it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [KUNCI_SEGAR, renja_id])
    try:
        angka.refresh([renja])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [KUNCI_SEGAR, renja_id])


def _work(renja_id: int) -> None:
    close_old_connections()  # as a request does: the thread keeps its connection between them
    try:
        refresh_now(renja_id)
    except Exception:  # logged; the next read refreshes it again
        logger.exception("angka Renja %s gagal disegarkan di latar", renja_id)
        connection.close()  # a lock it may still hold goes with its session
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
