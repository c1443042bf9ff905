"""The partner API at a newsroom's scale: a claim quoted hundreds of times shows its
earliest appearances and their count, pages through the rest, and no answer's query
count grows with the appearances."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.cache import clear_local
from claims.models import ReviewState
from claims.selectors.public import APPEARANCES_PER_PAGE
from tests.factories import PublishedClaimFactory, SourceFactory, bulk_appearances
from tests.plans import newsroom, scans_of_big_tables

pytestmark = pytest.mark.django_db


def _uncached(client, path: str, data: dict | None = None):
    cache.clear()
    clear_local()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, data)
    assert response.status_code == 200, response.content
    return response.json(), len(ctx.captured_queries)


def test_claim_answers_do_not_grow_with_appearances(api, keys):
    speaker = SourceFactory(slug="speaker")
    client = api(keys.read)
    claims = [PublishedClaimFactory() for _ in range(3)]
    for claim in claims:
        bulk_appearances(claim, 3, source=speaker)
    paths = [
        "/api/v1/claims/",
        f"/api/v1/claims/{claims[0].pk}/",
        f"/api/v1/claims/{claims[0].pk}/appearances/",
    ]
    few = [_uncached(client, path)[1] for path in paths]
    for claim in claims:
        bulk_appearances(claim, 150, source=speaker, start=3)
    assert [_uncached(client, path)[1] for path in paths] == few
    listed, _ = _uncached(client, "/api/v1/claims/")
    assert [len(c["appearances"]) for c in listed["results"]] == [APPEARANCES_PER_PAGE] * 3
    assert [c["appearance_count"] for c in listed["results"]] == [153] * 3


def test_a_claim_shows_its_earliest_appearances_and_pages_through_all(api, keys):
    speaker = SourceFactory(slug="speaker")
    client = api(keys.read)
    claim = PublishedClaimFactory()
    made = bulk_appearances(claim, 45, source=speaker)
    bulk_appearances(claim, 5, source=speaker, review_state=ReviewState.PENDING, start=45)
    body, _ = _uncached(client, f"/api/v1/claims/{claim.pk}/")
    assert body["appearance_count"] == 45
    assert [a["id"] for a in body["appearances"]] == [a.pk for a in made[:APPEARANCES_PER_PAGE]]
    assert body["first_appearance"]["id"] == made[0].pk
    assert body["appearances_url"].endswith(f"/api/v1/claims/{claim.pk}/appearances/")
    seen, url, params = [], f"/api/v1/claims/{claim.pk}/appearances/", {"page_size": 20}
    while url:
        page, _ = _uncached(client, url, params)
        seen += [a["id"] for a in page["results"]]
        url, params = page["next"], None
    assert seen == [a.pk for a in made]  # earliest first, each once, pending ones never


def test_appearances_of_a_claim_that_is_not_public_are_404(api, keys, world):
    client = api(keys.read)
    for claim in (world.draft, world.rated, world.dismissed):
        assert client.get(f"/api/v1/claims/{claim.pk}/appearances/").status_code == 404
    assert client.get("/api/v1/claims/99999999/appearances/").status_code == 404


def test_claim_answers_read_no_big_table_whole(require_postgres, api, keys):
    world = newsroom()
    client = api(keys.read)
    for path in (
        "/api/v1/claims/",
        f"/api/v1/claims/?source={world['speaker'].slug}",
        f"/api/v1/claims/{world['hot'].pk}/",
        f"/api/v1/claims/{world['hot'].pk}/appearances/",
        "/api/v1/sources/",
        f"/api/v1/sources/{world['speaker'].slug}/",
    ):
        cache.clear()
        clear_local()
        assert scans_of_big_tables(client.get, path) == [], path
