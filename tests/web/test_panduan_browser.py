"""The user guides' journeys (docs/panduan/) in headless Chromium on the demo data: the same
steps `scripts/tangkap_layar.py` takes to make the guides' screenshots, each asserting what the
guide says the user sees. A change of a page that breaks a guide fails here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "tangkap_layar.py"


def _script():
    spec = importlib.util.spec_from_file_location("tangkap_layar", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(transactional_db):
    from monev.web.demo import load_demo

    load_demo()


def test_every_guide_journey_runs_and_shows_every_pictured_page(
    live_server, browser, demo, tmp_path
):
    tangkap = _script()
    taken: list[str] = []

    def shot(page, name):
        tangkap.save_small(page.screenshot(), tmp_path / f"{name}.png")
        taken.append(name)

    tangkap.run_journey(browser, live_server.url, shot)

    pictured = sorted(p.stem for p in (SCRIPT.parents[1] / "docs" / "gambar").glob("*.png"))
    assert sorted(taken) == pictured  # every picture of the guides comes from a journey step
    assert all((tmp_path / f"{name}.png").stat().st_size < 120_000 for name in taken)
