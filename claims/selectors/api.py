"""Reads for the partner API, built on the public selectors so the API can never show
more than the public site: published or corrected claims, accepted appearances only,
public history only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from claims.models import (
    APIKey,
    Article,
    Attribution,
    Evidence,
    Partner,
    Rating,
    ReviewState,
    Source,
    WebhookDelivery,
    WebhookEndpoint,
)
from claims.models.claims import PUBLIC_STATUSES, Claim
from claims.selectors.claims import published_claims
from claims.selectors.public import (
    APPEARANCE_COLUMNS,
    appearance_count,
    appearance_rows,
    attach_appearances,
    public_events_prefetch,
)


def api_key_principal(key_hash: str) -> APIKey | None:
    """The key with this hash (unique index), with its partner; None when unknown."""
    return (
        APIKey.objects.select_related("partner")
        .only(
            "id",
            "prefix",
            "scopes",
            "expires_at",
            "revoked_at",
            "partner_id",
            "partner__name",
            "partner__active",
        )
        .filter(key_hash=key_hash)
        .first()
    )


def _api_claims_base() -> QuerySet[Claim]:
    """Public claims with ``n_appearances``, evidence and public events. The appearances
    are attached to one page of claims at a time by ``attach_api_appearances``: the first
    APPEARANCES_PER_PAGE of each, however often a claim was quoted."""
    return (
        published_claims()
        .annotate(n_appearances=appearance_count())
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id")),
            public_events_prefetch(),
        )
    )


def attach_api_appearances(claims: list[Claim]) -> list[Claim]:
    """``claim.public_attributions`` for a page of claims: the earliest public appearances
    of each, with the columns an answer shows (never article text: an API answer shows the
    quote, not its context)."""
    return attach_appearances(claims, context=False, columns=APPEARANCE_COLUMNS)


def _accepted_appearances() -> QuerySet[Attribution]:
    return Attribution.objects.filter(claim_id=OuterRef("pk"), review_state=ReviewState.ACCEPTED)


def api_claims(
    *,
    source: str | None = None,
    outlet: str | None = None,
    ratings: Iterable[str] = (),
    language: str | None = None,
    published_after: dt.datetime | None = None,
    updated_since: dt.datetime | None = None,
) -> QuerySet[Claim]:
    """Public claims for the API, filtered; newest verdict first, with everything the
    claim serializer and ClaimReview read prefetched but the appearances, which
    ``attach_api_appearances`` adds to the page (four queries per page).

    ``source`` and ``outlet`` are source slugs. They only ever match accepted appearances, so a dismissed or
    pending candidate can't make a claim show up under a source."""
    qs = _api_claims_base()
    if source is not None:
        qs = qs.filter(Exists(_accepted_appearances().filter(source__slug=source)))
    if outlet is not None:
        qs = qs.filter(Exists(_accepted_appearances().filter(article__publisher__slug=outlet)))
    ratings = list(ratings)
    if ratings:
        qs = qs.filter(rating__in=ratings)
    if language:
        qs = qs.filter(language=language)
    if published_after is not None:
        qs = qs.filter(published_at__gte=published_after)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def api_claim(claim_id: int) -> Claim | None:
    """One public claim with its first appearances attached; None when not public."""
    claim = api_claims().filter(pk=claim_id).first()
    if claim is not None:
        attach_api_appearances([claim])
    return claim


def api_claim_appearances(claim_id: int) -> QuerySet[Attribution] | None:
    """Every public appearance of a public claim, earliest first (annotated ``sort_at`` for
    the cursor), without article text; None when the claim is not public."""
    if not published_claims().filter(pk=claim_id).exists():
        return None
    return (
        appearance_rows()
        .only(*APPEARANCE_COLUMNS)
        .filter(claim_id=claim_id)
        .annotate(sort_at=F("article__sort_at"))
        .order_by("sort_at", "article_id", "content_start", "id")
    )


def api_sources() -> QuerySet[Source]:
    """The source registry with parent and affiliation, in a stable order for cursors."""
    return Source.objects.select_related("parent", "affiliation").order_by("id")


def api_source(slug: str) -> Source | None:
    return api_sources().filter(slug=slug).first()


def source_by_slug(slug: str) -> Source | None:
    return Source.objects.only("id", "slug").filter(slug=slug).first()


def api_track_records(source_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """``claims.selectors.public.source_track_record`` for many sources in one query: public
    claims per rating in which each source has an accepted appearance, zeros included."""
    ids = list(source_ids)
    records = {sid: dict.fromkeys(Rating.values, 0) for sid in ids}
    if not ids:
        return records
    rows = (
        Attribution.objects.filter(
            source_id__in=ids, review_state=ReviewState.ACCEPTED, claim__status__in=PUBLIC_STATUSES
        )
        .values("source_id", "claim__rating")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by()
    )
    for row in rows:
        if row["claim__rating"] in records[row["source_id"]]:
            records[row["source_id"]][row["claim__rating"]] = int(row["n"])
    return records


def article_is_public(article_id: int) -> bool:
    """The article is the source of an accepted appearance on a published claim."""
    from claims.models.claims import PUBLIC_STATUSES

    return Attribution.objects.filter(
        article_id=article_id, review_state=ReviewState.ACCEPTED, claim__status__in=PUBLIC_STATUSES
    ).exists()


def api_masked_submission(alias_id: int, *, partner_id: int):
    """A partner's masked duplicate submission (see ArticleSubmission.alias_id)."""
    from claims.models import ArticleSubmission

    return (
        ArticleSubmission.objects.select_related("article")
        .only(
            "alias_id",
            "sent_title",
            "sent_url",
            "created_at",
            "partner_id",
            "article__id",
            "article__state",
            "article__error",
            "article__extracted_at",
        )
        .filter(alias_id=alias_id, partner_id=partner_id)
        .first()
    )


def api_article(article_id: int, *, partner_id: int) -> Article | None:
    """An article's status, only for a partner that submitted it."""
    return (
        Article.objects.only(
            "id", "state", "title", "url", "error", "ingested_at", "extracted_at", "published_at", "origin"
        )
        # Not through a masked submission: that partner knows the article by its alias only.
        .filter(
            pk=article_id,
            partner_submissions__partner_id=partner_id,
            partner_submissions__alias_id__isnull=True,
        )
        .first()
    )


def api_partner(partner_id: int) -> Partner:
    return Partner.objects.get(pk=partner_id)


def partner_webhooks(partner_id: int) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(partner_id=partner_id).order_by("id")


def partner_webhook(partner_id: int, endpoint_id: int) -> WebhookEndpoint | None:
    return partner_webhooks(partner_id).filter(pk=endpoint_id).first()


def webhook_targets(event: str) -> list[WebhookEndpoint]:
    """Active endpoints of active partners subscribed to ``event``. Filtered in Python:
    ``events`` is a JSON list and JSON containment differs between SQLite and PostgreSQL."""
    endpoints = WebhookEndpoint.objects.filter(active=True, partner__active=True).order_by("id")
    return [e for e in endpoints if event in (e.events or [])]


def webhook_due_delivery_ids(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries of active endpoints whose retry time has come, or that were
    never queued (no time set a minute after creation: the broker was down)."""
    now = now or timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True, created_at__lte=now - dt.timedelta(minutes=1)
    )
    return list(
        WebhookDelivery.objects.filter(due, state=WebhookDelivery.State.PENDING, endpoint__active=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
