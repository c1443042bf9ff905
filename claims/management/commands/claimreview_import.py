"""Import other fact-checkers' reviews (schema.org ClaimReview).

    python manage.py claimreview_import FILE_OR_URL [FILE_OR_URL ...]

A file or URL may be an HTML page with ClaimReview JSON-LD, a JSON file of
ClaimReview items (a list, an ItemList, a @graph or a DataFeed), or an RSS/Atom
feed whose items link to such pages. Imported reviews are kept apart from the
desk's own verdicts; importing again updates them in place.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.claimreview_import import claimreview_import, claimreview_import_url
from claims.services.errors import ApplicationError


class Command(BaseCommand):
    help = "Import ClaimReview fact-checks of other organisations from files or URLs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", help="files or http(s) URLs")

    def handle(self, *args, inputs: list[str], **options) -> None:
        failed = 0
        for item in inputs:
            try:
                if item.startswith(("http://", "https://")):
                    result = claimreview_import_url(url=item)
                else:
                    path = Path(item)
                    if not path.is_file():
                        raise CommandError(f"{item}: no such file")
                    result = claimreview_import(data=path.read_bytes(), source_url=path.name)
            except ApplicationError as exc:
                failed += 1
                self.stderr.write(f"{item}: {exc.message}")
                continue
            for error in result.errors:
                self.stderr.write(f"{item}: {error}")
            failed += bool(result.failed)
            self.stdout.write(
                f"{item}: found {result.found}  new {result.new}  updated {result.updated}  "
                f"unchanged {result.unchanged}  failed {result.failed}"
            )
        if failed:
            raise CommandError(f"{failed} inputs had reviews that could not be imported")
