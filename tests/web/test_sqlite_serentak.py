"""SQLite under a long import (issue 14, point 6): WAL, synchronous=NORMAL, IMMEDIATE
transactions and a busy timeout on every connection; a write from another connection during an
import's write transaction waits for it and succeeds instead of failing "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import REFERENCE

ROOT = Path(__file__).resolve().parents[2]
PRAGMAS = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as c:
    shown = {p: c.execute(f"PRAGMA {p}").fetchone()[0]
             for p in ("journal_mode", "synchronous", "busy_timeout")}
shown["transaction_mode"] = connection.settings_dict["OPTIONS"].get("transaction_mode")
print(json.dumps(shown))
"""


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MONEV_PRODUKSI")}
    return {
        **env,
        "MONEV_DATA_DIR": str(data),
        "SECRET_KEY": "k" * 60,
        "DJANGO_SETTINGS_MODULE": "monev.web.settings",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {},
            {
                "journal_mode": "wal",
                "synchronous": 1,
                "busy_timeout": 60_000,
                "transaction_mode": "IMMEDIATE",
            },
        ),
        (
            {"MONEV_SQLITE_TIMEOUT": "25"},
            {
                "journal_mode": "wal",
                "synchronous": 1,
                "busy_timeout": 25_000,
                "transaction_mode": "IMMEDIATE",
            },
        ),
        (  # the old settings, kept only to measure the difference (bench/impor_serentak.py)
            {"MONEV_SQLITE_WAL": "0", "MONEV_SQLITE_TIMEOUT": "0"},
            {
                "journal_mode": "delete",
                "synchronous": 2,
                "busy_timeout": 0,
                "transaction_mode": None,
            },
        ),
    ],
)
def test_every_sqlite_connection_gets_the_settings_pragmas(tmp_path, extra, expected):
    result = subprocess.run(
        [sys.executable, "-c", PRAGMAS],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


WRITE = """
import json, os, sqlite3, threading, django
django.setup()
from django.conf import settings
from monev.web.models import PercobaanMasuk
raw = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0, isolation_level=None)
try:
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("ROLLBACK")
    locked = False
except sqlite3.OperationalError as exc:
    locked = "locked" in str(exc)
raw.close()
# The import goes on in a moment; this write, begun before, must wait for it.
threading.Timer(1.5, lambda: open(os.environ["MONEV_UJI_LEPAS"], "w").close()).start()
PercobaanMasuk.objects.create(username="lain", alamat="127.0.0.1")
saved = PercobaanMasuk.objects.filter(username="lain").count()
print(json.dumps({"terkunci": locked, "tersimpan": saved}))
"""


@pytest.mark.transactional
def test_a_write_during_an_imports_write_phase_waits_and_succeeds(tmp_path):
    """An import paused inside its transaction holds SQLite's write lock; a sign-in's write from
    another process meanwhile waits until the import commits, then succeeds."""
    data = tmp_path / "data"
    demo = subprocess.run(
        [sys.executable, "-m", "monev", "demo", "--tanpa-server"],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    marker = tmp_path / f"penanda-{uuid.uuid4().hex}"
    release = tmp_path / f"lepas-{uuid.uuid4().hex}"
    berkas = str(REFERENCE / "data.csv")
    importing = subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.security.kill_harness", "impor", berkas),
            *("--pd", "2.07.01", "--tahun", "2031"),
        ],
        cwd=ROOT,
        env=_env(
            data,
            MONEV_UJI_PENANDA=str(marker),
            MONEV_UJI_SQL='INSERT INTO "monev_indikator"',
            MONEV_UJI_LEPAS=str(release),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(2400):
            if marker.exists() or importing.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), importing.communicate()
        writer = subprocess.run(
            [sys.executable, "-c", WRITE],
            cwd=ROOT,
            env=_env(data, MONEV_UJI_LEPAS=str(release)),
            capture_output=True,
            text=True,
            timeout=180,
        )
        out, err = importing.communicate(timeout=180)
    finally:
        release.touch()
        if importing.poll() is None:
            importing.kill()
    assert writer.returncode == 0, writer.stderr  # not "database is locked"
    assert json.loads(writer.stdout.strip().splitlines()[-1]) == {"terkunci": True, "tersimpan": 1}
    assert importing.returncode == 0, err
    assert "Tersimpan: Renja" in out
