"""The public page cache: hits, keys with the querystring, invalidation on verdicts."""

from __future__ import annotations

import pytest

from claims.models import ClaimStatus, Rating, ReviewState, Source
from claims.services.claims import (
    claim_correct,
    claim_create,
    claim_publish,
    claim_rate,
    claim_submit,
    evidence_add,
)
from tests.factories import AttributionFactory, ClaimFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db


def test_second_request_is_served_from_cache(client, demo, django_assert_num_queries):
    url = demo.false_claim.get_absolute_url()
    assert client.get(url)["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Public-Cache"] == "hit"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert demo.false_claim.text in response.content.decode()


def test_key_includes_querystring(client, demo):
    assert demo.false_claim.text in client.get("/?rating=false").content.decode()
    html = client.get("/?rating=misleading").content.decode()
    assert client.get("/?rating=misleading")["X-Public-Cache"] == "hit"
    assert demo.false_claim.text not in html
    assert demo.corrected_claim.text in html


def test_correction_is_visible_immediately(client, demo, senior, django_capture_on_commit_callbacks):
    url = demo.false_claim.get_absolute_url()
    assert 'data-rating="false"' in client.get(url).content.decode()
    assert client.get(url)["X-Public-Cache"] == "hit"
    home = client.get("/").content.decode()
    assert "badge rating-false" in home
    with django_capture_on_commit_callbacks(execute=True):
        claim_correct(
            claim=demo.false_claim,
            rating=Rating.MISLEADING,
            rationale="تصاویر تازه شمار بیشتری نشان داد.",
            note="تصاویر تازه رسید.",
            actor=senior,
        )
    response = client.get(url)
    assert response["X-Public-Cache"] == "miss"
    html = response.content.decode()
    assert 'data-rating="misleading"' in html
    assert 'data-old-rating="false"' in html and "تصاویر تازه رسید." in html
    feed = client.get("/feeds/").content.decode()
    assert "اصلاحیه — گمراه‌کننده: " + demo.false_claim.text in feed
    assert client.get("/sources/centcom/").content.decode().count('data-count="1"') == 1


def test_publication_is_visible_immediately(client, demo, senior, django_capture_on_commit_callbacks):
    assert client.get("/").status_code == 200  # cached, without the new claim
    claim = claim_create(text="ادعای تازه منتشرشده", actor=senior, attribution=AttributionFactory())
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست است.", actor=senior)
    with django_capture_on_commit_callbacks(execute=True):
        claim_submit(claim=claim, actor=senior)
        claim_publish(claim=claim, actor=senior)
    assert claim.text in client.get("/").content.decode()
    assert claim.text in client.get("/feeds/atom/").content.decode()


def test_evidence_on_public_claim_refreshes_page(client, demo, senior):
    url = demo.false_claim.get_absolute_url()
    client.get(url)
    evidence_add(
        claim=demo.false_claim, url="https://example.org/new-evidence", title="شاهد تازه", actor=senior
    )
    assert "شاهد تازه" in client.get(url).content.decode()


def test_logged_in_users_are_not_served_cached_pages(client, demo, senior):
    url = demo.false_claim.get_absolute_url()
    client.get(url)
    client.force_login(senior)
    response = client.get(url)
    assert "X-Public-Cache" not in response
    assert "میز تحریریه" in response.content.decode()


def test_lost_generation_does_not_revive_old_pages(client, demo, senior):
    from django.core.cache import cache

    from claims.cache import GENERATION_KEY, clear_local_layer

    url = demo.false_claim.get_absolute_url()
    client.get(url)
    cache.delete(GENERATION_KEY)
    clear_local_layer()  # as a fresh process would start
    assert client.get(url)["X-Public-Cache"] == "miss"


def test_other_processes_follow_the_shared_generation(client, demo, settings):
    """Another process's invalidation reaches this one once its local generation expires."""
    from django.core.cache import cache

    from claims.cache import GENERATION_KEY

    settings.PUBLIC_CACHE_LOCAL_SECONDS = 0
    url = demo.false_claim.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"  # from the in-process layer
    cache.set(GENERATION_KEY, "set-by-another-process", timeout=None)
    assert client.get(url)["X-Public-Cache"] == "miss"


# --- invalidation by what changed -------------------------------------------------------


def _warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Public-Cache"] == "hit", url


def _state(client, *urls: str) -> dict[str, str]:
    return {url: client.get(url)["X-Public-Cache"] for url in urls}


def test_a_correction_refreshes_the_pages_that_show_that_claim_only(
    client, demo, senior, django_capture_on_commit_callbacks
):
    changed = [demo.false_claim.get_absolute_url(), "/sources/centcom/", "/", "/claims/", "/feeds/"]
    untouched = [demo.corrected_claim.get_absolute_url(), "/sources/lloyd-austin/", "/robots.txt"]
    _warm(client, *changed, *untouched)
    with django_capture_on_commit_callbacks(execute=True):
        claim_correct(
            claim=demo.false_claim,
            rating=Rating.MISLEADING,
            rationale="تصاویر تازه شمار بیشتری نشان داد.",
            note="تصاویر تازه رسید.",
            actor=senior,
        )
    assert _state(client, *changed) == dict.fromkeys(changed, "miss")
    assert _state(client, *untouched) == dict.fromkeys(untouched, "hit")
    assert 'data-rating="misleading"' in client.get(demo.false_claim.get_absolute_url()).content.decode()


def test_evidence_refreshes_its_claim_page_only(client, demo, senior):
    other = demo.corrected_claim.get_absolute_url()
    _warm(client, demo.false_claim.get_absolute_url(), other, "/")
    evidence_add(claim=demo.false_claim, url="https://example.org/more", title="شاهد دیگر", actor=senior)
    assert _state(client, demo.false_claim.get_absolute_url(), other, "/") == {
        demo.false_claim.get_absolute_url(): "miss",
        other: "hit",
        "/": "hit",
    }


def test_an_appearance_accepted_into_a_public_claim_shows_at_once(client, demo):
    url = demo.false_claim.get_absolute_url()
    other = demo.corrected_claim.get_absolute_url()
    _warm(client, url, other)
    AttributionFactory(claim=demo.false_claim, review_state=ReviewState.ACCEPTED, source=demo.centcom)
    assert _state(client, url, other) == {url: "miss", other: "hit"}
    assert "گفتگوها ادامه دارد" in client.get(url).content.decode()
    # A candidate on a claim the public cannot see changes no public page.
    _warm(client, url)
    AttributionFactory(
        claim=ClaimFactory(),
        review_state=ReviewState.ACCEPTED,
        source=demo.centcom,
        article__text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. دوباره",
    )
    assert _state(client, url) == {url: "hit"}


def test_the_list_filters_follow_publications(client, demo, senior, django_capture_on_commit_callbacks):
    irgc = Source.objects.get(slug="irgc")
    assert 'value="irgc"' not in client.get("/").content.decode()
    claim = claim_create(text="ادعای سپاه", actor=senior, attribution=AttributionFactory(source=irgc))
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست است.", actor=senior)
    with django_capture_on_commit_callbacks(execute=True):
        claim_submit(claim=claim, actor=senior)
        claim_publish(claim=claim, actor=senior)
    assert 'value="irgc"' in client.get("/?fresh=1").content.decode()


def test_a_registry_change_refreshes_every_page(client, demo):
    urls = [demo.false_claim.get_absolute_url(), demo.corrected_claim.get_absolute_url(), "/"]
    _warm(client, *urls)
    demo.austin.name_en = "Lloyd J. Austin"
    demo.austin.save()
    assert _state(client, *urls) == dict.fromkeys(urls, "miss")


def test_an_appearance_taken_from_a_public_claim_leaves_its_page_at_once(client, demo):
    url = demo.false_claim.get_absolute_url()
    added = AttributionFactory(claim=demo.false_claim, review_state=ReviewState.ACCEPTED, source=demo.centcom)
    assert "گفتگوها ادامه دارد" in client.get(url).content.decode()
    _warm(client, url, demo.corrected_claim.get_absolute_url())
    added.claim = None
    added.save()
    assert _state(client, url, demo.corrected_claim.get_absolute_url()) == {
        url: "miss",
        demo.corrected_claim.get_absolute_url(): "hit",
    }
    assert "گفتگوها ادامه دارد" not in client.get(url).content.decode()


def test_a_claim_that_stops_being_public_leaves_the_lists_at_once(client, demo):
    _warm(client, "/", demo.corrected_claim.get_absolute_url())
    assert demo.false_claim.text in client.get("/").content.decode()
    demo.false_claim.status = ClaimStatus.DISMISSED
    demo.false_claim.save()
    assert demo.false_claim.text not in client.get("/").content.decode()
    assert client.get(demo.false_claim.get_absolute_url()).status_code == 404
    assert client.get(demo.corrected_claim.get_absolute_url())["X-Public-Cache"] == "hit"
    # Desk work on a claim the public never saw refreshes nothing.
    _warm(client, "/")
    draft = ClaimFactory()
    draft.text = "متن تازهٔ پیش‌نویس"
    draft.save()
    assert client.get("/")["X-Public-Cache"] == "hit"


def test_the_lists_page_count_follows_publications(client, demo, senior, django_capture_on_commit_callbacks):
    for _ in range(18):  # twenty public claims with the demo's two: one page
        PublishedClaimFactory()
    assert "صفحهٔ ۱ از" not in client.get("/").content.decode()
    claim = claim_create(text="ادعای بیست و یکم", actor=senior, attribution=AttributionFactory())
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست است.", actor=senior)
    with django_capture_on_commit_callbacks(execute=True):
        claim_submit(claim=claim, actor=senior)
        claim_publish(claim=claim, actor=senior)
    assert "صفحهٔ ۱ از ۲" in client.get("/?fresh=1").content.decode()
