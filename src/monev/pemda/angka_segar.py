"""Refresh a Renja's stored rows soon after each recorded change commits, off the request that
made it, so that the figures of every group that holds the Renja (its pemda, its province, the
nation: `monev.pemda.angka_sql`) follow a save within about one evaluation of that Renja.

Every write to a Renja's data goes through a service that records it in `Riwayat` (spec §8):
a record names the Renja, and after its transaction commits the Renja is queued once (a Renja
already waiting is not queued twice) and refreshed by one worker thread of this process, which
evaluates only that Renja and writes only the rows that moved (`monev.pemda.angka.refresh`).
Pages of the pemda refresh what they read anyway; this keeps the rows that no page of that pemda
reads (a province's, the nation's figures) as fresh.

On when `MONEV_ANGKA_LATAR` is set (`settings.MONEV_ANGKA_LATAR` or the environment variable,
"1"); off by default, so that tests and one-off commands never start a thread. A failed refresh
is logged; the next read or the next change refreshes the Renja again.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_waiting: set[int] = set()
_lock = threading.Lock()


def enabled() -> bool:
    value = getattr(settings, "MONEV_ANGKA_LATAR", None)
    if value is None:
        value = os.environ.get("MONEV_ANGKA_LATAR", "") in {"1", "true", "ya"}
    return bool(value)


def refresh_now(renja_id: int) -> None:
    """Refresh one Renja's rows (what the worker runs; callable directly)."""
    from monev.pemda import angka
    from monev.web.models import Renja

    with _lock:
        _waiting.discard(renja_id)
    renja = Renja.objects.select_related("perangkat_daerah__pemda").filter(pk=renja_id).first()
    if renja is not None and renja.berlaku and not renja.diarsipkan:
        angka.refresh([renja])


def _work(renja_id: int) -> None:
    close_old_connections()
    try:
        refresh_now(renja_id)
    except Exception:  # logged; the next read refreshes it again
        logger.exception("angka Renja %s gagal disegarkan di latar", renja_id)
    finally:
        connection.close()


def schedule(renja_id: int) -> None:
    """Queue the Renja for a refresh once the current transaction commits."""

    def submit() -> None:
        global _pool
        with _lock:
            if renja_id in _waiting:
                return
            _waiting.add(renja_id)
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="angka")
            pool = _pool
        pool.submit(_work, renja_id)

    transaction.on_commit(submit)


def on_riwayat_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Queue the Renja of a new record (connected in `PemdaConfig.ready`)."""
    if created and instance.renja_id is not None and enabled():
        schedule(instance.renja_id)
