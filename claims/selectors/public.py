"""Reads for the public site, the feeds and the partner API.

Only published and corrected claims are ever returned. Of a claim's appearances
only accepted attributions are attached (pending and dismissed ones never reach
the public), and of its history only the public events (correction notes).

The attached lists use ``to_attr`` rather than filtering ``claim.attributions``
in place, so code that forgets the prefetch cannot silently fall back to the
unfiltered relation: ``claim.public_attributions`` simply does not exist then.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from claims.models import Attribution, Claim, ClaimEvent, Evidence, Rating, ReviewState, Source
from claims.models.claims import PUBLIC_STATUSES
from claims.selectors.claims import published_claims

# Attribute names the prefetches below attach to each Claim.
PUBLIC_ATTRIBUTIONS_ATTR = "public_attributions"
PUBLIC_EVENTS_ATTR = "public_events"


def public_attributions() -> QuerySet[Attribution]:
    """Accepted appearances with everything a page shows, earliest article first."""
    return (
        Attribution.objects.filter(review_state=ReviewState.ACCEPTED)
        .select_related("article", "article__publisher", "source", "via_source")
        .order_by(
            Coalesce("article__published_at", "article__ingested_at"), "article_id", "content_start", "id"
        )
    )


def public_attributions_prefetch() -> Prefetch:
    """The prefetch ``claimreview_for`` needs: ``claim.public_attributions``
    (accepted only, with article, article.publisher, source and via_source)."""
    return Prefetch("attributions", queryset=public_attributions(), to_attr=PUBLIC_ATTRIBUTIONS_ATTR)


def public_events_prefetch() -> Prefetch:
    """Public history only (correction notes); editors' notes stay internal."""
    return Prefetch(
        "events",
        queryset=ClaimEvent.objects.filter(public=True).order_by("created_at", "id"),
        to_attr=PUBLIC_EVENTS_ATTR,
    )


def public_claims() -> QuerySet[Claim]:
    """Published and corrected claims, newest verdict first, with accepted
    appearances (article, publisher, source, via source), evidence and public
    events prefetched: four queries for any number of claims."""
    return published_claims().prefetch_related(
        public_attributions_prefetch(),
        Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id")),
        public_events_prefetch(),
    )


def public_claim_cards() -> QuerySet[Claim]:
    """The lighter form for lists and feeds: claims with their accepted appearances only."""
    return published_claims().prefetch_related(public_attributions_prefetch())


def public_claim(claim_id: int) -> Claim | None:
    """One public claim by id, or None when it does not exist or is not public."""
    return public_claims().filter(pk=claim_id).first()


def source_public_claims(source: Source) -> QuerySet[Claim]:
    """Public claims in which ``source`` has an accepted appearance."""
    ids = Attribution.objects.filter(source=source, review_state=ReviewState.ACCEPTED).values("claim_id")
    return public_claim_cards().filter(pk__in=ids)


def source_track_record(source: Source) -> dict[str, int]:
    """Number of public claims per rating in which ``source`` has an accepted
    appearance. Every rating is present, in Rating order, zeros included."""
    rows = (
        Claim.objects.filter(
            Q(status__in=PUBLIC_STATUSES)
            & Q(attributions__source=source)
            & Q(attributions__review_state=ReviewState.ACCEPTED)
        )
        .values("rating")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    counts = {row["rating"]: row["n"] for row in rows}
    return {rating: int(counts.get(rating, 0)) for rating in Rating.values}
