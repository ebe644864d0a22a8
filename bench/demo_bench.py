"""Benchmark (issue 17): how long `monev demo` takes to load its data (the reference case, the
second pemda and the province), on a fresh SQLite database each run. The migrations are not
counted (they are the same with or without the demo's data).

Median of several runs, wall clock and the loading process's CPU time (steadier on a shared
machine). Run: .venv/bin/python bench/demo_bench.py [--runs 5]
(with PYTHONPATH=<another checkout>/src it measures that checkout instead).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import json, os, time
os.environ["DJANGO_SETTINGS_MODULE"] = "monev.web.settings"
import django
django.setup()
from monev.web.demo import load_demo, prepare_database
prepare_database()
wall, cpu = time.perf_counter(), time.process_time()
load_demo()
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    walls, cpus = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="monev-demo-bench-") as tmp:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env["MONEV_DATA_DIR"] = tmp
            out = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
            )
            wall, cpu = json.loads(out.stdout.strip().splitlines()[-1])
            walls.append(wall)
            cpus.append(cpu)
    print(
        f"load_demo: median {statistics.median(walls):.2f} s wall, "
        f"{statistics.median(cpus):.2f} s CPU ({args.runs} runs)"
    )


if __name__ == "__main__":
    main()
