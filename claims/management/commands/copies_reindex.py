"""Re-index the held articles for wire-copy detection after the comparison changed.

    python manage.py copies_reindex [--batch-size 500]

Each article that is not itself a copy gets the MinHash signature and LSH bands of the
current ``claims.services.copy_match`` words and ``claims.services.copies`` bands, so
that a copy ingested later finds it. Copies stay copies; running it again changes
nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.copies import articles_copies_reindex


class Command(BaseCommand):
    help = "Recompute the wire-copy signatures and bands of the held original articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        count = articles_copies_reindex(batch_size=max(1, batch_size))
        self.stdout.write(f"re-indexed {count} articles")
