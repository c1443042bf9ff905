"""Uploads from the desk (``IngestJob``): parse a file, store its rows, and read
them into articles a batch at a time in a Celery task, resumably."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.extraction.normalize import normalize_key
from claims.models import Article, IngestJob, IngestRow, Source, SourceAlias, SourceKind
from claims.services import dispatch
from claims.services.articles import INGEST_PERMISSION, article_ingest, extraction_batches
from claims.services.cleaning import CONTROL_CHARS, clean_text, parse_date
from claims.services.errors import (
    ApplicationError,
    InputTooLarge,
    InvalidInput,
    NotFound,
    require_perm,
)
from claims.services.fetch import fetch_article
from claims.validation import FORBIDDEN_CONTROLS, JSON_MAX_DEPTH, JSONTooDeep, json_loads

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_RECORDS = 5_000


@dataclass(frozen=True)
class UploadRecord:
    line: int
    text: str
    title: str = ""
    url: str = ""
    publisher: str = ""
    published: str = ""
    error: str = ""  # why the row cannot be an article, found while reading the file


_UPLOAD_FIELDS = {
    "text": "text",
    "title": "title",
    "url": "url",
    "publisher": "publisher",
    "published": "published",
    "published_at": "published",
}


def _upload_row(number: int, line: str) -> UploadRecord:
    """One JSONL line as a record, or as an error record that says why it cannot be one.

    The bad value itself is not kept: the rows wait in a JSONB column, which cannot hold a
    NUL, and a nested value is refused by its depth before it is parsed at all."""
    try:
        row = json_loads(line)
    except JSONTooDeep:
        return UploadRecord(line=number, text="", error=f"JSON بیش از {JSON_MAX_DEPTH} لایه تودرتو است.")
    except ValueError:
        return UploadRecord(line=number, text="", error="سطر JSON معتبر نیست.")
    if not isinstance(row, dict):
        return UploadRecord(line=number, text="", error="هر سطر باید یک شیء JSON باشد.")
    values: dict[str, str] = {}
    for name, target in _UPLOAD_FIELDS.items():
        value = row.get(name)
        if value is None or values.get(target):
            continue
        if not isinstance(value, str):
            return UploadRecord(line=number, text="", error=f"فیلد «{name}» باید رشته باشد.")
        if "\x00" in value or (name != "text" and FORBIDDEN_CONTROLS.search(value)):
            return UploadRecord(line=number, text="", error=f"فیلد «{name}» نویسهٔ کنترلی (مانند NUL) دارد.")
        values[target] = value
    return UploadRecord(line=number, text=values.pop("text", ""), **values)


def parse_upload(*, filename: str, data: bytes) -> list[UploadRecord]:
    """Records of an uploaded file: JSONL (one article per line) or one plain-text article."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputTooLarge(f"پرونده بزرگ‌تر از {MAX_UPLOAD_BYTES // (1024 * 1024)} مگابایت است.")
    if b"\x00" in data:
        raise InvalidInput("این پرونده متنی نیست (دودویی است).")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("پرونده باید متن UTF-8 باشد؛ این پرونده نویسه‌های نامعتبر دارد.") from exc
    if not content.strip():
        raise InvalidInput("پرونده خالی است.")
    is_jsonl = filename.lower().endswith((".jsonl", ".json", ".ndjson")) or content.lstrip().startswith("{")
    if not is_jsonl:
        return [UploadRecord(line=1, text=content, title=filename.rsplit("/", 1)[-1][:500])]
    records: list[UploadRecord] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        records.append(_upload_row(number, line))
        if len(records) > MAX_UPLOAD_RECORDS:
            raise InputTooLarge(f"هر پرونده حداکثر {MAX_UPLOAD_RECORDS:,} خبر می‌پذیرد.")
    if not records:
        raise InvalidInput("پرونده هیچ خبری ندارد.")
    return records


def ingest_job_enqueue(*, job_id: int) -> None:
    """Send the job's task (after commit, so a worker always finds the rows), on
    ``INGEST_QUEUE`` like extraction.

    A broker outage must not undo an accepted upload: the job and its rows stay
    in the database and are logged; without a broker (eager) the error is raised."""
    queue = getattr(settings, "INGEST_QUEUE", None) or None
    try:
        dispatch.enqueue("claims.process_ingest_job", job_id, queue=queue)
    except Exception:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("could not queue ingest job %s; its rows wait in the database", job_id)


@transaction.atomic
def ingest_job_start(
    *, filename: str, records: list[UploadRecord], actor, publisher: Source | None = None
) -> IngestJob:
    """Record an upload with its parsed rows, and queue its processing on commit.

    ``publisher`` (an outlet the uploader names for the whole file) is the
    publisher of every row that names none. The rows are stored in the
    database, so any worker can read them; all or nothing, so a refused or
    broken upload leaves no half-written job."""
    require_perm(actor, "claims.add_ingestjob", "شما اجازهٔ بارگذاری پرونده را ندارید.")
    require_perm(actor, INGEST_PERMISSION, "شما اجازهٔ افزودن خبر را ندارید.")
    if publisher is not None:
        if publisher.kind not in (SourceKind.NEWS_AGENCY, SourceKind.MEDIA_GROUP):
            raise InvalidInput("ناشر پرونده باید خبرگزاری یا رسانه‌ای از فهرست منابع باشد.")
        records = [r if r.publisher.strip() else replace(r, publisher=publisher.slug) for r in records]
    job = IngestJob.objects.create(created_by=actor, filename=filename[:300], total=len(records))
    IngestRow.objects.bulk_create(
        [
            IngestRow(
                job=job,
                position=position,
                line=record.line,
                record={k: v for k, v in asdict(record).items() if k != "line"},
            )
            for position, record in enumerate(records)
        ],
        batch_size=500,
    )
    job_id = job.pk
    transaction.on_commit(lambda: ingest_job_enqueue(job_id=job_id))
    return job


def _publisher_for(name: str) -> Source | None:
    key = normalize_key(name)
    if not key:
        return None
    alias = SourceAlias.objects.filter(Q(key=key) | Q(source__slug=name)).select_related("source").first()
    return alias.source if alias else None


INGEST_BATCH = 25


@dataclass(frozen=True)
class _PreparedRow:
    position: int
    line: int
    fields: dict | None = None
    error: str = ""


def _prepare_row(row: IngestRow) -> _PreparedRow:
    """Check one stored row and turn it into ``article_ingest`` arguments.

    A row with only a URL is fetched here, before the batch's transaction opens,
    so a slow site never holds the job locked (a URL already known is not fetched)."""
    record = UploadRecord(line=row.line, **row.record)
    try:
        if record.error:
            raise InvalidInput(record.error)
        text = CONTROL_CHARS.sub("", record.text or "")
        url = (record.url or "").strip()
        if not text.strip() and not url:
            raise InvalidInput("سطر متن ندارد یا JSON معتبر نیست.")
        fields = {
            "title": clean_text(record.title, label="عنوان", max_length=500, required=False, multiline=False),
            "publisher": _publisher_for(record.publisher),
            "published_at": parse_date(record.published[:10]),
        }
        if text.strip():
            max_chars = getattr(settings, "INGEST_MAX_CHARS", 1_000_000)
            if len(text) > max_chars:
                raise InputTooLarge(f"متن خبر بیش از اندازه بلند است (حداکثر {max_chars:,} نویسه).")
            fields["text"] = text
        else:
            if not re.match(r"^https?://", url, re.IGNORECASE) or len(url) > 2000:
                raise InvalidInput("نشانی باید با http:// یا https:// آغاز شود.")
            fields["url"] = url
            if not Article.objects.filter(url=url).exists():
                page = fetch_article(url=url)
                fields["text"] = page.text
                fields["title"] = fields["title"] or page.title
                fields["published_at"] = fields["published_at"] or page.published_at
    except ApplicationError as exc:
        return _PreparedRow(position=row.position, line=row.line, error=exc.message)
    return _PreparedRow(position=row.position, line=row.line, fields=fields)


@transaction.atomic
def _ingest_batch(*, job_id: int, first: int, rows: list[_PreparedRow]) -> IngestJob | None:
    """Ingest prepared rows and move the job's cursor past them, in one transaction.

    The articles, the counters, the cursor and the deletion of the rows commit
    together (extraction is queued on that commit), so a worker that dies here
    leaves the batch unread and the next run reads it again from the start: no
    row is ingested or counted twice. Returns None when another run moved the
    cursor first (a redelivered message running alongside this one)."""
    job = IngestJob.objects.select_for_update().get(pk=job_id)
    if job.state != IngestJob.State.RUNNING:
        return job
    if job.processed != first:
        return None
    ingest = article_ingest
    submitted_by = job.created_by
    errors: list[dict] = []
    for row in rows:
        error = row.error
        if row.fields is not None:
            try:
                _, created = ingest(**row.fields, origin="ui", job=job, submitted_by=submitted_by)
            except ApplicationError as exc:
                error = exc.message
            else:
                if created:
                    job.new += 1
                else:
                    job.duplicate += 1
                continue
        job.failed += 1
        errors.append({"line": row.line, "error": error})
    job.processed = first + len(rows)
    job.errors = (job.errors + errors)[:200]
    fields = ["processed", "new", "duplicate", "failed", "errors"]
    IngestRow.objects.filter(job_id=job_id, position__lt=job.processed).delete()
    if job.processed >= job.total:
        job.state = IngestJob.State.DONE
        job.finished_at = timezone.now()
        fields += ["state", "finished_at"]
    job.save(update_fields=fields)
    return job


def ingest_job_fail(*, job_id: int, message: str) -> IngestJob:
    """Stop a job for good with the reason; its unread rows are dropped (the
    articles already read stay, and a new upload of the file skips them as duplicates)."""
    with transaction.atomic():
        job = IngestJob.objects.select_for_update().get(pk=job_id)
        if job.state == IngestJob.State.RUNNING:
            job.state = IngestJob.State.FAILED
            job.error = message[:2000]
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "finished_at"])
        IngestRow.objects.filter(job_id=job_id).delete()
    return job


@transaction.atomic
def _ingest_rows_lost(*, job_id: int, cursor: int) -> IngestJob | None:
    """Fail the job if the row at its cursor is really gone; checked with the job
    locked, since a concurrent delivery moves the cursor and deletes the rows it
    read under that lock. None when the cursor has moved (nothing is lost)."""
    job = IngestJob.objects.select_for_update().get(pk=job_id)
    if job.state != IngestJob.State.RUNNING or job.processed != cursor:
        return None
    if IngestRow.objects.filter(job_id=job_id, position=cursor).exists():
        return None
    return ingest_job_fail(
        job_id=job_id, message="سطرهای این بارگذاری دیگر در دسترس نیست؛ پرونده را دوباره بارگذاری کنید."
    )


def ingest_job_process(
    *,
    job_id: int,
    max_rows: int | None = None,
    time_budget: float | None = None,
    batch_size: int | None = None,
) -> IngestJob:
    """Read an upload's rows into articles (origin "ui", submitted by the uploader),
    a batch at a time, counting new, duplicate and failed rows as it goes.

    Idempotent and resumable: it starts at the job's cursor, so a second run of a
    finished job changes nothing and a run after an interruption goes on where
    the last committed batch ended. It returns once the job is done, or early
    (state still running) after ``max_rows`` rows or when ``time_budget``
    seconds have passed, so the caller can continue in a fresh task.

    Deliberately not one transaction: each batch commits on its own, so the
    progress page sees the counters move and a failure loses one batch at most."""
    started = time.monotonic()
    batch_size = batch_size or INGEST_BATCH
    read = 0
    while True:
        job = IngestJob.objects.filter(pk=job_id).first()
        if job is None:
            raise NotFound(f"بارگذاری شمارهٔ {job_id} پیدا نشد.")
        if job.state != IngestJob.State.RUNNING:
            return job
        if job.processed >= job.total:
            # Nothing left to read (an upload of zero rows never gets here).
            return _ingest_batch(job_id=job_id, first=job.processed, rows=[]) or job
        if max_rows is not None and read >= max_rows:
            return job
        if read and time_budget is not None and time.monotonic() - started >= time_budget:
            return job  # after one batch at least, so every run moves the cursor
        size = batch_size if max_rows is None else min(batch_size, max_rows - read)
        stored = list(
            IngestRow.objects.filter(job_id=job_id, position__gte=job.processed).order_by("position")[:size]
        )
        if not stored or stored[0].position != job.processed:
            lost = _ingest_rows_lost(job_id=job_id, cursor=job.processed)
            if lost is not None:
                return lost
            continue  # another delivery read those rows meanwhile: start from its cursor
        # Only a contiguous run from the cursor, so the cursor never skips a row.
        first = job.processed
        stored = [row for n, row in enumerate(stored) if row.position == first + n]
        prepared = [_prepare_row(row) for row in stored]
        with extraction_batches():  # queued on the batch's commit, a batch at a time
            done = _ingest_batch(job_id=job_id, first=job.processed, rows=prepared)
        if done is not None:
            read += len(prepared)
