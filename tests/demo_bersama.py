"""One demo data folder (`monev demo --tanpa-server` on SQLite, run for real in its own process)
for the whole test run, shared by the pytest-xdist workers: the tests that run `monev` in other
processes copy it instead of each building their own (a build is ~7 s of CPU: the migrations, the
imports, and seven passwords hashed with the production hasher)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MONEV_PRODUKSI")}
    return {**env, "MONEV_DATA_DIR": str(data)}


def shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the run's demo data folder, building it at the first call (under a lock, so that
    two workers never build it twice). Copy it (`copy_demo`); never write into it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder every worker of this run shares
    data, ready = root / "demo-bersama", root / "demo-bersama.siap"
    with open(root / "demo-bersama.kunci", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            shutil.rmtree(data, ignore_errors=True)
            result = subprocess.run(
                [sys.executable, "-m", "monev", "demo", "--tanpa-server"],
                env=_env(data),
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            ready.touch()
    return data


def copy_demo(tmp_path_factory: pytest.TempPathFactory, target: Path) -> Path:
    """Copy the run's demo data folder to `target` (which must not exist) and return it."""
    shutil.copytree(shared_demo(tmp_path_factory), target)
    return target
