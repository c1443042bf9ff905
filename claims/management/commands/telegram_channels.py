"""Watch public Telegram channels through their preview pages (t.me/s/NAME).

    python manage.py telegram_channels add NAME [--publisher NAME]
    python manage.py telegram_channels list
    python manage.py telegram_channels poll [NAME ...]     # in this process, now

A watched channel is a feed of kind "telegram": beat polls it with the RSS feeds
(``setup_schedules``), each post is ingested once, and a poll's trouble is kept in
the channel's ``last_error``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Feed
from claims.selectors.sources import source_for_name
from claims.services.errors import ApplicationError
from claims.services.feeds import feed_poll
from claims.services.telegram import channel_add, channel_from_url


class Command(BaseCommand):
    help = "Add, list or poll public Telegram channels."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="watch a channel")
        add.add_argument("channel", help="the channel's public name, @name or https://t.me/name")
        add.add_argument("--publisher", default="", help="registry name or alias (default: the channel's)")
        sub.add_parser("list", help="list watched channels and their last poll")
        poll = sub.add_parser("poll", help="poll channels now, in this process")
        poll.add_argument("channels", nargs="*", help="channel names (default: every active channel)")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _add(self, *, channel: str, publisher: str, **_) -> None:
        source = None
        if publisher:
            source = source_for_name(publisher)
            if source is None:
                raise CommandError(f"Unknown publisher {publisher!r}: add it to the source registry first.")
        try:
            feed, created = channel_add(channel=channel, publisher=source)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{'added' if created else 'already there'}: #{feed.pk} {feed.url}")

    def _channels(self):
        return Feed.objects.filter(kind=Feed.Kind.TELEGRAM).select_related("publisher").order_by("pk")

    def _list(self, **_) -> None:
        for feed in self._channels():
            polled = feed.last_polled_at.isoformat() if feed.last_polled_at else "never"
            error = f"  error: {feed.last_error.splitlines()[0]}" if feed.last_error else ""
            publisher = feed.publisher.name_fa if feed.publisher else "-"
            self.stdout.write(
                f"#{feed.pk} {channel_from_url(feed.url)} ({publisher})  polled: {polled}{error}"
            )

    def _poll(self, *, channels: list[str], **_) -> None:
        feeds = list(self._channels().filter(active=True))
        if channels:
            wanted = {c.lstrip("@").lower() for c in channels}
            feeds = [f for f in feeds if channel_from_url(f.url).lower() in wanted]
        failed = 0
        for feed in feeds:
            result = feed_poll(feed_id=feed.pk)
            failed += bool(result.error)
            line = (
                f"{channel_from_url(feed.url)}: new {result.new}, duplicate {result.duplicate}, "
                f"seen {result.seen}, failed {result.failed}"
            )
            self.stdout.write(line + (f"\n  error: {result.error}" if result.error else ""))
        if failed:
            raise CommandError(f"{failed} channels reported errors")
