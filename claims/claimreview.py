"""schema.org ClaimReview for one public claim, as a JSON-LD ready dict.

The claim carries ``claim.public_attributions``: its accepted appearances with
article, article.publisher, source and via_source. Pages and the API attach the
earliest ones only (``claims.selectors.public.claim_appearances`` and
``attach_appearances``), so the ClaimReview of a claim quoted hundreds of times
names its first appearance and the earliest others; ``public_claims()`` attaches
every one. Without either the accepted appearances are read here with one query,
never the unfiltered relation.

See https://schema.org/ClaimReview and Google's fact-check markup guidelines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from claims.models import Attribution, Claim, ClaimEvent, Rating, SourceKind
from claims.models.claims import RATING_VALUES
from claims.site import site_url as current_site_url

BEST_RATING = 5
WORST_RATING = 1


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


def _accepted(claim: Claim) -> list[Attribution]:
    attributions = getattr(claim, "public_attributions", None)
    if attributions is None:
        from claims.selectors.public import public_attributions

        attributions = list(public_attributions().filter(claim=claim))
    return list(attributions)


def _modified(claim: Claim) -> dt.datetime | None:
    """When the public record last changed: publication, or the latest public
    history entry (a correction or an update after publication)."""
    events = getattr(claim, "public_events", None)
    if events is not None:
        latest = max((e.created_at for e in events), default=None)
    else:
        latest = (
            ClaimEvent.objects.filter(claim=claim, public=True)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
    candidates = [d for d in (claim.published_at, latest) if d is not None]
    return max(candidates) if candidates else None


def _article_date(attribution: Attribution) -> dt.datetime | None:
    return attribution.article.published_at or attribution.article.ingested_at


def _party(source) -> dict[str, Any]:
    kind = "Person" if source.kind == SourceKind.PERSON else "Organization"
    party: dict[str, Any] = {"@type": kind, "name": source.name_fa}
    if source.name_en:
        party["alternateName"] = source.name_en
    if source.wikidata_id:
        party["sameAs"] = f"https://www.wikidata.org/wiki/{source.wikidata_id}"
    return party


def web_url(url: str | None) -> str:
    """``url`` if it is an http(s) address, else "" (never a javascript: or data: link)."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""


def claim_url(claim: Claim, *, site_url: str | None = None) -> str:
    """The absolute public address of ``claim``, as a URI (the Persian slug
    percent-encoded), the same in JSON-LD, feeds, the sitemap and canonical links."""
    base = (site_url or current_site_url()).rstrip("/")
    return iri_to_uri(base + claim.get_absolute_url())


def claimreview_for(claim: Claim, *, site_url: str | None = None) -> dict[str, Any]:
    """The ClaimReview of a published or corrected claim (see module docstring for
    the prefetch it expects). ``site_url`` overrides claims.site.site_url()."""
    rating = Rating(claim.rating)
    attributions = sorted(_accepted(claim), key=lambda a: (_article_date(a) is None, _article_date(a), a.pk))

    item: dict[str, Any] = {"@type": "Claim"}
    first_with_source = next((a for a in attributions if a.source_id is not None), None)
    if first_with_source is not None:
        item["author"] = _party(first_with_source.source)
    elif attributions and attributions[0].source_resolved:
        # Not in the registry: name it as the article did, without guessing its kind.
        item["author"] = {"@type": "Organization", "name": attributions[0].source_resolved}

    appearances: list[dict[str, Any]] = []
    seen_articles: set[int] = set()
    for attribution in attributions:
        article = attribution.article
        if article.pk in seen_articles:
            continue
        seen_articles.add(article.pk)
        work: dict[str, Any] = {"@type": "CreativeWork"}
        if web_url(article.url):
            work["url"] = article.url
        if article.title:
            work["headline"] = article.title
        if article.published_at:
            work["datePublished"] = _iso(article.published_at)
        if article.publisher is not None:
            work["publisher"] = {"@type": "Organization", "name": article.publisher.name_fa}
        appearances.append(work)
    if appearances:
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
    dates = [d for d in (_article_date(a) for a in attributions) if d is not None]
    if dates:
        item["datePublished"] = _iso(min(dates))

    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(claim, site_url=site_url),
        "claimReviewed": claim.text,
        "inLanguage": "fa",
        "datePublished": _iso(claim.published_at),
        "dateModified": _iso(_modified(claim)),
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORG_NAME,
            "url": settings.FACTCHECK_ORG_URL or (site_url or current_site_url()).rstrip("/") + "/",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_VALUES[rating],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": str(rating.label),
        },
        "itemReviewed": item,
    }
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    return review
