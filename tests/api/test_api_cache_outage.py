"""When the shared cache (Redis) is down the API answers from the database: slower, never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from claims import models as m


class Down(Exception):
    pass


@pytest.fixture
def cache_down(monkeypatch):
    def fail(*args, **kwargs):
        raise Down("connection refused")

    for name in ("get", "get_many", "set", "add", "incr", "delete"):
        monkeypatch.setattr(cache, name, fail)


def test_reads_work_without_the_cache(api, keys, world, cache_down):
    client = api(keys.read)
    response = client.get(f"/api/v1/claims/{world.published.pk}/")
    assert response.status_code == 200 and response["X-Cache"] == "off"
    assert client.get("/api/v1/claims/").status_code == 200
    assert client.get("/api/v1/sources/").status_code == 200


def test_keys_are_still_checked_without_the_cache(api, keys, world, cache_down):
    assert api(keys.revoked).get("/api/v1/claims/").status_code == 401
    assert api(keys.wrong).get("/api/v1/claims/").status_code == 401
    assert api(keys.submit).get("/api/v1/claims/").status_code == 403


def test_changes_are_served_at_once_without_the_cache(api, keys, world, cache_down):
    client = api(keys.read)
    path = f"/api/v1/claims/{world.published.pk}/"
    assert client.get(path).json()["rating"] == "false"
    m.Claim.objects.filter(pk=world.published.pk).update(rating="misleading")
    assert client.get(path).json()["rating"] == "misleading"


def test_a_revocation_still_works_without_the_cache(api, keys, cache_down):
    from claims.services.partners import api_key_hash, api_key_revoke

    client = api(keys.read)
    assert client.get("/api/v1/ratings/").status_code == 200
    api_key_revoke(key=m.APIKey.objects.get(key_hash=api_key_hash(keys.read)))
    assert client.get("/api/v1/ratings/").status_code == 401
