"""Ingest articles from files, directories, JSONL, standard input or a URL.

    python manage.py ingest article.txt more/ batch.jsonl
    cat batch.jsonl | python manage.py ingest -
    python manage.py ingest --url https://example.org/news/1

JSONL lines are objects with "text" and optionally "title", "url", "publisher"
(a registry name, alias or slug) and "published" (ISO date or date-time).
Plain files are one article each and must be UTF-8; binary files, invalid UTF-8,
empty or whitespace-only texts, and texts over INGEST_MAX_CHARS (1,000,000
characters unless set) are refused with the reason. With a broker configured,
the command waits (up to --timeout seconds) for the workers to extract what it
queued, so the summary can count attributions; --no-wait skips that.

Input is streamed: a JSONL file or standard input is read one line at a time and
nothing is kept per row, so memory stays flat whatever the file's size. A bad row
(invalid JSON, nesting deeper than 32 levels, a field of the wrong type, a NUL or
other control character, an unusable URL) gets a numbered error line on standard
error (``error: batch.jsonl:17: ...``) and the command goes on with the next row;
it exits with status 1 after the summary when any row failed. The wait for the
workers counts the batch's unfinished articles (one indexed count a turn).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, reset_queries
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

from claims.extraction.normalize import normalize_key
from claims.models import Article, ArticleState, Attribution, IngestJob, Source
from claims.selectors.sources import alias_table
from claims.services.articles import (
    article_ingest,
    decode_text_bytes,
    extraction_batches,
    ingest_batch_close,
    ingest_batch_open,
)
from claims.services.errors import ApplicationError, InvalidInput
from claims.validation import JSON_MAX_DEPTH, JSONTooDeep, json_loads

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KEPT_ERRORS = 50
PENDING = (ArticleState.QUEUED, ArticleState.PROCESSING)


@dataclass
class Item:
    label: str
    text: str | None = None
    title: str = ""
    url: str | None = None
    publisher: str = ""
    published: str = ""
    error: str = ""


@dataclass
class Summary:
    rows: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # the first KEPT_ERRORS only


def _parse_published(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"تاریخ انتشار «{value}» قالب ISO ندارد.") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _max_line_bytes() -> int:
    # A JSON row holds one article: its text (UTF-8, at most four bytes a character,
    # \u escapes at most six) and a few short fields.
    return int(settings.INGEST_MAX_CHARS) * 6 + 64 * 1024


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, number) for each line of a binary stream, reading at most ``limit`` bytes at a
    time: an over-long line is skipped to its end and given as (None, number)."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drop the rest of the line without holding it
                rest = handle.readline(1024 * 1024)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None, number
            continue
        yield line, number


def _string_field(data: dict, name: str, *, where: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"فیلد «{name}» باید رشته باشد، نه {type(value).__name__}.")
    return value


def _jsonl_item(line: bytes, where: str) -> Item:
    try:
        decoded = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Item(label=where, error=f"سطر UTF-8 معتبر نیست (بایت {exc.start}).")
    if not decoded.strip():
        return Item(label=where, error="")  # a blank line: skipped by the caller
    try:
        data = json_loads(decoded)
    except JSONTooDeep:
        return Item(label=where, error=f"JSON بیش از {JSON_MAX_DEPTH} لایه تودرتو است.")
    except ValueError as exc:
        return Item(label=where, error=f"JSON نامعتبر: {getattr(exc, 'msg', exc)}")
    if not isinstance(data, dict):
        return Item(label=where, error="هر سطر باید یک شیء JSON باشد.")
    try:
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            raise InvalidInput(f"فیلد «text» باید رشته باشد، نه {type(text).__name__}.")
        return Item(
            label=where,
            text=text,
            title=_string_field(data, "title", where=where),
            url=_string_field(data, "url", where=where) or None,
            publisher=_string_field(data, "publisher", where=where),
            published=_string_field(data, "published", where=where),
        )
    except InvalidInput as exc:
        return Item(label=where, error=exc.message)


def _jsonl_items(handle: IO[bytes], label: str) -> Iterator[Item]:
    for line, number in _lines(handle, _max_line_bytes()):
        where = f"{label}:{number}"
        if line is None:
            yield Item(label=where, error="سطر از سقف اندازهٔ یک خبر بلندتر است.")
            continue
        if not line.strip():
            continue
        item = _jsonl_item(line, where)
        if item.error or item.text is not None or item.url is not None:
            yield item
        else:
            yield Item(label=where, error="سطر نه «text» دارد نه «url».")


def _text_item(data: bytes, label: str, name: str) -> Item:
    try:
        text = decode_text_bytes(data, name=name)
    except ApplicationError as exc:
        return Item(label=label, error=exc.message)
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return Item(label=label, text=text, title=first if len(first) <= 200 else "")


def _read_bounded(handle: IO[bytes], first: bytes = b"") -> bytes:
    """The rest of a one-article stream, but never more than one byte past the limit
    (enough for ``decode_text_bytes`` to refuse it by size)."""
    limit = int(settings.INGEST_MAX_CHARS) * 4 + 1
    return first + handle.read(max(0, limit - len(first)))


def _file_items(path: Path) -> Iterator[Item]:
    label = str(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        with path.open("rb") as handle:
            yield from _jsonl_items(handle, label)
        return
    with path.open("rb") as handle:
        yield _text_item(_read_bounded(handle), label, path.name)


def _stdin_items(stdin) -> Iterator[Item]:
    handle = stdin.buffer if hasattr(stdin, "buffer") else None
    if handle is None:  # a text stream (tests): it is small
        import io

        handle = io.BytesIO(stdin.read().encode("utf-8"))
    first = handle.readline(_max_line_bytes() + 1)
    while first and not first.strip():
        first = handle.readline(_max_line_bytes() + 1)
    if first.lstrip().lstrip(b"\xef\xbb\xbf")[:1] == b"{":
        yield from _jsonl_items(_Prepended(first, handle), "stdin")
        return
    yield _text_item(_read_bounded(handle, first), "stdin", "stdin")


class _Prepended:
    """A binary stream with one line already read put back in front."""

    def __init__(self, first: bytes, rest: IO[bytes]) -> None:
        self.first, self.rest = first, rest

    def readline(self, limit: int = -1) -> bytes:
        if self.first:
            line, self.first = self.first, b""
            return line
        return self.rest.readline(limit)


def _path_items(raw: str, stdin) -> Iterator[Item]:
    if raw == "-":
        yield from _stdin_items(stdin)
        return
    path = Path(raw)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield from _file_items(child)
    elif path.is_file():
        yield from _file_items(path)
    else:
        yield Item(label=raw, error="چنین پرونده یا پوشه‌ای نیست.")


def _all_items(urls: Iterable[str], paths: Iterable[str], stdin) -> Iterator[Item]:
    for url in urls:
        yield Item(label=url, url=url)
    for raw in paths:
        yield from _path_items(raw, stdin)


class Command(BaseCommand):
    help = "Ingest articles from text files, directories, JSONL, stdin (-) or a URL (--url)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="text files, directories, .jsonl files, or - for stdin")
        parser.add_argument("--url", action="append", default=[], help="fetch and ingest a page")
        parser.add_argument("--publisher", default="", help="registry name, alias or slug of the publisher")
        parser.add_argument("--no-wait", action="store_true", help="do not wait for extraction")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for extraction")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, paths: list[str], url: list[str], publisher: str, **options) -> None:
        if not paths and not url:
            raise CommandError("Give at least one PATH, - for stdin, or --url URL.")
        self._aliases = alias_table()
        self._publishers: dict[str, Source | None] = {}
        default_publisher = self._publisher(publisher) if publisher else None
        if publisher and default_publisher is None:
            raise CommandError(f"Unknown publisher {publisher!r}: add it to the source registry first.")

        job = ingest_batch_open(label="manage.py ingest " + " ".join([*url, *paths]))
        summary = Summary()
        bar = tqdm(desc="ingest", unit="article", disable=options["no_progress"], file=sys.stderr)
        with extraction_batches():  # the workers get the articles a batch at a time
            for item in _all_items(url, paths, sys.stdin):
                self._ingest(item, default_publisher, summary, job)
                reset_queries()  # with DEBUG on, Django would keep every query of the batch
                bar.update(1)
                bar.set_postfix(new=summary.new, dup=summary.duplicate, failed=summary.failed, refresh=False)
        bar.close()
        ingest_batch_close(
            job=job,
            total=summary.rows,
            new=summary.new,
            duplicate=summary.duplicate,
            failed=summary.failed,
            errors=[{"line": line} for line in summary.errors],
        )

        if summary.new and not options["no_wait"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            self._wait(job, summary.new, options["timeout"], options["no_progress"])
        self._report(job, summary)
        if summary.failed:
            raise CommandError(f"{summary.failed} of {summary.rows} rows failed (see the error lines above).")

    def _publisher(self, name: str) -> Source | None:
        if name not in self._publishers:
            source_id = self._aliases.get(normalize_key(name))
            found = Source.objects.filter(pk=source_id).first() if source_id else None
            self._publishers[name] = found or Source.objects.filter(slug=name).first()
        return self._publishers[name]

    def _fail(self, summary: Summary, label: str, message: str) -> None:
        summary.failed += 1
        line = f"{label}: {message}"
        self.stderr.write(f"error: {line}")
        if len(summary.errors) < KEPT_ERRORS:
            summary.errors.append(line)

    def _ingest(self, item: Item, default_publisher: Source | None, summary: Summary, job: IngestJob) -> None:
        summary.rows += 1
        if item.error:
            self._fail(summary, item.label, item.error)
            return
        try:
            publisher = self._publisher(item.publisher) if item.publisher else default_publisher
            _article, created = article_ingest(
                text=item.text,
                url=item.url,
                title=item.title,
                publisher=publisher,
                published_at=_parse_published(item.published),
                origin=Article.Origin.URL if item.text is None else Article.Origin.TEXT,
                job=job,
            )
        except ApplicationError as exc:
            self._fail(summary, item.label, exc.message)
            return
        except (DatabaseError, ValueError, TypeError) as exc:
            # Not a refusal the service foresaw: still this row's error, not the batch's end.
            self._fail(summary, item.label, f"{type(exc).__name__}: {str(exc)[:300]}")
            return
        if created:
            summary.new += 1
        else:
            summary.duplicate += 1

    def _wait(self, job: IngestJob, total: int, timeout: float, quiet: bool) -> None:
        deadline = time.monotonic() + timeout
        bar = tqdm(total=total, desc="extract", unit="article", disable=quiet, file=sys.stderr)
        finished = 0
        while time.monotonic() < deadline:
            left = Article.objects.filter(job=job, state__in=PENDING).count()
            bar.update(total - left - finished)
            finished = total - left
            if not left:
                break
            time.sleep(0.5)
        bar.close()
        if finished < total:
            self.stderr.write(
                f"{total - finished} articles still waiting for a worker after {timeout:g}s "
                "(is `make worker` running?)"
            )

    def _report(self, job: IngestJob, summary: Summary) -> None:
        states: dict[str, Any] = dict(
            Article.objects.filter(job=job)
            .order_by()
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        found = Attribution.objects.filter(article__job=job).count()
        if summary.failed > len(summary.errors):
            self.stderr.write(f"  ({summary.failed} failed rows in all; the error lines above list each)")
        extracted = states.get(ArticleState.DONE, 0)
        failed_extraction = states.get(ArticleState.FAILED, 0)
        waiting = states.get(ArticleState.QUEUED, 0) + states.get(ArticleState.PROCESSING, 0)
        self.stdout.write(
            f"new: {summary.new}  duplicate: {summary.duplicate}  failed: {summary.failed}  "
            f"attributions: {found}"
        )
        self.stdout.write(
            f"extraction of new articles: done {extracted}, failed {failed_extraction}, waiting {waiting}"
        )
