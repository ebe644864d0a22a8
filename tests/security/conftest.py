from __future__ import annotations

# The web tests' fixtures (the demo database, signed-in clients) serve these tests too.
from tests.web.conftest import (  # noqa: F401
    client_for,
    contoh,
    disnaker,
    django_db_setup,
    users,
)
