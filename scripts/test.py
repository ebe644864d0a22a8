"""Run every check of the project: lint, format, types, and the test suite on SQLite and,
when a PostgreSQL server is given, on PostgreSQL too.

    .venv/bin/python scripts/test.py            # what the README's test command runs
    MONEV_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python scripts/test.py

Browser tests run when Chromium is installed (/usr/bin/chromium), else they are skipped with a
reason; CI (.ci/run) installs it and sets MONEV_REQUIRE_BROWSER=1 so that a skip fails instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
#: The test folders that use the database, run again on PostgreSQL.
DATABASE_TESTS = ("web", "security")


def step(title: str, *command: str, env: dict[str, str] | None = None) -> None:
    print(f"\n=== {title}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    environment = {**os.environ, **(env or {})}
    # Compiled modules are kept (in __pycache__ beside the sources, which git ignores): the tests
    # start `monev` in some thirty processes, and with PYTHONDONTWRITEBYTECODE set each compiled
    # every module of monev again (the main SQLite run: 117 s -> 105 s, 209 -> 187 s of CPU).
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(command, cwd=ROOT, env=environment)
    if result.returncode != 0:
        print(f"=== {title}: GAGAL (exit {result.returncode})", flush=True)
        sys.exit(result.returncode)
    print(f"=== {title}: lulus ({time.monotonic() - started:.1f} s)", flush=True)


def drop_test_databases(url: str, name: str) -> None:
    """Drop this run's test databases (and the workers' copies): a live server's thread may
    still hold a session when pytest-django tears them down, which then leaves them behind."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            (name, f"{name}\\_%"),
        ).fetchall()
        for (found,) in rows:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(found))
            )


def main() -> None:
    step("ruff check", PY, "-m", "ruff", "check", "src", "tests", "bench", "scripts")
    step("ruff format", PY, "-m", "ruff", "format", "--check", "src", "tests", "bench", "scripts")
    step("mypy", PY, "-m", "mypy")
    # Browser and transactional tests commit to the database and empty the tables the other
    # tests share at their end: they run on their own; so do the slow ones (OCR), so that the
    # main run stays about a minute.
    apart = "browser or transactional or lambat"
    parallel = ["-n", "2", "--dist", "loadfile"]
    step("pytest (SQLite)", PY, "-m", "pytest", *parallel, "-m", f"not ({apart})")
    step("pytest terpisah (SQLite)", PY, "-m", "pytest", "-m", apart)
    postgres = os.environ.get("MONEV_TEST_POSTGRES")
    if postgres:
        env = {
            "DATABASE_URL": postgres,
            "DB_CONN_MAX_AGE": "0",
            "MONEV_TEST_DB_NAME": f"test_monev_{os.getpid()}",
        }
        # The tests that use the database (the pure engine and formats run once, above).
        web = [str(ROOT / "tests" / d) for d in DATABASE_TESTS]
        try:
            step(
                "pytest (PostgreSQL)",
                PY,
                "-m",
                "pytest",
                *web,
                *parallel,
                "-m",
                f"not ({apart})",
                env=env,
            )
            step("pytest terpisah (PostgreSQL)", PY, "-m", "pytest", *web, "-m", apart, env=env)
        finally:
            drop_test_databases(postgres, env["MONEV_TEST_DB_NAME"])
    else:
        print("\n(MONEV_TEST_POSTGRES tidak diisi: suite PostgreSQL dilewati)")


if __name__ == "__main__":
    main()
