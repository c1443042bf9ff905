"""Manage and poll RSS/Atom feeds by hand.

    python manage.py feeds add URL [--publisher NAME]
    python manage.py feeds list
    python manage.py feeds poll [FEED_ID ...]      # in this process, now

Beat polls every active feed on the schedule ``setup_schedules`` writes; this
command is for adding feeds and for watching one poll happen.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.normalize import normalize_key
from claims.models import Feed, Source
from claims.selectors.sources import alias_table
from claims.services.errors import ApplicationError
from claims.services.feeds import feed_add, feed_poll


class Command(BaseCommand):
    help = "Add, list or poll RSS/Atom feeds."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a feed")
        add.add_argument("url")
        add.add_argument("--publisher", default="", help="registry name, alias or slug")
        add.add_argument("--title", default="")
        sub.add_parser("list", help="list feeds and their last poll")
        poll = sub.add_parser("poll", help="poll feeds now, in this process")
        poll.add_argument("ids", nargs="*", type=int, help="feed ids (default: every active feed)")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _add(self, *, url: str, publisher: str, title: str, **_) -> None:
        source = None
        if publisher:
            source_id = alias_table().get(normalize_key(publisher))
            source = Source.objects.filter(pk=source_id).first() if source_id else None
            source = source or Source.objects.filter(slug=publisher).first()
            if source is None:
                raise CommandError(f"Unknown publisher {publisher!r}: add it to the source registry first.")
        try:
            feed, created = feed_add(url=url, publisher=source, title=title)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{'added' if created else 'already there'}: #{feed.pk} {feed.url}")

    def _list(self, **_) -> None:
        for feed in Feed.objects.select_related("publisher").order_by("pk"):
            state = "active" if feed.active else "inactive"
            polled = feed.last_polled_at.isoformat() if feed.last_polled_at else "never"
            error = f"  error: {feed.last_error.splitlines()[0]}" if feed.last_error else ""
            self.stdout.write(f"#{feed.pk} [{state}] {feed.url}  polled: {polled}{error}")

    def _poll(self, *, ids: list[int], **_) -> None:
        feeds = Feed.objects.filter(pk__in=ids) if ids else Feed.objects.filter(active=True)
        for feed in feeds.order_by("pk"):
            result = feed_poll(feed_id=feed.pk)
            line = (
                f"#{feed.pk} {feed.url}: new {result.new}, duplicate {result.duplicate}, "
                f"seen {result.seen}, failed {result.failed}"
                + (", not modified" if result.not_modified else "")
            )
            self.stdout.write(line)
            if result.error:
                self.stderr.write(f"  {result.error}")
