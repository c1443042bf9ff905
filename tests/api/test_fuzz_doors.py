"""Hypothesis at the doors, bounded (a few seconds each): whatever arrives in an API body or
query string, a desk form or a public query string, the answer is never a 5xx, errors under
/api/ keep the one shape, and a refused submission stores nothing. The inputs of the report
(NUL in a slug or a filter, a crafted cursor, JSON nested 100,000 deep, wrong types, PNG
bytes as a form) run as explicit examples every time, besides what hypothesis draws."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.models import Article

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# Text as an attacker would send it: any code point (NUL, controls, bidi, surrogate-free
# astral), Persian letters, and the characters that matter to parsers.
DANGEROUS = list("\x00\x01\x08\x0b\x1b\x7f\x85\u202e\u2066\u200c\u200f\ufffd{}[]\"\\%&=;<>'/. ")
_plain_text = st.text(
    alphabet=st.one_of(st.sampled_from([*"سخنگوی گفت که خبر", *"abc-_019"]), st.characters(codec="utf-8")),
    max_size=30,
)
# Any text, and (as often) any text with one dangerous character put somewhere in it.
hostile_text = st.one_of(
    st.builds(lambda a, d, b: a + d + b, _plain_text, st.sampled_from(DANGEROUS), _plain_text),
    _plain_text,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(hostile_text, children, max_size=4),
    max_leaves=12,
)
# Parameter names the pages and the API read, and any other name.
PARAMETERS = ["q", "outlet", "source", "rating", "page", "kind", "state", "publisher", "from", "to"]
PARAMETERS += ["hedged", "cursor", "format", "page_size", "language", "published_after", "next"]
query_pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), hostile_text), hostile_text), min_size=1, max_size=4
)


def _raw_query(pairs) -> str:
    from urllib.parse import quote

    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def _server() -> Client:
    return Client(raise_request_exception=False)


def _api_error_shape(response) -> None:
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])


def test_api_bodies(keys):
    client = _server()
    headers = {"authorization": f"Bearer {keys.both}"}

    @BOUNDED
    @given(
        body=st.one_of(
            json_values.map(json.dumps),
            st.fixed_dictionaries(
                {}, optional={"text": json_values, "url": json_values, "title": json_values}
            ).map(json.dumps),
            st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
            st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
        ),
        path=st.sampled_from(["/api/v1/articles/", "/api/v1/webhooks/"]),
    )
    @example(body="[" * 100_000 + "]" * 100_000, path="/api/v1/articles/")
    @example(body='{"text": 123}', path="/api/v1/articles/")
    @example(body='{"text": ["a"]}', path="/api/v1/articles/")
    @example(body='{"text": true}', path="/api/v1/articles/")
    def run(body, path):
        before = Article.objects.count()
        response = client.post(path, body, content_type="application/json", headers=headers)
        assert response.status_code < 500, (body[:200], response.content[:300])
        _api_error_shape(response)
        if response.status_code >= 400:
            assert Article.objects.count() == before

    run()


def test_api_query_strings(keys, world):
    client = _server()
    headers = {"authorization": f"Bearer {keys.read}"}

    @BOUNDED
    @given(
        pairs=query_pairs,
        path=st.sampled_from(
            ["/api/v1/claims/", "/api/v1/sources/", "/api/v1/ratings/", "/api/v1/claims/1/"]
        ),
    )
    @example(pairs=[("cursor", "cD1hYmM=")], path="/api/v1/claims/")
    def run(pairs, path):
        response = client.get(f"{path}?{_raw_query(pairs)}", headers=headers)
        assert response.status_code < 500, (pairs, response.content[:300])
        _api_error_shape(response)

    run()


def test_public_query_strings_and_slugs(world):
    client = _server()

    @BOUNDED
    @given(
        pairs=query_pairs,
        slug=hostile_text,
        page=st.sampled_from(
            ["/", "/claims/", "/sources/{slug}/", "/feeds/sources/{slug}/", "/claims/{slug}-1/"]
        ),
    )
    @example(pairs=[("outlet", "\x00")], slug="x", page="/")
    @example(pairs=[("q", "x")], slug="\x00", page="/sources/{slug}/")
    @example(pairs=[("q", "x")], slug="\x00", page="/feeds/sources/{slug}/")
    def run(pairs, slug, page):
        from urllib.parse import quote

        path = page.replace("{slug}", quote(slug or "x", safe=""))
        response = client.get(f"{path}?{_raw_query(pairs)}")
        assert response.status_code < 500, (path, pairs, response.status_code)

    run()


def test_desk_forms(editor, world):
    client = _server()
    client.force_login(editor)
    claim = world.draft

    @BOUNDED
    @given(
        fields=st.dictionaries(
            st.sampled_from(
                ["text", "title", "url", "publisher", "published", "q", "note", "rating", "reason"]
            ),
            hostile_text,
            max_size=5,
        ),
        form=st.sampled_from(
            [
                "/review/ingest/",
                f"/review/claims/{claim.pk}/text/",
                f"/review/claims/{claim.pk}/note/",
                f"/review/claims/{claim.pk}/rate/",
                f"/review/claims/{claim.pk}/evidence/",
                "/review/sources/new/",
            ]
        ),
        query=query_pairs,
    )
    @example(
        fields={"text": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, form="/review/ingest/", query=[("q", "\x00")]
    )
    def run(fields, form, query):
        before = Article.objects.count()
        response = client.post(form, fields)
        assert response.status_code < 500, (form, fields, response.status_code)
        if form == "/review/ingest/" and response.status_code >= 400:
            assert Article.objects.count() == before
        listing = client.get(f"/review/?{_raw_query(query)}")
        assert listing.status_code < 500, (query, listing.status_code)

    run()
