"""Reads for the public site, the feeds and the partner API.

Only published and corrected claims are ever returned. Of a claim's appearances
only accepted attributions are attached (pending and dismissed ones never reach
the public), and of its history only the public events (correction notes).

The attached lists use ``to_attr`` rather than filtering ``claim.attributions``
in place, so code that forgets the prefetch cannot silently fall back to the
unfiltered relation: ``claim.public_attributions`` simply does not exist then.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber, Substr

from claims.models import Article, Attribution, Claim, ClaimEvent, Evidence, Rating, ReviewState, Source
from claims.models.claims import PUBLIC_STATUSES
from claims.selectors.claims import published_claims
from claims.selectors.search import claims_matching, search_terms, source_ids

# Attribute names the prefetches below attach to each Claim.
PUBLIC_ATTRIBUTIONS_ATTR = "public_attributions"
PUBLIC_EVENTS_ATTR = "public_events"


# Characters of article text kept on either side of a quote (its sentence is cut from these).
QUOTE_CONTEXT_CHARS = 280


# Appearances counted as public: accepted by an editor, or a wire copy of an accepted one.
PUBLIC_REVIEW_STATES = (ReviewState.ACCEPTED, ReviewState.COPY)
# Earliest article first (``Article.sort_at`` is its publication time, else its arrival).
APPEARANCE_ORDER = ("article__sort_at", "article_id", "content_start", "id")
# Appearances a claim's page and the API show at once; the rest are paged. A claim
# quoted hundreds of times must not load hundreds of rows (and article windows) per view.
APPEARANCES_PER_PAGE = 30


def article_time(field: str = "sort_at") -> Subquery:
    """An appearance's article time, read through the article's primary key for each
    appearance. Choosing a page of a claim's appearances by it reads that claim's rows
    only; as a join, the planner may hash the whole article table for a claim quoted a
    few hundred times."""
    return Subquery(Article.objects.filter(pk=OuterRef("article_id")).order_by().values(field)[:1])


def ranked_order(field: str = "sort_at") -> list:
    """Earliest article first (by ``field`` of the article, missing times last), then the
    order of the text: for choosing a page of appearances on the indexes."""
    return [
        article_time(field).asc(nulls_last=True),
        F("article_id").asc(),
        F("content_start").asc(),
        F("id").asc(),
    ]


def appearance_rows() -> QuerySet[Attribution]:
    """Public appearances with article, publisher, source and via source; never the article text."""
    return (
        Attribution.objects.filter(review_state__in=PUBLIC_REVIEW_STATES)
        .select_related("article", "article__publisher", "source", "via_source")
        .defer("article__text", "article__search_key", "article__shingle_signature")
        .order_by(*APPEARANCE_ORDER)
    )


def with_context(qs: QuerySet[Attribution]) -> QuerySet[Attribution]:
    """Each appearance with ``context_text``: the stretch of its article from
    ``context_start`` that holds the quote and QUOTE_CONTEXT_CHARS on either side
    (one more after, so a caller can tell whether the article goes on)."""
    window_start = Greatest(
        F("content_start") - Value(QUOTE_CONTEXT_CHARS), Value(0), output_field=IntegerField()
    )
    window_length = F("content_end") + Value(QUOTE_CONTEXT_CHARS + 1) - window_start
    return qs.annotate(
        context_start=window_start,
        context_text=Substr("article__text", window_start + Value(1), window_length),
    )


def _ref_columns(relation: str) -> tuple[str, ...]:
    return tuple(
        f"{relation}__{name}" for name in ("id", "slug", "name_fa", "name_en", "kind", "wikidata_id")
    )


# What a claim's page, the appearance serializer and ClaimReview read of an appearance, and
# nothing else (not its figures, dates or keys): a page of claims shows hundreds of
# appearances, each with its article, publisher, source and via source.
APPEARANCE_COLUMNS = (
    "id",
    "claim_id",
    "review_state",
    "source_text",
    "source_resolved",
    "cue_text",
    "kind",
    "content_text",
    "content_start",
    "content_end",
    "via_text",
    "article__id",
    "article__title",
    "article__url",
    "article__published_at",
    "article__ingested_at",
    *_ref_columns("article__publisher"),
    *_ref_columns("source"),
    *_ref_columns("via_source"),
)


def public_attributions() -> QuerySet[Attribution]:
    """Accepted appearances with everything a page shows, earliest article first.

    The article text (up to a megabyte each) is not loaded: each appearance gets
    ``context_text`` (see ``with_context``). Unbounded: callers slice it."""
    return with_context(appearance_rows())


def appearance_count() -> Coalesce:
    """An annotation: the number of a claim's public appearances, counted on the
    (claim, review_state) index for that claim alone."""
    counted = (
        Attribution.objects.filter(claim_id=OuterRef("pk"), review_state__in=PUBLIC_REVIEW_STATES)
        .order_by()
        .values("claim_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def claim_appearances(
    claim_id: int, *, offset: int = 0, limit: int = APPEARANCES_PER_PAGE, context: bool = True
) -> list[Attribution]:
    """``limit`` public appearances of one claim from ``offset``, earliest first, in one
    query: the page's ids are chosen on the indexes (no article text), and only
    those rows are read whole, with their stretch of article text when ``context``."""
    ids = (
        Attribution.objects.filter(claim_id=claim_id, review_state__in=PUBLIC_REVIEW_STATES)
        .order_by(*ranked_order())
        .values("id")[offset : offset + limit]
    )
    rows = appearance_rows().only(*APPEARANCE_COLUMNS).filter(pk__in=ids)
    return list(with_context(rows) if context else rows)


def attach_appearances(
    claims: list[Claim],
    *,
    limit: int = APPEARANCES_PER_PAGE,
    context: bool = True,
    columns: tuple[str, ...] = (),
) -> list[Claim]:
    """Give each claim ``public_attributions``: its first ``limit`` public appearances,
    earliest first. One query for any number of claims however often each was quoted:
    the ranking reads index columns only, and only the chosen rows are read (``columns``
    of them, when given)."""
    by_claim: dict[int, list[Attribution]] = {claim.pk: [] for claim in claims}
    if by_claim:
        ranked = (
            Attribution.objects.filter(claim_id__in=list(by_claim), review_state__in=PUBLIC_REVIEW_STATES)
            .annotate(rank=Window(RowNumber(), partition_by=[F("claim_id")], order_by=ranked_order()))
            .filter(rank__lte=limit)
            .values("id")
        )
        rows = appearance_rows().filter(pk__in=ranked)
        if columns:
            rows = rows.only(*columns)
        for attribution in with_context(rows) if context else rows:
            by_claim[attribution.claim_id].append(attribution)
    for claim in claims:
        setattr(claim, PUBLIC_ATTRIBUTIONS_ATTR, by_claim[claim.pk])
    return claims


def public_attributions_prefetch() -> Prefetch:
    """The prefetch ``claimreview_for`` needs: ``claim.public_attributions``
    (every public appearance, with article, article.publisher, source and via_source)."""
    return Prefetch("attributions", queryset=public_attributions(), to_attr=PUBLIC_ATTRIBUTIONS_ATTR)


def public_events_prefetch() -> Prefetch:
    """Public history only (correction notes); editors' notes stay internal."""
    return Prefetch(
        "events",
        queryset=ClaimEvent.objects.filter(public=True).order_by("created_at", "id"),
        to_attr=PUBLIC_EVENTS_ATTR,
    )


def public_claims() -> QuerySet[Claim]:
    """Published and corrected claims, newest verdict first, with every public
    appearance (article, publisher, source, via source), evidence and public
    events prefetched: four queries for any number of claims. Unbounded per
    claim: pages use ``public_claim`` and ``claim_appearances``."""
    return published_claims().prefetch_related(
        public_attributions_prefetch(),
        Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id")),
        public_events_prefetch(),
    )


# A card names the sources of a claim's first appearances; a claim quoted hundreds of
# times must not load hundreds of rows for one line of names.
CARD_APPEARANCES = 40


# What a card shows of a claim (the list pages read nothing else of each row).
CARD_COLUMNS = ("id", "text", "slug", "status", "rating", "published_at")


def public_claim_rows() -> QuerySet[Claim]:
    """Public claims with the columns a card shows, newest verdict first; the card's
    sources are attached to one page of them by ``attach_card_sources``."""
    return published_claims().only(*CARD_COLUMNS)


def attach_card_sources(claims: list[Claim]) -> list[Claim]:
    """Give each claim ``card_sources``: the distinct registered sources of its first
    CARD_APPEARANCES accepted appearances, in the order of their articles. One query for a
    page of claims (the lists and the feeds) however often each was quoted, written out:
    the ORM's form of it (a sliced prefetch) cost more to build than to run, and read
    every column of every source."""
    by_claim: dict[int, list[Source]] = {claim.pk: [] for claim in claims}
    if by_claim:
        db = router.db_for_read(Attribution) or "default"  # the replica, for the public pages
        quote = connections[db].ops.quote_name
        attribution, article, source = (quote(m._meta.db_table) for m in (Attribution, Article, Source))
        marks = ", ".join(["%s"] * len(by_claim))
        sql = (
            "SELECT r.claim_id, s.id, s.name_fa, s.slug FROM ("  # noqa: S608 (names from the models)
            " SELECT a.claim_id, a.source_id, ROW_NUMBER() OVER (PARTITION BY a.claim_id"
            "  ORDER BY ar.sort_at ASC, a.article_id ASC, a.content_start ASC, a.id ASC) AS rn"
            f" FROM {attribution} a INNER JOIN {article} ar ON a.article_id = ar.id"
            f" WHERE a.review_state = %s AND a.claim_id IN ({marks})"
            f") r INNER JOIN {source} s ON r.source_id = s.id"
            " WHERE r.rn <= %s ORDER BY r.claim_id, r.rn"
        )
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [ReviewState.ACCEPTED.value, *by_claim, CARD_APPEARANCES])
            rows = cursor.fetchall()
        fields = ["id", "name_fa", "slug"]  # in the model's order, as from_db reads them
        seen: set[tuple[int, int]] = set()
        for claim_id, *values in rows:
            if (claim_id, values[0]) not in seen:
                seen.add((claim_id, values[0]))
                by_claim[claim_id].append(Source.from_db(db, fields, values))
    for claim in claims:
        claim.card_sources = by_claim[claim.pk]
    return claims


def public_claim(claim_id: int) -> Claim | None:
    """One public claim by id, or None when it does not exist or is not public, with
    ``n_appearances``, evidence and public events; its appearances are read a page at
    a time with ``claim_appearances``."""
    return (
        published_claims()
        .annotate(n_appearances=appearance_count())
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "id")),
            public_events_prefetch(),
        )
        .filter(pk=claim_id)
        .first()
    )


def _source_claim_ids(source: Source) -> QuerySet[Attribution]:
    return Attribution.objects.filter(source=source, review_state=ReviewState.ACCEPTED).values("claim_id")


def source_public_claims(source: Source) -> QuerySet[Claim]:
    """Public claims in which ``source`` has an accepted appearance, as cards read them
    (``public_claim_rows``; their sources come from ``attach_card_sources``)."""
    return public_claim_rows().filter(pk__in=_source_claim_ids(source))


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


# --- lists, search and filters --------------------------------------------------


def public_claim_search(
    *,
    query: str = "",
    rating: str = "",
    source: Source | None = None,
    outlet: Source | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Claim]:
    """Public claims narrowed by the list filters, newest verdict first, with the columns
    a card shows (``public_claim_rows``).

    Every word of ``query`` must occur in the claim text, in one of its
    accepted quotes or in the name of a source it is quoted from."""
    # The desk's search path (claims.selectors.search), over accepted
    # appearances only: a dismissed quote must not make a claim findable by
    # words the public cannot see on its page. A speaker's name finds the
    # claims quoted from them.
    qs = claims_matching(public_claim_rows(), query, accepted_only=True, speakers=True)
    if rating:
        qs = qs.filter(rating=rating)
    if source is not None:
        qs = qs.filter(
            pk__in=Attribution.objects.filter(source=source, review_state=ReviewState.ACCEPTED).values(
                "claim_id"
            )
        )
    if outlet is not None:
        qs = qs.filter(
            pk__in=Attribution.objects.filter(
                article__publisher=outlet, review_state=ReviewState.ACCEPTED
            ).values("claim_id")
        )
    if date_from is not None:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(published_at__date__lte=date_to)
    return qs


def public_speakers_matching(query: str, limit: int = 6) -> list[Source]:
    """Sources whose name holds every word of ``query`` (their pages are public),
    those quoted in a public claim first."""
    terms = search_terms(query)
    if not terms:
        return []
    quoted = _public_appearances().filter(source=OuterRef("pk"))
    return list(
        Source.objects.filter(pk__in=source_ids(terms))
        .annotate(quoted=Exists(quoted))
        .order_by("-quoted", "name_fa")[:limit]
    )


def _public_appearances() -> QuerySet[Attribution]:
    return Attribution.objects.filter(review_state=ReviewState.ACCEPTED, claim__status__in=PUBLIC_STATUSES)


def sources_with_public_claims() -> QuerySet[Source]:
    """Sources that have at least one accepted appearance on a public claim."""
    ids = _public_appearances().filter(source__isnull=False).values("source_id")
    return Source.objects.filter(pk__in=ids).order_by("name_fa")


def outlets_with_public_claims() -> QuerySet[Source]:
    """Publishers of articles that carry an accepted appearance of a public claim."""
    ids = _public_appearances().filter(article__publisher__isnull=False).values("article__publisher_id")
    return Source.objects.filter(pk__in=ids).order_by("name_fa")


def public_source(slug: str) -> Source | None:
    """A registered source by slug, with its profile relations; None if unknown."""
    return (
        Source.objects.select_related("parent", "affiliation")
        .prefetch_related("aliases", "children")
        .filter(slug=slug)
        .first()
    )


def public_verdict_feed(source: Source | None = None, *, limit: int) -> list[Claim]:
    """The ``limit`` public claims with the latest verdicts (publication or correction),
    each with ``verdict_at`` and ``card_sources`` (``attach_card_sources``), for the feeds."""
    latest = (
        ClaimEvent.objects.filter(
            claim=OuterRef("pk"), action__in=[ClaimEvent.Action.PUBLISHED, ClaimEvent.Action.CORRECTED]
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    qs = published_claims()
    if source is not None:
        qs = qs.filter(pk__in=_source_claim_ids(source))
    qs = qs.annotate(verdict_at=Coalesce(Subquery(latest), "published_at")).order_by("-verdict_at", "-id")
    return attach_card_sources(list(qs[:limit]))
