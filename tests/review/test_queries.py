"""Hot desk pages render in a bounded number of queries, whatever the data size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import models as m
from tests.factories import ClaimFactory, SourceFactory
from tests.review.conftest import build_article

pytestmark = pytest.mark.django_db

# session, user, and the user's permissions (groups) are part of every request
INBOX_MAX_QUERIES = 12
# ... and one for the wire copies of the article ("also published by N outlets")
ARTICLE_MAX_QUERIES = 9
WORKSPACE_MAX_QUERIES = 16


def _many_articles(n: int, *, start: int = 0) -> None:
    publishers = [SourceFactory(kind="news_agency") for _ in range(5)]
    articles = m.Article.objects.bulk_create(
        [
            m.Article(
                text=f"سخنگو گفت که خبر {i} درست است.",
                title=f"خبر شمارهٔ {i}",
                content_hash=f"bulk-{i}",
                state="done",
                publisher=publishers[i % 5],
            )
            for i in range(start, start + n)
        ]
    )
    m.Attribution.objects.bulk_create(
        [
            m.Attribution(
                article=a,
                source_text="سخنگو",
                source_start=0,
                source_end=5,
                cue_text="گفت",
                cue_start=6,
                cue_end=9,
                content_text="خبر",
                content_start=13,
                content_end=16,
                kind="indirect",
                source=publishers[i % 5],
            )
            for i, a in enumerate(articles)
        ]
    )


def test_inbox_with_1000_articles(client, editor, django_assert_max_num_queries):
    _many_articles(1000)
    m.Article.objects.bulk_create(
        [m.Article(text="x", content_hash=f"failed-{i}", state="failed", error="خطا") for i in range(30)]
    )
    client.force_login(editor)
    with django_assert_max_num_queries(INBOX_MAX_QUERIES):
        response = client.get(reverse("review:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("/review/articles/") >= 50  # one page of 50 rows
    assert "۱۰۰۰ خبر" in html
    with django_assert_max_num_queries(INBOX_MAX_QUERIES):
        client.get(reverse("review:inbox"), {"page": 7, "hedged": "0", "q": "خبر"})


def test_article_page_with_50_candidates(client, editor, django_assert_max_num_queries):
    article = build_article(50)
    sources = [SourceFactory() for _ in range(5)]
    claims = [ClaimFactory() for _ in range(5)]
    candidate = m.SourceCandidate.objects.create(text="ناشناخته", key="nk")
    attributions = list(article.attributions.all())
    for i, a in enumerate(attributions):
        if i % 2:
            a.source = sources[i % 5]
        else:
            a.source_candidate = candidate
        a.claim = claims[i % 5] if i % 3 == 0 else None
        a.review_state = "accepted" if a.claim else "pending"
    m.Attribution.objects.bulk_update(attributions, ["source", "source_candidate", "claim", "review_state"])
    m.ClaimMatch.objects.bulk_create(
        [m.ClaimMatch(attribution=a, claim=c, score=0.5) for a in attributions for c in claims[:2]]
    )
    client.force_login(editor)
    with django_assert_max_num_queries(ARTICLE_MAX_QUERIES):
        response = client.get(reverse("review:article", args=[article.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="cand state-') == 50


def test_claim_workspace_with_many_appearances(client, editor, django_assert_max_num_queries):
    claim = ClaimFactory()
    for i in range(10):
        article = build_article(3, title=f"خبر {i}")
        article.attributions.update(claim=claim, review_state="accepted")
    attributions = list(claim.attributions.all())
    m.Evidence.objects.bulk_create([m.Evidence(claim=claim, url=f"https://e.org/{i}") for i in range(10)])
    m.ConsistencyFlag.objects.create(
        claim=claim, first=attributions[0], second=attributions[1], description="x"
    )
    client.force_login(editor)
    with django_assert_max_num_queries(WORKSPACE_MAX_QUERIES):
        response = client.get(reverse("review:claim", args=[claim.pk]))
    assert response.content.decode().count('class="appearance"') == 30


def test_claims_list_and_sources_list_are_bounded(client, editor, django_assert_max_num_queries):
    for _ in range(60):
        ClaimFactory(assignee=editor)
    for _ in range(70):
        SourceFactory()
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("review:claims")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("review:sources")).status_code == 200
