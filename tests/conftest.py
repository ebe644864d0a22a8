from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Tests never touch a developer's data folder; the key below signs nothing outside a test run.
os.environ.setdefault("MONEV_DATA_DIR", tempfile.mkdtemp(prefix="monev-test-"))
os.environ.setdefault("SECRET_KEY", "only-for-tests")
# The servers some tests start (runserver) load monev.web.wsgi, which turns the background
# refresh of stored figures on; a test decides when rows are refreshed.
os.environ.setdefault("MONEV_ANGKA_LATAR", "0")

#: The reference case, carried by the repository (docs/referensi/README.md names its source).
REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "referensi" / "disnaker-tangerang-2022"


def pytest_configure(config):
    """Hash passwords with MD5 in this process: the production hasher (PBKDF2, 10⁶ rounds) costs
    ~0,3 s of CPU per password, paid by every demo account at every worker's database setup and
    by every sign-in a test makes. Processes the tests start (`monev …`, the servers of the
    security tests) keep the production hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _import_jobs_run_in_the_request(settings):
    """An import job runs inside the request that queued it: a test starts no process."""
    settings.MONEV_IMPOR_LATAR = "langsung"


def reference_dir() -> Path:
    """Return the reference case folder of the repository."""
    return REFERENCE


@pytest.fixture(scope="session")
def reference_csv() -> Path:
    path = reference_dir() / "data.csv"
    if not path.exists():
        pytest.fail(f"reference data not found at {path}")
    return path
