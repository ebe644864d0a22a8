"""Benchmark: what a selection of the test suite costs, in wall time and in CPU (this process's
children: pytest, its xdist workers and every process the tests start), for two versions of
the code side by side in one run (the machine is shared: compare the ratios, and CPU above all).

Each version is `git archive`d into a temporary folder and run with the same interpreter and
packages (its `src` first on PYTHONPATH), alternating A, B, A, B … so that the machine's load
falls on both alike; prints the median of `--runs` runs of each, and B / A.

Run: .venv/bin/python bench/suite_cpu.py [--a main] [--b HEAD] [--runs 3] [-- PYTEST ARGS…]
e.g. .venv/bin/python bench/suite_cpu.py --runs 3 -- tests/web/test_trust.py tests/web/test_pages.py
(default: the fast suite, `-n 2 --dist loadfile -m "not (browser or transactional or lambat)"`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-n", "2", "--dist", "loadfile", "-m", "not (browser or transactional or lambat)"]


def _checkout(ref: str, into: Path) -> Path:
    into.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(tree: Path, args: list[str], name: str) -> tuple[float, float, int]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "MONEV_TEST_DB_NAME": f"test_monev_bench_{name}",
    }
    before_cpu, before = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - before, _children_cpu() - before_cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default="main", help="the version compared with (git ref)")
    parser.add_argument("--b", default="HEAD", help="the version measured (git ref)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("pytest_args", nargs="*", help="after --: what pytest runs")
    options = parser.parse_args()
    args = options.pytest_args or FAST
    with tempfile.TemporaryDirectory(prefix="suite-cpu-") as folder:
        trees = {
            "a": _checkout(options.a, Path(folder) / "a"),
            "b": _checkout(options.b, Path(folder) / "b"),
        }
        results: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
        for i in range(options.runs):
            for name, tree in trees.items():
                wall, cpu, code = _run(tree, args, name)
                results[name].append((wall, cpu))
                ref = options.a if name == "a" else options.b
                print(f"run {i + 1} {name}={ref}: wall {wall:.1f} s, CPU {cpu:.1f} s, exit {code}")
    median = {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in results.items()
    }
    for name, ref in (("a", options.a), ("b", options.b)):
        wall, cpu = median[name]
        print(f"median {name}={ref}: wall {wall:.1f} s, CPU {cpu:.1f} s")
    print(
        f"b / a: wall {median['b'][0] / median['a'][0]:.2f}, "
        f"CPU {median['b'][1] / median['a'][1]:.2f}"
    )


if __name__ == "__main__":
    main()
