"""Rows for the data exports: flat values, read in chunks, so 100k rows take flat memory.

Only what is public goes out: published (or corrected) claims with their accepted
appearances, and accepted statements (appearances) whatever their claim's state,
without the desk's notes, dismissed or pending candidates, or unknown-source names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Case, F, FilteredRelation, Q, When

from claims.models import Attribution, ReviewState
from claims.models.claims import PUBLIC_STATUSES
from claims.selectors.claims import published_claims

CHUNK = 2000

CLAIM_FIELDS = {
    "claim_id": "id",
    "claim_slug": "slug",
    "claim_text": "text",
    "status": "status",
    "rating": "rating",
    "rationale": "rationale",
    "claim_published_at": "published_at",
    "claim_updated_at": "updated_at",
    "appearance_id": "appearance__id",
    "speaker": "appearance__source__name_fa",
    "speaker_slug": "appearance__source__slug",
    "speaker_as_written": "appearance__source_text",
    "cue": "appearance__cue_text",
    "kind": "appearance__kind",
    "quote": "appearance__content_text",
    "via": "appearance__via_source__name_fa",
    "outlet": "appearance__article__publisher__name_fa",
    "outlet_slug": "appearance__article__publisher__slug",
    "article_url": "appearance__article__url",
    "article_title": "appearance__article__title",
    "article_published_at": "appearance__article__published_at",
}

STATEMENT_FIELDS = {
    "statement_id": "id",
    "speaker": "source__name_fa",
    "speaker_slug": "source__slug",
    "speaker_kind": "source__kind",
    "speaker_as_written": "source_text",
    "office": "office__name_fa",
    "office_slug": "office__slug",
    "cue": "cue_text",
    "kind": "kind",
    "quote": "content_text",
    "via": "via_source__name_fa",
    "outlet": "article__publisher__name_fa",
    "outlet_slug": "article__publisher__slug",
    "article_id": "article_id",
    "article_url": "article__url",
    "article_title": "article__title",
    "article_published_at": "article__published_at",
    "claim_id": "public_claim_id",
}


def _as_dicts(rows, fields: dict[str, str]) -> Iterator[dict]:
    columns = list(fields)
    for row in rows.iterator(chunk_size=CHUNK):
        yield dict(zip(columns, row, strict=True))


def _known_speaker() -> Q:
    # An appearance whose speaker is not in the registry shows no name: unknown names stay in the desk.
    return Q(source__isnull=False)


def claim_export_rows(
    *,
    source: str | None = None,
    outlet: str | None = None,
    ratings: list[str] | None = None,
    language: str | None = None,
    published_after: dt.datetime | None = None,
    published_before: dt.datetime | None = None,
    updated_since: dt.datetime | None = None,
) -> Iterator[dict]:
    """One row per (published claim, accepted appearance), claims newest verdict first,
    appearances earliest first; a claim without appearances gives one row."""
    claims = published_claims()
    if source:
        claims = claims.filter(
            attributions__review_state=ReviewState.ACCEPTED, attributions__source__slug=source
        ).distinct()
    if outlet:
        claims = claims.filter(
            attributions__review_state=ReviewState.ACCEPTED, attributions__article__publisher__slug=outlet
        ).distinct()
    if ratings:
        claims = claims.filter(rating__in=ratings)
    if language:
        claims = claims.filter(language=language)
    if published_after:
        claims = claims.filter(published_at__gte=published_after)
    if published_before:
        claims = claims.filter(published_at__lt=published_before)
    if updated_since:
        claims = claims.filter(updated_at__gte=updated_since)
    rows = (
        claims.annotate(
            appearance=FilteredRelation(
                "attributions", condition=Q(attributions__review_state=ReviewState.ACCEPTED)
            )
        )
        .order_by(
            "-published_at",
            "-id",
            F("appearance__article__published_at").asc(nulls_last=True),
            "appearance__id",
        )
        .values_list(*CLAIM_FIELDS.values())
    )
    return _as_dicts(rows, CLAIM_FIELDS)


def statement_export_rows(
    *,
    source: str | None = None,
    outlet: str | None = None,
    published_after: dt.datetime | None = None,
    published_before: dt.datetime | None = None,
) -> Iterator[dict]:
    """One row per accepted statement by a registry speaker, newest article first."""
    rows = Attribution.objects.filter(_known_speaker(), review_state=ReviewState.ACCEPTED)
    if source:
        rows = rows.filter(source__slug=source)
    if outlet:
        rows = rows.filter(article__publisher__slug=outlet)
    if published_after:
        rows = rows.filter(article__published_at__gte=published_after)
    if published_before:
        rows = rows.filter(article__published_at__lt=published_before)
    # A statement's claim is named only once it is published.
    rows = rows.annotate(
        public_claim_id=Case(When(claim__status__in=PUBLIC_STATUSES, then=F("claim_id")), default=None)
    )
    rows = rows.order_by(F("article__published_at").desc(nulls_last=True), "-id").values_list(
        *STATEMENT_FIELDS.values()
    )
    return _as_dicts(rows, STATEMENT_FIELDS)
