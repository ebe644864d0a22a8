"""Back up and restore the whole database.

SQLite: the online backup API (a consistent copy while the application runs). PostgreSQL:
pg_dump in its custom format and pg_restore, which recreate every table, sequence and row.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in Indonesian."""


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    return env, [*args, "--dbname", str(s["NAME"])]


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise BackupError(
            f"program {tool} tidak ditemukan; pasang klien PostgreSQL (postgresql-client)"
        )
    return found


def backup(path: Path) -> None:
    """Write a backup of the whole database to `path`."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return
    if connection.vendor == "postgresql":
        env, args = _pg_env_args()
        result = subprocess.run(
            [_require("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
        return
    raise BackupError(f"basis data {connection.vendor} belum didukung")


def restore(path: Path) -> None:
    """Replace the whole database with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"berkas cadangan {path} tidak ada")
    if connection.vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path.name} bukan cadangan SQLite monev ({exc})") from exc
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path.name} bukan cadangan SQLite monev ({exc})") from exc
        finally:
            source.close()
        return
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore drops tables; this process must not hold them
        env, args = _pg_env_args()
        result = subprocess.run(
            [
                _require("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore gagal: {result.stderr.strip()}")
        return
    raise BackupError(f"basis data {connection.vendor} belum didukung")
