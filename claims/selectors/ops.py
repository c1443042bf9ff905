"""Reads for the operations endpoints (readiness and metrics)."""

from __future__ import annotations

from django.db.models import Count

from claims.models import Article


def article_counts_by_state() -> dict[str, int]:
    """Articles per processing state: one GROUP BY over the (state, ingested_at) index."""
    rows = Article.objects.order_by().values_list("state").annotate(n=Count("id"))
    return dict(rows)
