"""Give stored articles the title and publisher they were ingested without.

    python manage.py name_articles [--dry-run]

New articles are named at ingest; this backfills the ones stored before, from
each article's own headline and credit line or its URL's host. An editor's
title or publisher is never replaced, so running it again changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.article_names import articles_name_backfill


class Command(BaseCommand):
    help = "Infer missing article titles and publishers from their text and URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        result = articles_name_backfill(batch_size=max(1, batch_size), dry_run=dry_run)
        verb = "would name" if dry_run else "named"
        self.stdout.write(
            f"{result.seen} articles without a title or publisher; "
            f"{verb} {result.titled} titles and {result.published} publishers"
        )
