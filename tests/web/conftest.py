from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo (the reference case and the fixed cast of users) once for the session."""
    from monev.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {u.username: u for u in User.objects.select_related("profil")}


@pytest.fixture
def disnaker(db):
    from monev.web.models import Renja

    return Renja.objects.select_related("perangkat_daerah").get(
        perangkat_daerah__kode="2.07.01", tahun=2022
    )


@pytest.fixture
def contoh(db):
    from monev.web.models import Renja

    return Renja.objects.select_related("perangkat_daerah").get(
        perangkat_daerah__kode="2.16.01", tahun=2022
    )


@pytest.fixture
def client_for(client, users):
    """Return a test client signed in as the named demo user."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(users[username])
        return c

    return make


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright (skipped where it is not installed, unless
    MONEV_REQUIRE_BROWSER says it must be there, as in CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MONEV_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (MONEV_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (Debian package chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are safe (nothing else runs in this thread concurrently).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()
