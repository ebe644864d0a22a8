"""Back up and restore the whole database.

SQLite: the online backup API (a consistent copy while the application runs). PostgreSQL:
pg_dump in its custom format and pg_restore.

A restore never touches the current database until the backup has been restored somewhere else
and checked: the file (or archive) must be intact, hold a monev database (django_migrations
lists monev's apps) and no migration unknown to the installed code (a backup of a newer monev).
Only then is the current database swapped for the restored copy (an atomic rename of the file,
or a rename of the two PostgreSQL databases in one transaction), and the replaced one is kept
under a dated name until the next successful restore. Backups hold password hashes and sessions:
they are written readable by their owner only (0600).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

#: Django app labels of monev: a backup without them is not a monev database.
MONEV_APPS = ("monev", "pemda")
#: Marks the database kept by a restore: <name>-sebelum-pulih-<waktu> (SQLite) or
#: <name>_sebelum_pulih_<waktu> (PostgreSQL).
KEPT_SQLITE = "-sebelum-pulih-"
KEPT_POSTGRES = "_sebelum_pulih_"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in Indonesian."""


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise BackupError(
            f"program {tool} tidak ditemukan; pasang klien PostgreSQL (postgresql-client)"
        )
    return found


def _private_file(path: Path) -> None:
    """Create (or empty) `path` readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)


def _check_migrations(applied: list[tuple[str, str]], name: str) -> None:
    """Refuse a database that is not monev's or that comes from a newer monev."""
    from django.db.migrations.loader import MigrationLoader

    present = {app for app, _ in applied}
    missing = [app for app in MONEV_APPS if app not in present]
    if missing:
        raise BackupError(
            f"{name} bukan cadangan monev: tabel django_migrations tidak memuat aplikasi "
            f"{', '.join(missing)}"
        )
    known = {key for key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    installed = {app for app, _ in known}
    unknown = sorted(
        f"{app}.{migration}"
        for app, migration in applied
        if app in installed and (app, migration) not in known
    )
    if unknown:
        raise BackupError(
            f"{name} berasal dari monev yang lebih baru daripada yang terpasang (migrasi tidak "
            f"dikenal: {', '.join(unknown)}); perbarui monev dulu, lalu pulihkan lagi"
        )


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_check(path: Path, name: str) -> None:
    """Refuse a file that is not an intact SQLite database of monev."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{name} tidak dapat dibuka sebagai basis data SQLite ({exc})") from exc
    try:
        try:
            problems = [row[0] for row in source.execute("PRAGMA integrity_check(20)")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                f"{name} rusak: bukan basis data SQLite yang utuh ({exc}); tidak ada yang diubah"
            ) from exc
        if problems != ["ok"]:
            raise BackupError(
                f"{name} rusak: pemeriksaan integritas SQLite menemukan masalah "
                f"({'; '.join(problems[:3])}); tidak ada yang diubah"
            )
        tables = {
            row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "django_migrations" not in tables:
            raise BackupError(
                f"{name} bukan cadangan monev: tidak ada tabel django_migrations "
                f"(tabelnya: {', '.join(sorted(tables)[:5]) or 'tidak ada'})"
            )
        applied = list(source.execute("SELECT app, name FROM django_migrations"))
    finally:
        source.close()
    _check_migrations(applied, name)


def _sqlite_path() -> Path:
    if connection.is_in_memory_db():
        raise BackupError("basis data SQLite di memori tidak dapat dipulihkan")
    return Path(str(connection.settings_dict["NAME"])).resolve()


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    partial = path.with_name(f".{path.name}.{_stamp()}.sebagian")
    _private_file(partial)
    try:
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
            # A backup is one self-contained file, never a WAL database with a side file.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_restore(path: Path) -> str:
    database = _sqlite_path()
    _sqlite_check(path, path.name)
    stamp = _stamp()
    fresh = database.with_name(f".{database.name}.pulih-{stamp}")
    kept = database.with_name(f"{database.stem}{KEPT_SQLITE}{stamp}{database.suffix}")
    try:
        _private_file(fresh)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(fresh)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                f"{path.name} tidak dapat disalin ({exc}); tidak ada yang diubah"
            ) from exc
        finally:
            target.close()
            source.close()
        _sqlite_check(fresh, f"salinan {path.name}")
        _same_owner_and_mode(fresh, database)
        connection.close()
        if database.exists():
            _sqlite_quiesce(database)
            # A second name for the current file: it stays as it is while the new one takes
            # its name in one rename, so there is no moment without a database.
            try:
                os.link(database, kept)
            except OSError:
                shutil.copy2(database, kept)
            kept.chmod(0o600)
        os.replace(fresh, database)
    finally:
        fresh.unlink(missing_ok=True)
    for older in database.parent.glob(f"{database.stem}{KEPT_SQLITE}*{database.suffix}"):
        if older != kept:
            older.unlink(missing_ok=True)
    return str(kept) if kept.exists() else ""


def _same_owner_and_mode(fresh: Path, database: Path) -> None:
    """Give the restored file the current one's owner and mode: a restore run as root must not
    leave a database the server's own user cannot open."""
    if not database.exists():
        return
    current = database.stat()
    if hasattr(os, "chown") and (current.st_uid, current.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(fresh, current.st_uid, current.st_gid)
        except PermissionError as exc:
            raise BackupError(
                f"{database.name} milik pengguna lain; jalankan pemulihan sebagai pemiliknya "
                "(atau root); tidak ada yang diubah"
            ) from exc
    fresh.chmod(stat.S_IMODE(current.st_mode))


def _sqlite_quiesce(database: Path) -> None:
    """Fold the write-ahead log into the file and refuse while another process has it open
    (a running server would keep writing to the replaced file)."""
    try:
        current = sqlite3.connect(database, timeout=2)
        try:
            current.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = current.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            current.close()
    except sqlite3.OperationalError as exc:
        mode = str(exc)
    if mode != "delete":
        raise BackupError(
            f"basis data {database.name} sedang dipakai proses lain; hentikan server monev "
            "dulu, lalu pulihkan lagi (tidak ada yang diubah)"
        )


# PostgreSQL -----------------------------------------------------------------------------------


def _pg_settings() -> tuple[dict[str, str], list[str], dict[str, Any]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    params = {
        key: str(s[option])
        for key, option in (
            ("host", "HOST"),
            ("port", "PORT"),
            ("user", "USER"),
            ("password", "PASSWORD"),
        )
        if s.get(option)
    }
    return env, args, params


@contextlib.contextmanager
def _pg_connect(dbname: str) -> Iterator[Any]:
    import psycopg

    _, _, params = _pg_settings()
    with psycopg.connect(dbname=dbname, autocommit=True, **params) as conn:
        yield conn


def _pg_backup(path: Path) -> None:
    env, args, _ = _pg_settings()
    partial = path.with_name(f".{path.name}.{_stamp()}.sebagian")
    _private_file(partial)
    try:
        result = subprocess.run(
            [
                _require("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(partial),
                *args,
                "--dbname",
                str(connection.settings_dict["NAME"]),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
        partial.chmod(0o600)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _pg_restore(path: Path) -> str:
    from psycopg import sql

    env, args, _ = _pg_settings()
    tool = _require("pg_restore")
    listing = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(
            f"{path.name} bukan arsip pg_dump yang utuh ({listing.stderr.strip()}); "
            "tidak ada yang diubah"
        )
    name = str(connection.settings_dict["NAME"])
    stamp = _stamp().replace("-", "_")
    # PostgreSQL cuts names at 63 bytes without an error: keep them whole (24 + 15 + 22), or
    # the kept database would not match the name the clean-up spares.
    base = name.encode()[:24].decode(errors="ignore")
    fresh = f"{base}_pulih_{stamp}"
    kept = f"{base}{KEPT_POSTGRES}{stamp}"
    connection.close()
    with _pg_connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        result = subprocess.run(
            [
                *(tool, "--no-owner", "--exit-on-error", "--single-transaction", *args),
                *("--dbname", fresh, str(path)),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(
                f"{path.name} tidak dapat dipulihkan ({result.stderr.strip()[:500]}); "
                "tidak ada yang diubah"
            )
        with _pg_connect(fresh) as restored:
            found = restored.execute("SELECT to_regclass('django_migrations')").fetchone()
            if found is None or found[0] is None:
                raise BackupError(
                    f"{path.name} bukan cadangan monev: tidak ada tabel django_migrations"
                )
            applied = [
                tuple(r) for r in restored.execute("SELECT app, name FROM django_migrations")
            ]
        _check_migrations(applied, path.name)
        _pg_swap(name, fresh, kept)
    except BaseException:
        with _pg_connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh))
            )
        raise
    with _pg_connect("postgres") as admin:
        rows = admin.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s",
            (f"{base}{KEPT_POSTGRES}", kept),
        ).fetchall()
        for (older,) in rows:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(older))
            )
    return kept


def _pg_swap(name: str, fresh: str, kept: str) -> None:
    """Give the restored database the current one's name: no new session may open the current
    one, the others are ended, then both renames happen in one transaction."""
    from psycopg import sql

    current = sql.Identifier(name)
    with _pg_connect("postgres") as admin:
        admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(current))
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            with admin.transaction():
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(current, sql.Identifier(kept))
                )
                admin.execute(
                    sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(fresh), current)
                )
        except Exception as exc:
            admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(current))
            raise BackupError(
                f"basis data {name} tidak dapat diganti ({exc}); tidak ada yang diubah"
            ) from exc
        admin.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(sql.Identifier(kept))
        )


# Entry points ---------------------------------------------------------------------------------


def backup(path: Path) -> None:
    """Write a backup of the whole database to `path` (0600; complete or not there at all)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        return _sqlite_backup(path)
    if connection.vendor == "postgresql":
        return _pg_backup(path)
    raise BackupError(f"basis data {connection.vendor} belum didukung")


def restore(path: Path) -> str:
    """Replace the whole database with the backup at `path`, after checking it; return the
    name under which the replaced database is kept (until the next successful restore)."""
    if not path.is_file():
        raise BackupError(f"berkas cadangan {path} tidak ada")
    if connection.vendor == "sqlite":
        return _sqlite_restore(path.resolve())
    if connection.vendor == "postgresql":
        return _pg_restore(path.resolve())
    raise BackupError(f"basis data {connection.vendor} belum didukung")
