"""Reads of articles for the ingestion pipeline and the desk's progress views."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from claims.models import Article, ArticleState


def stale_article_ids(*, older_than: dt.datetime, max_attempts: int) -> list[int]:
    """Articles still queued or processing since before ``older_than``: their
    extraction message was probably lost."""
    return list(
        Article.objects.filter(
            state__in=(ArticleState.QUEUED, ArticleState.PROCESSING),
            ingested_at__lt=older_than,
            attempts__lt=max_attempts,
        )
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )


def unmatched_article_ids(*, older_than: dt.datetime) -> list[int]:
    """Extracted articles whose claim matching never ran (a worker lost between
    the extraction's commit and the match); a partial index keeps this cheap."""
    return list(
        Article.objects.filter(state=ArticleState.DONE, matched_at__isnull=True, extracted_at__lt=older_than)
        .order_by("extracted_at")
        .values_list("id", flat=True)[:1000]
    )


def stale_fetching_ids(*, older_than: dt.datetime) -> list[int]:
    """URL submissions still waiting for their page since before ``older_than``:
    their fetch message was probably lost (the fetch task's own limits are shorter)."""
    return list(
        Article.objects.filter(state=ArticleState.FETCHING, ingested_at__lt=older_than)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )


def article_state_counts(*, ids: list[int] | None = None) -> dict[str, int]:
    """How many articles are in each state (optionally among ``ids``)."""
    qs = Article.objects.all() if ids is None else Article.objects.filter(pk__in=ids)
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in ArticleState.values}


def articles_with_attribution_counts(*, ids: list[int]) -> QuerySet[Article]:
    return Article.objects.filter(pk__in=ids).annotate(n_attributions=Count("attributions"))
