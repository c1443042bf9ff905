"""The per-process cache layer follows changes made by *other* processes, which it learns
about only through the shared cache: within API_CACHE_LOCAL_SECONDS (0 here)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims import models as m
from claims.api.cache import KEY_GENERATION_KEY, RESPONSE_GENERATION_KEY
from claims.services.partners import api_key_hash


@pytest.fixture(autouse=True)
def _no_local_interval(settings):
    settings.API_CACHE_LOCAL_SECONDS = 0


def test_a_correction_made_elsewhere_is_served_after_the_shared_generation_changes(api, keys, world):
    client = api(keys.read)
    path = f"/api/v1/claims/{world.published.pk}/"
    assert client.get(path).json()["rating"] == "false"
    assert client.get(path)["X-Cache"] == "hit"
    # Another process corrects the verdict: the rows change (no signal here) and it starts
    # a new generation in the shared cache.
    m.Claim.objects.filter(pk=world.published.pk).update(status="corrected", rating="misleading")
    assert client.get(path).json()["rating"] == "false"  # nothing told this process yet
    cache.set(RESPONSE_GENERATION_KEY, "set-by-another-process", None)
    response = client.get(path)
    assert response["X-Cache"] == "miss" and response.json()["rating"] == "misleading"


def test_a_revocation_made_elsewhere_reaches_this_process(api, keys):
    client = api(keys.read)
    assert client.get("/api/v1/ratings/").status_code == 200
    key_hash = api_key_hash(keys.read)
    m.APIKey.objects.filter(key_hash=key_hash).update(revoked_at=timezone.now())
    # What the other process's forget_identity() does to the shared cache:
    cache.delete(f"api:key:{key_hash}")
    cache.set(KEY_GENERATION_KEY, "set-by-another-process", None)
    assert client.get("/api/v1/ratings/").status_code == 401


def test_the_rate_limit_counts_requests_made_through_other_processes(api, keys, settings, throttle_clock):
    settings.API_THROTTLE_RATE = "100/min"
    key_id = m.APIKey.objects.get(key_hash=api_key_hash(keys.read)).pk
    window = int(throttle_clock.now // 60)
    cache.set(f"api:thr:read:{key_id}:{window}", 100, 61)  # the other workers used it all
    response = api(keys.read).get("/api/v1/ratings/")
    assert response.status_code == 429
