"""Benchmark: whole-process time of the command line's sub-commands, side by side with another
checkout of monev (e.g. the previous commit), interleaved, medians of several runs (issue 17:
`monev laporan … -o x.xlsx` should not load what only a PDF needs), and which of the heavy
libraries (Django, ReportLab, pdfplumber, openpyxl, …) each sub-command loads.

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


HEAVY = ("django", "reportlab", "pdfplumber", "pdfminer", "pypdfium2", "openpyxl", "PIL", "numpy")
#: Runs monev as `python -m monev` does and names the heavy libraries loaded when it ends
#: (`monev evaluasi` ends with os._exit, so the list is written by an audit hook instead).
LOADED = """
import runpy, sys
HEAVY = {heavy!r}
seen = set()
def hook(event, args):
    if event == "import" and args[0].split(".")[0] in HEAVY:
        seen.add(args[0].split(".")[0])
sys.addaudithook(hook)
import atexit, os
_exit = os._exit
def report(code=0):
    sys.stderr.write("DIMUAT " + " ".join(sorted(seen)) + "\\n")
    sys.stderr.flush()
    _exit(code)
os._exit = report
atexit.register(lambda: sys.stderr.write("DIMUAT " + " ".join(sorted(seen)) + "\\n"))
sys.argv = ["monev", *{argv!r}]
runpy.run_module("monev", run_name="__main__")
"""


def loaded(argv: list[str]) -> str:
    code = LOADED.format(heavy=HEAVY, argv=argv)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = [line for line in out.stderr.splitlines() if line.startswith("DIMUAT")]
    return lines[-1].removeprefix("DIMUAT").strip() or "-" if lines else "?"


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
            "periksa": ["periksa", str(REFERENCE)],
        }
        for name, argv in cases.items():
            print(f"{name:14} memuat: {loaded(argv)}")
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
