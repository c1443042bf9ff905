"""One search path for the desk and the public site.

A query becomes comparison keys with ``normalize_key``, the function every
stored key went through (``Article.search_key``, ``Claim.text_key``,
``Attribution.content_key``, ``SourceAlias.key``), so ZWNJ, Arabic/Persian
letter forms, digits and diacritics never change a result: ``حزب‌الله`` and
``حزبالله``, ``آمریکا`` and ``آمريكا`` find the same rows. Every word must
occur. ``contains`` on a key is ``LIKE '%…%'``, which PostgreSQL answers from
the pg_trgm GIN indexes (migrations 0002 and 0009) and SQLite by scanning,
with the same results.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from claims.extraction.normalize import normalize_key
from claims.models import Attribution, Claim, ReviewState, Source, SourceAlias

MAX_SEARCH_TERMS = 8


def search_terms(query: str) -> list[str]:
    """The query as comparison keys, one per word (at most ``MAX_SEARCH_TERMS``)."""
    return [term for term in normalize_key(query or "").split(" ") if term][:MAX_SEARCH_TERMS]


def article_match(terms: list[str]) -> Q:
    """Articles whose title or text holds every term (on the article row itself,
    so the planner can combine the trigram index with the inbox's other filters)."""
    match = Q()
    for term in terms:
        match &= Q(search_key__contains=term)
    return match


def source_ids(terms: list[str]) -> QuerySet[Source]:
    """Ids of sources one of whose written forms holds every term (the alias keys
    include the Persian and English names, which the registry stores as aliases)."""
    qs = SourceAlias.objects.all()
    for term in terms:
        qs = qs.filter(key__contains=term)
    return qs.values("source_id")


def claim_match(term: str, *, accepted_only: bool, speakers: bool) -> Q:
    """Claims whose text, or one of whose appearances' content (accepted ones
    only, for the public), holds ``term``; with ``speakers``, also claims
    quoted from a source whose name holds it. Each branch is a subquery that
    can use its own trigram index, rather than one OR over joined rows."""
    appearances = Attribution.objects.filter(claim__isnull=False)
    if accepted_only:
        appearances = appearances.filter(review_state=ReviewState.ACCEPTED)
    by_text = Claim.objects.filter(text_key__contains=term).values("pk")
    by_quote = appearances.filter(content_key__contains=term).values("claim_id")
    match = Q(pk__in=by_text) | Q(pk__in=by_quote)
    if speakers:
        by_speaker = appearances.filter(source_id__in=source_ids([term])).values("claim_id")
        match |= Q(pk__in=by_speaker)
    return match


def claims_matching(
    qs: QuerySet[Claim], query: str, *, accepted_only: bool, speakers: bool
) -> QuerySet[Claim]:
    for term in search_terms(query):
        qs = qs.filter(claim_match(term, accepted_only=accepted_only, speakers=speakers))
    return qs
