"""Statements: one statement of one speaker, with every appearance of it.

Each new appearance (attribution) joins the statement of the same speaker whose
wording is most similar, if that similarity reaches SAME_STATEMENT, or starts a
statement of its own. Speaker identity is the registry entry when the speaker is
resolved, else the speaker's written name normalised; an unresolved pronoun or
anonymous source ("او", "یک منبع آگاه") never joins anyone. A wire copy's appearance
(``ReviewState.COPY``) first looks for the original's appearance it repeats and joins
its statement: the copy is the same story, whatever its speaker span reads.

Candidates come from two bounded lookups, so the cost of one appearance does not
grow with the number of statements held:
1. the speaker's most recent statements (index on speaker, last_seen_at), at most
   SPEAKER_RECENT;
2. statements whose LSH bands, mixed with the speaker's identity, equal one of the
   appearance's (``StatementBand.band``, a B-tree), at most BAND_CANDIDATES.
The candidates are scored by ``claims.services.statement_match``: content words shared
(relays reword and cut statements), numbers that agree, and a relay window in time.

Editors confirm a group (``statement_confirm``) or split an appearance off into a
statement of its own (``statement_split``). When a claim takes an appearance, its
statement is attached to the claim (``statement_attach``).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.extraction.normalize import normalize_key
from claims.models import Article, Attribution, ReviewState, Statement, StatementBand
from claims.services import minhash
from claims.services.copies import mark_copies
from claims.services.errors import InvalidInput
from claims.services.statement_match import SAME_STATEMENT, speaker_key, statement_score, within_window

logger = logging.getLogger(__name__)

SPEAKER_RECENT = 30
BAND_CANDIDATES = 30
MIN_KEY_CHARS = 12


def speaker_identity(attribution: Attribution) -> tuple[int | None, str] | None:
    """(source id, "") for a registry speaker, (None, key) for a named unknown one, None for nobody."""
    return speaker_key(attribution.source_id, attribution.source_resolved or attribution.source_text or "")


def _speaker_salt(identity: tuple[int | None, str]) -> int:
    source_id, key = identity
    if source_id:
        return source_id * 0x9E3779B97F4A7C15
    return (
        int.from_bytes(key.encode("utf-8")[:16].ljust(16, b"\0")[:8], "little")
        ^ len(key) * 0xBF58476D1CE4E5B9
    )


def statement_bands(identity: tuple[int | None, str], content_key: str) -> list[int]:
    salt = _speaker_salt(identity)
    return [(band ^ salt) & ((1 << 63) - 1) for band in minhash.bands(content_key)]


_STATEMENT_COLUMNS = (
    "id",
    "content_key",
    "source_id",
    "speaker_key",
    "claim_id",
    "first_seen_at",
    "last_seen_at",
)


def _candidates(identity: tuple[int | None, str], band_values: list[int]) -> list[Statement]:
    source_id, key = identity
    recent = (
        Statement.objects.filter(source_id=source_id)
        if source_id
        else Statement.objects.filter(source__isnull=True, speaker_key=key)
    )
    recent = recent.order_by("-last_seen_at")
    # Counted in SQL, with no LIMIT before the filter: a LIMIT invites a sequential scan
    # when the planner overestimates the matches; the band index serves the IN list.
    shared = (
        StatementBand.objects.filter(band__in=band_values)
        .values("statement_id")
        .annotate(n=Count("id"))
        .order_by("-n", "statement_id")[:BAND_CANDIDATES]
    )
    if connection.vendor == "postgresql":
        rows = _candidate_rows(identity, band_values)
        found = {row[0]: Statement(**dict(zip(_STATEMENT_COLUMNS, row, strict=True))) for row in rows}
        return [found[pk] for pk in sorted(found)]
    if connection.features.supports_slicing_ordering_in_compound:
        # One round trip: the speaker's recent statements and those sharing most bands.
        parts = [recent.values_list(*_STATEMENT_COLUMNS)[:SPEAKER_RECENT]]
        if band_values:
            parts.append(
                Statement.objects.filter(pk__in=shared.values("statement_id"))
                .order_by()
                .values_list(*_STATEMENT_COLUMNS)
            )
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        found = {row[0]: Statement(**dict(zip(_STATEMENT_COLUMNS, row, strict=True))) for row in rows}
        return [found[pk] for pk in sorted(found)]
    ids = list(recent.values_list("id", flat=True)[:SPEAKER_RECENT])
    if band_values:
        ids.extend(row["statement_id"] for row in shared)
    return list(Statement.objects.filter(pk__in=set(ids)).only(*_STATEMENT_COLUMNS).order_by("pk"))


def _candidate_rows(identity: tuple[int | None, str], band_values: list[int]) -> list[tuple]:
    """``_candidates``' one round trip on PostgreSQL, the statement the ORM builds for it
    written out (building that UNION cost more than running it): the speaker's recent
    statements and those sharing most bands, the bands as one array parameter."""
    source_id, key = identity
    s, b = Statement._meta.db_table, StatementBand._meta.db_table
    columns = ", ".join(_STATEMENT_COLUMNS)
    speaker = "source_id = %s" if source_id else "source_id IS NULL AND speaker_key = %s"
    sql = f"(SELECT {columns} FROM {s} WHERE {speaker} ORDER BY last_seen_at DESC LIMIT %s)"  # noqa: S608
    params: list = [source_id or key, SPEAKER_RECENT]
    if band_values:
        sql += (
            f" UNION ALL (SELECT {columns} FROM {s} WHERE id IN (SELECT statement_id FROM {b} "  # noqa: S608
            "WHERE band = ANY(%s::bigint[]) GROUP BY statement_id "
            "ORDER BY COUNT(id) DESC, statement_id ASC LIMIT %s))"
        )
        params += [minhash.int_array(band_values), BAND_CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _seen_at(article: Article):
    return article.published_at or article.ingested_at or timezone.now()


def _best(
    statements: Iterable[Statement], identity, content_key: str, seen_at
) -> tuple[Statement, float] | None:
    source_id, key = identity
    best = None
    for statement in statements:
        if (statement.source_id or None) != source_id or (not source_id and statement.speaker_key != key):
            continue  # a band collision across speakers
        if not within_window(seen_at, statement.first_seen_at, statement.last_seen_at):
            continue  # the same words said again weeks later: another statement
        score = statement_score(content_key, statement.content_key)
        if score >= SAME_STATEMENT and (best is None or score > best[1]):
            best = (statement, score)
    return best


def _new_statement(attribution: Attribution, identity, content_key: str, seen_at) -> Statement:
    source_id, key = identity
    statement = Statement.objects.create(
        source_id=source_id,
        speaker_key=key,
        speaker_text=(attribution.source_resolved or attribution.source_text or "")[:300],
        content_key=content_key,
        content_text=attribution.content_text,
        first_seen_at=seen_at,
        last_seen_at=seen_at,
    )
    StatementBand.objects.bulk_create(
        [StatementBand(statement=statement, band=b) for b in statement_bands(identity, content_key)],
        ignore_conflicts=True,
    )
    return statement


def _refresh(statement_ids: Iterable[int]) -> None:
    """Counts and first/last times from the appearances themselves (one statement for all)."""
    ids = sorted(set(statement_ids))
    if not ids:
        return
    if connection.vendor == "postgresql":
        s, a, r = Statement._meta.db_table, Attribution._meta.db_table, Article._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {s} SET appearance_count = x.n, "  # noqa: S608
                f"first_seen_at = COALESCE(x.first, {s}.first_seen_at), "
                f"last_seen_at = COALESCE(x.last, {s}.last_seen_at) "
                f"FROM (SELECT a.statement_id, COUNT(*) AS n, MIN(r.published_at) AS first, "
                f"MAX(r.published_at) AS last FROM {a} a JOIN {r} r ON r.id = a.article_id "
                "WHERE a.statement_id = ANY(%s::bigint[]) GROUP BY a.statement_id) AS x "
                f"WHERE {s}.id = x.statement_id",
                [ids],
            )
        return
    members = Attribution.objects.filter(statement_id=OuterRef("pk")).values("statement_id")
    Statement.objects.filter(pk__in=ids).update(
        appearance_count=Coalesce(Subquery(members.annotate(n=Count("id")).values("n")), 0),
        first_seen_at=Coalesce(
            Subquery(members.annotate(at=Min("article__published_at")).values("at")), F("first_seen_at")
        ),
        last_seen_at=Coalesce(
            Subquery(members.annotate(at=Max("article__published_at")).values("at")), F("last_seen_at")
        ),
    )


def _copied_statements(article: Article) -> list[tuple[str, Statement]]:
    """For a wire copy, the original's appearances with their statements (wording, statement)."""
    if not article.copy_of_id:
        return []
    return _originals_statements([article.copy_of_id]).get(article.copy_of_id, [])


def _originals_statements(article_ids: list[int]) -> dict[int, list[tuple[str, Statement]]]:
    """``_copied_statements`` of the copies of these originals, by original (one query)."""
    rows = (
        Attribution.objects.filter(article_id__in=article_ids, statement__isnull=False)
        .order_by("article_id", "content_start", "id")
        .values_list(
            "article_id",
            "content_key",
            "content_text",
            "statement_id",
            "statement__claim_id",
            "statement__source_id",
            "statement__speaker_key",
        )
    )
    found: dict[int, list[tuple[str, Statement]]] = {}
    for article_id, key, text, pk, claim_id, source_id, speaker in rows:
        statement = Statement(id=pk, claim_id=claim_id, source_id=source_id, speaker_key=speaker)
        found.setdefault(article_id, []).append((key or normalize_key(text), statement))
    return found


def _statement_copied(
    copied: list[tuple[str, Statement]], content_key: str, identity: tuple[int | None, str] | None
) -> Statement | None:
    """The statement of the original's appearance this copy appearance repeats: the copy is
    the same story, so its speaker is the original's even where its span reads otherwise
    (a dateline glued to the name, a pronoun for it). Of two equally close (one sentence
    in nested speech), the one of the same speaker."""
    best: tuple[float, bool, Statement] | None = None
    for key, statement in copied:
        same_speaker = identity == ((statement.source_id or None), statement.speaker_key)
        rank = (statement_score(content_key, key), same_speaker)
        if best is None or rank > best[:2]:
            best = (*rank, statement)
    return best[2] if best and best[0] >= SAME_STATEMENT else None


_ASSIGN_COLUMNS = (
    "id",
    "article_id",
    "source_id",
    "source_text",
    "source_resolved",
    "content_text",
    "content_key",
    "claim_id",
    "review_state",
)
_ARTICLE_COLUMNS = ("id", "published_at", "ingested_at", "copy_of_id")


def _unassigned(article_ids: list[int]):
    return (
        Attribution.objects.select_for_update()
        .filter(article_id__in=article_ids, statement__isnull=True)
        .exclude(review_state=ReviewState.DISMISSED)
        .only(*_ASSIGN_COLUMNS)
        .order_by("article_id", "content_start", "id")
    )


@transaction.atomic
def article_statements_assign(*, article_id: int) -> int:
    """Give every appearance of the article without a statement its statement. Idempotent."""
    article = Article.objects.only(*_ARTICLE_COLUMNS).get(pk=article_id)
    return _assign(article, list(_unassigned([article_id])))


@transaction.atomic
def articles_statements_assign(*, article_ids: list[int], copies: Collection[int] = ()) -> int:
    """``article_statements_assign`` for a batch, in one transaction, article after
    article in id order (each sees the statements the earlier ones started and
    joined, as one by one). The copies' originals held before the batch are read in
    one query, and the articles' writes wait (``_HeldWrites``) until a later article
    would read them, or the batch ends.

    ``copies``: pending candidates their article's original carries, not yet marked
    (``articles_copies_index(carried=...)``): each becomes a copy appearance here,
    as it would have before its statement was chosen, in the same update."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    copies = set(copies)
    held = _HeldWrites()
    rows: dict[int, list[Attribution]] = {}
    for attribution in _unassigned(ids):
        if attribution.pk in copies:
            copies.discard(attribution.pk)
            if attribution.review_state == ReviewState.PENDING:
                attribution.review_state = ReviewState.COPY
                held.marked.add(attribution.pk)
        rows.setdefault(attribution.article_id, []).append(attribution)
    mark_copies(copies)  # any not read above (not left pending by now: a no-op)
    articles = list(Article.objects.filter(pk__in=list(rows)).only(*_ARTICLE_COLUMNS).order_by("pk"))
    originals = {
        a.copy_of_id
        for a in articles
        if a.copy_of_id
        and a.copy_of_id not in rows
        and any(r.review_state == ReviewState.COPY for r in rows[a.pk])
    }
    copied = _originals_statements(sorted(originals)) if originals else {}
    count = 0
    for article in articles:
        known = copied.get(article.copy_of_id, []) if article.copy_of_id in originals else None
        count += _assign(article, rows[article.pk], held=held, copied=known)
    held.flush()
    return count


def _speaker_of(source_id: int | None, speaker_key: str) -> tuple:
    """Who a statement or an appearance speaks for, as ``_best`` compares them."""
    return (source_id,) if source_id else (None, speaker_key)


class _HeldWrites:
    """A batch's statement writes (the appearances' statements, the statements' counts
    and times) held back from the articles that made them. An article reads the
    statements of its speakers (``_candidates``) and a copy the appearances of its
    original (``_copied_statements``); before such a read touches what an earlier
    article of the batch wrote, the held writes go out, so every read sees what it
    would one article at a time."""

    def __init__(self) -> None:
        self.rows: list[Attribution] = []
        self.touched: set[int] = set()
        self.speakers: set[tuple] = set()
        self.articles: set[int] = set()
        self.marked: set[int] = set()  # made copy appearances in memory: written with the rest

    def add(
        self, article_id: int, rows: list[Attribution], statements: list[Statement], every: list[Attribution]
    ) -> None:
        assigned = {row.pk for row in rows}
        rows = rows + [row for row in every if row.pk in self.marked and row.pk not in assigned]
        if not rows:
            return
        self.rows += rows
        self.articles.add(article_id)
        for statement in statements:
            self.touched.add(statement.pk)
            self.speakers.add(_speaker_of(statement.source_id, statement.speaker_key))

    def before_speaker(self, identity: tuple[int | None, str]) -> None:
        if _speaker_of(*identity) in self.speakers:
            self.flush()

    def before_copy_of(self, article_id: int | None) -> None:
        if article_id in self.articles:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            _set_statements(self.rows)
            _refresh(self.touched)
        marked = self.marked
        self.__init__()
        self.marked = marked


def _set_statements(rows: list[Attribution]) -> None:
    """Write the rows' statement, claim and review state (the rows are locked: what
    was read is what is there), in one statement."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Attribution.objects.bulk_update(rows, ["statement", "claim", "review_state"])
        return
    table = Attribution._meta.db_table
    values = ", ".join(["(%s::bigint, %s::bigint, %s::bigint, %s)"] * len(rows))
    params = [v for row in rows for v in (row.pk, row.statement_id, row.claim_id, row.review_state)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET statement_id = v.statement_id, claim_id = v.claim_id, "  # noqa: S608
            f"review_state = v.review_state FROM (VALUES {values}) "
            f"AS v(id, statement_id, claim_id, review_state) WHERE {table}.id = v.id",
            params,
        )


def _assign(
    article: Article,
    rows: list[Attribution],
    *,
    held: _HeldWrites | None = None,
    copied: list[tuple[str, Statement]] | None = None,
) -> int:
    """Give the article's appearances their statements. With ``held`` (a batch), the
    writes are handed to it instead of made here; ``copied``: the original's
    appearances, when the caller read them already."""
    seen_at = _seen_at(article)
    if any(r.review_state == ReviewState.COPY for r in rows):
        if copied is None:
            if held is not None:
                held.before_copy_of(article.copy_of_id)
            copied = _copied_statements(article)
    else:
        copied = []
    touched: list[Statement] = []
    changed: list[Attribution] = []
    for attribution in rows:
        identity = speaker_identity(attribution)
        content_key = attribution.content_key or normalize_key(attribution.content_text)
        statement = None
        if attribution.review_state == ReviewState.COPY:
            statement = _statement_copied(copied, content_key, identity)
        if statement is None:
            if identity is None or len(content_key) < MIN_KEY_CHARS:
                continue
            if held is not None:
                held.before_speaker(identity)
            best = _best(
                _candidates(identity, statement_bands(identity, content_key)), identity, content_key, seen_at
            )
            statement = best[0] if best else _new_statement(attribution, identity, content_key, seen_at)
        attribution.statement_id = statement.pk
        if statement.claim_id and attribution.review_state == ReviewState.COPY and not attribution.claim_id:
            attribution.claim_id = statement.claim_id  # a copy of an appearance already in a claim
        changed.append(attribution)
        touched.append(statement)
    if held is not None:
        held.add(article.pk, changed, touched, rows)
    else:
        _set_statements(changed)
        _refresh(s.pk for s in touched)
    return len(touched)


@transaction.atomic
def statement_confirm(*, statement: Statement, actor) -> Statement:
    Statement.objects.filter(pk=statement.pk).update(state=Statement.State.CONFIRMED)
    statement.refresh_from_db()
    return statement


@transaction.atomic
def statement_split(*, statement: Statement, attribution: Attribution, actor) -> Statement:
    """Move one appearance off into a statement of its own (confirmed: an editor made it)."""
    if attribution.statement_id != statement.pk:
        raise InvalidInput("این بازگویی از این گفته نیست.")
    if statement.appearance_count <= 1:
        raise InvalidInput("گفته‌ای با یک بازگویی را نمی‌توان جدا کرد.")
    identity = speaker_identity(attribution) or (statement.source_id, statement.speaker_key)
    article = Article.objects.only("published_at", "ingested_at").get(pk=attribution.article_id)
    content_key = attribution.content_key or normalize_key(attribution.content_text)
    new = _new_statement(attribution, identity, content_key, _seen_at(article))
    Statement.objects.filter(pk=new.pk).update(state=Statement.State.CONFIRMED, claim=None)
    Attribution.objects.filter(pk=attribution.pk).update(statement=new)
    if statement.content_key == content_key:
        # The group keeps the wording of a member that stays.
        other = Attribution.objects.filter(statement=statement).only("content_text", "content_key").first()
        if other is not None:
            Statement.objects.filter(pk=statement.pk).update(
                content_key=other.content_key or normalize_key(other.content_text),
                content_text=other.content_text,
            )
    Statement.objects.filter(pk=statement.pk).update(state=Statement.State.CONFIRMED)
    _refresh([statement.pk, new.pk])
    new.refresh_from_db()
    return new


def statement_attach(*, attribution: Attribution) -> None:
    """A claim took this appearance: its statement belongs to the claim, and so do the
    wire copies of it (exact relays of what the editor accepted, shown as its spread)."""
    if not (attribution.statement_id and attribution.claim_id):
        return
    Statement.objects.filter(pk=attribution.statement_id, claim__isnull=True).update(
        claim_id=attribution.claim_id
    )
    Attribution.objects.filter(
        statement_id=attribution.statement_id, review_state=ReviewState.COPY, claim__isnull=True
    ).update(claim_id=attribution.claim_id)
