from __future__ import annotations

# The web tests' fixtures (the demo database, signed-in clients) serve these tests too.
from tests.web.conftest import django_db_setup, users  # noqa: F401
