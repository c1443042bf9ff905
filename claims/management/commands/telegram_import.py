"""Import a Telegram Desktop channel export (Export chat history, JSON).

    python manage.py telegram_import result.json [--channel NAME]

Each post with text becomes an article: the post's date, the channel as publisher
(through the registry), https://t.me/NAME/ID as URL, and a forwarded post's
origin channel as its relay. Importing the same export again adds nothing.
``--channel`` gives the channel's public name, which the export does not hold;
without it posts link to https://t.me/c/<channel id>/<post id>.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services.errors import ApplicationError
from claims.services.telegram import TelegramImportResult, telegram_export_import


class Command(BaseCommand):
    help = "Import a Telegram Desktop channel export (result.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the export's result.json, or - for standard input")
        parser.add_argument("--channel", default=None, help="the channel's public name (t.me/NAME)")

    def handle(self, *args, path: str, channel: str | None, **options) -> None:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path}: no such file")
            data = file.read_bytes()
        last = [0]

        def progress(result: TelegramImportResult) -> None:
            if result.posts - last[0] >= 50:
                last[0] = result.posts
                self.stderr.write(f"  {result.posts} posts read, {result.new} new")

        try:
            result = telegram_export_import(data=data, channel=channel, progress=progress)
        except ApplicationError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        for error in result.errors:
            self.stderr.write(f"error: {error}")
        self.stdout.write(
            f"posts: {result.posts}  new: {result.new}  duplicate: {result.duplicate}  "
            f"failed: {result.failed}  skipped (service messages): {result.skipped_service}  "
            f"skipped (no text): {result.skipped_no_text}"
        )
        if result.failed:
            raise CommandError(f"{result.failed} posts could not be imported (see the errors above)")
