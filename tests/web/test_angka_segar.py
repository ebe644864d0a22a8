"""The background refresh of stored figures: when it is on, and how its cost stays bounded."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from monev.pemda import angka_segar


@pytest.fixture
def unserved(monkeypatch, settings):
    monkeypatch.setattr(angka_segar, "_served", False)
    monkeypatch.delenv("MONEV_ANGKA_LATAR", raising=False)
    if hasattr(settings, "MONEV_ANGKA_LATAR"):
        del settings.MONEV_ANGKA_LATAR


@pytest.mark.parametrize(
    ("served", "environment", "on"),
    [
        (False, None, False),  # a test, a one-off command
        (True, None, True),  # gunicorn, the demo server
        (True, "0", False),  # switched off on a server
        (True, "tidak", False),
        (False, "1", True),  # switched on anywhere
        (False, "ya", True),
        (True, " ", True),  # blank is unset
    ],
)
def test_on_when_served_unless_switched(unserved, monkeypatch, served, environment, on):
    monkeypatch.setattr(angka_segar, "_served", served)
    if environment is not None:
        monkeypatch.setenv("MONEV_ANGKA_LATAR", environment)
    assert angka_segar.enabled() is on


def test_the_setting_wins_over_the_environment(unserved, monkeypatch, settings):
    monkeypatch.setenv("MONEV_ANGKA_LATAR", "1")
    settings.MONEV_ANGKA_LATAR = False
    assert angka_segar.enabled() is False


def test_a_misspelt_switch_is_refused_when_the_server_starts(unserved, monkeypatch):
    monkeypatch.setenv("MONEV_ANGKA_LATAR", "nyala")
    with pytest.raises(ImproperlyConfigured, match="MONEV_ANGKA_LATAR harus bernilai"):
        angka_segar.served()


def test_loading_the_wsgi_application_marks_the_process_served(unserved):
    import importlib

    import monev.web.wsgi

    importlib.reload(monev.web.wsgi)
    assert angka_segar.enabled() is True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_renja_refreshed_just_now_waits_its_interval(monkeypatch):
    clock = _Clock()
    penyegar = angka_segar.Penyegar(clock)
    monkeypatch.setattr(penyegar, "thread", object())  # no thread: the test takes the queue
    penyegar.submit(lambda _: None, 7)
    penyegar.submit(lambda _: None, 8)
    assert penyegar.next_due()[0] == 7  # due at once
    clock.now += 0.1
    assert penyegar.next_due()[0] == 8
    penyegar.submit(lambda _: None, 7)  # saved again 0.1 s after its refresh started
    assert penyegar.due[0][0] == pytest.approx(100.0 + angka_segar.JEDA_RENJA)
    penyegar.submit(lambda _: None, 9)  # another Renja is not held back by it
    assert penyegar.next_due()[0] == 9


def test_the_thread_runs_every_queued_refresh_and_rests_after_each(monkeypatch):
    monkeypatch.setattr(angka_segar, "JEDA_RENJA", 0.0)
    rests: list[float] = []
    monkeypatch.setattr(angka_segar.time, "sleep", rests.append)
    done: list[int] = []
    finished = threading.Event()

    def refresh(renja_id: int) -> None:
        done.append(renja_id)
        if len(done) == 3:
            finished.set()

    penyegar = angka_segar.Penyegar()
    for renja_id in (1, 2, 3):
        penyegar.submit(refresh, renja_id)
    assert finished.wait(10)
    assert sorted(done) == [1, 2, 3]
    assert len(rests) >= 2 and all(rest >= 0 for rest in rests)


def test_a_refresh_put_off_runs_again_after_its_wait(monkeypatch):
    monkeypatch.setattr(angka_segar.time, "sleep", lambda _: None)
    calls: list[int] = []
    finished = threading.Event()

    def refresh(renja_id: int) -> float | None:
        calls.append(renja_id)
        if len(calls) == 1:
            return 0.01  # another process wrote its rows just now
        finished.set()
        return None

    angka_segar.Penyegar().submit(refresh, 5)
    assert finished.wait(10)
    assert calls == [5, 5]


def test_rows_written_just_now_by_another_process_wait_out_the_interval(disnaker, monkeypatch):
    from monev.pemda import angka

    angka.refresh([disnaker])  # written now, as another worker would have
    monkeypatch.setattr(angka_segar, "_waiting", {disnaker.pk})
    wait = angka_segar.refresh_now(disnaker.pk, interval=True)
    assert wait is not None and 0 < wait <= angka_segar.JEDA_RENJA
    assert disnaker.pk in angka_segar._waiting  # still queued: a save now is not lost
    assert angka_segar.refresh_now(disnaker.pk) is None  # without the interval: at once
    assert disnaker.pk not in angka_segar._waiting
