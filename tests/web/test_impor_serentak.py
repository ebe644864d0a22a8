"""Imports racing each other and the entry page (issue 17): two first imports of one PD and year
end with one Renja and a refusal in Indonesian (never an unexpected error, nothing
half-written); a save whose page read the plan just before an import's swap is refused with a
message, never written into the plan being removed.

The interleavings run in one thread on both databases; on PostgreSQL two more tests run them on
two connections for real (transactional: the threads commit)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from monev.io.flat import read_flat
from monev.web import impor_tulis, services, siklus
from monev.web.models import (
    Indikator,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Simpul,
)

TAHUN_BARU = 2031
TOLAK_IMPOR = r"Renja Dinas Ketenagakerjaan tahun 2031 \(murni\) baru saja disimpan oleh impor lain"


def _no_hidden_rows() -> bool:
    return Renja.semua.count() == Renja.objects.count()


def _first_import(admin, plan, tahun=TAHUN_BARU):
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    return services.renja_import(user=admin, perangkat_daerah=pd, tahun=tahun, renja=plan)


@pytest.mark.django_db
def test_a_first_import_finishing_while_another_writes_refuses_the_later_swap(
    users, reference_csv, monkeypatch
):
    plan = read_flat(reference_csv)
    write = impor_tulis.rencana_tulis
    inner: list[Renja] = []
    started = []

    def other_import_meanwhile(*args, **kwargs):
        written = write(*args, **kwargs)
        if not started:  # the other import starts and ends while this one writes
            started.append(True)
            inner.append(_first_import(users["admin"], plan))
        return written

    monkeypatch.setattr(impor_tulis, "rencana_tulis", other_import_meanwhile)
    with pytest.raises(siklus.Ditolak, match=TOLAK_IMPOR) as caught:
        _first_import(users["admin"], plan)
    assert "coba lagi" in str(caught.value).lower()
    kept = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=TAHUN_BARU)
    assert kept.pk == inner[0].pk
    assert Indikator.objects.filter(simpul__renja=kept).count() == 55
    assert _no_hidden_rows()


@pytest.mark.django_db
@pytest.mark.parametrize("old_rows_removed", [False, True])
def test_a_save_read_before_the_swap_is_refused_and_lands_nowhere(
    users, disnaker, reference_csv, monkeypatch, old_rows_removed
):
    """The page (or the API) read the indicator and its Renja just before the swap; the save
    comes after it, while the old rows are hidden or after they are gone."""
    stale = Indikator.objects.select_related("simpul__renja").filter(simpul__renja=disnaker)[0]
    stale_simpul = Simpul.objects.select_related("renja").get(pk=stale.simpul_id)
    removed = impor_tulis.tersembunyi_hapus
    outcomes = []

    def save_around_removal(hidden, kemajuan=None):
        if old_rows_removed:
            removed(hidden, kemajuan)
        for save in (
            lambda: services.realisasi_k_update(
                user=users["operator"], indikator=stale, triwulan=1, nilai=Decimal(7), versi=0
            ),
            lambda: services.realisasi_rp_update(
                user=users["operator"], simpul=stale_simpul, triwulan=1, nilai=Decimal(7), versi=0
            ),
        ):
            with pytest.raises(siklus.Ditolak, match="baru saja diganti lewat impor") as caught:
                save()
            outcomes.append(str(caught.value))
        if not old_rows_removed:
            removed(hidden, kemajuan)

    monkeypatch.setattr(impor_tulis, "tersembunyi_hapus", save_around_removal)
    services.renja_import(
        user=users["admin"],
        perangkat_daerah=disnaker.perangkat_daerah,
        tahun=2022,
        renja=read_flat(reference_csv),
    )
    assert len(outcomes) == 2
    assert all("muat ulang halaman" in text for text in outcomes)
    assert not RealisasiK.objects.filter(nilai=Decimal(7)).exists()
    assert not RealisasiRp.objects.filter(nilai=Decimal(7)).exists()
    assert _no_hidden_rows()


@pytest.mark.django_db
@pytest.mark.parametrize("kolom", ["k", "rp"])
def test_the_entry_page_answers_409_when_an_import_swapped_in_just_before_the_save(
    client_for, users, disnaker, reference_csv, monkeypatch, kolom
):
    """The view read the cell's row from the plan in force; the import's swap (and the removal
    of the old rows) lands before the save's transaction checks it."""
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    ref = indikator.pk if kolom == "k" else indikator.simpul_id
    check = siklus.require_node_in_force

    def import_first(simpul_id, renja):
        services.renja_import(
            user=users["admin"],
            perangkat_daerah=disnaker.perangkat_daerah,
            tahun=2022,
            renja=read_flat(reference_csv),
        )
        return check(simpul_id, renja)

    monkeypatch.setattr(siklus, "require_node_in_force", import_first)
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/{kolom}/{ref}/", {"nilai": "7", "versi": "0"}
    )
    assert response.status_code == 409
    assert "baru saja diganti lewat impor; muat ulang halaman" in response.content.decode()
    assert not RealisasiK.objects.filter(nilai=Decimal(7)).exists()
    assert not RealisasiRp.objects.filter(nilai=Decimal(7)).exists()


def _on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: two connections at once")


def _wait_until_blocked(thread: threading.Thread) -> None:
    """Return once another connection waits for a lock (or `thread` has ended without)."""
    with connections["default"].cursor() as cursor:
        while thread.is_alive():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            thread.join(0.05)


class _Paused:
    """`impor_tulis.tukar` that, in the first import to reach it, holds the swap's transaction
    open (its locks taken, the plan swapped) until released."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self.swap = impor_tulis.tukar

    def __call__(self, *args, **kwargs):
        result = self.swap(*args, **kwargs)
        if not self.inside.is_set():
            self.inside.set()
            assert self.release.wait(120), "swap never released"
        return result


def _in_thread(fn, outcome: dict) -> threading.Thread:
    def run() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # reported to the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _demo_admin():
    from django.contrib.auth import get_user_model

    from monev.web.demo import load_demo

    load_demo()  # a transactional test before this one may have emptied the tables
    return get_user_model().objects.get(username="admin")


@pytest.mark.transactional
def test_on_postgresql_two_first_imports_at_once_end_with_one_renja_and_a_refusal(
    transactional_db, reference_csv, monkeypatch
):
    _on_postgresql()
    admin = _demo_admin()
    plan = read_flat(reference_csv)
    paused = _Paused()
    monkeypatch.setattr(impor_tulis, "tukar", paused)
    first: dict = {}
    second: dict = {}
    a = _in_thread(lambda: _first_import(admin, plan), first)
    assert paused.inside.wait(120)
    b = _in_thread(lambda: _first_import(admin, plan), second)
    _wait_until_blocked(b)  # the second import's swap waits for the first's
    paused.release.set()
    a.join(120)
    b.join(120)
    assert "error" not in first, first
    assert isinstance(second.get("error"), siklus.Ditolak), second
    assert "impor lain sedang berjalan atau baru saja selesai" in str(second["error"])
    kept = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=TAHUN_BARU)
    assert kept.pk == first["result"].pk
    assert Indikator.objects.filter(simpul__renja=kept).count() == 55
    assert _no_hidden_rows()


@pytest.mark.transactional
def test_on_postgresql_a_save_waiting_for_a_swap_is_refused_after_it(
    transactional_db, reference_csv, monkeypatch
):
    _on_postgresql()
    admin = _demo_admin()
    renja = Renja.objects.select_related("perangkat_daerah").get(
        perangkat_daerah__kode="2.07.01", tahun=2022
    )
    stale = Indikator.objects.select_related("simpul__renja").filter(simpul__renja=renja)[0]
    paused = _Paused()
    monkeypatch.setattr(impor_tulis, "tukar", paused)
    imported: dict = {}
    saved: dict = {}
    a = _in_thread(
        lambda: services.renja_import(
            user=admin,
            perangkat_daerah=renja.perangkat_daerah,
            tahun=2022,
            renja=read_flat(reference_csv),
        ),
        imported,
    )
    assert paused.inside.wait(120)
    b = _in_thread(
        lambda: services.realisasi_k_update(
            user=admin, indikator=stale, triwulan=1, nilai=Decimal(7), versi=0
        ),
        saved,
    )
    _wait_until_blocked(b)  # the save waits for the swap's locks
    paused.release.set()
    a.join(120)
    b.join(120)
    assert "error" not in imported, imported
    assert isinstance(saved.get("error"), siklus.Ditolak), saved
    assert "muat ulang halaman" in str(saved["error"])
    assert not RealisasiK.objects.filter(nilai=Decimal(7)).exists()
    assert _no_hidden_rows()
