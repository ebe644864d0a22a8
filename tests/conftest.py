from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests never touch a developer's data folder; the key below signs nothing outside a test run.
os.environ.setdefault("MONEV_DATA_DIR", tempfile.mkdtemp(prefix="monev-test-"))
os.environ.setdefault("SECRET_KEY", "only-for-tests")

SHARED_REFERENCE = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "disnaker-tangerang-2022"
)


def reference_dir() -> Path:
    """Return the reference case folder: shared/ beside the clone, or MONEV_REFERENCE."""
    return Path(os.environ.get("MONEV_REFERENCE", SHARED_REFERENCE))


@pytest.fixture(scope="session")
def reference_csv() -> Path:
    path = reference_dir() / "data.csv"
    if not path.exists():
        pytest.fail(f"reference data not found at {path}; set MONEV_REFERENCE")
    return path
