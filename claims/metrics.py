"""The product's own Prometheus metrics, beside django-prometheus's request metrics.

Collected when scraped: articles by processing state (one GROUP BY on an indexed
column, cached for a few seconds so a scraper cannot turn it into load), the depth
of every Celery queue the product uses, and the task counts and durations that
workers record in ``claims.observability``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from claims.observability import DURATION_BUCKETS, task_metrics

logger = logging.getLogger(__name__)

ARTICLE_STATES_CACHE_KEY = "metrics:articles-by-state"
ARTICLE_STATES_CACHE_SECONDS = 10


def queue_names() -> list[str]:
    names = ["celery"]
    ingest = getattr(settings, "INGEST_QUEUE", "") or ""
    if ingest and ingest not in names:
        names.append(ingest)
    return names


def queue_depths() -> dict[str, int] | None:
    """Messages waiting per queue on a Redis broker; None when there is no broker to ask."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith(
        ("redis://", "rediss://")
    ):
        return None
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1)
    return {name: int(client.llen(name)) for name in queue_names()}


def articles_by_state() -> dict[str, int]:
    from claims.selectors.ops import article_counts_by_state

    counts = cache.get(ARTICLE_STATES_CACHE_KEY)
    if counts is None:
        counts = article_counts_by_state()
        cache.set(ARTICLE_STATES_CACHE_KEY, counts, ARTICLE_STATES_CACHE_SECONDS)
    return counts


class FactcheckCollector(Collector):
    def describe(self):
        # Without describe(), registering would run collect() (database queries) at start-up.
        return []

    def collect(self):
        try:
            states = articles_by_state()
        except Exception:  # a scrape during a database outage still reports the rest
            logger.warning("articles by state not collected", exc_info=True)
        else:
            family = GaugeMetricFamily(
                "factcheck_articles", "Articles held, by processing state", labels=["state"]
            )
            for state, count in sorted(states.items()):
                family.add_metric([state], count)
            yield family

        try:
            depths = queue_depths()
        except Exception:
            logger.warning("queue depth not collected", exc_info=True)
            depths = None
        if depths is not None:
            family = GaugeMetricFamily(
                "factcheck_queue_depth", "Messages waiting in a Celery queue", labels=["queue"]
            )
            for name, depth in depths.items():
                family.add_metric([name], depth)
            yield family

        try:
            snapshot = task_metrics().snapshot()
        except Exception:
            logger.warning("task metrics not collected", exc_info=True)
            return
        counts = CounterMetricFamily(
            "factcheck_tasks", "Celery tasks finished, by task and outcome", labels=["task", "outcome"]
        )
        for (name, outcome), count in sorted(snapshot["counts"].items()):
            counts.add_metric([name, outcome], count)
        yield counts
        durations = HistogramMetricFamily(
            "factcheck_task_duration_seconds", "Celery task run time", labels=["task"]
        )
        for name, entry in sorted(snapshot["durations"].items()):
            cumulative, buckets = 0, []
            for bound, count in zip((*DURATION_BUCKETS, float("inf")), entry["buckets"], strict=True):
                cumulative += count
                buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
            durations.add_metric([name], buckets, entry["sum"])
        yield durations


_registered = False


def register() -> None:
    """Once per process (AppConfig.ready)."""
    global _registered
    if not _registered:
        REGISTRY.register(FactcheckCollector())
        _registered = True
