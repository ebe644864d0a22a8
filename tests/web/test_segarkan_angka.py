"""`monev kelola segarkan_angka`: every stale Renja's stored rows refreshed (of the pemda asked
for), in worker processes, with a progress line; bad arguments refused in Indonesian."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from monev.pemda import angka, angka_semua
from monev.pemda.angka_semua import Kemajuan
from monev.pemda.models import AngkaIndikator, AngkaTanda
from monev.web.models import Renja

from .angka_helpers import generated_pemda


def _current():
    return list(Renja.objects.filter(diarsipkan=False).select_related("perangkat_daerah__pemda"))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("segarkan_angka", *args, stdout=out)
    return out.getvalue()


def test_every_stale_renja_is_refreshed_and_nothing_else(users, disnaker):
    generated_pemda(users["admin"], "Kabupaten Segar", seed=5)
    angka.refresh([disnaker])
    stale = angka_semua.stale_renja()
    assert disnaker.pk not in stale and stale
    out = _run("--proses", "1")
    assert f"{len(stale)} Renja usang disegarkan dalam 1 proses." in out
    assert f"{len(stale)}/{len(stale)} Renja (100%)" in out
    assert angka.stale(_current()) == {}
    assert "Statistik tabel angka diperbarui" in out
    assert "sudah mutakhir" in _run("--proses", "1")


def test_tables_the_user_may_not_tidy_leave_a_warning_and_right_rows(users, monkeypatch):
    """A database user that does not own the tables cannot analyse them: the refresh is done
    all the same, and the admin reads why the pages may read it more slowly."""
    generated_pemda(users["admin"], "Kabupaten Tanpa Analisis", seed=4, jumlah_pd=1)
    monkeypatch.setattr(angka_semua, "tidy_tables", lambda: "must be owner of table x")
    out, err = io.StringIO(), io.StringIO()
    call_command("segarkan_angka", "--proses", "1", stdout=out, stderr=err)
    assert angka.stale(_current()) == {}
    assert "tidak dapat diperbarui (VACUUM/ANALYZE): must be owner of table x" in err.getvalue()
    assert "kini mutakhir" in out.getvalue()


def test_tidying_runs_on_this_database_and_reports_a_failure(db, monkeypatch):
    assert angka_semua.tidy_tables() is None  # ANALYZE in the test's transaction

    class Refusing:
        vendor, ops, in_atomic_block = connection.vendor, connection.ops, False

        def cursor(self):
            from django.db import DatabaseError

            raise DatabaseError("permission denied for table pemda_angkaindikator\nDETAIL: x")

    monkeypatch.setattr(angka_semua, "connection", Refusing())
    assert angka_semua.tidy_tables() == "permission denied for table pemda_angkaindikator"
