"""Reliability with real parts: PostgreSQL, Redis and real Celery worker processes.

Under CI=true a missing PostgreSQL or Redis fails these tests; elsewhere they are
skipped. Each test uses its own queue name, and every wait is bounded."""

from __future__ import annotations

import collections
import contextlib

import psycopg
import pytest
from django.db import connection

from claims.extraction import extract
from claims.models import Article, ArticleState, Attribution
from claims.selectors.sources import alias_table
from claims.services.articles import article_ingest

from .helpers import article_page, gold_texts, rss_feed, wait_for
from .workers import TCPProxy, WorkerPool, database_url, wait_for_backends_to_leave

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pool(require_postgres, redis_url, settings, tmp_path, registry):
    pool = WorkerPool(broker_url=redis_url, db_settings=dict(connection.settings_dict), folder=tmp_path)
    # Everything the code under test queues goes to this test's own queue.
    settings.INGEST_QUEUE = pool.queue
    from factcheck.celery import app

    with contextlib.suppress(KeyError):  # read the settings, not an earlier test's value
        del app.conf.changes["task_always_eager"]
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
        assert wait_for(lambda: _lock_waiters(database) >= 1, timeout=60), worker_a.tail()
        worker_a.kill()  # SIGKILL to the whole process group: parent and pool child
    finally:
        blocker.rollback()
        blocker.close()
    done_before = Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count()
    assert done_before < len(ids)

    # Past the visibility timeout, the unacked message is delivered again.
    assert pool.wait_until_redeliverable(), pool.held_deliveries()
    worker_b = pool.start("b")
    finished = wait_for(
        lambda: Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count() == len(ids), timeout=120
    )
    assert finished, worker_b.tail()
    _assert_extracted_exactly_once(ids)
    # The task worker A died holding was delivered again and run by worker B.
    held = f"{{'article': {ids[0]}, 'state': 'done'"
    assert held not in worker_a.text()
    assert worker_b.wait_for_log(held, timeout=60), worker_b.tail()


def test_batches_of_articles_on_two_real_workers(pool):
    from claims.services.articles import extraction_batches

    with extraction_batches(size=5):
        ids = _ingest_distinct(17)
    workers = [pool.start("batch-a"), pool.start("batch-b")]
    finished = wait_for(
        lambda: (
            Article.objects.filter(pk__in=ids, state=ArticleState.DONE, matched_at__isnull=False).count()
            == len(ids)
        ),
        timeout=120,
    )
    assert finished, [w.tail() for w in workers]
    _assert_extracted_exactly_once(ids)
    logs = "".join(w.text() for w in workers)
    # Three batches of five and one of two, each one message; nothing sent one by one.
    assert logs.count("claims.extract_articles[") >= 4, [w.tail() for w in workers]
    assert "claims.extract_article[" not in logs


def test_database_down_during_extraction_retries_until_it_returns(pool):
    db = connection.settings_dict
    proxy = TCPProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)))
    proxy.up()
    worker = pool.start("db", db_port=proxy.port)
    proxy.down()
    try:
        ids = _ingest_distinct(5)
        retried = wait_for(lambda: "Retry in" in worker.text(), timeout=90)
        assert retried, worker.tail()
        assert "OperationalError" in worker.text()
        assert not Article.objects.filter(pk__in=ids, state=ArticleState.DONE).exists()
    finally:
        proxy.up()
    finished = wait_for(
        lambda: Article.objects.filter(pk__in=ids, state=ArticleState.DONE).count() == len(ids), timeout=120
    )
    assert finished, worker.tail()
    _assert_extracted_exactly_once(ids)
    proxy.down()


def test_feed_polled_by_a_worker_ingests_persian_items_once(pool, http_server):
    from claims.models import Feed, FeedEntry
    from claims.tasks import poll_all_feeds

    rows = gold_texts(4)[1:4]
    items = []
    for n, row in enumerate(rows):
        http_server.add(f"/news/{n}", article_page(f"خبر {n}", row["text"]))
        paragraphs = "".join(f"<p>{line}</p>" for line in row["text"].split("\n"))
        items.append({"title": f"خبر {n}", "link": http_server.url(f"/news/{n}"), "description": paragraphs})
    http_server.add("/rss", rss_feed(items), content_type="application/rss+xml; charset=utf-8")
    feed = Feed.objects.create(url=http_server.url("/rss"))
    Feed.objects.create(url=http_server.url("/inactive"), active=False)

    worker = pool.start("feeds")
    poll_all_feeds.apply_async(queue=pool.queue)  # beat's entry point, run by the worker
    assert wait_for(
        lambda: Article.objects.filter(feed=feed, state=ArticleState.DONE).count() == len(rows), timeout=120
    ), worker.tail()
    poll_all_feeds.apply_async(queue=pool.queue)
    assert wait_for(lambda: worker.text().count("claims.poll_feed[") >= 4, timeout=60), worker.tail()
    assert Article.objects.filter(feed=feed).count() == len(rows)
    assert FeedEntry.objects.filter(feed=feed).count() == len(rows)
    assert not http_server.hits("/inactive")
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_polled_at is not None


def test_ingest_command_with_bad_files_on_a_real_worker(pool, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    folder = tmp_path / "batch"
    folder.mkdir()
    for n, row in enumerate(gold_texts(3)):
        (folder / f"{n}.txt").write_text(row["text"], encoding="utf-8")
    (folder / "script.html").write_text(
        "<script>fetch('/steal')</script><p>" + gold_texts(5)[4]["text"] + "</p>", encoding="utf-8"
    )
    (folder / "bad-utf8.txt").write_bytes("خبر".encode() + b"\xc3\x28\xff")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (folder / "huge.txt").write_bytes(b"a" * (20 * 1024 * 1024))

    worker = pool.start("cmd")
    out, err = io.StringIO(), io.StringIO()
    # Failed files end the run with status 1, after every other file went in and the summary.
    with pytest.raises(CommandError) as failed:
        call_command("ingest", str(folder), "--no-progress", "--timeout", "120", stdout=out, stderr=err)
    assert failed.value.returncode == 1
    report = (out.getvalue(), err.getvalue(), worker.tail())
    assert "new: 4  duplicate: 0  failed: 4" in out.getvalue(), report
    assert "done 4, failed 0, waiting 0" in out.getvalue()
    for name in ("bad-utf8.txt", "blob.bin", "blank.txt", "huge.txt"):
        assert name in err.getvalue()
    assert Article.objects.count() == 4
    stored = Article.objects.get(text__startswith="<script>")
    assert stored.text.startswith("<script>fetch('/steal')</script>")
    _assert_extracted_exactly_once(list(Article.objects.values_list("pk", flat=True)))
    # The worker kept its database connection after its tasks (Celery alone would
    # close it after every task and open a new one for the next).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        assert cursor.fetchone()[0] >= 1
