"""Benchmark: what `monev.core.frozen` buys, and this branch against main, side by side (issue 12).

Run: .venv/bin/python bench/frozen_ab.py [--runs 5] [--main /work/main/.venv/bin/monev]

`monev evaluasi` on a generated file of 30 000 lines, whole process, runs interleaved so that the
load of a busy machine falls on every variant alike:

- `cabang`: this checkout as installed (`python -m monev` of this venv);
- `tanpa-frozen`: a temporary copy of this checkout's package whose `builder` returns the class
  itself, so every object is built by the plain `@dataclass(frozen=True, slots=True)` constructor;
- `main`: the main worktree's installed `monev` (left out if the path does not exist), or with
  `--main-src DIR` the package in DIR/monev run by this venv's Python (e.g. an older commit
  unpacked with `git archive <commit> src | tar -x -C DIR/..`).

Prints the median wall and CPU (user + system) time of each and the ratios.
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

LINES = 30_000
PLAIN_BUILDER = """

def builder(cls: type[_T]) -> type[_T]:  # bench/frozen_ab.py: the plain constructor
    return cls
"""


def _data(monev: str, path: Path) -> int:
    asked = LINES
    while True:  # the generator's tree shape gives about the number asked; top it up
        subprocess.run(
            [monev, "data-sintetis", str(path), "--baris", str(asked)],
            check=True,
            capture_output=True,
        )
        with path.open(encoding="utf-8") as handle:
            count = sum(1 for _ in csv.reader(handle)) - 1
        if count >= LINES:
            return count
        asked += LINES - count + 100


def _without_frozen(tmp: Path) -> Path:
    """Return a PYTHONPATH holding a copy of the package with the plain `builder`."""
    import monev

    root = tmp / "tanpa-frozen"
    shutil.copytree(Path(monev.__file__).parent, root / "monev")
    frozen = root / "monev" / "core" / "frozen.py"
    text = frozen.read_text(encoding="utf-8")
    head = text[: text.index("def builder(")]
    frozen.write_text(head + PLAIN_BUILDER, encoding="utf-8")
    return root


def _run(command: list[str], env: dict[str, str] | None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--main", default="/work/main/.venv/bin/monev")
    parser.add_argument("--main-src", help="a folder holding another checkout's monev package")
    parser.add_argument("--format", default="json", choices=["teks", "json", "csv"])
    args = parser.parse_args()
    monev = str(Path(sys.executable).with_name("monev"))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "besar.csv"
        count = _data(monev, data)
        print(f"{count} baris indikator, --format {args.format}, {args.runs} putaran")
        plain_env = {**os.environ, "PYTHONPATH": str(_without_frozen(tmp))}
        evaluasi = ["evaluasi", str(data), "--format", args.format]
        variants: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "cabang": ([sys.executable, "-m", "monev", *evaluasi], None),
            "tanpa-frozen": ([sys.executable, "-m", "monev", *evaluasi], plain_env),
        }
        if args.main_src:
            main_env = {**os.environ, "PYTHONPATH": str(Path(args.main_src).resolve())}
            variants["main"] = ([sys.executable, "-m", "monev", *evaluasi], main_env)
        elif Path(args.main).exists():
            variants["main"] = ([args.main, *evaluasi], None)
        for command, env in variants.values():  # warm up: byte-compile, fill the file cache
            _run(command, env)
        wall: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(args.runs):
            for name, (command, env) in variants.items():
                w, c = _run(command, env)
                wall[name].append(w)
                cpu[name].append(c)
        medians = {name: statistics.median(times) for name, times in wall.items()}
        cpu_medians = {name: statistics.median(times) for name, times in cpu.items()}
        for name in variants:
            shown = ", ".join(f"{t:.2f}" for t in wall[name])
            print(
                f"{name:>13}: median {medians[name]:.2f} s ({shown}); "
                f"CPU median {cpu_medians[name]:.2f} s"
            )
        base = medians["cabang"]
        print(
            f"tanpa-frozen / cabang: {medians['tanpa-frozen'] / base:.3f} "
            f"(CPU {cpu_medians['tanpa-frozen'] / cpu_medians['cabang']:.3f})"
        )
        if "main" in medians:
            print(
                f"cabang / main: {base / medians['main']:.3f} "
                f"(CPU {cpu_medians['cabang'] / cpu_medians['main']:.3f})"
            )


if __name__ == "__main__":
    main()
