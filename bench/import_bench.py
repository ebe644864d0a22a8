"""Benchmark: `monev impor` of generated plans (30 000 and 100 000 indicator lines by default),
whole process, on SQLite and on PostgreSQL, side by side with another checkout of monev (issue 17:
the import writes >= 5 000 lines/s). Each run imports into a fresh copy of a database that holds
only the demo, made once per side and database (PostgreSQL: CREATE DATABASE … TEMPLATE; SQLite:
a file copy), the sides interleaved so that the machine's load hits both alike.

Run: .venv/bin/python bench/import_bench.py --baseline /work/main [--runs 3]
     [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--baris 30000 100000]
The baseline's `src` is put first on PYTHONPATH, so the same interpreter and libraries run both.
Prints per database, size and side the median wall time, lines per second, the median CPU time
of the `monev impor` process (the database server's own CPU is not in it), and the ratio of the
baseline's median to this checkout's.

Measured 2026-12-01 14:18-15:05 against /work/main, 3 runs each, on the shared 2-core machine at
load 11-18 (wall times are mostly waiting for a CPU; the CPU column is the import process only):
  SQLite      30 210 lines: 25.3 s vs 39.2 s (1.55x), CPU 6.21 s vs 6.10 s
  SQLite      98 369 lines: 114.0 s vs 118.0 s (1.03x), CPU 16.1 s vs 17.5 s (1.08x)
  PostgreSQL  30 210 lines: 56.1 s vs 42.0 s (0.75x), CPU 4.94 s vs 5.39 s (1.09x)
  PostgreSQL  98 369 lines: 168.6 s vs 221.5 s (1.31x), CPU 15.4 s vs 15.8 s (1.02x)
The database server's CPU, read from /proc for the import's own backend (in-process, 30 210
lines, two runs each): 2.97 / 3.79 s against 4.45 / 3.67 s on main.

After the branch `impor` (no cyclic collector during the command, the summary's evaluation
beside the write, COPY text lines built in bulk), against /work/main at f32b668, 3 runs each,
30 210 lines, on the shared 2-core machine (load in brackets; wall times mostly wait for a CPU):
  PostgreSQL: median 47.62 s vs 63.08 s (1.32x), CPU 6.43 s vs 8.42 s (1.31x) [12.4, 12.1, 9.9]
  SQLite:     median 23.68 s vs 29.36 s (1.24x), CPU 7.15 s vs 9.51 s (1.33x) [7.7, 9.6, 9.8]
An earlier PostgreSQL run of the first two of those changes: 1.22x wall, 1.21x CPU [6.6].

2026-12-01 (a faster machine whose speed swings by ~1.5x within minutes), 30 210 lines:
  quiet, against f32b668, 3 runs:  3.77 s (8 013 lines/s) vs 4.72 s (6 400); 98 369 lines:
                                   10.82 s (9 087 lines/s) vs 12.76 s (7 707)
  slow phase, web 0016 (no key checks of the realisation rows at commit) against the commit
  before it, 5 runs: 5.21 s (5 794 lines/s) vs 5.96 s (5 067), 1.14x [load 1.1]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def monev(src: Path, env: dict[str, str], *argv: str) -> tuple[float, float]:
    """Run monev; return its wall time and CPU time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "monev", *argv],
        env={**os.environ, **env, "PYTHONPATH": str(src)},
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _pg(postgres: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]  # names made by this script


def _env(tmp: Path, postgres: str | None, name: str) -> dict[str, str]:
    env = {"MONEV_DATA_DIR": str(tmp / name)}
    if postgres:
        env["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/" + name
    return env


def template(src: Path, tmp: Path, postgres: str | None, name: str) -> None:
    """Make the demo database `name` with the code in `src`."""
    if postgres:
        _pg(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg(postgres, f'CREATE DATABASE "{name}"')
    monev(src, _env(tmp, postgres, name), "demo", "--tanpa-server")


def fresh_copy(tmp: Path, postgres: str | None, name: str, copy: str) -> dict[str, str]:
    if postgres:
        _pg(postgres, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        _pg(postgres, f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    else:
        shutil.rmtree(tmp / copy, ignore_errors=True)
        shutil.copytree(tmp / name, tmp / copy)  # the database with its key and uploads
    return _env(tmp, postgres, copy)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--baris", type=int, nargs="+", default=[30_000, 100_000])
    parser.add_argument("--hanya-postgres", action="store_true", help="SQLite tidak diukur")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        files: dict[int, tuple[Path, int]] = {}
        for size in args.baris:
            data = tmp / f"besar_{size}.csv"
            monev(ROOT / "src", {}, "data-sintetis", str(data), "--baris", str(size + 1000))
            with data.open(encoding="utf-8") as handle:
                files[size] = data, sum(1 for _ in csv.reader(handle)) - 1
        sides = {"sekarang": ROOT / "src", "pembanding": args.baseline / "src"}
        databases: dict[str, str | None] = {} if args.hanya_postgres else {"SQLite": None}
        if args.postgres:
            databases["PostgreSQL"] = args.postgres
        made: list[str] = []
        for db_name, postgres in databases.items():
            for side, src in sides.items():
                template(src, tmp, postgres, f"bench_impor_{os.getpid()}_{side}")
                made.append(f"bench_impor_{os.getpid()}_{side}")
            for data, lines in files.values():
                wall: dict[str, list[float]] = {side: [] for side in sides}
                cpu: dict[str, list[float]] = {side: [] for side in sides}
                for _run in range(args.runs):
                    for side, src in sides.items():
                        copy = f"bench_impor_{os.getpid()}_{side}_salinan"
                        made.append(copy)
                        env = fresh_copy(tmp, postgres, f"bench_impor_{os.getpid()}_{side}", copy)
                        w, c = monev(
                            src, env, "impor", str(data), "--pd", "2.16.01", "--tahun", "2030"
                        )
                        wall[side].append(w)
                        cpu[side].append(c)
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                for side in sides:
                    median = statistics.median(wall[side])
                    print(
                        f"{db_name:10} {lines:>7} baris {side:10}: median {median:6.2f} s "
                        f"({lines / median:6,.0f} baris/detik), CPU proses {statistics.median(cpu[side]):6.2f} s"
                        f"; {', '.join(f'{t:.2f}' for t in wall[side])}",
                        flush=True,
                    )
                ratio = statistics.median(wall["pembanding"]) / statistics.median(wall["sekarang"])
                ratio_cpu = statistics.median(cpu["pembanding"]) / statistics.median(
                    cpu["sekarang"]
                )
                print(
                    f"{'':10} {lines:>7} baris pembanding/sekarang: waktu {ratio:.2f}×, CPU {ratio_cpu:.2f}×"
                    f" (beban mesin 1/5/15 menit: {load})",
                    flush=True,
                )
            if postgres:
                for database in set(made):
                    _pg(postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            made.clear()


if __name__ == "__main__":
    main()
