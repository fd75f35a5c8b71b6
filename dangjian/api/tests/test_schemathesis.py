"""Every operation of the OpenAPI document, fed generated input (schemathesis: valid and
invalid data), as the county administrator (who reaches the most code) and as a branch
secretary: no answer is a server error. Bounded (a few examples an operation) so that it
stays a part of `make test`; run with SCHEMATHESIS_EXAMPLES=200 for a long hunt."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from dangjian.accounts import tokens

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go to the WSGI app itself, which closes the database connection after each
    one; the test's transaction must outlive them (as Django's test client arranges)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(county):
    return [
        {"Authorization": f"Bearer {tokens.create(county.users[name])[1]}"}
        for name in ("county", "branch_a1")
    ]


@pytest.mark.django_db
def test_no_operation_answers_with_a_server_error(bearer):
    failures = []
    for operation in operations():
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=cases)
        def fuzz(case):
            for headers in bearer:
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.operation.label} {case.path_parameters} "
                        f"{case.query} {case.body!r:.200} -> {response.status_code}"
                    )

        fuzz()
    assert failures == []
