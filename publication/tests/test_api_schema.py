"""Schemathesis against the API's own OpenAPI schema, in process (WSGI): no server error, and every
answer conforms to the schema (status code, content type, headers, body), anonymously and with a
partner's token. Few examples per operation, so that it stays a matter of seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(public_world):
    # Called in process, the WSGI handler sends request_started/finished, whose receiver closes
    # the database connection: on PostgreSQL that closed the test's own transaction and every
    # later request failed with « connection already closed ». Django's test client detaches it
    # in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


FEW_EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.mark.django_db
@schema.parametrize()
@FEW_EXAMPLES
def test_api_conforms_to_its_schema_anonymously(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FEW_EXAMPLES
def test_api_conforms_to_its_schema_with_a_partner_token(case, public_world):
    case.call_and_validate(headers={"Authorization": f"Bearer {public_world['key']}"}, checks=CHECKS)
