from pathlib import Path

from django.core.management.base import BaseCommand

from claims.services.sources import DEFAULT_SOURCES_FILE, sources_load


class Command(BaseCommand):
    help = "Load or update the source registry from its versioned data file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SOURCES_FILE))

    def handle(self, *args, path: str, **options):
        created, aliases = sources_load(path=Path(path))
        self.stdout.write(self.style.SUCCESS(f"Sources created: {created}, aliases added: {aliases}"))
