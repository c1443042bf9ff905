"""The queue of source names the registry does not know, as editors see it.

    python manage.py unknown_sources                          # the queue as it stands
    python manage.py unknown_sources dev.jsonl heldout.jsonl  # ingest, extract, then show it
    python manage.py unknown_sources --top 50 --json ...

Each FILE is JSON Lines with a "text" (and optionally "published", an ISO date)
per line, like the gold and held-out files. Every text is stored as an article
(a text already stored is not stored twice) and extracted here, in this
process, so the queue is complete when the command prints it: one line per
name, with all its appearances counted together, its other written forms, the
suggested kind and, where one fits, the suggested existing entry.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from claims.models import Source
from claims.selectors.review import source_candidates
from claims.services.articles import article_extract, article_ingest
from claims.services.errors import ApplicationError


def _published(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))


class Command(BaseCommand):
    help = (
        "Show the unknown-source queue (names the registry does not know), after ingesting "
        "and extracting the texts of the given JSONL files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help='JSONL files with a "text" per line')
        parser.add_argument("--top", type=int, default=20, help="how many names to show (default 20)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="one JSON object per name")

    def handle(self, *args, paths: list[str], top: int, as_json: bool, **options) -> None:
        if top < 1:
            raise CommandError("--top must be at least 1.")
        if not Source.objects.exists():
            raise CommandError("The registry is empty: run `python manage.py load_sources` first.")
        stored = 0
        for path in paths:
            stored += self._ingest(Path(path))
        if paths:
            self.stderr.write(f"{stored} texts stored and extracted")
        for rank, candidate in enumerate(source_candidates()[:top], 1):
            forms = [f.text for f in candidate.forms]
            row = {
                "rank": rank,
                "text": candidate.text,
                "appearances": candidate.total,
                "forms": forms,
                "suggested_kind": candidate.suggested_kind,
                "suggested_source": candidate.suggested_source.slug if candidate.suggested_source else None,
            }
            if as_json:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
                continue
            extra = f"  (also: {'، '.join(forms)})" if forms else ""
            hint = f"  → {row['suggested_source']}" if row["suggested_source"] else ""
            self.stdout.write(
                f"{rank:3d}. {candidate.text}  ×{candidate.total}  [{candidate.suggested_kind}]{hint}{extra}"
            )

    def _ingest(self, path: Path) -> int:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read ({exc})") from exc
        n = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise CommandError(f"{path}:{number}: not JSON ({exc})") from exc
            text = row.get("text") if isinstance(row, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise CommandError(f'{path}:{number}: no "text"')
            try:
                article, _ = article_ingest(text=text, published_at=_published(row.get("published")))
            except ApplicationError as exc:
                raise CommandError(f"{path}:{number}: {exc.message}") from exc
            article_extract(article_id=article.pk)
            n += 1
        return n
