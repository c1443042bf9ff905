from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.services.errors import InvalidInput
from claims.services.registry import registry_load


class Command(BaseCommand):
    help = (
        "Load or update the source registry (idempotent; editors' own edits win). With no "
        "file: the shipped claims/data/sources.json and every claims/data/registry/*.json. "
        "With --wikidata FILE: entities in Wikidata's JSON format (one per line, or the "
        "dump's array; plain or .bz2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="registry JSON files (default: the shipped registry)")
        parser.add_argument("--wikidata", metavar="FILE", help="Wikidata JSON entities to import")

    def handle(self, *args, paths: list[str], wikidata: str | None, **options):
        try:
            if wikidata:
                from claims.services.wikidata import wikidata_load

                result = wikidata_load(path=Path(wikidata))
            else:
                result = registry_load(paths=[Path(p) for p in paths] if paths else None)
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
