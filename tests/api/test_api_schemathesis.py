"""schemathesis against the generated OpenAPI schema, through the WSGI app.

Every operation is fuzzed with schema-valid (positive) and schema-violating (negative)
requests, with the read key and with the submit key, and every check schemathesis has must
pass: no 5xx, status codes, content types, headers and bodies as documented, schema-valid
requests accepted and schema-violating ones refused. The schema itself must validate as
OpenAPI 3 and have component names every tool can resolve (ReDoc failed on "@contextEnum").

Bounded: a fixed number of derandomised examples per operation."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi
from schemathesis import GenerationMode

from claims.services.errors import InvalidInput

MAX_EXAMPLES = 24

OPERATIONS = [
    ("GET", "/api/v1/claims/"),
    ("GET", "/api/v1/claims/{claim_id}/"),
    ("GET", "/api/v1/claims/{claim_id}/appearances/"),
    ("GET", "/api/v1/sources/"),
    ("GET", "/api/v1/sources/{slug}/"),
    ("GET", "/api/v1/ratings/"),
    ("GET", "/api/v1/statements/"),
    ("POST", "/api/v1/articles/"),
    ("GET", "/api/v1/articles/{article_id}/"),
    ("GET", "/api/v1/webhooks/"),
    ("POST", "/api/v1/webhooks/"),
    ("GET", "/api/v1/webhooks/{webhook_id}/"),
    ("PATCH", "/api/v1/webhooks/{webhook_id}/"),
    ("DELETE", "/api/v1/webhooks/{webhook_id}/"),
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret/"),
]


@pytest.fixture
def wsgi(db):
    # Like Django's test client: requests through the real WSGI handler must not close the
    # connection that holds the test's transaction.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema(wsgi):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi)


@pytest.fixture
def raw_schema(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi(raw_schema):
    validate_openapi(raw_schema)


def test_component_names_are_valid_and_every_reference_resolves(raw_schema):
    names = set(raw_schema["components"]["schemas"])
    bad = sorted(n for n in names if not re.fullmatch(r"[A-Za-z0-9._-]+", n))
    assert not bad, f"component names that break references: {bad}"
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(raw_schema)))
    assert refs <= names, refs - names
    assert {"SchemaOrgContextEnum", "ClaimReviewTypeEnum"} <= names


def test_every_operation_is_covered(schema):
    found = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert found == set(OPERATIONS)


def _handed_out_cursor(client, path: str, key: str) -> str:
    """A real cursor, from the `next` link of a one-row first page."""
    from django.core import signals
    from django.db import close_old_connections

    answer = client.get(path, {"page_size": 1}, headers={"authorization": f"Bearer {key}"}).json()
    # The test client connects these again after its request; the WSGI calls need them off.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    assert answer["next"], "the fixtures must give this list a second page"
    return parse_qs(urlsplit(answer["next"]).query)["cursor"][0]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_conforms(schema, client, keys, world, monkeypatch, method, path):
    from claims.services import fetch

    def fetched(*, url):  # a reachable site, without the network
        return fetch.Page(url=url, text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد.", title="خبر")

    monkeypatch.setattr(fetch, "fetch_article", fetched)
    operation = schema[path][method]
    cursors = {p: _handed_out_cursor(client, p, keys.read) for p in ("/api/v1/claims/", "/api/v1/sources/")}
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE).map(lambda c: (True, c)),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE).map(lambda c: (False, c)),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=cases, key=st.sampled_from([keys.read, keys.submit]))
    def run(drawn, key) -> None:
        positive, case = drawn
        # A cursor is opaque: a schema-valid one is still only valid as handed out. Positive
        # cases page with a real one; negative cases keep whatever they were given.
        if positive and case.query and "cursor" in case.query:
            if path in cursors:
                case.query["cursor"] = cursors[path]
            else:  # no list of statements long enough to page in the fixtures
                del case.query["cursor"]
        response = case.call_and_validate(headers={"Authorization": f"Bearer {key}"})
        assert response.status_code < 500, response.text

    run()


def test_invalid_input_stays_an_application_error():
    # The handler relies on the service error's own status, never a 5xx for bad input.
    assert InvalidInput("x").status == 400
