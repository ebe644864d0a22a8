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


def test_only_the_pemda_asked_for_is_refreshed(users):
    first, a = generated_pemda(users["admin"], "Kabupaten Pertama", seed=6)
    _, b = generated_pemda(users["admin"], "Kota Kedua", seed=7, jumlah_pd=2)
    _run("--proses", "1", "--pemda", str(first.pk), "Kota Kedua")
    assert angka.stale(a + b) == {}
    assert AngkaTanda.objects.filter(renja__perangkat_daerah__pemda=first).count() == len(a)
    others = angka_semua.stale_renja()
    assert others and not set(others) & {r.pk for r in a + b}


def _rows_of_one_and_of_several(renja, proses: int) -> tuple[list, list]:
    angka.refresh(renja)
    one = sorted(AngkaIndikator.objects.filter(renja__in=renja).values_list("sidik", "renja_id"))
    angka.forget()
    done = angka_semua.refresh_all([r.pk for r in renja], proses=proses, chunk=1)
    assert done == len(renja)
    several = sorted(
        AngkaIndikator.objects.filter(renja__in=renja).values_list("sidik", "renja_id")
    )
    return one, several


def test_on_sqlite_several_processes_stay_one_with_the_same_rows(users):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: one writer at a time, the work stays in this process")
    _, renja = generated_pemda(users["admin"], "Kabupaten Dua Proses", seed=8)
    one, several = _rows_of_one_and_of_several(renja, proses=2)
    assert one == several


@pytest.mark.transactional
def test_on_postgresql_worker_processes_write_the_rows_of_one(transactional_db):
    """Forked workers see only committed data, hence a transactional test."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: worker processes")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create(username="admin_uji", is_superuser=True)
    _, renja = generated_pemda(admin, "Kabupaten Proses", seed=9, jumlah_pd=4)
    one, several = _rows_of_one_and_of_several(renja, proses=2)
    assert one == several
    assert angka.stale(renja) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--pemda", "Kabupaten Tidak Ada", "999999"),
            "pemda tidak ditemukan: Kabupaten Tidak Ada, 999999",
        ),
        (("--proses", "0"), "--proses harus 1 atau lebih, bukan 0"),
    ],
)
def test_bad_arguments_are_refused_in_indonesian(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


@pytest.mark.parametrize(
    ("kemajuan", "line"),
    [
        (Kemajuan(0, 40, 0.0), "0/40 Renja (0%), 0 detik"),
        (Kemajuan(10, 40, 5.0), "10/40 Renja (25%), 5 detik, sisa ±15 detik"),
        (Kemajuan(39, 40, 78.0), "39/40 Renja (97%), 78 detik, sisa ±2 detik"),
        (Kemajuan(40, 40, 80.4), "40/40 Renja (100%), 80 detik"),
        (Kemajuan(0, 0, 0.0), "0/0 Renja (100%), 0 detik"),
    ],
)
def test_the_progress_line_says_how_far_and_how_long_still(kemajuan, line):
    assert kemajuan.line() == line
