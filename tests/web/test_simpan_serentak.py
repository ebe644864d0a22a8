"""Saves of one Renja at once (issue 17: 50 operators on one Renja): a realisation's save holds a
share lock on the quarter's report rows, so that saves of one Renja do not wait for each other,
while a narrative's save, a submit or a verification (which lock those rows for update) waits
for a save in progress and it for them. PostgreSQL only: two connections at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from monev.web import sel_simpan, selectors, services
from monev.web.models import Indikator, LaporanTriwulan, RealisasiK, Renja
from tests.web.test_impor_serentak import (
    _demo_admin,
    _in_thread,
    _on_postgresql,
    _wait_until_blocked,
)


class _PausedSave:
    """`sel_simpan.realisasi_for_update` that, in the first save to reach it (its report rows
    locked already), holds the save's transaction open until released."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self.read = sel_simpan.realisasi_for_update

    def __call__(self, *args, **kwargs):
        if not self.inside.is_set():
            self.inside.set()
            assert self.release.wait(120), "save never released"
        return self.read(*args, **kwargs)


def _setup(monkeypatch):
    _on_postgresql()
    admin = _demo_admin()
    renja = Renja.objects.select_related("perangkat_daerah__pemda").get(
        perangkat_daerah__kode="2.07.01", tahun=2022
    )
    for q in (3, 4):
        LaporanTriwulan.objects.get_or_create(renja=renja, triwulan=q)
    a, b = Indikator.objects.select_related("simpul__renja").filter(simpul__renja=renja)[:2]
    paused = _PausedSave()
    monkeypatch.setattr(sel_simpan, "realisasi_for_update", paused)
    return admin, renja, a, b, paused


def _save(admin, indikator, nilai):
    return lambda: services.realisasi_k_update(
        user=admin,
        indikator=indikator,
        triwulan=3,
        nilai=Decimal(nilai),
        versi=selectors.versi_k(indikator, 3),
    )


@pytest.mark.transactional
def test_on_postgresql_two_saves_of_one_renja_do_not_wait_for_each_other(
    transactional_db, monkeypatch
):
    admin, _, a, b, paused = _setup(monkeypatch)
    first: dict = {}
    second: dict = {}
    one = _in_thread(_save(admin, a, "41"), first)
    assert paused.inside.wait(120)
    two = _in_thread(_save(admin, b, "42"), second)
    two.join(30)  # the other save is still open, holding its locks
    finished = not two.is_alive()
    paused.release.set()
    one.join(120)
    two.join(120)
    assert finished, "the second save waited for the first"
    assert "error" not in first and "error" not in second, (first, second)
    assert RealisasiK.objects.get(indikator=a, triwulan=3).nilai == Decimal(41)
    assert RealisasiK.objects.get(indikator=b, triwulan=3).nilai == Decimal(42)


@pytest.mark.transactional
def test_on_postgresql_a_narrative_save_waits_for_a_save_in_progress(transactional_db, monkeypatch):
    admin, renja, a, _, paused = _setup(monkeypatch)
    saved: dict = {}
    narrated: dict = {}
    one = _in_thread(_save(admin, a, "43"), saved)
    assert paused.inside.wait(120)
    two = _in_thread(
        lambda: services.laporan_narasi_update(
            user=admin,
            renja=renja,
            triwulan=3,
            narasi={"faktor_pendorong": "Dukungan pimpinan"},
            versi=selectors.versi_laporan(renja, 3),
        ),
        narrated,
    )
    _wait_until_blocked(two)
    blocked = two.is_alive()
    paused.release.set()
    one.join(120)
    two.join(120)
    assert blocked, "the narrative's save did not wait for the realisation's"
    assert "error" not in saved and "error" not in narrated, (saved, narrated)
    assert LaporanTriwulan.objects.get(renja=renja, triwulan=3).faktor_pendorong
