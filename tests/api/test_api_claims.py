"""Claims, sources and ratings over HTTP: fields, filters, paging, ClaimReview, caching."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from claims import models as m
from claims.claimreview import claimreview_for
from claims.selectors.public import public_claim, source_track_record
from claims.services.claims import claim_correct
from tests.factories import AttributionFactory, PublishedClaimFactory

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_claim_detail_fields(api, keys, world):
    body = api(keys.read).get(f"/api/v1/claims/{world.published.pk}/").json()
    assert set(body) == {
        "id", "slug", "url", "text", "language", "status", "rating", "rating_label", "rating_value",
        "rationale", "published_at", "updated_at", "appearances", "appearance_count", "appearances_url",
        "first_appearance", "evidence", "corrections", "updates",
    }  # fmt: skip
    assert body["status"] == "published" and body["rating"] == "false" and body["rating_value"] == 1
    assert body["url"].endswith(world.published.get_absolute_url())
    assert ISO_UTC.match(body["published_at"]) and ISO_UTC.match(body["updated_at"])
    appearance = body["appearances"][0]
    assert appearance["source_text"] == "سخنگوی وزارت خارجه"
    assert appearance["kind"] == "indirect"
    assert appearance["article"]["url"] == "https://news.example/a1"
    assert appearance["article"]["publisher"]["slug"] == "tasnim"
    assert ISO_UTC.match(appearance["article"]["published_at"])
    assert body["evidence"] == [{"url": "https://evidence.example/1", "title": "گزارش مستقل", "summary": ""}]


def test_list_is_newest_verdict_first_and_paged_by_cursor(api, keys, world):
    now = timezone.now()
    extra = [PublishedClaimFactory(published_at=now - timedelta(days=i + 1)) for i in range(5)]
    client = api(keys.read)
    first = client.get("/api/v1/claims/", {"page_size": 3}).json()
    assert len(first["results"]) == 3 and first["previous"] is None
    # A claim published while a partner pages must not shift the next page.
    PublishedClaimFactory(published_at=now + timedelta(minutes=1))
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [c["id"] for page in (first, second, third) for c in page["results"]]
    expected = (
        [world.corrected.pk, world.published.pk]
        if world.corrected.published_at > world.published.published_at
        else [world.published.pk, world.corrected.pk]
    )
    assert seen == expected + [c.pk for c in extra]
    assert third["next"] is None


def test_filters(api, keys, world):
    client = api(keys.read)
    old = PublishedClaimFactory(
        published_at=datetime(2020, 1, 1, tzinfo=UTC), rating=m.Rating.TRUE, language="en"
    )
    m.Claim.objects.filter(pk=old.pk).update(updated_at=datetime(2020, 1, 2, tzinfo=UTC))
    assert set(_ids(client.get("/api/v1/claims/", {"rating": "true"}))) == {old.pk}
    assert set(_ids(client.get("/api/v1/claims/", {"rating": "false,misleading"}))) == {
        world.published.pk,
        world.corrected.pk,
    }
    assert _ids(client.get("/api/v1/claims/", {"language": "en"})) == [old.pk]
    after = _ids(client.get("/api/v1/claims/", {"published_after": "2021-01-01"}))
    assert old.pk not in after and world.published.pk in after
    since = _ids(client.get("/api/v1/claims/", {"updated_since": "2021-01-01T00:00:00+03:30"}))
    assert old.pk not in since and world.published.pk in since
    assert set(_ids(client.get("/api/v1/claims/", {"outlet": "tasnim"}))) == {
        world.published.pk,
        world.corrected.pk,
    }
    assert _ids(client.get("/api/v1/claims/", {"source": "pentagon", "rating": "misleading"})) == [
        world.corrected.pk
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rating": "fals"}, "rating"),
        ({"published_after": "yesterday"}, "published_after"),
        ({"published_after": "۲۰۲۴-۰۱-۰۱"}, "published_after"),
        ({"updated_since": "2024-13-45"}, "updated_since"),
        ({"language": "Persian!"}, "language"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"format": "xml"}, "format"),
        ({"outlet": "<script>"}, "outlet"),
        ({"sort": "rating"}, "sort"),
    ],
)
def test_bad_filters_are_400_in_the_error_shape(api, keys, world, params, field):
    response = api(keys.read).get("/api/v1/claims/", params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert field in error["details"]


def test_unknown_source_matches_nothing(api, keys, world):
    assert _ids(api(keys.read).get("/api/v1/claims/", {"source": "no-such-source"})) == []


def test_repeated_parameter_is_400(api, keys, world):
    response = api(keys.read).get("/api/v1/claims/?rating=true&rating=false")
    assert response.status_code == 400
    assert "rating" in response.json()["error"]["details"]


def test_claimreview_format_uses_the_shared_builder(api, keys, world, settings):
    settings.SITE_URL = "https://fact.example"  # the same address inside and outside a request
    client = api(keys.read)
    detail = client.get(f"/api/v1/claims/{world.published.pk}/", {"format": "claimreview"}).json()
    with timezone.override(UTC):
        expected = claimreview_for(public_claim(world.published.pk))
    assert detail == expected
    assert detail["@type"] == "ClaimReview" and detail["reviewRating"]["ratingValue"] == 1
    listed = client.get("/api/v1/claims/", {"format": "claimreview"}).json()["results"]
    assert {r["url"] for r in listed} == {
        expected["url"],
        claimreview_for(public_claim(world.corrected.pk))["url"],
    }


def test_list_query_count_does_not_grow_with_claims(api, keys, world, django_assert_num_queries):
    client = api(keys.read)
    client.get("/api/v1/ratings/")  # identity cached, last use recorded
    for i in range(15):
        claim = PublishedClaimFactory()
        AttributionFactory(
            claim=claim,
            review_state=m.ReviewState.ACCEPTED,
            article__text=f"سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. {i}",
        )
    # claims, appearances (with article, publisher, source, via), evidence, public events
    with django_assert_num_queries(4):
        assert len(_ids(client.get("/api/v1/claims/"))) == 17
    with django_assert_num_queries(4):  # ClaimReview reads nothing the prefetches left out
        assert len(client.get("/api/v1/claims/?format=claimreview").json()["results"]) == 17
    with django_assert_num_queries(0):  # served from the cache
        response = client.get("/api/v1/claims/")
    assert response["X-Cache"] == "hit"


def test_a_correction_is_visible_immediately_despite_the_cache(
    api, keys, world, senior, django_capture_on_commit_callbacks
):
    client = api(keys.read)
    path = f"/api/v1/claims/{world.published.pk}/"
    assert client.get(path).json()["rating"] == "false"
    assert client.get(path)["X-Cache"] == "hit"
    assert client.get("/api/v1/claims/?rating=false").json()["results"][0]["id"] == world.published.pk
    with django_capture_on_commit_callbacks(execute=True):
        claim_correct(
            claim=world.published,
            rating=m.Rating.MISLEADING,
            rationale="شواهد تازه نشان داد بخشی از ادعا درست است.",
            note="داوری پس از شواهد تازه اصلاح شد.",
            actor=senior,
        )
    body = client.get(path).json()
    assert body["status"] == "corrected" and body["rating"] == "misleading"
    assert body["corrections"][-1]["note"] == "داوری پس از شواهد تازه اصلاح شد."
    assert world.published.pk not in _ids(client.get("/api/v1/claims/?rating=false"))
    review = client.get(path, {"format": "claimreview"}).json()
    assert review["reviewRating"]["ratingValue"] == 2


def test_desk_work_on_claims_the_public_cannot_see_keeps_the_cached_answers(api, keys, world):
    client = api(keys.read)
    path = f"/api/v1/claims/{world.published.pk}/"
    client.get(path)
    assert client.get(path)["X-Cache"] == "hit"
    AttributionFactory(
        claim=world.draft,
        review_state=m.ReviewState.ACCEPTED,
        article__text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. پیش‌نویس",
    )
    world.draft.text = "متن تازهٔ پیش‌نویس"
    world.draft.save(update_fields=["text", "updated_at"])
    m.Evidence.objects.create(claim=world.draft, url="https://evidence.example/draft")
    assert client.get(path)["X-Cache"] == "hit"
    # An appearance accepted into the published claim shows at once.
    AttributionFactory(
        claim=world.published,
        review_state=m.ReviewState.ACCEPTED,
        article__text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. تازه",
    )
    response = client.get(path)
    assert response["X-Cache"] == "miss" and response.json()["appearance_count"] == 2


def test_sources_list_and_detail_track_record(api, keys, world):
    client = api(keys.read)
    page = client.get("/api/v1/sources/").json()
    by_slug = {s["slug"]: s for s in page["results"]}
    assert set(by_slug) == {"pentagon", "hidden-source", "tasnim"}
    for source in (world.source, world.hidden_source, world.outlet):
        assert by_slug[source.slug]["track_record"] == source_track_record(source)
    detail = client.get("/api/v1/sources/pentagon/").json()
    assert detail["track_record"] == {
        "true": 0,
        "mostly_true": 0,
        "misleading": 1,
        "false": 1,
        "unverifiable": 0,
    }
    assert detail["published_claims"] == 2
    assert client.get("/api/v1/sources/nobody/").status_code == 404


def test_sources_list_query_count(api, keys, world, django_assert_num_queries):
    client = api(keys.read)
    client.get("/api/v1/ratings/")
    with django_assert_num_queries(2):  # sources with parent/affiliation, one grouped track-record query
        client.get("/api/v1/sources/")


def test_ratings(api, keys):
    ratings = api(keys.read).get("/api/v1/ratings/").json()
    assert [r["value"] for r in ratings] == ["true", "mostly_true", "misleading", "false", "unverifiable"]
    assert [r["rating_value"] for r in ratings] == [5, 4, 2, 1, 3]
    assert all(r["label"] and r["explanation"] for r in ratings)
