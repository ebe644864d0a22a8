"""The tenant permission matrix (tests/web/tenant_matrix.py) for the users of pemda B: a file of
its own, so that `--dist loadfile` can give it to the other worker."""

from __future__ import annotations

import pytest

from tests.web import tenant_matrix as matrix

dunia = matrix.dunia  # this file's world


@pytest.mark.parametrize("user", matrix.GROUPS["B"])
def test_tenant_permission_matrix(dunia, db, user):
    matrix.run_matrix(dunia, user)
