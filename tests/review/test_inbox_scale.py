"""The desk inbox at a newsroom's size: capped counts, the stored sort key and the
index its page query walks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims import models as m
from claims.selectors import review as sel
from claims.views import review as views
from tests.review.test_queries import _many_articles

pytestmark = pytest.mark.django_db


def test_counts_are_exact_below_the_cap_and_capped_above():
    _many_articles(30)
    counts, articles = sel.desk_state_counts()
    assert set(counts) == set(m.ReviewState.values)
    assert counts["pending"] == 30 and sum(counts.values()) == 30
    assert articles["done"] == 30
    assert sel._capped_counts(m.Attribution._meta.db_table, "review_state", ["pending"], cap=10) == {
        "pending": 11
    }


def test_the_inbox_says_more_than_past_its_cap(client, editor, monkeypatch):
    _many_articles(12)
    monkeypatch.setattr(views.CappedPaginator, "cap", 5)
    client.force_login(editor)
    page = client.get(reverse("review:inbox")).content.decode()
    assert "بیش از ۵ خبر" in page
    monkeypatch.setattr(views.CappedPaginator, "cap", 50)
    page = client.get(reverse("review:inbox")).content.decode()
    assert "۱۲ خبر" in page and "بیش از" not in page.split("خبر", 1)[0]


def test_the_sort_key_is_publication_else_arrival_and_orders_the_inbox():
    _many_articles(3)
    first, second, third = m.Article.objects.order_by("id")
    m.Article.objects.filter(pk=first.pk).update(published_at=timezone.now() + dt.timedelta(days=1))
    m.Article.objects.filter(pk=third.pk).update(published_at=timezone.now() - dt.timedelta(days=30))
    first.refresh_from_db()
    assert first.sort_at == first.published_at
    second.refresh_from_db()
    assert second.sort_at == second.ingested_at
    ids = [a.pk for a in sel.inbox_articles(sel.InboxFilters())]
    assert ids == [first.pk, second.pk, third.pk]
    since = (timezone.now() - dt.timedelta(days=2)).date()
    assert [a.pk for a in sel.inbox_articles(sel.InboxFilters(date_from=since))] == [first.pk, second.pk]
    assert sel.next_article_to_review(second).pk == first.pk


def test_the_inbox_page_and_next_article_walk_the_inbox_index(require_postgres):
    _many_articles(50)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_article")
        cursor.execute("ANALYZE claims_attribution")
        # Fixture tables are tiny: without this the planner reads and sorts them whole
        # (cheapest at fifty rows). Told not to, it shows the index that serves the order;
        # the bench EXPLAINs the same query on 100k articles.
        for knob in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {knob} = off")
        plan = sel.inbox_articles(sel.InboxFilters())[:50].explain()
    assert "article_inbox_idx" in plan, plan
    assert "Sort" not in plan.split("article_inbox_idx")[0], plan  # no sort of every article above it
