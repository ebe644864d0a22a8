"""Production refuses weak settings, each with a message that says what to change; the same
values are accepted outside production (a developer's machine)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

STRONG = secrets.token_urlsafe(60)
PRODUCTION = {
    "MONEV_PRODUKSI": "1",
    "SECRET_KEY": STRONG,
    "ALLOWED_HOSTS": "monev.contoh.go.id",
    "DATABASE_URL": "postgres://monev:sandi@127.0.0.1:5432/monev",
    "DEBUG": "0",
    "MONEV_SQLITE_PRODUKSI": None,
}


def check(tmp_path, **change: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION, "MONEV_DATA_DIR": str(tmp_path), **change}
    return subprocess.run(
        [sys.executable, "-m", "monev", "kelola", "check"],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if v is not None},
        timeout=60,
    )


def test_strong_production_settings_start(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "SQLite" not in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": "abc"}, "SECRET_KEY terlalu lemah untuk produksi (3 karakter"),
        (
            {"SECRET_KEY": "ab" * 30},
            "SECRET_KEY terlalu lemah untuk produksi (60 karakter, 2 berbeda)",
        ),
        ({"SECRET_KEY": STRONG[:49]}, "paling sedikit 50 karakter"),
        ({"SECRET_KEY": "django-insecure-" + STRONG}, "kunci pengembangan Django"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS tidak boleh '*'"),
        ({"ALLOWED_HOSTS": "monev.contoh.go.id, *"}, "ALLOWED_HOSTS tidak boleh '*'"),
        ({"DATABASE_URL": None}, "DATABASE_URL wajib diisi di lingkungan produksi"),
        ({"DATABASE_URL": ""}, "DATABASE_URL wajib diisi di lingkungan produksi"),
        ({"DATABASE_URL": "sqlite:////tmp/monev.sqlite3"}, "MONEV_SQLITE_PRODUKSI=1"),
        ({"DATABASE_URL": "bukan-url"}, "DATABASE_URL tidak sah"),
    ],
    ids=[
        "kunci-pendek",
        "kunci-sedikit-karakter",
        "kunci-49",
        "kunci-django-insecure",
        "host-bintang",
        "host-bintang-di-daftar",
        "tanpa-database-url",
        "database-url-kosong",
        "sqlite-tanpa-izin",
        "database-url-rusak",
    ],
)
def test_production_refuses_weak_settings(tmp_path, change, message):
    result = check(tmp_path, **change)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_sqlite_in_production_only_when_asked_and_said_at_start(tmp_path):
    result = check(tmp_path, DATABASE_URL=None, MONEV_SQLITE_PRODUKSI="1")
    assert result.returncode == 0, result.stderr
    assert "produksi memakai SQLite" in result.stderr
    assert str(tmp_path / "monev.sqlite3") in result.stderr


def test_outside_production_a_short_key_and_no_database_url_are_fine(tmp_path):
    result = check(
        tmp_path, MONEV_PRODUKSI=None, SECRET_KEY="abc", DATABASE_URL="", ALLOWED_HOSTS=None
    )
    assert result.returncode == 0, result.stderr
