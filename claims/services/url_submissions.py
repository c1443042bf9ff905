"""URL submissions fetched off the request path (the desk's form and the partner API).

The article is stored at once, in state ``fetching`` with no text, and answered
(202 / a redirect to its page); the ``claims.fetch_article_url`` task fetches the
page through the SSRF guard with its own time limits and hands the text to
extraction. A slow or hostile site holds a worker for at most those limits, never
a web request."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Article, ArticleState, Source
from claims.services.articles import _queue_extraction, content_hash, validate_text
from claims.services.errors import InvalidInput

logger = logging.getLogger(__name__)


def _url_placeholder_hash(url: str) -> str:
    # Never a text's hash (those are of normalised text, which has no NUL).
    return hashlib.sha256(b"url\x00" + url.encode("utf-8")).hexdigest()


def article_fetch_enqueue(article_id: int) -> None:
    from claims.services.dispatch import task

    queue = getattr(settings, "INGEST_QUEUE", None) or None
    try:
        # The limits travel with the message (read now, so a deployment's settings apply).
        task("claims.fetch_article_url").apply_async(
            (article_id,),
            queue=queue,
            soft_time_limit=settings.FETCH_TASK_SOFT_TIME_LIMIT,
            time_limit=settings.FETCH_TASK_TIME_LIMIT,
        )
    except Exception:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("could not queue the fetch of article %s; the stale sweep will retry", article_id)


def article_url_submit(
    *,
    url: str,
    title: str = "",
    publisher: Source | None = None,
    published_at: dt.datetime | None = None,
    origin: str = Article.Origin.URL,
    submitted_by: Any = None,
) -> tuple[Article, bool]:
    """Accept a URL at once and fetch it in a task; return ``(article, created)``.

    The new article is ``fetching`` with no text until the task has the page, so
    a slow or hostile site holds a worker's time limit, never a web request. A
    URL already known returns that article with ``created=False``; one that points
    at an internal address is refused here, before anything is stored."""
    from claims.services.fetch import check_fetch_url

    url = (url or "").strip()
    if len(url) > 2000 or not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("نشانی خبر باید با http:// یا https:// آغاز شود و از ۲۰۰۰ نویسه کوتاه‌تر باشد.")
    check_fetch_url(url)
    existing = Article.objects.filter(url=url).first()
    if existing is not None:
        return existing, False
    if published_at is not None and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                text="",
                title=(title or "").strip()[:500],
                url=url,
                publisher=publisher,
                published_at=published_at,
                content_hash=_url_placeholder_hash(url),
                state=ArticleState.FETCHING,
                origin=origin,
                submitted_by=submitted_by,
            )
            transaction.on_commit(lambda: article_fetch_enqueue(article.pk))
    except IntegrityError:
        existing = Article.objects.filter(url=url).first()
        if existing is None:
            raise
        return existing, False
    return article, True


def article_fetch(*, article_id: int) -> Article | None:
    """The task's work: fetch a ``fetching`` article's page and queue its extraction.

    Idempotent: an article no longer fetching is left alone. The fetch runs with no
    transaction open. Transient errors are raised for the task to retry; any
    other failure leaves the article ``failed`` with the reason."""
    from claims.services.fetch import fetch_article

    article = Article.objects.filter(pk=article_id, state=ArticleState.FETCHING).first()
    if article is None:
        return None
    page = fetch_article(url=article.url)
    text = validate_text(page.text)
    digest = content_hash(text)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None or article.state != ArticleState.FETCHING:
            return article
        if Article.objects.filter(content_hash=digest).exclude(pk=article_id).exists():
            article.state = ArticleState.FAILED
            article.error = "متن این صفحه پیش‌تر با نشانی دیگری دریافت شده است."
            article.save(update_fields=["state", "error"])
            return article
        article.text = text
        article.content_hash = digest
        article.title = article.title or (page.title or "").strip()[:500]
        article.published_at = article.published_at or page.published_at
        article.state = ArticleState.QUEUED
        article.error = ""
        article.save(update_fields=["text", "content_hash", "title", "published_at", "state", "error"])
        transaction.on_commit(lambda: _queue_extraction(article_id))
    return article


def article_fetch_failed(*, article_id: int, message: str) -> None:
    Article.objects.filter(pk=article_id, state=ArticleState.FETCHING).update(
        state=ArticleState.FAILED, error=message[:2000]
    )
