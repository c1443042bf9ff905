"""Articles in, attributed candidates out.

``article_ingest`` is the one door every way in (files, URLs, feeds, the desk,
the partner API) goes through: it validates, deduplicates and stores the text
verbatim, then queues extraction once the row is committed. ``article_extract``
runs the extraction package on one article and maps its frozen results onto
``Attribution`` rows, resolves their sources and matches them to claims;
``articles_extract`` does the same for a batch queued together by a door that
ingests many (``extraction_batches``), in a few statements for the whole batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import Count
from django.utils import timezone

from claims.extraction.normalize import normalize_key
from claims.models import Article, ArticleState, Attribution, Feed, IngestJob, ReviewState, Source
from claims.services import dispatch
from claims.services.article_names import infer_publisher, infer_title
from claims.services.cleaning import clean_text, parse_date
from claims.services.errors import (
    ApplicationError,
    InputTooLarge,
    InvalidInput,
    InvalidTransition,
    require_perm,
)
from claims.validation import FORBIDDEN_CONTROLS, line_problem, text_problem

logger = logging.getLogger(__name__)

INGEST_PERMISSION = "claims.add_article"
RETRY_PERMISSION = "claims.change_article"

# Transient database trouble: the task layer retries these; anything else that
# goes wrong in extraction is recorded on the article instead.
TRANSIENT_DB_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)

# Share of control/replacement characters above which text is treated as binary.
_BINARY_SHARE = 0.02
# Control characters (Unicode category Cc) but tab, newline, vertical tab, form feed and
# carriage return, and the replacement character left by undecodable bytes.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


# --- validation --------------------------------------------------------------


def _max_chars() -> int:
    return int(settings.INGEST_MAX_CHARS)


def content_hash(text: str) -> str:
    """The deduplication key: SHA-256 of the normalised text, so copies that differ
    only in ZWNJ, Arabic/Persian letter forms, digits or spacing are one article."""
    return hashlib.sha256(normalize_key(text).encode("utf-8")).hexdigest()


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    bad = len(_NOT_TEXT.findall(sample))
    return bad > max(8, len(sample) * _BINARY_SHARE)


def validate_text(text: str | None) -> str:
    """Return ``text`` unchanged if it can be an article, or raise a clear error."""
    if text is None:
        raise InvalidInput("متن خبر داده نشده است.", details={"reason": "missing"})
    if not isinstance(text, str):
        raise InvalidInput("متن خبر باید رشته‌ای از نویسه‌ها باشد.", details={"reason": "not_a_string"})
    limit = _max_chars()
    if len(text) > limit:
        raise InputTooLarge(
            f"متن خبر {len(text):,} نویسه است و از سقف {limit:,} نویسه بیشتر است.",
            details={"reason": "too_large", "chars": len(text), "limit": limit},
        )
    if not text.strip():
        raise InvalidInput("متن خبر خالی است.", details={"reason": "empty"})
    if _looks_binary(text) or "\x00" in text:
        raise InvalidInput(
            "این محتوا متن نیست (پروندهٔ دودویی یا نویسه‌های کنترلی).", details={"reason": "binary"}
        )
    if text_problem(text):
        raise InvalidInput(
            "متن خبر نویسهٔ کنترلی دارد (مانند NUL) که در متن خبر جایی ندارد.", details={"reason": "control"}
        )
    if not normalize_key(text):
        raise InvalidInput("متن خبر هیچ واژه‌ای ندارد.", details={"reason": "no_words"})
    return text


def validate_title(title: object) -> str:
    """A title is one line of text: a string with no control characters."""
    if title is None:
        return ""
    if not isinstance(title, str):
        raise InvalidInput("عنوان خبر باید رشته‌ای از نویسه‌ها باشد.", details={"reason": "not_a_string"})
    if FORBIDDEN_CONTROLS.search(title):
        raise InvalidInput("عنوان خبر نویسهٔ کنترلی دارد (مانند NUL).", details={"reason": "control"})
    return title


def validate_url(url: object) -> str | None:
    """None for no URL; else an http(s) address of at most 2,000 characters, one line."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise InvalidInput("نشانی خبر باید رشته‌ای از نویسه‌ها باشد.", details={"reason": "not_a_string"})
    url = url.strip() or None
    if url is None:
        return None
    if len(url) > 2000 or not url.lower().startswith(("http://", "https://")) or line_problem(url):
        raise InvalidInput(
            "نشانی خبر باید با http:// یا https:// آغاز شود، نویسهٔ کنترلی نداشته باشد "
            "و از ۲۰۰۰ نویسه کوتاه‌تر باشد.",
            details={"reason": "bad_url"},
        )
    return url


def decode_text_bytes(data: bytes, *, name: str = "") -> str:
    """Decode an uploaded or read file as UTF-8 text, refusing binaries and bad bytes.

    The byte limit is checked before decoding, so a huge upload is refused cheaply."""
    label = f"«{name}»: " if name else ""
    # UTF-8 Persian text takes about two bytes a character; four is the hard ceiling.
    if len(data) > _max_chars() * 4:
        raise InputTooLarge(
            f"{label}پرونده {len(data):,} بایت است و از سقف {_max_chars():,} نویسه بیشتر است.",
            details={"reason": "too_large", "bytes": len(data), "limit": _max_chars()},
        )
    if b"\x00" in data[:65536]:
        raise InvalidInput(f"{label}پرونده دودویی است، نه متن.", details={"reason": "binary"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{label}پرونده UTF-8 معتبر نیست (بایت نادرست در جایگاه {exc.start}).",
            details={"reason": "invalid_utf8", "position": exc.start},
        ) from exc
    return validate_text(text)


# --- ingest ------------------------------------------------------------------


# Articles one extraction task takes at most when a door ingests many in a row
# (``extraction_batches``): one message, one extraction transaction and a few bulk
# writes for all of them.
EXTRACTION_BATCH_SIZE = 25

_batching = threading.local()


def _queue_extraction(article_id: int) -> None:
    """Send the extraction task; called after commit, so a worker always finds the row.

    Inside ``extraction_batches`` the id is held and sent with others as one batch.
    A broker outage must not undo a committed ingest: the article stays ``queued``
    and ``requeue_stale_articles`` sends it again later."""
    held = getattr(_batching, "ids", None)
    if held is not None:
        held.append(article_id)
        if len(held) >= _batching.size:
            _send_batch()
        return
    _send_extraction([article_id])


def _send_extraction(article_ids: list[int]) -> None:
    queue = getattr(settings, "INGEST_QUEUE", None) or None
    try:
        if len(article_ids) == 1:
            dispatch.enqueue("claims.extract_article", article_ids[0], queue=queue)
        else:
            dispatch.enqueue("claims.extract_articles", article_ids, queue=queue)
    except Exception:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("could not queue extraction of articles %s; the stale sweep will retry", article_ids)


def _send_batch() -> None:
    ids, _batching.ids = _batching.ids, []
    if ids:
        _send_extraction(ids)


@contextmanager
def extraction_batches(size: int = EXTRACTION_BATCH_SIZE) -> Iterator[None]:
    """Within this block, the extractions that ingest commits queue go out in
    batches of up to ``size`` articles (``claims.extract_articles``) instead of one
    message each; what is left is sent when the block ends. For doors that ingest
    many articles in a row (uploads, feeds, the command line). An article whose
    ingest commits after the block ended is queued on its own, as always."""
    if getattr(_batching, "ids", None) is not None:
        yield  # already batching: the outer block sends
        return
    _batching.ids, _batching.size = [], max(1, size)
    try:
        yield
    finally:
        try:
            _send_batch()
        finally:
            _batching.ids = None


def article_ingest(
    *,
    text: str | None = None,
    url: str | None = None,
    title: str = "",
    publisher: Source | None = None,
    published_at: dt.datetime | None = None,
    origin: str = Article.Origin.TEXT,
    feed: Feed | None = None,
    job: IngestJob | None = None,
    submitted_by: Any = None,
) -> tuple[Article, bool]:
    """Store one article and queue its extraction; return ``(article, created)``.

    A known URL or a text whose normalised hash is known returns the existing
    article with ``created=False``. With a URL and no text, the page is fetched
    (size limit, timeout) and its main text extracted first: outside any
    transaction, so a slow site never holds a database transaction open."""
    url = validate_url(url)
    title = validate_title(title)
    if text is None and url is not None:
        from claims.services.fetch import check_fetch_url

        check_fetch_url(url)  # internal addresses in any spelling: refused before anything else
        existing = Article.objects.filter(url=url).first()
        if existing is not None:
            return existing, False
        from claims.services.fetch import fetch_article

        page = fetch_article(url=url)
        text = page.text
        title = title or page.title
        published_at = published_at or page.published_at
        origin = Article.Origin.URL if origin == Article.Origin.TEXT else origin
    return _article_store(
        text=validate_text(text),
        url=url,
        title=title,
        publisher=publisher,
        published_at=published_at,
        origin=origin,
        feed=feed,
        job=job,
        submitted_by=submitted_by,
    )


def _article_store(
    *,
    text: str,
    url: str | None,
    title: str,
    publisher: Source | None,
    published_at: dt.datetime | None,
    origin: str,
    feed: Feed | None,
    job: IngestJob | None,
    submitted_by: Any,
) -> tuple[Article, bool]:
    """Insert first and look up only on conflict: new articles (the common case)
    cost one INSERT, and the unique constraints on the hash and the URL settle
    races between concurrent ingests of the same article."""
    if published_at is not None and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    digest = content_hash(text)
    # Named from its own text when it came without: an editor can tell it apart
    # in every list, and can still change either on the desk.
    title = (title or "").strip()[:500] or infer_title(text)
    publisher = publisher or infer_publisher(text=text, url=url)
    try:
        article = _article_insert(
            text=text,
            title=title,
            url=url,
            publisher=publisher,
            published_at=published_at,
            content_hash=digest,
            state=ArticleState.QUEUED,
            origin=origin,
            feed=feed,
            job=job,
            submitted_by=submitted_by,
        )
    except IntegrityError:
        existing = Article.objects.filter(url=url).first() if url is not None else None
        existing = existing or Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return existing, False
    return article, True


@transaction.atomic
def _article_insert(**fields: Any) -> Article:
    """One atomic block (a savepoint inside a caller's transaction), so a conflict
    rolls back only this insert, and the extraction is queued only if it commits.
    (``Article.save`` fills the search key from the title and text.)"""
    article = Article.objects.create(**fields)
    article_id = article.pk
    transaction.on_commit(lambda: _queue_extraction(article_id))
    return article


def ingest_batch_open(*, label: str) -> IngestJob:
    """A batch from the command line: its articles point to it, so their progress is one
    indexed count (``Article.job``) instead of a list of every id."""
    return IngestJob.objects.create(filename=label[:300], state=IngestJob.State.RUNNING)


def ingest_batch_close(
    *, job: IngestJob, total: int, new: int, duplicate: int, failed: int, errors: list[dict]
) -> IngestJob:
    job.total = job.processed = total
    job.new, job.duplicate, job.failed = new, duplicate, failed
    job.errors = errors[:200]
    job.state = IngestJob.State.DONE
    job.finished_at = timezone.now()
    job.save(
        update_fields=["total", "processed", "new", "duplicate", "failed", "errors", "state", "finished_at"]
    )
    return job


# --- extract -----------------------------------------------------------------


@dataclass(frozen=True)
class Extractor:
    """The extraction package's entry points, loaded lazily so that importing this
    module (the API and the desk do) never depends on the extractor being importable."""

    extract: Callable[..., list[Any]]
    version: str
    too_large: type[BaseException]


def load_extractor() -> Extractor:
    from claims import extraction

    return Extractor(
        extract=extraction.extract,
        version=str(extraction.EXTRACTOR_VERSION),
        too_large=extraction.InputTooLarge,
    )


class ExtractionFailed(ApplicationError):
    """Extraction of one article failed in a way a retry will not heal."""

    code = "extraction_failed"
    status = 422


_alias_cache: dict[str, Any] = {"stamp": None, "table": {}}


def _alias_table() -> Mapping[str, int]:
    """The registry's alias table, rebuilt only when the aliases changed.

    A worker extracts many articles between registry edits; one aggregate query
    tells whether the cached table is still the registry's (an alias added,
    removed, re-pointed to another source or re-keyed changes the stamp)."""
    from claims.models import SourceAlias
    from claims.selectors.sources import alias_table

    # Plain SQL: building this aggregate through the ORM cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), MAX(id), SUM(source_id), SUM(LENGTH(key)) "  # noqa: S608
            f"FROM {SourceAlias._meta.db_table}"
        )
        stamp = tuple(cursor.fetchone())
    if stamp != _alias_cache["stamp"]:
        _alias_cache["table"] = alias_table()
        _alias_cache["stamp"] = stamp
    return _alias_cache["table"]


_registry_cache: dict[str, Any] = {"stamp": None, "registry": None}


def _registry() -> Any:
    """The registry (entries, aliases, terms of office) the extractor resolves
    against, rebuilt only when one of them changed."""
    from claims.models import Position, Source, SourceAlias
    from claims.selectors.sources import registry_snapshot

    with connection.cursor() as cursor:
        s, a, p = Source._meta.db_table, SourceAlias._meta.db_table, Position._meta.db_table
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {s}), (SELECT MAX(updated_at) FROM {s}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {a}), (SELECT MAX(id) FROM {a}), (SELECT SUM(source_id) FROM {a}), "
            f"(SELECT COUNT(*) FROM {p}), (SELECT MAX(updated_at) FROM {p})"
        )
        stamp = tuple(cursor.fetchone())
    if stamp != _registry_cache["stamp"]:
        _registry_cache["registry"] = registry_snapshot()
        _registry_cache["stamp"] = stamp
    return _registry_cache["registry"]


def _published_date(article: Article) -> dt.date | None:
    if article.published_at is None:
        return None
    return timezone.localtime(article.published_at).date()


def _clip(value: str | None, size: int) -> str:
    return (value or "")[:size]


def _attribution_row(article: Article, found: Any, version: str) -> Attribution:
    content = found.content or ""
    return Attribution(
        article=article,
        source_text=_clip(found.source, 1000),
        source_start=found.source_start,
        source_end=found.source_end,
        source_resolved=_clip(found.source_resolved, 300),
        source_id=found.source_id,
        office_id=getattr(found, "office_id", None),
        cue_text=_clip(found.cue, 300),
        cue_start=found.cue_start,
        cue_end=found.cue_end,
        kind=found.kind,
        content_text=content,
        content_start=found.content_start,
        content_end=found.content_end,
        content_key=normalize_key(content),
        via_text=_clip(found.via, 300),
        via_start=found.via_start,
        via_end=found.via_end,
        via_source_id=found.via_id,
        confidence=min(1.0, max(0.0, float(found.confidence))),
        hedged=bool(found.hedged),
        quantities=[q.to_dict() for q in found.quantities],
        dates=[d.to_dict() for d in found.dates],
        review_state=ReviewState.PENDING,
        extractor_version=version,
    )


# Starts (including ones a dead worker never finished) after which an article is
# marked failed instead of being extracted again.
MAX_ATTEMPTS = 8


def _mark_processing(article_id: int, version: str) -> int | None:
    """Mark the article ``processing`` and count the attempt, in one statement that
    commits at once (autocommit), so the desk sees it and a worker that dies
    mid-task still leaves its attempt counted. Returns the attempt number, or None
    when the article is missing or already done with this version.

    On PostgreSQL the statement also switches off the wait for the disk for its
    own commit (``set_config(..., true)`` lasts for the statement's transaction):
    losing this marker in a server crash is harmless."""
    table = Article._meta.db_table
    relaxed = (
        "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed "
        if connection.vendor == "postgresql"
        else ""
    )
    sql = (
        f"UPDATE {table} SET state = %s, attempts = attempts + 1 {relaxed}"  # noqa: S608
        "WHERE id = %s AND NOT (state = %s AND extractor_version = %s) RETURNING attempts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ArticleState.PROCESSING.value, article_id, ArticleState.DONE.value, version])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _relaxed_commit() -> None:
    """Let this transaction's COMMIT return before its WAL reaches disk (PostgreSQL).

    Only for extraction writes, which can always be redone: a worker that dies
    loses nothing (the server has the commit), and if the database server itself
    crashes in the next fraction of a second, the article is left queued or
    processing and ``requeue_stale_articles`` extracts it again. Ingest commits
    stay fully durable, since an accepted article must never be lost. Not waiting
    for the disk roughly halves the time a worker spends per article."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _record_failure(article_id: int, message: str) -> None:
    Article.objects.filter(pk=article_id).update(state=ArticleState.FAILED, error=message[:2000])


def _drop_pending(article: Article) -> None:
    """Remove the candidates no editor has touched yet (their matches cascade), and
    give back the occurrences they had counted on unknown-source candidates."""
    from claims.services.resolution import source_candidates_release

    pending = Attribution.objects.filter(article=article, review_state=ReviewState.PENDING)
    counts = dict(
        pending.filter(source_candidate__isnull=False)
        .values_list("source_candidate")
        .annotate(n=Count("id"))
        .values_list("source_candidate", "n")
    )
    pending.delete()
    source_candidates_release(counts=counts)


def article_extract(*, article_id: int, extractor: Extractor | None = None) -> Article:
    """Extract one article's attributions; idempotent per extractor version.

    Two short transactions: the first marks the article ``processing`` and counts
    the attempt (visible to the desk while the work runs, and kept if the worker
    dies); the second locks the row and does the work all-or-nothing, so a killed
    worker or a lost database leaves no half-written candidates behind.

    Transient database errors propagate for the task to retry. Anything else that
    goes wrong (input the extractor refuses, a bug in a rule) is recorded on the
    article as ``failed`` with the reason, and not raised."""
    extractor = extractor or load_extractor()
    version = extractor.version
    attempts = _mark_processing(article_id, version)
    if attempts is None:
        return _extract_unmarked(article_id)
    return _extract_marked(article_id, attempts, extractor)


def _extract_unmarked(article_id: int) -> Article:
    """An article the marking skipped: missing (an error), or done with this version,
    when all it may still owe is the match and the grouping (a worker died, or a
    transient error came, after the extraction committed); both are idempotent."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise InvalidInput(f"خبر {article_id} پیدا نشد.", details={"article_id": article_id})
    if article.state == ArticleState.DONE:
        article = _match_after_extraction(article)
        _group_after_extraction(article)
    return article


def _extract_marked(article_id: int, attempts: int, extractor: Extractor) -> Article:
    if attempts > MAX_ATTEMPTS:
        # Started this often and never finished: something about this article kills
        # the worker (memory, a time limit). Redelivery would go on for ever.
        _record_failure(article_id, f"استخراج پس از {attempts - 1} بار تلاش به پایان نرسید؛ رها شد.")
        return Article.objects.get(pk=article_id)

    try:
        article = _extract_locked(article_id, extractor)
    except TRANSIENT_DB_ERRORS:
        raise
    except ExtractionFailed as exc:
        _record_failure(article_id, exc.message)
    except DatabaseError as exc:
        # Not a connection problem: a constraint or data error that would repeat.
        logger.exception("article %s: database refused the extraction result", article_id)
        _record_failure(article_id, f"database error: {type(exc).__name__}: {exc}")
        return Article.objects.get(pk=article_id)
    else:
        article = _match_after_extraction(article)
        _group_after_extraction(article)
        return article
    return Article.objects.get(pk=article_id)


def articles_extract(*, article_ids: list[int], extractor: Extractor | None = None) -> list[Article]:
    """Extract a batch of articles: what ``article_extract`` does for each, with the
    same results, in a few statements for the whole batch (one marking, one
    extraction transaction with bulk writes, then claim matching and the copy and
    statement grouping, each in one transaction after the extraction committed).

    One article cannot fail the others: an article the extractor refuses is
    recorded as failed and the rest go on; when the database refuses a batch
    step, that step is done again article by article, each in its own
    transaction, as ``article_extract`` would. Missing articles are skipped.
    Transient database errors propagate for the task to retry the batch (every
    step is idempotent)."""
    extractor = extractor or load_extractor()
    ids = sorted(set(article_ids))
    attempts = _mark_processing_many(ids, extractor.version)
    todo = [pk for pk in ids if pk in attempts and attempts[pk] <= MAX_ATTEMPTS]
    results: dict[int, Article] = {}
    for pk in ids:
        if pk not in attempts:
            try:
                results[pk] = _extract_unmarked(pk)
            except InvalidInput:
                logger.warning("article %s is gone; left out of its extraction batch", pk)
        elif attempts[pk] > MAX_ATTEMPTS:
            results[pk] = _extract_marked(pk, attempts[pk], extractor)
    try:
        extracted = _extract_locked_many(todo, extractor)
    except Exception as exc:
        if _retry_whole(exc):
            raise
        logger.exception("articles %s: the batch was refused; extracting them one by one", todo)
        for pk in todo:
            article = _one_by_one(pk, lambda pk=pk: _extract_marked(pk, attempts[pk], extractor))
            if article is not None:
                results[pk] = article
    else:
        results.update((a.pk, a) for a in _after_extraction_many(extracted))
    return [results[pk] for pk in ids if pk in results]


# PostgreSQL's deadlock_detected.
_DEADLOCK = "40P01"


def _retry_whole(exc: BaseException) -> bool:
    """A transient error the task retries the batch for. Not a deadlock with another
    batch (two workers' batches may take the same rows, a candidate name or a
    statement, in different orders): that step is done again one article at a time,
    in short transactions that take their locks in order, as one by one does."""
    return isinstance(exc, TRANSIENT_DB_ERRORS) and getattr(exc.__cause__, "sqlstate", None) != _DEADLOCK


def _one_by_one(article_id: int, step: Callable[[], Any]) -> Any:
    """One article's share of a batch step done on its own: what goes wrong stays
    with that article (logged; the stale sweep sends it again, as after a failed
    single task), and the batch's other articles go on. Transient errors still
    propagate, for the task to retry the batch."""
    try:
        return step()
    except TRANSIENT_DB_ERRORS:
        raise
    except Exception:
        logger.exception("article %s failed on its own after its batch failed", article_id)
    return None


def _mark_processing_many(article_ids: list[int], version: str) -> dict[int, int]:
    """``_mark_processing`` for many articles in one statement: {id: attempt number}
    for those marked (missing ones and those done with this version are left out)."""
    if not article_ids:
        return {}
    table = Article._meta.db_table
    relaxed = (
        "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed "
        if connection.vendor == "postgresql"
        else ""
    )
    marks = ", ".join(["%s"] * len(article_ids))
    sql = (
        f"UPDATE {table} SET state = %s, attempts = attempts + 1 {relaxed}"  # noqa: S608
        f"WHERE id IN ({marks}) AND NOT (state = %s AND extractor_version = %s) RETURNING id, attempts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ArticleState.PROCESSING.value, *article_ids, ArticleState.DONE.value, version])
        return {int(pk): int(n) for pk, n in cursor.fetchall()}


def _after_extraction_many(articles: list[Article]) -> list[Article]:
    """Matching, then wire copies and statements, for a batch whose extraction has
    committed: one transaction per step for the batch, in article order (an
    article sees what the batch's earlier articles added, as one by one). A step
    the database refuses is done again article by article, as ``article_extract``
    does, each failure logged and left owed."""
    from claims.services.copies import articles_copies_index
    from claims.services.matching import articles_match
    from claims.services.statements import articles_statements_assign

    done = [a for a in articles if a.state == ArticleState.DONE]
    ids = [a.pk for a in done]
    matched: dict[int, Article] = {}
    try:
        matched.update((a.pk, a) for a in articles_match(article_ids=ids))
    except Exception as exc:
        if _retry_whole(exc):
            raise
        logger.exception("articles %s: batch matching failed; matching them one by one", ids)
        for a in done:
            matched[a.pk] = _one_by_one(a.pk, lambda a=a: _match_after_extraction(a)) or a
    try:
        with transaction.atomic():
            carried: list[int] = []  # marked as copies with their statements: one update a row
            articles_copies_index(article_ids=ids, carried=carried)
            articles_statements_assign(article_ids=ids, copies=carried)
    except Exception as exc:
        if _retry_whole(exc):
            raise
        logger.exception("articles %s: batch grouping failed; grouping them one by one", ids)
        for a in done:
            _one_by_one(a.pk, lambda a=a: _group_after_extraction(a))
    return [matched.get(a.pk, a) for a in articles]


def _match_after_extraction(article: Article) -> Article:
    """Claim matching, in a transaction of its own once the extraction has committed
    (so a slow match never holds the extraction open). A failure here leaves the
    extraction in place and ``matched_at`` empty, for a later run to finish."""
    from claims.services.matching import article_match

    if article.matched_at is not None:
        return article
    try:
        return article_match(article_id=article.pk) or article
    except TRANSIENT_DB_ERRORS:
        raise
    except DatabaseError:
        logger.exception("article %s: claim matching failed; it stays owed", article.pk)
    return article


def _group_after_extraction(article: Article) -> None:
    """Wire copies and statements, each in a short transaction of its own once the
    extraction has committed. A failure leaves the extraction in place; both steps
    are idempotent, and the stale sweep runs them again."""
    from claims.services.copies import article_copies_index
    from claims.services.statements import article_statements_assign

    try:
        article_copies_index(article_id=article.pk)
        article_statements_assign(article_id=article.pk)
    except TRANSIENT_DB_ERRORS:
        raise
    except DatabaseError:
        logger.exception("article %s: copy and statement grouping failed", article.pk)


def _run_extractor(extractor: Extractor, article: Article, published: dt.date | None, registry: Any):
    try:
        return extractor.extract(article.text, published=published, registry=registry)
    except extractor.too_large as exc:
        raise ExtractionFailed(f"متن برای استخراج بیش از اندازه بزرگ است: {exc}") from exc
    except Exception as exc:
        logger.exception("article %s: extractor %s raised", article.pk, extractor.version)
        raise ExtractionFailed(f"استخراج ناموفق بود: {type(exc).__name__}: {exc}") from exc


def _attribution_rows(
    article: Article,
    found: list[Any],
    version: str,
    *,
    aliases: Mapping[str, int],
    registry: Any,
    published: dt.date | None,
) -> list[Attribution]:
    """The article's new candidates, resolved and unsaved."""
    from claims.services.resolution import attributions_resolve

    reviewed: set[tuple[int, int]] = set()
    if article.extractor_version:
        # Extracted before by another version: its pending candidates are replaced;
        # accepted and dismissed ones belong to the editors and stay. (A first run
        # has nothing to replace: a run that died wrote nothing, being atomic.)
        _drop_pending(article)
        reviewed = set(
            Attribution.objects.filter(article=article)
            .exclude(review_state=ReviewState.PENDING)
            .values_list("content_start", "content_end")
        )
    rows = [
        _attribution_row(article, item, version)
        for item in found
        if (item.content_start, item.content_end) not in reviewed
    ]
    attributions_resolve(attributions=rows, aliases=aliases, registry=registry, published=published)
    return rows


_DONE_FIELDS = ["state", "error", "extractor_version", "extracted_at", "matched_at", "match_skipped"]


def _mark_done(article: Article, version: str, now: dt.datetime) -> None:
    article.state = ArticleState.DONE
    article.error = ""
    article.extractor_version = version
    article.extracted_at = now
    article.matched_at = None  # matching follows, once this has committed
    article.match_skipped = 0


def _insert_attributions(rows: list[Attribution]) -> None:
    """Insert new candidates (nothing reads their ids afterwards: matching and grouping
    read them back). On PostgreSQL through COPY, each value prepared by its field as
    ``bulk_create`` prepares it: building and sending an INSERT of a batch's thousands
    of parameters cost the worker more than the rest of the write."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Attribution.objects.bulk_create(rows)
        return
    fields = [f for f in Attribution._meta.concrete_fields if not f.primary_key and not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Attribution._meta.db_table)
    # Django's own errors (a value too long is a DataError, as through the ORM).
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])


@transaction.atomic
def _extract_locked(article_id: int, extractor: Extractor) -> Article:
    _relaxed_commit()
    article = Article.objects.select_for_update().get(pk=article_id)
    version = extractor.version
    if article.state == ArticleState.DONE and article.extractor_version == version:
        return article  # another worker finished it while this one waited for the lock

    aliases: Mapping[str, int] = _alias_table()
    registry = _registry()
    published = _published_date(article)
    found = _run_extractor(extractor, article, published, registry)
    rows = _attribution_rows(article, found, version, aliases=aliases, registry=registry, published=published)
    _insert_attributions(rows)
    _mark_done(article, version, timezone.now())
    article.save(update_fields=_DONE_FIELDS)
    return article


@transaction.atomic
def _extract_locked_many(article_ids: list[int], extractor: Extractor) -> list[Article]:
    """``_extract_locked`` for a batch, in one transaction: the rows locked in id
    order (two batches never wait on each other in a cycle), every candidate in
    one bulk insert, the articles marked done in one update. An article the
    extractor refuses is marked failed with the reason; the others go on."""
    if not article_ids:
        return []
    _relaxed_commit()
    articles = list(Article.objects.select_for_update().filter(pk__in=article_ids).order_by("pk"))
    version = extractor.version
    aliases: Mapping[str, int] = _alias_table()
    registry = _registry()
    rows: list[Attribution] = []
    fresh: list[Article] = []
    for article in articles:
        if article.state == ArticleState.DONE and article.extractor_version == version:
            continue  # another worker finished it while this one waited for the lock
        published = _published_date(article)
        try:
            found = _run_extractor(extractor, article, published, registry)
        except ExtractionFailed as exc:
            article.state, article.error = ArticleState.FAILED, exc.message[:2000]
            Article.objects.filter(pk=article.pk).update(state=article.state, error=article.error)
            continue
        rows += _attribution_rows(
            article, found, version, aliases=aliases, registry=registry, published=published
        )
        fresh.append(article)
    _insert_attributions(rows)
    now = timezone.now()
    for article in fresh:
        _mark_done(article, version, now)
    if fresh:
        Article.objects.filter(pk__in=[a.pk for a in fresh]).update(
            **{name: getattr(fresh[0], name) for name in _DONE_FIELDS}
        )
    return articles


@transaction.atomic
def article_requeue(*, article_id: int) -> Article:
    """Send a failed or stuck article back to the queue (the desk's "try again")."""
    article = Article.objects.select_for_update().get(pk=article_id)
    # A URL submission whose page never came: fetch it again rather than extract nothing.
    refetch = not article.text and bool(article.url)
    article.state = ArticleState.FETCHING if refetch else ArticleState.QUEUED
    article.error = ""
    article.attempts = 0  # an editor's retry is a fresh start, also after a give-up
    article.save(update_fields=["state", "error", "attempts"])
    if refetch:
        from claims.services.url_submissions import article_fetch_enqueue

        transaction.on_commit(lambda: article_fetch_enqueue(article_id))
    else:
        transaction.on_commit(lambda: _queue_extraction(article_id))
    return article


# --- from the desk -------------------------------------------------------------


def article_submit(
    *,
    actor,
    text: str = "",
    url: str = "",
    title: str = "",
    publisher: Source | None = None,
    published: str = "",
    job: IngestJob | None = None,
) -> tuple[Article, bool]:
    """Paste text (with title, publisher, date) or give a URL; returns (article, created)."""
    require_perm(actor, INGEST_PERMISSION, "شما اجازهٔ افزودن خبر را ندارید.")
    title = clean_text(title, label="عنوان", max_length=500, required=False, multiline=False)
    published_at = parse_date(published)
    url = (url or "").strip()
    max_chars = getattr(settings, "INGEST_MAX_CHARS", 1_000_000)
    if url:
        if not re.match(r"^https?://", url, re.IGNORECASE) or len(url) > 2000:
            raise InvalidInput("نشانی باید با http:// یا https:// آغاز شود.")
        if job is not None:  # an upload's row: its task fetches it (off the request path already)
            return article_ingest(
                url=url,
                title=title,
                publisher=publisher,
                published_at=published_at,
                origin="url",
                submitted_by=actor,
                job=job,
            )
        # From the desk's form: accepted at once, fetched by a task; the article page shows progress.
        from claims.services.url_submissions import article_url_submit

        return article_url_submit(
            url=url, title=title, publisher=publisher, published_at=published_at, submitted_by=actor
        )
    # Control characters are not stripped here: a body full of them is a binary (an image, a
    # file) sent as text, and ``article_ingest`` refuses it with the reason.
    text = text or ""
    if not text.strip():
        raise InvalidInput("متن خبر یا نشانی آن را وارد کنید.")
    if len(text) > max_chars:
        raise InputTooLarge(f"متن خبر بیش از اندازه بلند است (حداکثر {max_chars:,} نویسه).")
    return article_ingest(
        text=text,
        title=title,
        publisher=publisher,
        published_at=published_at,
        origin="ui",
        submitted_by=actor,
        job=job,
    )


@transaction.atomic
def article_retry(*, article: Article, actor) -> Article:
    """Queue a failed (or stuck) article for extraction again."""
    require_perm(actor, RETRY_PERMISSION, "شما اجازهٔ پردازش دوبارهٔ خبر را ندارید.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state == ArticleState.DONE:
        raise InvalidTransition("این خبر پیش‌تر پردازش شده است.")
    if article.state == ArticleState.PROCESSING and article.ingested_at > timezone.now() - dt.timedelta(
        minutes=10
    ):
        raise InvalidTransition("این خبر هم‌اکنون در حال پردازش است.")
    return article_requeue(article_id=article.pk)
