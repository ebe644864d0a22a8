"""The migrations describe the models: the tests' databases are made from the models
(`--no-migrations`), the users' databases by the migrations (`monev demo`, run for real by
tests/demo_bersama.py in every test run, applies them all)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings


@override_settings(MIGRATION_MODULES={})  # the apps' own migrations, not pytest-django's none
def test_the_migrations_describe_the_models(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check: exit 1 when a migration is missing
        raise AssertionError(f"a model change has no migration:\n{out.getvalue()}") from exc


def test_the_shared_demo_applied_every_migration(tmp_path_factory):
    import sqlite3
    from contextlib import closing

    from django.db.migrations.loader import MigrationLoader

    from tests.demo_bersama import shared_demo

    with override_settings(MIGRATION_MODULES={}):
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    with closing(sqlite3.connect(shared_demo(tmp_path_factory) / "monev.sqlite3")) as db:
        applied = set(db.execute("SELECT app, name FROM django_migrations"))
    assert known <= applied, sorted(known - applied)
