"""Reads of statements: the public record of who said what, with every appearance."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from claims.extraction.normalize import normalize_key
from claims.models import Article, Attribution, ReviewState, Statement

APPEARANCES_ATTR = "shown_appearances"


def _shown_appearances() -> QuerySet[Attribution]:
    return (
        # Accepted by an editor, or a wire copy of an accepted one (copies join a claim with it).
        Attribution.objects.filter(
            Q(review_state=ReviewState.ACCEPTED) | Q(review_state=ReviewState.COPY, claim__isnull=False)
        )
        .select_related("article", "article__publisher", "via_source", "source")
        .defer("article__text", "article__shingle_signature")
        .order_by(Coalesce("article__published_at", "article__ingested_at"), "article_id", "id")
    )


def public_statements(
    *,
    source_id: int | None = None,
    outlet: str | None = None,
    q: str = "",
    published_after: dt.datetime | None = None,
    published_before: dt.datetime | None = None,
) -> QuerySet[Statement]:
    """Statements of registry speakers with at least one accepted appearance, newest
    first, each with the appearances a reader may see (earliest first) prefetched. Show
    the words of those appearances, never ``content_text`` (the first wording seen,
    which may be a candidate no editor accepted)."""
    accepted = Attribution.objects.filter(statement_id=OuterRef("pk"), review_state=ReviewState.ACCEPTED)
    # Registry speakers only: a name the registry does not know stays in the desk.
    statements = Statement.objects.filter(Exists(accepted), source__isnull=False).select_related("source")
    if source_id is not None:
        statements = statements.filter(source_id=source_id)
    if outlet:
        statements = statements.filter(Exists(accepted.filter(article__publisher__slug=outlet)))
    key = normalize_key(q or "")
    if len(key) >= 2:
        statements = statements.filter(content_key__contains=key)
    if published_after:
        statements = statements.filter(first_seen_at__gte=published_after)
    if published_before:
        statements = statements.filter(first_seen_at__lt=published_before)
    return statements.order_by("-first_seen_at", "-id").prefetch_related(
        Prefetch("appearances", queryset=_shown_appearances(), to_attr=APPEARANCES_ATTR)
    )


def article_copies(article: Article) -> list[Article]:
    """The copies of an article (other outlets' wire copies), earliest first."""
    return list(
        Article.objects.filter(copy_of=article)
        .select_related("publisher")
        .only(
            "id",
            "title",
            "url",
            "published_at",
            "ingested_at",
            "publisher__name_fa",
            "publisher__slug",
            "copy_similarity",
            "copy_of_id",
        )
        .order_by(Coalesce("published_at", "ingested_at"), "id")
    )


def desk_statement(pk: int) -> Statement | None:
    return (
        Statement.objects.select_related("source", "claim")
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=Attribution.objects.select_related("article", "article__publisher", "via_source")
                .defer("article__text", "article__shingle_signature")
                .order_by(Coalesce("article__published_at", "article__ingested_at"), "id"),
                to_attr="all_appearances",
            )
        )
        .filter(pk=pk)
        .first()
    )
