"""A bounded property-based run of the API against its own OpenAPI description (schemathesis):
no generated request may end in a server error, and every answer must be one the description
documents. Runs in process through Django's WSGI application, as the admin (a token)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as oa

from monev.pemda import selectors
from monev.pemda.services import token_create


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the database connection open across requests, as Django's test client does: the
    WSGI handler would close it after each request (CONN_MAX_AGE=0) inside the test's
    transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, users):
    return token_create(user=users["admin"], nama="schemathesis")[1]


def _schema():
    from django.core.wsgi import get_wsgi_application

    # Reading the description needs no database: it is built from the code.
    return schemathesis.openapi.from_wsgi("/pemda/api/openapi.json", get_wsgi_application())


schema = _schema()
#: Every check that reads the answer; the ones that send more requests of their own (a request
#: without the token, other methods) are covered by test_pemda_access and test_pemda_api.
CHECKS = [
    checks.not_a_server_error,
    oa.status_code_conformance,
    oa.content_type_conformance,
    oa.response_headers_conformance,
    oa.response_schema_conformance,
    oa.negative_data_rejection,
    oa.positive_data_acceptance,
]


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_without_a_server_error(case, admin_token):
    selectors.clear_cache()
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
