"""Benchmark: `monev impor` of a generated plan of 30 000 indicator lines, whole process, on
SQLite and on PostgreSQL, side by side with another checkout of monev (issue 17: the import
writes in bulk). Each run imports into a database that holds only the demo.

Run: .venv/bin/python bench/import_bench.py --baseline /tmp/monev-lama [--runs 3]
     [--postgres postgres://postgres@127.0.0.1:5432/postgres]
The baseline's `src` is put first on PYTHONPATH, so the same interpreter and libraries run both.
Prints the median wall time and indicator lines per second of each side.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINES = 30_000


def monev(src: Path, env: dict[str, str], *argv: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "monev", *argv],
        env={**os.environ, **env, "PYTHONPATH": str(src)},
        check=True,
        capture_output=True,
    )


def fresh_database(src: Path, tmp: Path, postgres: str | None, name: str) -> dict[str, str]:
    env = {"MONEV_DATA_DIR": str(tmp / name)}
    if postgres:
        import psycopg
        from psycopg import sql

        with psycopg.connect(postgres, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/" + name
    monev(src, env, "demo", "--tanpa-server")
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = tmp / "besar.csv"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "monev",
                "data-sintetis",
                str(data),
                "--baris",
                str(LINES + 1000),
            ],
            check=True,
            capture_output=True,
        )
        with data.open(encoding="utf-8") as handle:
            lines = sum(1 for _ in csv.reader(handle)) - 1
        sides = {"sekarang": ROOT / "src", "pembanding": args.baseline / "src"}
        databases = {"SQLite": None, **({"PostgreSQL": args.postgres} if args.postgres else {})}
        for db_name, postgres in databases.items():
            times: dict[str, list[float]] = {side: [] for side in sides}
            for run in range(args.runs):
                for side, src in sides.items():  # interleaved: the machine's load hits both
                    env = fresh_database(src, tmp, postgres, f"bench_impor_{side}_{run}")
                    started = time.perf_counter()
                    monev(src, env, "impor", str(data), "--pd", "2.16.01", "--tahun", "2030")
                    times[side].append(time.perf_counter() - started)
            for side in sides:
                median = statistics.median(times[side])
                print(
                    f"{db_name:10} {side:10} {lines} baris: median {median:.2f} s "
                    f"({lines / median:,.0f} baris/detik; {', '.join(f'{t:.2f}' for t in times[side])})"
                )
        if args.postgres:
            import psycopg
            from psycopg import sql

            with psycopg.connect(args.postgres, autocommit=True) as connection:
                for side in sides:
                    for run in range(args.runs):
                        connection.execute(
                            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                                sql.Identifier(f"bench_impor_{side}_{run}")
                            )
                        )


if __name__ == "__main__":
    main()
