"""Reliability with real parts: PostgreSQL, Redis and real Celery worker processes.

Under CI=true a missing PostgreSQL or Redis fails these tests; elsewhere they are
skipped. Each test uses its own queue name, and every wait is bounded."""

from __future__ import annotations

import collections
import time

import psycopg
import pytest
from django.db import connection

from claims.extraction import extract
from claims.models import Article, ArticleState, Attribution
from claims.selectors.sources import alias_table
from claims.services.articles import article_ingest

from .helpers import gold_texts, wait_for
from .workers import TCPProxy, WorkerPool, database_url, wait_for_backends_to_leave

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pool(require_postgres, redis_url, settings, tmp_path, registry):
    pool = WorkerPool(broker_url=redis_url, db_settings=dict(connection.settings_dict), folder=tmp_path)
    # Everything the code under test queues goes to this test's own queue.
    settings.INGEST_QUEUE = pool.queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield pool
    pool.stop_all()
    import redis

    redis.Redis.from_url(redis_url).delete(pool.queue)
    with connection.cursor() as cursor:
        wait_for_backends_to_leave(cursor, connection.settings_dict["NAME"])


def _ingest_distinct(count: int) -> list[int]:
    texts = [row["text"] for row in gold_texts()]
    ids = []
    for n in range(count):
        article, created = article_ingest(text=f"نسخهٔ {n + 1}\n{texts[n % len(texts)]}")
        assert created
        ids.append(article.pk)
    return ids


def _assert_extracted_exactly_once(ids: list[int]) -> None:
    aliases = alias_table()
    for article in Article.objects.filter(pk__in=ids):
        assert article.state == ArticleState.DONE, (article.pk, article.state, article.error)
        rows = list(
            Attribution.objects.filter(article=article).values_list(
                "source_start", "cue_start", "content_start", "content_end"
            )
        )
        duplicates = [key for key, n in collections.Counter(rows).items() if n > 1]
        assert not duplicates, f"article {article.pk} has duplicate attributions {duplicates}"
        assert len(rows) == len(extract(article.text, aliases=aliases)), article.pk


def _lock_waiters(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        )
        return cursor.fetchone()[0]


def test_sigkill_worker_holding_a_task_then_another_worker_finishes_everything(pool):
    ids = _ingest_distinct(24)
    database = connection.settings_dict["NAME"]
    # Hold the first article's row so worker A is provably inside that task when killed.
    blocker = psycopg.connect(database_url(connection.settings_dict).replace("postgres://", "postgresql://"))
    blocker.execute("SELECT id FROM claims_article WHERE id = %s FOR UPDATE", [ids[0]])
    try:
        worker_a = pool.start("a")
        assert wait_for(lambda: _lock_waiters(database) >= 1, timeout=30), worker_a.tail()
        worker_a.kill()  # SIGKILL to the whole process group: parent and pool child
    finally:
        blocker.rollback()
        blocker.close()
    done_before = Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count()
    assert done_before < len(ids)

    # Past the visibility timeout, the unacked message is delivered again.
    time.sleep(pool.visibility_timeout + 1)
    worker_b = pool.start("b")
    finished = wait_for(
        lambda: Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count() == len(ids), timeout=90
    )
    assert finished, worker_b.tail()
    _assert_extracted_exactly_once(ids)
    # The task worker A died holding was delivered again and run by worker B.
    held = f"{{'article': {ids[0]}, 'state': 'done'"
    assert held not in worker_a.text()
    assert held in worker_b.text(), worker_b.tail()


def test_database_down_during_extraction_retries_until_it_returns(pool):
    db = connection.settings_dict
    proxy = TCPProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)))
    proxy.up()
    worker = pool.start("db", db_port=proxy.port)
    proxy.down()
    try:
        ids = _ingest_distinct(5)
        retried = wait_for(lambda: "Retry in" in worker.text(), timeout=45)
        assert retried, worker.tail()
        assert "OperationalError" in worker.text()
        assert not Article.objects.filter(pk__in=ids, state=ArticleState.DONE).exists()
    finally:
        proxy.up()
    finished = wait_for(
        lambda: Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count() == len(ids), timeout=90
    )
    assert finished, worker.tail()
    _assert_extracted_exactly_once(ids)
    proxy.down()
