"""Reads of other fact-checkers' reviews (ExternalReview): desk search and matching to claims."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from claims.extraction.normalize import normalize_key
from claims.models import Claim, ExternalReview

# A review is shown beside a claim from this trigram similarity up (pg_trgm's default
# threshold, the one its `%` operator and GIN index use).
MATCH_THRESHOLD = 0.3
SEARCH_MIN_KEY = 2


def external_reviews_search(q: str = "", publisher: str = "") -> QuerySet[ExternalReview]:
    """Newest first; ``q`` matches the claim and its claimant, spelling-insensitive
    (normalised key; on PostgreSQL the LIKE is served by the trigram index)."""
    reviews = ExternalReview.objects.defer("raw").order_by("-date_published", "-imported_at", "-pk")
    key = normalize_key(q or "")
    if len(key) >= SEARCH_MIN_KEY:
        reviews = reviews.filter(search_key__contains=key)
    if publisher:
        reviews = reviews.filter(publisher_name=publisher)
    return reviews


def external_publishers() -> list[str]:
    return list(
        ExternalReview.objects.order_by("publisher_name").values_list("publisher_name", flat=True).distinct()
    )


def _similar_postgres(key: str, limit: int) -> list[tuple[int, float]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_limit(%s)", [MATCH_THRESHOLD])
        cursor.execute(
            "SELECT id, similarity(search_key, %s) AS score FROM claims_externalreview "
            "WHERE search_key %% %s ORDER BY score DESC, id LIMIT %s",
            [key, key, limit],
        )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _similar_python(key: str, limit: int) -> list[tuple[int, float]]:
    from claims.services.matching import trigram_similarity

    scored = [
        (pk, trigram_similarity(key, other))
        for pk, other in ExternalReview.objects.values_list("pk", "search_key")
    ]
    scored = [(pk, score) for pk, score in scored if score >= MATCH_THRESHOLD]
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:limit]


def external_reviews_for_claim(claim: Claim, *, limit: int = 3) -> list[tuple[ExternalReview, float]]:
    """Other fact-checkers' reviews of (nearly) the same statement, best first."""
    key = normalize_key(claim.text or "")
    if len(key) < SEARCH_MIN_KEY:
        return []
    ranked = (
        _similar_postgres(key, limit) if connection.vendor == "postgresql" else _similar_python(key, limit)
    )
    reviews = ExternalReview.objects.defer("raw").in_bulk([pk for pk, _ in ranked])
    return [(reviews[pk], score) for pk, score in ranked if pk in reviews]
