"""Benchmark: what a selection of the test suite costs, in wall time and in CPU (this process's
children: pytest, its xdist workers and every process the tests start), for two versions of
the code side by side in one run (the machine is shared: compare the ratios, and CPU above all).

Each version is `git archive`d into a temporary folder and run with the same interpreter and
packages (its `src` first on PYTHONPATH), alternating A, B, A, B … so that the machine's load
falls on both alike; prints the median of `--runs` runs of each, and B / A.

Run: .venv/bin/python bench/suite_cpu.py [--a main] [--b HEAD] [--runs 3] [--files 20] [-- PYTEST ARGS…]
e.g. .venv/bin/python bench/suite_cpu.py --runs 3 -- tests/web/test_trust.py tests/web/test_pages.py
(default: the fast suite, `-n 2 --dist loadfile -m "not (browser or transactional or lambat)"`).

`--files N` also prints the N test files that cost the most CPU (mean per run, each version):
this module is then loaded into pytest and its workers as a plugin (`-p suite_cpu`), which adds
up the CPU of each test (its process and the processes it waited for, module fixtures included
in a file's first test) per file. What no test pays (start-up, collection) is the rest.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The file the plugin appends "file<TAB>CPU seconds" lines to (set by `_run`).
LOG = "MONEV_SUITE_CPU_LOG"
FAST = ["-n", "2", "--dist", "loadfile", "-m", "not (browser or transactional or lambat)"]


def _checkout(ref: str, into: Path) -> Path:
    into.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_and_children_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def pytest_runtest_protocol(item: Any, nextitem: Any) -> Any:
    """(Plugin) Log the CPU of one test, its setup and teardown included, under its file."""
    before = _own_and_children_cpu()
    yield
    with open(os.environ[LOG], "a", encoding="utf-8") as log:
        log.write(f"{item.nodeid.split('::')[0]}\t{_own_and_children_cpu() - before:.3f}\n")


pytest_runtest_protocol = pytest.hookimpl(hookwrapper=True)(pytest_runtest_protocol)


def _run(tree: Path, args: list[str], name: str, log: Path | None) -> tuple[float, float, int]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "MONEV_TEST_DB_NAME": f"test_monev_bench_{name}",
    }
    plugin: list[str] = []
    if log is not None:
        env["PYTHONPATH"] += os.pathsep + str(Path(__file__).parent)
        env[LOG] = str(log)
        plugin = ["-p", "suite_cpu"]
    before_cpu, before = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin, *args],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - before, _children_cpu() - before_cpu, done.returncode


def _print_files(
    logs: dict[str, Path], runs: int, top: int, results: dict[str, list[tuple[float, float]]]
) -> None:
    per_file: dict[str, collections.Counter[str]] = {}
    for name, log in logs.items():
        spent: collections.Counter[str] = collections.Counter()
        for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
            path, seconds = line.rsplit("\t", 1)
            spent[path] += float(seconds) / runs
        per_file[name] = spent
    ranked = (per_file["a"] + per_file["b"]).most_common(top)
    print(f"CPU per file (s, mean of {runs} runs): a, b")
    for path, _ in ranked:
        print(f"  {per_file['a'][path]:7.1f} {per_file['b'][path]:7.1f}  {path}")
    for name in ("a", "b"):
        total = statistics.mean(c for _, c in results[name])
        print(f"  {name}: in tests {sum(per_file[name].values()):.1f} s of {total:.1f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default="main", help="the version compared with (git ref)")
    parser.add_argument("--b", default="HEAD", help="the version measured (git ref)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=0, help="print the N costliest files")
    parser.add_argument("pytest_args", nargs="*", help="after --: what pytest runs")
    options = parser.parse_args()
    args = options.pytest_args or FAST
    with tempfile.TemporaryDirectory(prefix="suite-cpu-") as folder:
        trees = {
            "a": _checkout(options.a, Path(folder) / "a"),
            "b": _checkout(options.b, Path(folder) / "b"),
        }
        results: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
        logs = {name: Path(folder) / f"{name}.cpu" for name in trees}
        for i in range(options.runs):
            for name, tree in trees.items():
                wall, cpu, code = _run(tree, args, name, logs[name] if options.files else None)
                results[name].append((wall, cpu))
                ref = options.a if name == "a" else options.b
                print(f"run {i + 1} {name}={ref}: wall {wall:.1f} s, CPU {cpu:.1f} s, exit {code}")
        if options.files:
            _print_files(logs, options.runs, options.files, results)
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
