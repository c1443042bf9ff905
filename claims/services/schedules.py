"""The periodic tasks of the ingestion pipeline, stored for django-celery-beat."""

from __future__ import annotations

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from claims.services.errors import InvalidInput

FEED_POLL_TASK = "claims.poll_all_feeds"
STALE_SWEEP_TASK = "claims.requeue_stale_articles"


def _every(minutes: int) -> IntervalSchedule:
    if minutes < 1:
        raise InvalidInput("the interval must be at least one minute")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=minutes, period=IntervalSchedule.MINUTES)
    return schedule


@transaction.atomic
def schedules_ensure(*, feed_minutes: int = 10, sweep_minutes: int = 5) -> list[PeriodicTask]:
    """Create or update the feed poll and the stale-article sweep (idempotent by name)."""
    tasks = []
    for name, task, minutes in (
        ("Poll all active feeds", FEED_POLL_TASK, feed_minutes),
        ("Requeue stale articles", STALE_SWEEP_TASK, sweep_minutes),
    ):
        periodic, _ = PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "interval": _every(minutes), "enabled": True}
        )
        tasks.append(periodic)
    return tasks
