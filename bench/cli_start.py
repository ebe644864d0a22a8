"""Benchmark: whole-process time of the command line's sub-commands, side by side with another
checkout of monev (e.g. the previous commit), interleaved, medians of several runs (issue 17:
`monev laporan … -o x.xlsx` should not load what only a PDF needs).

Run: .venv/bin/python bench/cli_start.py --baseline /tmp/monev-lama [--runs 9]
where /tmp/monev-lama is a checkout (`git worktree add /tmp/monev-lama HEAD~1`); its `src` is put
first on PYTHONPATH, so the same interpreter and libraries run both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "referensi" / "disnaker-tangerang-2022" / "data.csv"


def timed(src: Path, argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "monev", *argv], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "laporan xlsx": ["laporan", str(REFERENCE), "-o", f"{tmp}/x.xlsx"],
            "laporan pdf": ["laporan", str(REFERENCE), "-o", f"{tmp}/x.pdf"],
            "evaluasi": ["evaluasi", str(REFERENCE), "-f", "json"],
        }
        sides = {"sekarang": ROOT / "src", "pembanding": args.baseline / "src"}
        for name, argv in cases.items():
            times: dict[str, list[float]] = {side: [] for side in sides}
            for _ in range(args.runs):
                for side, src in sides.items():  # interleaved: the machine's load hits both
                    times[side].append(timed(src, argv))
            now, base = (statistics.median(times[s]) for s in sides)
            print(
                f"{name:14} sekarang {now:.3f} s  pembanding {base:.3f} s  rasio {now / base:.2f}"
            )


if __name__ == "__main__":
    main()
