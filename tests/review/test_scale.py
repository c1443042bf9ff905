"""The desk at a newsroom's scale: the inbox and the article page cost the same number of
queries however many articles are held and however often a claim was quoted, and their
queries read no big table whole."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import models as m
from tests.factories import ClaimFactory, SourceFactory, bulk_appearances
from tests.plans import newsroom, scans_of_big_tables
from tests.review.conftest import build_article
from tests.review.test_queries import _many_articles

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_inbox_queries_do_not_grow_with_articles(client, editor):
    _many_articles(10)
    client.force_login(editor)
    urls = [reverse("review:inbox"), reverse("review:inbox") + "?page=2&q=خبر"]
    few = [_queries(client, url) for url in urls]
    _many_articles(400, start=10)
    assert [_queries(client, url) for url in urls] == few


def test_article_page_queries_do_not_grow_with_the_claims_appearances(client, editor):
    article = build_article(6)
    claims = [ClaimFactory(), ClaimFactory()]
    candidates = list(article.attributions.order_by("id"))
    for i, candidate in enumerate(candidates[:4]):
        candidate.claim, candidate.review_state = claims[i % 2], m.ReviewState.ACCEPTED
        candidate.source = SourceFactory()
    m.Attribution.objects.bulk_update(candidates, ["claim", "review_state", "source"])
    m.ClaimMatch.objects.bulk_create(
        [m.ClaimMatch(attribution=candidates[5], claim=c, score=0.5) for c in claims]
    )
    for claim in claims:
        bulk_appearances(claim, 3)
    build_article(3, title="خبر بعدی")  # a next article to review
    client.force_login(editor)
    url = reverse("review:article", args=[article.pk])
    few = _queries(client, url)
    for claim in claims:
        bulk_appearances(claim, 200, start=3)
    assert _queries(client, url) == few


def test_desk_pages_read_no_big_table_whole(require_postgres, client, editor):
    world = newsroom()
    article = world["hot"].attributions.order_by("id").first().article
    client.force_login(editor)
    for url in (
        reverse("review:inbox"),
        reverse("review:inbox") + "?page=3",
        reverse("review:article", args=[article.pk]),
        reverse("review:claim", args=[world["hot"].pk]),
    ):
        assert scans_of_big_tables(client.get, url) == [], url


def test_claim_workspace_pages_its_appearances_in_a_fixed_number_of_queries(client, editor):
    from claims.selectors.review import WORKSPACE_APPEARANCES

    claim = ClaimFactory()
    bulk_appearances(claim, 5, review_state=m.ReviewState.PENDING)
    client.force_login(editor)
    url = reverse("review:claim", args=[claim.pk])
    few = _queries(client, url)
    bulk_appearances(claim, 115, start=5)
    assert _queries(client, url) == few
    html = client.get(url).content.decode()
    assert html.count('class="appearance"') == WORKSPACE_APPEARANCES
    assert "بازگویی‌ها (۱۲۰)" in html and 'href="?page=2#h-app"' in html
    last = client.get(url + "?page=3").content.decode()
    assert last.count('class="appearance"') == 120 - 2 * WORKSPACE_APPEARANCES
    assert "انتشار 0119" in last and "انتشار 0000" not in last  # the latest, in article order
    assert "گفتگوها ادامه دارد" in last  # each quote in its context
