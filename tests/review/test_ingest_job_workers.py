"""An upload read by real Celery workers on PostgreSQL and Redis: a worker killed
half-way through, and another one finishing the job with every row counted once.

Under CI=true a missing PostgreSQL or Redis fails this test; elsewhere it is skipped."""

from __future__ import annotations

import contextlib

import psycopg
import pytest
from django.db import connection

from claims import models as m
from claims.services import ingest_jobs as ingest_svc
from claims.services.articles import content_hash
from tests.factories import ArticleFactory
from tests.ingestion.helpers import wait_for
from tests.ingestion.workers import WorkerPool, database_url, wait_for_backends_to_leave

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pool(require_postgres, redis_url, settings, tmp_path, registry):
    pool = WorkerPool(broker_url=redis_url, db_settings=dict(connection.settings_dict), folder=tmp_path)
    settings.INGEST_QUEUE = pool.queue  # everything the upload queues goes to this test's queue
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


def _lock_waiters(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        )
        return cursor.fetchone()[0]


def test_worker_killed_half_way_through_an_upload_then_another_finishes_it_exactly(pool, editor):
    publisher = m.Source.objects.filter(kind="news_agency").order_by("pk").first()
    records = [
        ingest_svc.UploadRecord(
            line=n + 1,
            text=f"سخنگوی شمارهٔ {n} گفت که خبر {n} درست است.",
            publisher=publisher.name_fa if n == 30 else "",
        )
        for n in range(60)
    ]
    job = ingest_svc.ingest_job_start(
        filename="batch.jsonl", records=records, actor=editor
    )  # queued on commit
    database = connection.settings_dict["NAME"]
    # Another transaction holds an uncommitted article with row 31's content hash, so
    # worker A's insert of row 31 waits on the unique index: provably inside the second
    # batch, with rows 26-30 written in its open transaction, when it is killed. (A lock
    # on a foreign key would not do: PostgreSQL checks Django's deferred foreign keys at
    # COMMIT, which the server completes even after the client has died.)
    template = ArticleFactory(text="خبر نمونه برای قفل", url=None)
    columns = [
        f.column
        for f in m.Article._meta.concrete_fields
        if f.column not in {"id", "content_hash"} and not f.generated  # the database computes those
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    blocker = psycopg.connect(database_url(connection.settings_dict).replace("postgres://", "postgresql://"))
    blocker.execute(
        f"INSERT INTO claims_article ({listed}, content_hash) "  # noqa: S608  (column names from the model)
        f"SELECT {listed}, %s FROM claims_article WHERE id = %s",
        [content_hash(records[30].text), template.pk],
    )
    try:
        worker_a = pool.start("a")
        assert wait_for(lambda: _lock_waiters(database) >= 1, timeout=60), worker_a.tail()
        job.refresh_from_db()
        assert (job.processed, job.new, job.state) == (
            ingest_svc.INGEST_BATCH,
            ingest_svc.INGEST_BATCH,
            "running",
        )
        worker_a.kill()  # SIGKILL to the whole process group: parent and pool child
    finally:
        blocker.rollback()
        blocker.close()
    # rows 26-31, written in the killed worker's open transaction, are gone with it
    assert m.Article.objects.filter(job=job).count() == ingest_svc.INGEST_BATCH

    # Past the visibility timeout, the unacked message is delivered again.
    assert pool.wait_until_redeliverable(), pool.held_deliveries()
    worker_b = pool.start("b")
    finished = wait_for(lambda: m.IngestJob.objects.get(pk=job.pk).state != "running", timeout=120)
    assert finished, worker_b.tail()
    job.refresh_from_db()
    assert (job.state, job.total, job.processed, job.new, job.duplicate, job.failed) == (
        "done",
        60,
        60,
        60,
        0,
        0,
    )
    assert m.Article.objects.filter(job=job).count() == 60
    assert m.Article.objects.get(job=job, publisher=publisher).text.startswith("سخنگوی شمارهٔ 30 ")
    assert not m.IngestRow.objects.filter(job=job).exists()
    assert worker_b.wait_for_log(f"'job': {job.pk}, 'state': 'done'", timeout=60), worker_b.tail()
