"""Benchmark: `monev evaluasi` on a generated file of 30 000 lines, whole process (issue 2).

Run: .venv/bin/python bench/evaluasi_30k.py [--runs 5]
Prints each run and the median wall time of the whole process, for every output format, and the
median CPU time (user + system), which the other work of a busy machine disturbs less.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = 30_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    monev = str(Path(sys.executable).with_name("monev"))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "besar.csv"
        asked = LINES
        while True:  # the generator's tree shape gives about the number asked; top it up
            subprocess.run(
                [monev, "data-sintetis", str(data), "--baris", str(asked)],
                check=True,
                capture_output=True,
            )
            with data.open(encoding="utf-8") as handle:
                count = sum(1 for _ in csv.reader(handle)) - 1
            if count >= LINES:
                break
            asked += LINES - count + 100
        print(f"{count} baris indikator di {data.name}")
        for fmt in ("teks", "json", "csv"):
            times = []
            cpu = []
            for _ in range(args.runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(
                    [monev, "evaluasi", str(data), "--format", fmt],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            shown = ", ".join(f"{t:.2f}" for t in times)
            print(
                f"--format {fmt}: median {statistics.median(times):.2f} s ({shown}); "
                f"CPU median {statistics.median(cpu):.2f} s"
            )


if __name__ == "__main__":
    main()
