"""schemathesis against the generated OpenAPI schema, through the WSGI app: a bounded number of
generated requests per operation, with a key that has every scope. No 5xx, and every answer
conforms to the schema (status codes, content types, bodies, headers)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from claims.services.errors import InvalidInput

MAX_EXAMPLES = 15

# Writes whose acceptance depends on more than the schema can say: an article's text must
# hold words (not binary) and a URL must be fetchable; a webhook must be https and new. For
# these, a schema-valid body may rightly get a 400/422; every other check still applies.
SEMANTIC_WRITES = {("POST", "/api/v1/articles/"), ("POST", "/api/v1/webhooks/")}

OPERATIONS = [
    ("GET", "/api/v1/claims/"),
    ("GET", "/api/v1/claims/{claim_id}/"),
    ("GET", "/api/v1/sources/"),
    ("GET", "/api/v1/sources/{slug}/"),
    ("GET", "/api/v1/ratings/"),
    ("POST", "/api/v1/articles/"),
    ("GET", "/api/v1/articles/{article_id}/"),
    ("GET", "/api/v1/webhooks/"),
    ("POST", "/api/v1/webhooks/"),
    ("GET", "/api/v1/webhooks/{webhook_id}/"),
    ("PATCH", "/api/v1/webhooks/{webhook_id}/"),
    ("DELETE", "/api/v1/webhooks/{webhook_id}/"),
]


@pytest.fixture
def schema(db):
    # Like Django's test client: requests through the real WSGI handler must not close the
    # connection that holds the test's transaction.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_is_covered(schema):
    found = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_conforms(schema, keys, world, monkeypatch, method, path):
    from claims.services import fetch

    def no_network(*, url):
        raise fetch.FetchFailed("no network in tests", details={"url": url})

    monkeypatch.setattr(fetch, "fetch_article", no_network)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {keys.both}"}

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case) -> None:
        # A cursor is only valid as handed out in `next`; random ones are rightly a 400.
        if case.query:
            case.query.pop("cursor", None)
        excluded = [positive_data_acceptance] if (method, path) in SEMANTIC_WRITES else None
        response = case.call_and_validate(headers=headers, excluded_checks=excluded)
        assert response.status_code < 500, response.text

    run()


def test_invalid_input_stays_an_application_error():
    # The handler relies on the service error's own status, never a 5xx for bad input.
    assert InvalidInput("x").status == 400
