"""Every endpoint over HTTP for every kind of key: none, wrong, revoked, expired, read, submit."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import APIKey
from claims.services.partners import (
    api_key_create,
    api_key_hash,
    api_key_revoke,
    article_submission_record,
    partner_create,
)
from claims.services.webhooks import webhook_endpoint_create

_texts = itertools.count()

# (method, path template, scope it needs, status on success)
ENDPOINTS = [
    ("get", "/api/v1/claims/", "read", 200),
    ("get", "/api/v1/claims/{claim}/", "read", 200),
    ("get", "/api/v1/sources/", "read", 200),
    ("get", "/api/v1/sources/pentagon/", "read", 200),
    ("get", "/api/v1/ratings/", "read", 200),
    ("post", "/api/v1/articles/", "submit", 202),
    ("get", "/api/v1/articles/{article}/", "submit", 200),
    ("get", "/api/v1/webhooks/", "read", 200),
    ("post", "/api/v1/webhooks/", "read", 201),
    ("get", "/api/v1/webhooks/{webhook}/", "read", 200),
    ("patch", "/api/v1/webhooks/{webhook}/", "read", 200),
    ("delete", "/api/v1/webhooks/{webhook}/", "read", 204),
]


def _call(client, method: str, path: str):
    n = next(_texts)
    if method == "post" and "articles" in path:
        body = {"text": f"سخنگوی دولت گفت که نشست شمارهٔ {n} برگزار می‌شود و نتیجه اعلام خواهد شد."}
        return client.post(path, body)
    if method == "post":
        return client.post(path, {"url": f"https://hooks.partner.example/{n}", "events": ["claim.published"]})
    if method == "patch":
        return client.patch(path, {"events": ["claim.corrected"]})
    return getattr(client, method)(path)


@pytest.fixture
def paths(world, keys):
    hook = webhook_endpoint_create(partner=keys.partner, url="https://hooks.partner.example/main")
    article_submission_record(partner_id=keys.partner.pk, article=world.article)
    return {"claim": world.published.pk, "article": world.article.pk, "webhook": hook.pk}


@pytest.mark.parametrize(("method", "template", "scope", "ok"), ENDPOINTS)
@pytest.mark.parametrize("who", ["none", "wrong", "revoked", "expired", "read", "submit"])
def test_endpoint_by_key(api, keys, paths, who, method, template, scope, ok):
    key = {
        "none": None,
        "wrong": keys.wrong,
        "revoked": keys.revoked,
        "expired": keys.expired,
        "read": keys.read,
        "submit": keys.submit,
    }[who]
    response = _call(api(key), method, template.format(**paths))
    body = response.json() if response.status_code != 204 else None
    if who in ("none", "wrong", "revoked", "expired"):
        assert response.status_code == 401, response.content
        assert body["error"]["code"] in ("not_authenticated", "authentication_failed")
        assert response["WWW-Authenticate"].startswith("Bearer")
    elif who == scope:
        assert response.status_code == ok, response.content
    else:
        assert response.status_code == 403, response.content
        assert body["error"]["code"] == "permission_denied"
        assert scope in body["error"]["message"]


@pytest.mark.parametrize(
    "header",
    ["Token abc", "Bearer", "Bearer a b", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 300, "Bearer کلید"],
)
def test_malformed_authorization_is_401(api, keys, header):
    response = api(None).get("/api/v1/claims/", headers={"authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_revocation_takes_effect_on_the_next_request(api, keys):
    client = api(keys.read)
    assert client.get("/api/v1/ratings/").status_code == 200  # identity now cached
    api_key_revoke(key=APIKey.objects.get(key_hash=api_key_hash(keys.read)))
    assert client.get("/api/v1/ratings/").status_code == 401


def test_deactivated_partner_is_401(api, keys):
    client = api(keys.read)
    assert client.get("/api/v1/ratings/").status_code == 200
    keys.partner.active = False
    keys.partner.save()
    assert client.get("/api/v1/ratings/").status_code == 401


def test_expiry_is_checked_on_every_request_even_when_cached(api, keys, monkeypatch):
    from claims.api import auth

    partner = partner_create(name="Short lived")
    _, raw = api_key_create(partner=partner, scopes=["read"], expires_at=timezone.now() + timedelta(hours=1))
    client = api(raw)
    assert client.get("/api/v1/ratings/").status_code == 200  # identity now cached
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(auth.timezone, "now", lambda: later)
    response = client.get("/api/v1/ratings/")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_only_the_hash_is_stored(keys):
    stored = APIKey.objects.get(key_hash=api_key_hash(keys.read))
    assert keys.read.startswith(stored.prefix + "_")
    assert len(stored.prefix) == 11 and stored.prefix.startswith("fc_")
    assert keys.read not in {stored.key_hash, stored.prefix, stored.name}


def test_last_used_at_is_written_at_most_once_a_minute(api, keys, django_assert_num_queries):
    from claims.api import auth

    auth._last_touch.clear()
    key = APIKey.objects.get(key_hash=api_key_hash(keys.read))
    assert key.last_used_at is None
    client = api(keys.read)
    client.get("/api/v1/ratings/")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    # Later requests within the minute: no lookup query (cached) and no UPDATE.
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get("/api/v1/ratings/").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at == first


def test_throttle_answers_429_with_retry_after(api, keys, settings, throttle_clock):
    settings.API_THROTTLE_RATE = "3/min"
    client = api(keys.read)
    statuses = [client.get("/api/v1/ratings/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/ratings/")
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert retry_after == 45  # to the end of the fixed minute the clock stands in
    assert response.json()["error"] == {
        "code": "throttled",
        "message": f"Rate limit exceeded. Retry in {retry_after} seconds.",
        "details": {"retry_after": retry_after},
    }
    # The limit is per key: another key of the same partner is unaffected.
    assert api(keys.both).get("/api/v1/ratings/").status_code == 200
    # The next window starts afresh.
    throttle_clock.now += 45
    assert client.get("/api/v1/ratings/").status_code == 200


def test_submit_has_its_own_lower_limit(api, keys, settings, throttle_clock):
    settings.API_SUBMIT_THROTTLE_RATE = "1/hour"
    client = api(keys.submit)
    first = client.post("/api/v1/articles/", {"text": "وزیر گفت که جلسه فردا برگزار می‌شود و خبر تازه است."})
    assert first.status_code == 202
    second = client.post("/api/v1/articles/", {"text": "وزیر گفت که جلسه پس‌فردا برگزار می‌شود."})
    assert second.status_code == 429
    # Fixed hourly windows: the wait runs to the end of the current hour.
    assert int(second["Retry-After"]) == 2985


def test_webhooks_of_another_partner_are_invisible(api, keys):
    other = partner_create(name="Other outlet")
    hook = webhook_endpoint_create(partner=other, url="https://other.example/hook")
    client = api(keys.read)
    assert client.get(f"/api/v1/webhooks/{hook.pk}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook.pk}/").status_code == 404
    assert client.get("/api/v1/webhooks/").json() == {"results": []}
