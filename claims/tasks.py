"""Celery tasks of the ingestion pipeline.

Thin by design: each takes ids (or a URL), calls one service and returns a small
JSON-able summary. The services are idempotent, so a redelivered message (a
worker killed while holding it, ``acks_late``) does no harm. Transient trouble
(database or broker unavailable, a fetch timing out) is retried with exponential
backoff, jitter and a cap; input that cannot succeed is recorded, not retried.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_prerun
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from claims.services.articles import article_extract, article_ingest, articles_extract
from claims.services.errors import ApplicationError, NotFound
from claims.services.feeds import feed_poll
from claims.services.fetch import FetchTransient
from claims.services.ingest_jobs import ingest_job_enqueue, ingest_job_fail, ingest_job_process

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, FetchTransient)

RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,  # 2, 4, 8 ... seconds, each drawn with full jitter
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 12,
    "acks_late": True,
}


@task_prerun.connect
def _keep_healthy_db_connections(task=None, **kwargs) -> None:
    """Per task, what Django does per request: drop a connection that errored, is
    past CONN_MAX_AGE or fails its health check, and keep a healthy one. (Celery's
    own fixup would close every connection around every task; CELERY_DB_REUSE_MAX
    in the settings turns that off.) Never for eager tasks: they run inside the
    caller's transaction, which this would close."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()


# An article queued or processing for longer than this is sent to a worker again.
STALE_AFTER = dt.timedelta(minutes=15)
STALE_MAX_ATTEMPTS = 5


@shared_task(name="claims.extract_article", **RETRY)
def extract_article(article_id: int) -> dict:
    article = article_extract(article_id=article_id)
    return {"article": article.pk, "state": article.state, "version": article.extractor_version}


@shared_task(name="claims.extract_articles", **RETRY)
def extract_articles(article_ids: list[int]) -> dict:
    """A batch of articles queued together by a door that ingests many
    (``extraction_batches``): extracted in one transaction, then matched and grouped."""
    articles = articles_extract(article_ids=list(article_ids))
    return {"articles": [{"article": a.pk, "state": a.state} for a in articles]}


@shared_task(name="claims.ingest_url", **RETRY)
def ingest_url(url: str, publisher_id: int | None = None, submitted_by_id: int | None = None) -> dict:
    """Fetch one page and ingest it. A page that cannot become an article (404,
    not HTML, too large, no text) is reported in the result and not retried."""
    from django.contrib.auth import get_user_model

    from claims.models import Article, Source

    publisher = Source.objects.filter(pk=publisher_id).first() if publisher_id else None
    user = get_user_model().objects.filter(pk=submitted_by_id).first() if submitted_by_id else None
    try:
        article, created = article_ingest(
            url=url, publisher=publisher, origin=Article.Origin.URL, submitted_by=user
        )
    except ApplicationError as exc:
        if isinstance(exc, FetchTransient):
            raise
        logger.warning("ingest_url %s refused: %s", url, exc.message)
        return {"url": url, "error": exc.message, "code": exc.code}
    return {"url": url, "article": article.pk, "created": created}


FETCH_MAX_RETRIES = 4


@shared_task(
    name="claims.fetch_article_url",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, BrokerError),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=12,
    # Its own limits, below the global ones: one page, however slow or hostile the site.
    soft_time_limit=settings.FETCH_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.FETCH_TASK_TIME_LIMIT,
)
def fetch_article_url(self, article_id: int) -> dict:
    """Fetch a URL submission's page (desk or API) and queue its extraction. A site
    that keeps timing out is tried FETCH_MAX_RETRIES times, then recorded as failed."""
    from claims.services.url_submissions import article_fetch, article_fetch_failed

    try:
        article = article_fetch(article_id=article_id)
    except SoftTimeLimitExceeded:
        article_fetch_failed(article_id=article_id, message="دریافت صفحه بیش از اندازهٔ مجاز طول کشید.")
        return {"article": article_id, "state": "failed", "error": "time limit"}
    except FetchTransient as exc:
        # In-process (no broker) there is no later to retry in: record the failure now.
        if self.request.is_eager or self.request.retries >= FETCH_MAX_RETRIES:
            article_fetch_failed(article_id=article_id, message=exc.message)
            return {"article": article_id, "state": "failed", "error": exc.message}
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
    except ApplicationError as exc:
        article_fetch_failed(article_id=article_id, message=exc.message)
        return {"article": article_id, "state": "failed", "error": exc.message}
    if article is None:
        return {"article": article_id, "state": "gone"}
    return {"article": article.pk, "state": article.state}


# One run of an upload's task reads rows for about this long, then hands the rest
# to a fresh message: well inside CELERY_TASK_SOFT_TIME_LIMIT (a batch may still
# fetch a slow URL) and the broker's visibility timeout.
INGEST_JOB_TIME_BUDGET = 60.0


@shared_task(name="claims.process_ingest_job", **RETRY)
def process_ingest_job(job_id: int) -> dict:
    """Read an uploaded file's stored rows into articles. Resumable: a redelivered
    or repeated message starts at the job's cursor, and a finished job is left
    alone. Input errors are counted per row by the service; anything else that
    is not transient stops the job as failed, with the reason shown to the editor."""
    try:
        job = ingest_job_process(job_id=job_id, time_budget=INGEST_JOB_TIME_BUDGET)
    except NotFound:
        return {"job": job_id, "state": "missing"}
    except TRANSIENT:
        raise
    except SoftTimeLimitExceeded:
        # The batch in hand was rolled back whole; carry on from the cursor.
        ingest_job_enqueue(job_id=job_id)
        return {"job": job_id, "state": "continued"}
    except Exception as exc:
        logger.exception("ingest job %s failed", job_id)
        job = ingest_job_fail(
            job_id=job_id, message=f"خواندن پرونده با خطای پیش‌بینی‌نشده متوقف شد: {type(exc).__name__}"
        )
    if job.state == job.State.RUNNING:
        ingest_job_enqueue(job_id=job_id)
    return {"job": job.pk, "state": job.state, "processed": job.processed, "total": job.total}


@shared_task(name="claims.poll_feed", **{**RETRY, "max_retries": 3})
def poll_feed(feed_id: int) -> dict:
    return feed_poll(feed_id=feed_id).as_dict()


@shared_task(name="claims.import_claimreview_url", **{**RETRY, "max_retries": 3})
def import_claimreview_url(url: str) -> dict:
    """Other fact-checkers' ClaimReview from a page, a JSON file or a feed at ``url``."""
    from claims.services.claimreview_import import claimreview_import_url

    try:
        return claimreview_import_url(url=url).as_dict()
    except ApplicationError as exc:
        if isinstance(exc, FetchTransient):
            raise
        logger.warning("ClaimReview import of %s failed: %s", url, exc.message)
        return {"error": exc.message}


@shared_task(name="claims.poll_all_feeds", acks_late=True)
def poll_all_feeds() -> int:
    """Beat's entry point: one ``poll_feed`` per active feed."""
    from claims.models import Feed

    ids = list(Feed.objects.filter(active=True).values_list("id", flat=True))
    for feed_id in ids:
        poll_feed.apply_async((feed_id,), queue=getattr(settings, "INGEST_QUEUE", None) or None)
    return len(ids)


@shared_task(name="claims.requeue_stale_articles", acks_late=True)
def requeue_stale_articles() -> int:
    """Send again the articles whose extraction message was lost (broker down at
    ingest time, a worker gone before acking). Extraction is idempotent."""
    from claims.selectors.articles import stale_article_ids, stale_fetching_ids, unmatched_article_ids
    from claims.services.url_submissions import article_fetch_enqueue

    older_than = timezone.now() - STALE_AFTER
    ids = stale_article_ids(older_than=older_than, max_attempts=STALE_MAX_ATTEMPTS)
    ids += unmatched_article_ids(older_than=older_than)  # extract_article finishes the match
    for article_id in ids:
        extract_article.apply_async((article_id,), queue=getattr(settings, "INGEST_QUEUE", None) or None)
    fetching = stale_fetching_ids(older_than=timezone.now() - STALE_AFTER)
    for article_id in fetching:
        article_fetch_enqueue(article_id)
    return len(ids) + len(fetching)
