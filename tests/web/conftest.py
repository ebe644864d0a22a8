from __future__ import annotations

import os

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
