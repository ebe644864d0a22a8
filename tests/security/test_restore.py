"""`monev cadangan` / `monev pulihkan` on a real database file (SQLite) and a real PostgreSQL
database: every bad backup is refused with the current data untouched; a good one comes back
table for table, and the replaced database is kept until the next successful restore."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_bersama import copy_demo

SQLITE_DB = "monev.sqlite3"


def monev(*args: str, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monev", *args],
        capture_output=True,
        text=True,
        env={
            k: v for k, v in {**os.environ, "SECRET_KEY": "k" * 60, **env}.items() if v is not None
        },
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def sqlite_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a SQLite file (the comparison of before and after)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def sqlite_run(path: Path, *statements: str) -> Path:
    """Run statements on a SQLite file and close it (an open connection would hold it)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return path


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory) -> tuple[Path, Path]:
    """A demo database (through the normal import path: the run's shared one, copied) and its
    backup, made once."""
    data = copy_demo(tmp_path_factory, tmp_path_factory.mktemp("asal") / "data")
    env = {"MONEV_DATA_DIR": str(data), "DATABASE_URL": None}
    backup = data.parent / "cadangan.sqlite3"
    ok(monev("cadangan", str(backup), env=env))
    return data / SQLITE_DB, backup


@pytest.fixture
def site(tmp_path, demo_backup) -> tuple[dict[str, str], Path, Path]:
    """A data folder of its own holding a copy of the demo database."""
    source, backup = demo_backup
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy2(source, data / SQLITE_DB)
    return {"MONEV_DATA_DIR": str(data), "DATABASE_URL": None}, data / SQLITE_DB, backup


def test_a_backup_is_readable_by_its_owner_only(demo_backup):
    _, backup = demo_backup
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_good_backup_comes_back_table_for_table_and_the_replaced_database_is_kept(site):
    env, database, backup = site
    before = sqlite_rows(backup)
    sqlite_run(database, "DELETE FROM monev_realisasik", "UPDATE monev_simpul SET nama = 'diubah'")
    changed = sqlite_rows(database)
    assert changed != before
    database.chmod(0o640)  # the server's group may read it: the restored file keeps that
    result = ok(monev("pulihkan", str(backup), "--ya", env=env))
    assert "disimpan sebagai" in result.stdout
    assert sqlite_rows(database) == before
    assert stat.S_IMODE(database.stat().st_mode) == 0o640
    kept = list(database.parent.glob("monev-sebelum-pulih-*.sqlite3"))
    assert len(kept) == 1 and sqlite_rows(kept[0]) == changed
    # The next successful restore replaces the kept copy with the newly replaced database.
    ok(monev("pulihkan", str(backup), "--ya", env=env))
    again = list(database.parent.glob("monev-sebelum-pulih-*.sqlite3"))
    assert len(again) == 1 and again != kept
    assert sqlite_rows(again[0]) == before
    assert sqlite_rows(database) == before


def _damaged_pages(backup: Path, target: Path) -> Path:
    data = bytearray(backup.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 8 * page
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset : offset + page // 2] = b"\xa5" * (page // 2)
    target.write_bytes(bytes(data))
    return target


def _unrelated(target: Path) -> Path:
    return sqlite_run(target, "CREATE TABLE x (a INTEGER)", "INSERT INTO x VALUES (1)")


def _newer(backup: Path, target: Path) -> Path:
    shutil.copy2(backup, target)
    return sqlite_run(
        target,
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('monev', '0999_masa_depan', '2030-01-01')",
    )


def _not_monev_apps(backup: Path, target: Path) -> Path:
    shutil.copy2(backup, target)
    return sqlite_run(target, "DELETE FROM django_migrations WHERE app IN ('monev', 'pemda')")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda b, t: _damaged_pages(b, t), "rusak"),
        (lambda b, t: _unrelated(t), "bukan cadangan monev: tidak ada tabel django_migrations"),
        (_newer, "lebih baru daripada yang terpasang"),
        (_not_monev_apps, "tidak memuat aplikasi monev, pemda"),
        (lambda b, t: t.write_bytes(b"bukan cadangan sama sekali" * 100) and t, "SQLite"),
        (lambda b, t: t, "tidak ada"),
    ],
    ids=[
        "halaman-rusak",
        "sqlite-lain",
        "migrasi-lebih-baru",
        "tanpa-aplikasi-monev",
        "bukan-sqlite",
        "tidak-ada",
    ],
)
def test_a_bad_backup_is_refused_and_nothing_changes(site, tmp_path, make, message):
    env, database, backup = site
    before = sqlite_rows(database)
    bad = make(backup, tmp_path / "buruk.sqlite3")
    refused(monev("pulihkan", str(bad), "--ya", env=env), message)
    assert sqlite_rows(database) == before
    assert not list(database.parent.glob("monev-sebelum-pulih-*"))
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith(".")) == []


def test_a_restore_is_refused_while_another_process_has_the_database_open(site):
    env, database, backup = site
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("UPDATE monev_simpul SET nama = 'sedang dipakai'")
        db.commit()
        db.execute("SELECT count(*) FROM monev_simpul").fetchone()
        before = sqlite_rows(database)
        refused(monev("pulihkan", str(backup), "--ya", env=env), "sedang dipakai proses lain")
    assert sqlite_rows(database) == before


# PostgreSQL ----------------------------------------------------------------------------------

POSTGRES = os.environ.get("MONEV_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def _server():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("MONEV_TEST_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES}: {exc}")


def _url(name: str) -> str:
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def pg_rows(name: str) -> dict[str, list[tuple[object, ...]]]:
    import psycopg

    with psycopg.connect(_url(name)) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


@pytest.fixture(scope="module")
def pg_site(tmp_path_factory):
    """A demo database on PostgreSQL of its own, its backup, and an unrelated archive."""
    server = _server()
    # A long name: the restore's own names must stay within PostgreSQL's 63 bytes.
    name = f"monev_pulih_{os.getpid()}_basis_data_dengan_nama_panjang"
    other = f"{name}_lain"

    def drop_all() -> None:
        for (found,) in server.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (name[:24],)
        ).fetchall():
            server.execute(f'DROP DATABASE IF EXISTS "{found}" WITH (FORCE)')

    drop_all()
    server.execute(f'CREATE DATABASE "{name}"')
    server.execute(f'CREATE DATABASE "{other}"')
    folder = tmp_path_factory.mktemp("pg")
    env = {"DATABASE_URL": _url(name), "DB_CONN_MAX_AGE": "0", "MONEV_DATA_DIR": str(folder)}
    try:
        ok(monev("demo", "--tanpa-server", env=env))
        backup = folder / "cadangan.dump"
        ok(monev("cadangan", str(backup), env=env))
        import psycopg

        with psycopg.connect(_url(other), autocommit=True) as db:
            db.execute("CREATE TABLE x (a integer)")
        unrelated = folder / "lain.dump"
        ok(monev("cadangan", str(unrelated), env={**env, "DATABASE_URL": _url(other)}))
        yield env, name, backup, unrelated, server
    finally:
        drop_all()
        server.close()


def _kept(server, name: str) -> list[str]:
    return [
        r[0]
        for r in server.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
            (f"{name[:24]}_sebelum_pulih_",),
        ).fetchall()
    ]


def test_postgres_round_trip_and_the_replaced_database_is_kept(pg_site):
    import psycopg

    env, name, backup, _, server = pg_site
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    before = pg_rows(name)
    with psycopg.connect(_url(name), autocommit=True) as db:
        db.execute("DELETE FROM monev_realisasik")
        db.execute("UPDATE monev_simpul SET nama = 'diubah'")
    changed = pg_rows(name)
    assert changed != before
    # A session left open on the current database (a server worker) is ended by the swap.
    holder = psycopg.connect(_url(name), autocommit=True)
    try:
        result = ok(monev("pulihkan", str(backup), "--ya", env=env))
    finally:
        holder.close()
    assert "disimpan sebagai" in result.stdout
    assert pg_rows(name) == before
    kept = _kept(server, name)
    assert len(kept) == 1 and pg_rows(kept[0]) == changed
    ok(monev("pulihkan", str(backup), "--ya", env=env))
    again = _kept(server, name)
    assert len(again) == 1 and again != kept and pg_rows(again[0]) == before


def _truncated(backup: Path, target: Path) -> Path:
    data = backup.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def _damaged(backup: Path, target: Path) -> Path:
    """The table of contents intact (pg_restore --list passes), the data after it damaged."""
    data = bytearray(backup.read_bytes())
    for offset in range(len(data) * 19 // 20, len(data) - 64, 97):
        data[offset : offset + 32] = b"\xa5" * 32
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda b, u, t: _truncated(b, t), "bukan arsip pg_dump yang utuh"),
        (lambda b, u, t: _damaged(b, t), "tidak dapat dipulihkan"),
        (lambda b, u, t: u, "bukan cadangan monev"),
        (lambda b, u, t: t.write_bytes(b"PGDMP bukan arsip" * 10) and t, "bukan arsip pg_dump"),
    ],
    ids=["arsip-terpotong", "arsip-rusak", "basis-data-lain", "bukan-arsip"],
)
def test_postgres_bad_archive_is_refused_and_nothing_changes(pg_site, tmp_path, make, message):
    env, name, backup, unrelated, server = pg_site
    kept = _kept(server, name)
    before = pg_rows(name)
    bad = make(backup, unrelated, tmp_path / "buruk.dump")
    refused(monev("pulihkan", str(bad), "--ya", env=env), message)
    assert pg_rows(name) == before
    assert _kept(server, name) == kept
    leftovers = server.execute(
        "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (f"{name[:24]}_pulih_",)
    ).fetchall()
    assert leftovers == []
