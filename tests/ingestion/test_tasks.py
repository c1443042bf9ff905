"""The Celery tasks: names, late acks, retries of transient errors, no retries of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from claims import tasks
from claims.models import Article, ArticleState
from claims.services import articles as article_services
from claims.services.articles import article_ingest
from claims.services.fetch import FetchTransient

pytestmark = pytest.mark.django_db

TEXT = "سخنگوی وزارت امور خارجه گفت که گفتگوها با آژانس ادامه دارد."


def test_tasks_are_named_late_acking_and_retry_transient_errors():
    for task, name in (
        (tasks.extract_article, "claims.extract_article"),
        (tasks.ingest_url, "claims.ingest_url"),
        (tasks.poll_feed, "claims.poll_feed"),
        (tasks.poll_all_feeds, "claims.poll_all_feeds"),
        (tasks.requeue_stale_articles, "claims.requeue_stale_articles"),
    ):
        assert task.name == name
        assert task.acks_late is True
    extract = tasks.extract_article
    for error in (OperationalError, BrokerError, FetchTransient):
        assert issubclass(error, extract.autoretry_for)
    assert extract.retry_backoff and extract.retry_jitter
    assert extract.retry_backoff_max <= 600 and extract.max_retries


def test_ingest_runs_extraction_in_process_when_eager(eager, registry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article, _ = article_ingest(text=TEXT)
    article.refresh_from_db()
    assert article.state == ArticleState.DONE
    assert article.attributions.count() >= 1


def test_transient_database_error_is_retried_then_succeeds(eager, registry, monkeypatch):
    article, _ = article_ingest(text=TEXT)
    real = article_services.article_extract
    calls = {"n": 0}

    def flaky(*, article_id):
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real(article_id=article_id)

    monkeypatch.setattr(tasks, "article_extract", flaky)
    # Eager retries re-apply in-process; propagating would stop at the first Retry.
    eager.CELERY_TASK_EAGER_PROPAGATES = False
    result = tasks.extract_article.apply(args=(article.pk,))
    assert result.successful(), result.traceback
    assert calls["n"] == 3
    article.refresh_from_db()
    assert article.state == ArticleState.DONE


def test_bad_input_fails_once_and_is_recorded_not_retried(eager, registry, monkeypatch):
    article, _ = article_ingest(text=TEXT)
    calls = {"n": 0}
    real = article_services.load_extractor

    def broken_loader():
        calls["n"] += 1
        extractor = real()

        def explode(text, **kwargs):
            raise ValueError("unparseable input")

        return article_services.Extractor(
            extract=explode, version=extractor.version, too_large=extractor.too_large
        )

    monkeypatch.setattr(article_services, "load_extractor", broken_loader)
    result = tasks.extract_article.apply(args=(article.pk,))
    assert result.successful()
    assert result.result["state"] == ArticleState.FAILED
    assert calls["n"] == 1
    article.refresh_from_db()
    assert article.state == ArticleState.FAILED and "unparseable input" in article.error


def test_broker_down_at_ingest_keeps_the_article_for_the_sweep(settings, monkeypatch, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.extract_article, "apply_async", refuse)
    # The ingest itself commits; queueing fails after commit and is only logged.
    article, created = article_ingest(text=TEXT)
    article_services._queue_extraction(article.pk)
    assert created and Article.objects.filter(pk=article.pk, state=ArticleState.QUEUED).exists()
    assert "stale sweep" in caplog.text


def test_stale_sweep_requeues_lost_articles(eager, registry, monkeypatch):
    old, _ = article_ingest(text=TEXT)
    article_ingest(text="۲ " + TEXT)  # recent: left alone
    Article.objects.filter(pk=old.pk).update(ingested_at=timezone.now() - dt.timedelta(hours=1))
    sent: list[int] = []
    monkeypatch.setattr(tasks.extract_article, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert tasks.requeue_stale_articles.apply().get() == 1
    assert sent == [old.pk]


def test_ingest_url_reports_unfetchable_pages_without_retrying(eager, http_server):
    url = http_server.add("/gone", "gone", status=404, content_type="text/plain")
    result = tasks.ingest_url.apply(args=(url,)).get()
    assert "404" in result["error"]
    assert len(http_server.hits("/gone")) == 1
    assert not Article.objects.exists()


def test_poll_all_feeds_sends_one_poll_per_active_feed(monkeypatch):
    from claims.models import Feed

    active = Feed.objects.create(url="http://feeds.example.invalid/a")
    Feed.objects.create(url="http://feeds.example.invalid/b", active=False)
    sent: list[int] = []
    monkeypatch.setattr(tasks.poll_feed, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert tasks.poll_all_feeds.apply().get() == 1
    assert sent == [active.pk]
