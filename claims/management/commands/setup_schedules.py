"""Create (or update) the Celery beat schedule of the ingestion pipeline.

    python manage.py setup_schedules [--feed-minutes 10] [--sweep-minutes 5]

Idempotent: it writes django-celery-beat ``PeriodicTask`` rows by name, so
running it again after a deploy only changes the intervals. Run beat with
``make beat`` (DatabaseScheduler) to act on them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.services.schedules import schedules_ensure


class Command(BaseCommand):
    help = "Create or update the periodic tasks: feed polling and the stale-article sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed-minutes", type=int, default=10, help="minutes between feed polls")
        parser.add_argument("--sweep-minutes", type=int, default=5, help="minutes between stale sweeps")

    def handle(self, *args, feed_minutes: int, sweep_minutes: int, **options) -> None:
        for task in schedules_ensure(feed_minutes=feed_minutes, sweep_minutes=sweep_minutes):
            self.stdout.write(f"{task.name}: {task.task} every {task.interval}")
