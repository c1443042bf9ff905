"""One error shape for every failure under /api/, and never Django's HTML error pages."""

from __future__ import annotations

import pytest

SHAPE = {"code", "message", "details"}


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE
    return body["error"]


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/v1/", "/api/v1/nothing/", "/api/v2/claims/", "/api/v1/claims/abc/", "/api/v1/claims"],
)
def test_unknown_api_paths_are_json_404(api, keys, path):
    assert _error(api(keys.read).get(path), 404)["code"] == "not_found"


def test_unknown_paths_are_404_without_a_key_too(api):
    assert _error(api(None).get("/api/v1/nothing/"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/claims/"),
        ("delete", "/api/v1/claims/"),
        ("put", "/api/v1/ratings/"),
        ("get", "/api/v1/articles/"),
    ],
)
def test_wrong_method_is_405(api, keys, method, path):
    client = api(keys.both).client
    response = getattr(client, method)(path, headers={"authorization": f"Bearer {keys.both}"})
    error = _error(response, 405)
    assert error["code"] == "method_not_allowed"
    assert method.upper() in error["message"]


def test_malformed_json_is_400(api, keys):
    error = _error(
        api(keys.submit).post("/api/v1/articles/", '{"text": "بی‌پایان', content_type="application/json"), 400
    )
    assert error["code"] == "malformed_request"


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_is_400(api, keys, body):
    error = _error(api(keys.submit).post("/api/v1/articles/", body, content_type="application/json"), 400)
    assert error["code"] == "invalid_input"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_other_media_types_are_415(api, keys, content_type):
    response = api(keys.submit).post("/api/v1/articles/", "text=x", content_type=content_type)
    assert _error(response, 415)["code"] == "unsupported_media_type"


def test_missing_content_type_is_415(api, keys):
    response = api(keys.submit).client.generic(
        "POST",
        "/api/v1/articles/",
        b'{"text": "x"}',
        content_type="",
        headers={"authorization": f"Bearer {keys.submit}"},
    )
    assert _error(response, 415)["code"] == "unsupported_media_type"


def test_an_empty_body_is_an_empty_object(api, keys):
    client = api(keys.submit).client
    response = client.generic(
        "POST", "/api/v1/articles/", b"", headers={"authorization": f"Bearer {keys.submit}"}
    )
    assert _error(response, 400)["code"] == "invalid_input"


def test_body_too_large_is_413(api, keys, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = api(keys.submit).post("/api/v1/articles/", {"text": "خبر " * 500})
    error = _error(response, 413)
    assert error["code"] == "payload_too_large"


def test_text_over_the_ingest_limit_is_413(api, keys, settings):
    settings.INGEST_MAX_CHARS = 100
    response = api(keys.submit).post("/api/v1/articles/", {"text": "سخنگو گفت که " + "خبر " * 100})
    assert _error(response, 413)["code"] == "too_large"


def test_unexpected_failure_is_logged_and_answered_in_the_shape(api, keys, world, monkeypatch, caplog):
    from claims.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("selector exploded")

    monkeypatch.setattr(views, "api_claim", broken)
    client = api(keys.read)
    client.client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="claims.api"):
        response = client.get(f"/api/v1/claims/{world.published.pk}/")
    error = _error(response, 500)
    assert error == {"code": "server_error", "message": "An unexpected error occurred.", "details": {}}
    assert "selector exploded" not in response.content.decode()
    assert any("Unhandled API error" in r.message for r in caplog.records)


def test_database_outage_is_503_with_retry_after(api, keys, world, monkeypatch):
    from django.db import OperationalError

    from claims.api import views

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "api_claim", down)
    client = api(keys.read)
    response = client.get(f"/api/v1/claims/{world.published.pk}/")
    assert _error(response, 503)["code"] == "unavailable"
    assert response["Retry-After"] == "5"


def test_schema_and_docs_are_served_with_local_assets(api):
    schema = api(None).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    doc = schema.json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/claims/" in doc["paths"] and "/api/v1/articles/" in doc["paths"]
    assert doc["components"]["securitySchemes"]["PartnerKey"]["scheme"] == "bearer"
    docs = api(None).get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


@pytest.mark.parametrize("method", ["delete", "patch", "post", "put"])
def test_writes_to_unknown_paths_are_json_404_not_the_csrf_page(method, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/webhooks/-5/", data="{}", content_type="application/json")
    assert _error(response, 404)["code"] == "not_found"
