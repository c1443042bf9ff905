"""Public pages at a newsroom's scale: a claim quoted hundreds of times, many claims per
source, and the pages' query counts, which must not grow with either."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.cache import clear_local_layer
from claims.models import ReviewState
from claims.selectors.public import APPEARANCES_PER_PAGE, claim_appearances
from claims.templatetags.fa import fa_digits
from tests.factories import PublishedClaimFactory, SourceFactory, bulk_appearances
from tests.plans import newsroom, scans_of_big_tables
from tests.public.test_pages import jsonld

pytestmark = pytest.mark.django_db

_serial = iter(range(10**6))


def _queries(client, url: str) -> int:
    """Queries of one rendering of ``url`` from a cold cache (a fresh querystring, and
    nothing kept from earlier requests, the filter options included)."""
    cache.clear()
    clear_local_layer()
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{url}{separator}fresh={next(_serial)}")
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _shown(html: str) -> list[str]:
    """Article titles of the appearances the page shows, in page order."""
    return re.findall(r'class="article-link">(انتشار \d+) ادعای', html)


@pytest.fixture
def speaker():
    return SourceFactory(slug="speaker")


@pytest.fixture
def outlet():
    return SourceFactory(slug="outlet", kind="news_agency")


def test_claim_page_queries_do_not_grow_with_appearances(client, speaker, outlet):
    claim = PublishedClaimFactory()
    bulk_appearances(claim, 5, source=speaker, publisher=outlet)
    few = _queries(client, claim.get_absolute_url())
    bulk_appearances(claim, 195, source=speaker, publisher=outlet, start=5)
    assert _queries(client, claim.get_absolute_url()) == few
    assert (
        _queries(client, claim.get_absolute_url() + "?page=3") == few + 1
    )  # and the first page's, for its head


def test_claim_page_shows_the_earliest_appearances_and_pages_through_the_rest(client, speaker, outlet):
    claim = PublishedClaimFactory()
    bulk_appearances(claim, 70, source=speaker, publisher=outlet)
    # Candidates that are not public are neither shown nor counted.
    bulk_appearances(claim, 4, source=speaker, review_state=ReviewState.PENDING, start=70)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert _shown(html) == [f"انتشار {i:04d}" for i in range(APPEARANCES_PER_PAGE)]
    assert f"{fa_digits(70)} انتشار" in html
    assert 'href="?page=2#h-appearances"' in html and 'rel="prev"' not in html
    last = client.get(claim.get_absolute_url() + "?page=3").content.decode()
    assert _shown(last) == [f"انتشار {i:04d}" for i in range(2 * APPEARANCES_PER_PAGE, 70)]
    assert 'rel="next"' not in last.split('id="h-appearances"')[1]
    # Every page's ClaimReview names the first publication, not the page's own first.
    for html_page in (html, last):
        assert jsonld(html_page)["itemReviewed"]["firstAppearance"]["headline"].startswith("انتشار 0000")
    # Past the end is the last page; nonsense is the first.
    assert _shown(client.get(claim.get_absolute_url() + "?page=99").content.decode()) == _shown(last)
    assert _shown(client.get(claim.get_absolute_url() + "?page=x").content.decode()) == _shown(html)


def test_claim_appearances_pages_cover_every_public_appearance_once(speaker):
    claim = PublishedClaimFactory()
    made = bulk_appearances(claim, 45, source=speaker)
    bulk_appearances(claim, 3, source=speaker, review_state=ReviewState.DISMISSED, start=45)
    seen = [a.pk for offset in (0, 20, 40) for a in claim_appearances(claim.pk, offset=offset, limit=20)]
    assert seen == [a.pk for a in made]  # earliest first, each once, none hidden


def test_lists_and_source_page_queries_do_not_grow_with_claims_or_appearances(client, speaker, outlet):
    def claims(n: int, appearances: int) -> None:
        for _ in range(n):
            bulk_appearances(PublishedClaimFactory(), appearances, source=speaker, publisher=outlet)

    claims(3, 2)
    urls = [
        "/",
        "/claims/",
        "/claims/?q=ادامه",
        f"/sources/{speaker.slug}/",
        f"/claims/?outlet={outlet.slug}",
    ]
    few = {url: _queries(client, url) for url in urls}
    claims(45, 2)  # more than two pages of claims
    claims(2, 150)  # and claims quoted hundreds of times on the first page
    assert {url: _queries(client, url) for url in urls} == few


# --- plans ------------------------------------------------------------------------


def test_public_pages_read_no_big_table_whole(require_postgres, client):
    world = newsroom()
    hot = world["hot"]
    for url in (
        hot.get_absolute_url(),
        hot.get_absolute_url() + "?page=5",
        "/",
        "/claims/?page=2",
        "/claims/?q=ادامه",
        f"/claims/?source={world['speaker'].slug}",
        f"/claims/?outlet={world['outlet'].slug}",
        f"/sources/{world['speaker'].slug}/",
        "/feeds/",
    ):
        assert scans_of_big_tables(client.get, url) == [], url
