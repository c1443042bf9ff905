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
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

from claims.extraction.normalize import normalize_key
from claims.models import Article, ArticleState, Attribution, Source
from claims.selectors.sources import alias_table
from claims.services.articles import article_ingest, decode_text_bytes
from claims.services.errors import ApplicationError, InvalidInput

JSONL_SUFFIXES = {".jsonl", ".ndjson"}


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
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    new_ids: list[int] = field(default_factory=list)
    all_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


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


def _jsonl_items(lines: Iterator[str], label: str) -> Iterator[Item]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(label=where, error=f"JSON نامعتبر: {exc.msg}")
            continue
        if not isinstance(data, dict):
            yield Item(label=where, error="هر سطر باید یک شیء JSON باشد.")
            continue
        yield Item(
            label=where,
            text=data.get("text"),
            title=str(data.get("title") or ""),
            url=data.get("url") or None,
            publisher=str(data.get("publisher") or ""),
            published=str(data.get("published") or ""),
        )


def _file_items(path: Path) -> Iterator[Item]:
    label = str(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open(encoding="utf-8-sig") as handle:
                yield from _jsonl_items(handle, label)
        except UnicodeDecodeError as exc:
            yield Item(label=label, error=f"پرونده UTF-8 معتبر نیست (بایت {exc.start}).")
        return
    try:
        text = decode_text_bytes(path.read_bytes(), name=path.name)
    except ApplicationError as exc:
        yield Item(label=label, error=exc.message)
        return
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    yield Item(label=label, text=text, title=first if len(first) <= 200 else "")


def _path_items(raw: str, stdin) -> Iterator[Item]:
    if raw == "-":
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8")
        if data.lstrip()[:1] == b"{":
            try:
                lines = data.decode("utf-8-sig").splitlines()
            except UnicodeDecodeError as exc:
                yield Item(label="stdin", error=f"ورودی UTF-8 معتبر نیست (بایت {exc.start}).")
                return
            yield from _jsonl_items(iter(lines), "stdin")
            return
        try:
            yield Item(label="stdin", text=decode_text_bytes(data, name="stdin"))
        except ApplicationError as exc:
            yield Item(label="stdin", error=exc.message)
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

        items: list[Item] = [Item(label=u, url=u) for u in url]
        for raw in paths:
            items.extend(_path_items(raw, sys.stdin))

        summary = Summary()
        bar = tqdm(items, desc="ingest", unit="article", disable=options["no_progress"], file=sys.stderr)
        for item in bar:
            self._ingest(item, default_publisher, summary)
            bar.set_postfix(new=summary.new, dup=summary.duplicate, failed=summary.failed, refresh=False)
        bar.close()

        if summary.new_ids and not options["no_wait"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            self._wait(summary.new_ids, options["timeout"], options["no_progress"])
        self._report(summary)

    def _publisher(self, name: str) -> Source | None:
        if name not in self._publishers:
            source_id = self._aliases.get(normalize_key(name))
            found = Source.objects.filter(pk=source_id).first() if source_id else None
            self._publishers[name] = found or Source.objects.filter(slug=name).first()
        return self._publishers[name]

    def _ingest(self, item: Item, default_publisher: Source | None, summary: Summary) -> None:
        if item.error:
            summary.failed += 1
            summary.errors.append(f"{item.label}: {item.error}")
            return
        try:
            publisher = self._publisher(item.publisher) if item.publisher else default_publisher
            article, created = article_ingest(
                text=item.text,
                url=item.url,
                title=item.title,
                publisher=publisher,
                published_at=_parse_published(item.published),
                origin=Article.Origin.URL if item.text is None else Article.Origin.TEXT,
            )
        except ApplicationError as exc:
            summary.failed += 1
            summary.errors.append(f"{item.label}: {exc.message}")
            return
        summary.all_ids.append(article.pk)
        if created:
            summary.new += 1
            summary.new_ids.append(article.pk)
        else:
            summary.duplicate += 1

    def _wait(self, ids: list[int], timeout: float, quiet: bool) -> None:
        pending_states = (ArticleState.QUEUED, ArticleState.PROCESSING)
        deadline = time.monotonic() + timeout
        bar = tqdm(total=len(ids), desc="extract", unit="article", disable=quiet, file=sys.stderr)
        finished = 0
        while time.monotonic() < deadline:
            left = Article.objects.filter(pk__in=ids, state__in=pending_states).count()
            bar.update(len(ids) - left - finished)
            finished = len(ids) - left
            if not left:
                break
            time.sleep(0.5)
        bar.close()
        if finished < len(ids):
            self.stderr.write(
                f"{len(ids) - finished} articles still waiting for a worker after {timeout:g}s "
                "(is `make worker` running?)"
            )

    def _report(self, summary: Summary) -> None:
        ids = summary.all_ids
        states = dict(
            Article.objects.filter(pk__in=summary.new_ids)
            .order_by()
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        found = Attribution.objects.filter(article_id__in=ids).count()
        for line in summary.errors[:50]:
            self.stderr.write(f"  failed: {line}")
        if len(summary.errors) > 50:
            self.stderr.write(f"  ... and {len(summary.errors) - 50} more")
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
