"""Bad input at the API's doors: each answers a clear 4xx in the one error shape and
stores nothing (issue: NUL, deep nesting, wrong types, crafted cursors, bidi controls,
binary bodies)."""

from __future__ import annotations

import base64
import json

import pytest

from claims.models import Article, WebhookEndpoint

SHAPE = {"code", "message", "details"}
TEXT = "سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد و نتیجه به زودی اعلام می‌شود."


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE
    return body["error"]


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "cD1hYmM=",  # the crafted cursor of the report: p=abc
        _cursor("p=not-a-date"),
        _cursor("o=0&r=0&p=2026-13-45 99:00:00"),
        _cursor("p=2026-01-01 00:00:00"),  # no time zone: no cursor we hand out looks like this
        _cursor("o=abc"),
        _cursor("r=x"),
        "%%%",
        "@@@",
        "",
    ],
)
def test_crafted_claim_cursors_are_the_documented_400(api, keys, world, cursor):
    response = api(keys.read).get("/api/v1/claims/", {"cursor": cursor})
    if cursor == "":
        assert response.status_code == 200  # no cursor: the first page
        return
    error = _error(response, 400)
    assert error["code"] == "invalid_cursor"


def test_crafted_cursor_from_the_report_verbatim(api, keys, world):
    assert (
        _error(
            api(keys.read).client.get(
                "/api/v1/claims/?cursor=cD1hYmM%3D", headers={"authorization": f"Bearer {keys.read}"}
            ),
            400,
        )["code"]
        == "invalid_cursor"
    )


@pytest.mark.parametrize("cursor", [_cursor("p=abc"), _cursor("p=-1"), _cursor("p=99999999999999999999999")])
def test_crafted_source_cursors_are_400(api, keys, world, cursor):
    assert _error(api(keys.read).get("/api/v1/sources/", {"cursor": cursor}), 400)["code"] == "invalid_cursor"


def test_handed_out_cursors_still_page(api, keys, world):
    client = api(keys.read)
    first = client.get("/api/v1/claims/", {"page_size": 1}).json()
    assert first["next"]
    second = client.client.get(first["next"], headers={"authorization": f"Bearer {keys.read}"})
    assert second.status_code == 200
    assert second.json()["results"][0]["id"] != first["results"][0]["id"]
    sources = client.get("/api/v1/sources/", {"page_size": 1}).json()
    following = client.client.get(sources["next"], headers={"authorization": f"Bearer {keys.read}"})
    assert following.status_code == 200


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_before_parsing(api, keys, depth):
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        error = _error(api(keys.submit).post("/api/v1/articles/", body), 400)
        assert error["code"] == "malformed_request" and "32" in error["message"]
    assert not Article.objects.exists()


def test_nesting_inside_strings_does_not_count(api, keys):
    text = TEXT + " [[[[" * 40 + ' \\" {{{{' * 40
    response = api(keys.submit).post("/api/v1/articles/", json.dumps({"text": text}))
    assert response.status_code == 202, response.content


@pytest.mark.parametrize(
    "body",
    [
        {"text": 123},
        {"text": ["a"]},
        {"text": True},
        {"text": {"a": "b"}},
        {"text": 1.5},
        {"text": TEXT, "title": 7},
        {"text": TEXT, "title": ["x"]},
        {"url": 123},
        {"url": ["https://news.example/x"]},
    ],
    ids=lambda b: json.dumps(b)[:40],
)
def test_wrong_types_are_refused_not_stored(api, keys, body):
    error = _error(api(keys.submit).post("/api/v1/articles/", json.dumps(body)), 400)
    assert error["code"] == "invalid_input"
    field = (
        "text" if "text" in body and not isinstance(body["text"], str) else next(iter(set(body) - {"text"}))
    )
    assert field in error["details"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": TEXT + "\x00"}, "text"),
        ({"text": TEXT + "\x01\x02"}, "text"),
        ({"text": TEXT, "title": "عنوان\x00"}, "title"),
        ({"text": TEXT, "title": "عنوان\u202eمعکوس"}, "title"),  # a right-to-left override
        ({"text": TEXT, "title": "a\nb"}, "title"),
        ({"url": "https://news.example/\u2066x"}, "url"),
    ],
)
def test_control_and_bidi_characters_in_fields_are_refused(api, keys, body, field):
    error = _error(api(keys.submit).post("/api/v1/articles/", json.dumps(body)), 400)
    assert field in error["details"]
    assert not Article.objects.exists()


def test_bidi_marks_in_the_verbatim_text_are_kept(api, keys):
    text = "\u200f" + TEXT + "\u200e (AFP)"
    response = api(keys.submit).post("/api/v1/articles/", json.dumps({"text": text}))
    assert response.status_code == 202, response.content
    assert Article.objects.get().text == text


def test_oversized_fields(api, keys, settings):
    settings.INGEST_MAX_CHARS = 500
    client = api(keys.submit)
    assert _error(client.post("/api/v1/articles/", json.dumps({"text": "خبر " * 400})), 413)
    assert (
        "title"
        in _error(client.post("/api/v1/articles/", json.dumps({"text": TEXT, "title": "ع" * 501})), 400)[
            "details"
        ]
    )
    assert (
        "url"
        in _error(
            client.post("/api/v1/articles/", json.dumps({"url": "https://a.example/" + "x" * 2000})), 400
        )["details"]
    )
    assert not Article.objects.exists()


def test_binary_bodies_are_refused(api, keys):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    client = api(keys.submit)
    for content_type in ("application/json", "image/png", "application/x-www-form-urlencoded"):
        response = client.post("/api/v1/articles/", png, content_type=content_type)
        assert response.status_code in (400, 415), (content_type, response.status_code)
        _error(response, response.status_code)
    body = json.dumps({"text": png.decode("latin-1")})
    assert _error(client.post("/api/v1/articles/", body), 400)
    assert not Article.objects.exists()


def test_nan_and_infinity_are_not_json(api, keys):
    response = api(keys.submit).post("/api/v1/articles/", '{"text": NaN}')
    assert _error(response, 400)["code"] == "malformed_request"


def test_webhook_fields_are_strict(api, keys):
    client = api(keys.read)
    assert "url" in _error(client.post("/api/v1/webhooks/", json.dumps({"url": 5})), 400)["details"]
    created = client.post("/api/v1/webhooks/", json.dumps({"url": "https://hooks.example/in"}))
    assert created.status_code == 201, created.content
    hook = created.json()["id"]
    for active in ("true", 1, "yes", None):
        response = client.patch(f"/api/v1/webhooks/{hook}/", json.dumps({"active": active}))
        assert "active" in _error(response, 400)["details"]
    assert WebhookEndpoint.objects.get(pk=hook).active


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sources/%00/",
        "/api/v1/claims/?source=%00",
        "/api/v1/claims/?%00=1",
        "/api/v1/sources/?cursor=%00",
        "/api/v1/claims/?rating=%01",
    ],
)
def test_nul_in_api_paths_and_queries_is_a_json_400(api, keys, path):
    response = api(keys.read).client.get(path, headers={"authorization": f"Bearer {keys.read}"})
    assert _error(response, 400)["code"] in {"invalid_characters", "invalid_input"}
