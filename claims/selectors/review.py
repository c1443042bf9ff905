"""Reads for the editors' review desk, each with the joins its page needs.

The query count of every page here is bounded whatever the data size; the
tests in tests/review/test_queries.py pin them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
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
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Substr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.extraction.normalize import BIDI_CONTROLS, normalize_key
from claims.models import (
    Article,
    ArticleState,
    Attribution,
    Claim,
    ClaimEvent,
    ClaimMatch,
    ClaimStatus,
    ConsistencyFlag,
    Evidence,
    IngestJob,
    Rating,
    ReviewState,
    Source,
    SourceCandidate,
)
from claims.roles import ADMIN, EDITOR, SENIOR_EDITOR
from claims.selectors.public import ranked_order
from claims.selectors.search import article_match, claims_matching, search_terms, source_ids

# The opening of an article's text attached to lists that defer the text, for
# the excerpt under each title (a substring in SQL, no query per row).
LEAD_CHARS = 400

# --- Inbox --------------------------------------------------------------------


@dataclass(frozen=True)
class InboxFilters:
    q: str = ""
    publisher: int | None = None
    source: int | None = None
    kind: str = ""
    state: str = ReviewState.PENDING  # review state of the candidates; "" = any
    hedged: bool | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _candidate_filter(f: InboxFilters) -> Q:
    q = Q()
    if f.state:
        q &= Q(review_state=f.state)
    if f.source:
        q &= Q(source_id=f.source)
    if f.kind:
        q &= Q(kind=f.kind)
    if f.hedged is not None:
        q &= Q(hedged=f.hedged)
    return q


def inbox_articles(f: InboxFilters) -> QuerySet[Article]:
    """Extracted articles that have candidates matching the filters (by default:
    pending ones), newest first. The text is deferred; counts per review state
    are attached to one page at a time by ``attach_review_counts``."""
    matching = Attribution.objects.filter(_candidate_filter(f), article=OuterRef("pk"))
    qs = (
        Article.objects.filter(state=ArticleState.DONE)
        .filter(Exists(matching))
        .select_related("publisher")
        .defer("text", "error")
        .annotate(lead=Substr("text", 1, LEAD_CHARS))
        .order_by("-sort_at", "-id")  # article_inbox_idx: the page is read in index order
    )
    if f.publisher:
        qs = qs.filter(publisher_id=f.publisher)
    terms = search_terms(f.q)
    if terms:
        # The one search path (claims.selectors.search): the normalised title and
        # text, so every spelling finds the same articles (trigram-indexed).
        qs = qs.filter(article_match(terms))
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(sort_at__gte=dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(
            sort_at__lt=dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs


def attach_review_counts(articles: list[Article]) -> list[Article]:
    """Set n_pending / n_accepted / n_dismissed on each article (one query)."""
    rows = (
        Attribution.objects.filter(article_id__in=[a.pk for a in articles])
        .values("article_id", "review_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(row["article_id"], row["review_state"]): row["n"] for row in rows}
    for a in articles:
        a.n_pending = counts.get((a.pk, ReviewState.PENDING), 0)
        a.n_accepted = counts.get((a.pk, ReviewState.ACCEPTED), 0)
        a.n_dismissed = counts.get((a.pk, ReviewState.DISMISSED), 0)
    return articles


# Counts on the desk stop here: past it the desk shows "more than" (a count of
# every pending candidate of a 100k-article corpus is a scan the desk need not pay).
COUNT_CAP = 10_000


def _capped_counts(table: str, column: str, values: list[str], cap: int = COUNT_CAP) -> dict[str, int]:
    """For each value, how many rows have it, up to ``cap`` + 1, in one query: each
    count reads at most cap + 1 entries of an index that starts with ``column``."""
    return _capped_count_groups([(table, column, values)], cap)[0]


def _capped_count_groups(
    groups: list[tuple[str, str, list[str]]], cap: int = COUNT_CAP
) -> list[dict[str, int]]:
    """``_capped_counts`` of several (table, column, values) groups in one round trip."""
    parts, params = [], []
    for table, column, values in groups:
        for value in values:
            parts.append(
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s LIMIT {int(cap) + 1})"  # noqa: S608
                f" AS c{len(parts)})"
            )
            params.append(value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)  # table and column names are the models' own
        row = iter(cursor.fetchone())
    return [{value: int(next(row)) for value in values} for _table, _column, values in groups]


_CANDIDATE_STATES = (Attribution._meta.db_table, "review_state", list(ReviewState.values))
_ARTICLE_STATES = (Article._meta.db_table, "state", list(ArticleState.values))


def desk_state_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Candidates per review state and articles per state, every state present, each
    capped at COUNT_CAP + 1, in one query (attribution_queue_idx, article_state_idx)."""
    candidates, articles = _capped_count_groups([_CANDIDATE_STATES, _ARTICLE_STATES])
    return candidates, articles


def articles_unfinished(limit: int = 20) -> list[Article]:
    """Articles still queued or processing, and the failed ones with their error."""
    return list(
        Article.objects.filter(
            state__in=[
                ArticleState.FETCHING,
                ArticleState.QUEUED,
                ArticleState.PROCESSING,
                ArticleState.FAILED,
            ]
        )
        .select_related("publisher")
        .only("id", "title", "state", "error", "ingested_at", "attempts", "publisher__name_fa", "url")
        .order_by("-ingested_at")[:limit]
    )


def inbox_choices() -> dict[str, list[tuple[int, str]]]:
    """Publishers and sources for the inbox filter menus, as ``(id, name_fa)`` pairs: the
    sources some article or attribution names, read off the foreign-key indexes one
    distinct value at a time, so the cost follows how many sources are named, not the
    corpus's size."""
    publishers = list(
        Source.objects.filter(pk__in=_named_ids(Article, "publisher_id"))
        .order_by("name_fa")
        .values_list("id", "name_fa")
    )
    sources = list(
        Source.objects.filter(pk__in=_named_ids(Attribution, "source_id"))
        .order_by("name_fa")
        .values_list("id", "name_fa")
    )
    return {"publishers": publishers, "sources": sources}


def _named_ids(model, column: str):
    """The distinct non-null values of an indexed foreign-key column, as a subquery. On
    PostgreSQL a loose index scan: each step reads the next value after the last through
    the index, one entry per distinct value, where an EXISTS probe per source may be
    planned as a hash join over the whole table; elsewhere a plain DISTINCT."""
    if connection.vendor != "postgresql":
        return model.objects.filter(**{f"{column}__isnull": False}).values(column).distinct()
    table = connection.ops.quote_name(model._meta.db_table)
    col = connection.ops.quote_name(column)
    return RawSQL(  # noqa: S611 (no value from outside: names from the models)
        f"WITH RECURSIVE named(v) AS ("  # noqa: S608 (table and column names from the models)
        f" (SELECT {col} FROM {table} WHERE {col} IS NOT NULL ORDER BY {col} LIMIT 1)"
        f" UNION ALL"
        f" SELECT (SELECT {col} FROM {table} WHERE {col} > named.v ORDER BY {col} LIMIT 1)"
        f" FROM named WHERE named.v IS NOT NULL"
        f") SELECT v FROM named WHERE v IS NOT NULL",
        [],
    )


# --- Article review -----------------------------------------------------------


def review_attributions() -> QuerySet[Attribution]:
    return Attribution.objects.select_related(
        "source", "office", "source_candidate", "claim", "via_source", "reviewed_by"
    ).prefetch_related(
        Prefetch(
            "matches",
            queryset=ClaimMatch.objects.select_related("claim").order_by("-score", "id"),
            to_attr="suggestions",
        )
    )


def article_for_review(article_id: int) -> Article | None:
    """The article with every candidate, its source, claim and suggestions (4 queries)."""
    article = (
        Article.objects.select_related("publisher")
        .defer("search_key", "shingle_signature")  # a second copy of the text, and its hashes
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        return None
    article.candidates = list(review_attributions().filter(article=article).order_by("content_start", "id"))
    return article


def article_review_counts(article_id: int) -> dict[str, int]:
    """Candidates of one article per review state, every state present (one query)."""
    rows = (
        Attribution.objects.filter(article_id=article_id)
        .values("review_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["review_state"]: row["n"] for row in rows}
    return {state: counts.get(state, 0) for state in ReviewState.values}


def next_article_to_review(article: Article) -> Article | None:
    """The next article (in inbox order) that still has pending candidates."""
    pending = Attribution.objects.filter(article=OuterRef("pk"), review_state=ReviewState.PENDING)
    return (
        Article.objects.filter(state=ArticleState.DONE)
        .exclude(pk=article.pk)
        .filter(Exists(pending))
        .only("id", "title")
        .order_by("-sort_at", "-id")
        .first()
    )


def attribution_for_review(attribution_id: int, article_id: int) -> Attribution | None:
    return review_attributions().filter(pk=attribution_id, article_id=article_id).first()


@dataclass
class Segment:
    """A run of article text covered by the same set of highlighted spans."""

    start: int
    text: str
    parts: set[str] = field(default_factory=set)  # "source", "cue", "content", "via"
    ids: list[int] = field(default_factory=list)

    @property
    def css(self) -> str:
        return " ".join(f"hl-{p}" for p in sorted(self.parts))

    @property
    def ids_attr(self) -> str:
        return " ".join(str(i) for i in self.ids)

    @property
    def control(self) -> str:
        """``U+202E`` when this segment is one bidi control character, else ""."""
        if len(self.text) == 1 and BIDI_CONTROLS.match(self.text):
            return f"U+{ord(self.text):04X}"
        return ""

    @property
    def html(self) -> str:
        """The text, escaped. A carriage return is written as a character
        reference: the HTML parser would drop a literal one and shift the
        browser's offsets."""
        return mark_safe(escape(self.text).replace("\r", "&#13;"))  # noqa: S308 - escaped just before


def highlight_segments(text: str, attributions: list[Attribution]) -> list[Segment]:
    """Cut ``text`` at every span boundary so each piece is covered by one fixed
    set of spans: overlapping and nested spans become flat segments and the
    markup can never be mis-nested. Offsets outside the text are clipped;
    dismissed candidates are not highlighted."""
    n = len(text)
    spans: list[tuple[int, int, str, int]] = []
    for a in attributions:
        if a.review_state == ReviewState.DISMISSED:
            continue
        for part, start, end in (
            ("source", a.source_start, a.source_end),
            ("cue", a.cue_start, a.cue_end),
            ("content", a.content_start, a.content_end),
            ("via", a.via_start, a.via_end),
        ):
            if start is None or end is None:
                continue
            start, end = max(0, min(start, n)), max(0, min(end, n))
            if start < end:
                spans.append((start, end, part, a.pk))
    # A bidi control in the verbatim text gets a segment of its own, which the page
    # shows as a visible marker instead of letting it reorder what editors read.
    controls = [m.start() for m in BIDI_CONTROLS.finditer(text)]
    cuts = sorted(
        {
            0,
            n,
            *(s for s, _, _, _ in spans),
            *(e for _, e, _, _ in spans),
            *controls,
            *(c + 1 for c in controls),
        }
    )
    segments: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        covering = [(part, pk) for s, e, part, pk in spans if s <= left and right <= e]
        ids = sorted({pk for _, pk in covering})
        segments.append(Segment(start=left, text=text[left:right], parts={p for p, _ in covering}, ids=ids))
    return segments


def quote_in_context(text: str, start: int, end: int, width: int = 90) -> tuple[str, str, str]:
    """(before, quote, after) around a span, cut at word edges where possible."""
    start, end = max(0, start), min(len(text), end)
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if end + width < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


# --- Claims -------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    q: str = ""
    status: str = ""
    rating: str = ""
    assignee: str = ""  # "" any, "me", "none", or a user id
    source: int | None = None
    show_merged: bool = False


def claims_list(f: ClaimFilters, user=None) -> QuerySet[Claim]:
    qs = (
        Claim.objects.select_related("assignee")
        .annotate(n_appearances=Count("attributions", distinct=True))
        .order_by("-updated_at", "-id")
    )
    if not f.show_merged:
        qs = qs.filter(merged_into__isnull=True)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.rating:
        qs = qs.filter(rating=f.rating)
    if f.assignee == "me" and user is not None:
        qs = qs.filter(assignee=user)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.source:
        qs = qs.filter(attributions__source_id=f.source)
    if f.q:
        qs = claims_matching(qs, f.q, accepted_only=False, speakers=True)
    if f.source:
        qs = qs.distinct()
    return qs


def claim_status_counts() -> dict[str, int]:
    rows = Claim.objects.filter(merged_into__isnull=True).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def claim_search(q: str, *, limit: int = 8, exclude: int | None = None) -> list[Claim]:
    """Claims to link a candidate to or merge into: by id (#12) or by words."""
    q = (q or "").strip().lstrip("#")
    qs = Claim.objects.filter(merged_into__isnull=True).exclude(status="dismissed").order_by("-updated_at")
    if exclude:
        qs = qs.exclude(pk=exclude)
    key = normalize_key(q)
    if not key:
        return list(qs[:limit])
    if key.isdigit():
        return list(qs.filter(pk=int(key))[:1])
    return list(claims_matching(qs, q, accepted_only=False, speakers=False)[:limit])


# Appearances the workspace shows at once (earliest article first); the rest are paged.
WORKSPACE_APPEARANCES = 50
# Characters of article text on either side of a quote in the workspace (quote_in_context).
WORKSPACE_CONTEXT = 90


def claim_workspace(claim_id: int, *, appearance_page: int = 1) -> Claim | None:
    """A claim with everything its workspace shows: one page of its appearances with
    their article, publisher and sources (``appearances``, WORKSPACE_APPEARANCES of
    ``appearance_count``); evidence; flags; and the full history, including that of
    claims merged into it (a fixed number of queries, whatever the claim's size)."""
    claim = (
        Claim.objects.select_related("assignee", "created_by", "merged_into")
        .annotate(appearance_count=Count("attributions"))
        .prefetch_related(
            Prefetch(
                "evidence", queryset=Evidence.objects.select_related("added_by"), to_attr="evidence_list"
            ),
            Prefetch(
                "flags",
                queryset=ConsistencyFlag.objects.select_related(
                    "first__source", "second__source", "first__article", "second__article"
                ).defer("first__article__text", "second__article__text"),
                to_attr="flag_list",
            ),
        )
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        return None
    claim.appearance_pages = max(1, -(-claim.appearance_count // WORKSPACE_APPEARANCES))
    claim.appearance_page = min(max(appearance_page, 1), claim.appearance_pages)
    claim.appearances = _workspace_appearances(
        claim.pk, offset=(claim.appearance_page - 1) * WORKSPACE_APPEARANCES
    )
    merged_ids = list(Claim.objects.filter(merged_into=claim).values_list("id", flat=True))
    claim.merged_ids = merged_ids
    claim.history = list(
        ClaimEvent.objects.filter(claim_id__in=[claim.pk, *merged_ids])
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for event in claim.history:
        event.from_label = _label(ClaimStatus, event.from_status)
        event.to_label = _label(ClaimStatus, event.to_status)
        event.from_rating_label = _label(Rating, event.from_rating)
        event.to_rating_label = _label(Rating, event.to_rating)
    return claim


def _workspace_appearances(claim_id: int, *, offset: int) -> list[Attribution]:
    """One page of a claim's appearances (every review state), earliest article first, each
    with ``context`` (its quote in the words around it) and its article's ``lead``, read
    from windows of the article text, never the whole text (one query)."""
    order = ("article__published_at", "article_id", "content_start", "id")
    ids = (
        Attribution.objects.filter(claim_id=claim_id)
        .order_by(*ranked_order("published_at"))
        .values("id")[offset : offset + WORKSPACE_APPEARANCES]
    )
    start = Greatest(F("content_start") - Value(WORKSPACE_CONTEXT + 1), Value(0), output_field=IntegerField())
    rows = list(
        Attribution.objects.filter(pk__in=ids)
        .select_related("article", "article__publisher", "source", "via_source", "reviewed_by")
        .defer("article__text", "article__search_key", "article__shingle_signature")
        .annotate(
            window_start=start,
            window=Substr(
                "article__text", start + Value(1), F("content_end") + Value(WORKSPACE_CONTEXT + 1) - start
            ),
            article_lead=Substr("article__text", 1, LEAD_CHARS),
        )
        .order_by(*order)
    )
    for a in rows:
        a.context = quote_in_context(
            a.window, a.content_start - a.window_start, a.content_end - a.window_start
        )
        a.article.lead = a.article_lead
    return rows


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def desk_users() -> list:
    """People who can be assigned a claim (members of a desk role)."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name__in=[EDITOR, SENIOR_EDITOR, ADMIN])
        .distinct()
        .order_by(User.USERNAME_FIELD)
    )


# --- Sources ------------------------------------------------------------------


def sources_list(q: str = "", kind: str = "") -> QuerySet[Source]:
    qs = (
        Source.objects.select_related("parent", "affiliation")
        .annotate(
            n_claims=Count(
                "attributions__claim",
                filter=Q(attributions__review_state=ReviewState.ACCEPTED),
                distinct=True,
            ),
            n_aliases=Count("aliases", distinct=True),
        )
        .order_by("name_fa")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if q and search_terms(q):
        qs = qs.filter(Q(name_en__icontains=q) | Q(pk__in=source_ids(search_terms(q))))
    return qs


def source_search(q: str, limit: int = 10) -> list[Source]:
    q = (q or "").strip()
    if not normalize_key(q):
        return []
    return list(
        Source.objects.filter(Q(name_en__icontains=q) | Q(pk__in=source_ids(search_terms(q)))).order_by(
            "name_fa"
        )[:limit]
    )


def source_detail(source_id: int) -> Source | None:
    source = (
        Source.objects.select_related("parent", "affiliation")
        .prefetch_related("aliases", Prefetch("children", queryset=Source.objects.order_by("name_fa")))
        .filter(pk=source_id)
        .first()
    )
    if source is None:
        return None
    source.claim_list = list(
        Claim.objects.filter(attributions__source=source, merged_into__isnull=True)
        .select_related("assignee")
        .annotate(n_appearances=Count("attributions", distinct=True))
        .distinct()
        .order_by("-updated_at")[:100]
    )
    return source


def source_candidates(status: str = SourceCandidate.Status.OPEN) -> QuerySet[SourceCandidate]:
    """The queue: one row per name, its other written forms grouped under it
    (``members``), ordered by all their appearances together."""
    members = SourceCandidate.objects.filter(status=status).only("id", "text", "occurrences", "group_id")
    queue = (
        SourceCandidate.objects.filter(status=status, group__isnull=True)
        .select_related("source", "suggested_source")
        .annotate(
            total=F("occurrences")
            + Coalesce(
                Subquery(
                    SourceCandidate.objects.filter(group=OuterRef("pk"), status=status)
                    .values("group")
                    .annotate(n=Sum("occurrences"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .prefetch_related(
            Prefetch("members", queryset=members, to_attr="forms"),
            Prefetch(
                "attributions",
                queryset=Attribution.objects.select_related("article")
                .only("id", "source_candidate_id", "article_id", "article__title", "content_text")
                .annotate(article_lead=Substr("article__text", 1, LEAD_CHARS)),
                to_attr="examples",
            ),
        )
        .order_by("-total", "text")
    )
    # an open name none of whose appearances is left (re-extracted, or resolved with
    # its article's other names) has nothing to work through
    return queue.filter(total__gt=0) if status == SourceCandidate.Status.OPEN else queue


# --- Ingest -------------------------------------------------------------------


def ingest_job_progress(job_id: int) -> IngestJob | None:
    job = IngestJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return None
    rows = job.articles.values("state").annotate(n=Count("id")).order_by()
    states = {row["state"]: row["n"] for row in rows}
    job.article_states = {s: states.get(s, 0) for s in ArticleState.values}
    job.extracted = states.get(ArticleState.DONE, 0) + states.get(ArticleState.FAILED, 0)
    linked = sum(states.values())
    job.finished = job.state != IngestJob.State.RUNNING and job.extracted >= linked
    rows_part = job.processed / job.total if job.total else 1.0
    reading = job.state == IngestJob.State.RUNNING
    extract_part = job.extracted / linked if linked else (0.0 if reading else 1.0)
    job.percent = 100 if job.finished else min(99, round(50 * rows_part + 50 * extract_part))
    job.recent_articles = list(
        job.articles.only("id", "title", "state", "error")
        .annotate(lead=Substr("text", 1, LEAD_CHARS))
        .order_by("-id")[:20]
    )
    return job


def recent_jobs(user, limit: int = 10) -> list[IngestJob]:
    return list(IngestJob.objects.filter(created_by=user).order_by("-created_at")[:limit])


def publisher_choices() -> list[Source]:
    return list(
        Source.objects.filter(kind__in=["news_agency", "media_group"])
        .only("id", "name_fa")
        .order_by("name_fa")
    )


# --- Lookups by id for forms ----------------------------------------------------


def claim_by_id(value) -> Claim | None:
    """The claim a form names by id (None for a missing or malformed id)."""
    pk = _as_id(value)
    return Claim.objects.filter(pk=pk).first() if pk else None


def source_by_id(value) -> Source | None:
    pk = _as_id(value)
    return Source.objects.filter(pk=pk).first() if pk else None


def source_choices() -> QuerySet[Source]:
    """Every source by name, light, for parent and affiliation menus."""
    return Source.objects.only("id", "name_fa").order_by("name_fa")


def open_candidate_count() -> int:
    return SourceCandidate.objects.filter(status=SourceCandidate.Status.OPEN).count()


def _as_id(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None
