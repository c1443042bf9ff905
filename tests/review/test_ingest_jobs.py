"""Uploads from the desk read in the background: the ``claims.process_ingest_job``
task and the ``ingest_job_process`` service behind it (counters, resuming after an
interruption, repeat runs, failure, queueing)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

from claims import models as m
from claims import tasks
from claims.services import articles as article_services
from claims.services import ingest_jobs as ingest_svc
from claims.services.fetch import FetchFailed, Page

pytestmark = pytest.mark.django_db


def _records(count: int, *, start: int = 0) -> list[ingest_svc.UploadRecord]:
    return [
        ingest_svc.UploadRecord(
            line=n + 1, text=f"سخنگوی شمارهٔ {n} گفت که خبر {n} درست است.", title=f"خبر {n}"
        )
        for n in range(start, start + count)
    ]


def _start(editor, records, *, queue: bool = False) -> m.IngestJob:
    """An accepted upload; without ``queue`` no task is sent (no worker has taken it yet)."""
    if queue:
        return ingest_svc.ingest_job_start(filename="batch.jsonl", records=records, actor=editor)
    with mock.patch.object(ingest_svc, "ingest_job_enqueue"):
        return ingest_svc.ingest_job_start(filename="batch.jsonl", records=records, actor=editor)


def _snapshot(job: m.IngestJob) -> tuple:
    job.refresh_from_db()
    return (job.state, job.processed, job.new, job.duplicate, job.failed, job.errors)


def test_task_is_named_late_acking_and_retries_transient_errors():
    task = tasks.process_ingest_job
    assert task.name == "claims.process_ingest_job"
    assert task.acks_late is True
    assert issubclass(OperationalError, task.autoretry_for)
    assert task.retry_backoff and task.max_retries


def test_upload_stores_rows_in_the_database_and_queues_the_task_on_commit(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_QUEUE = "ingest-test"
    with mock.patch.object(tasks.process_ingest_job, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = ingest_svc.ingest_job_start(filename="batch.jsonl", records=_records(3), actor=editor)
        send.assert_not_called()  # not before the rows are committed
        for callback in callbacks:
            callback()
    send.assert_called_once_with((job.pk,), queue="ingest-test")
    rows = list(job.rows.order_by("position"))
    assert [(r.position, r.line) for r in rows] == [(0, 1), (1, 2), (2, 3)]
    assert rows[0].record["text"] == "سخنگوی شمارهٔ 0 گفت که خبر 0 درست است."
    assert (job.total, job.processed, job.state) == (3, 0, "running")


def test_default_queue_when_ingest_queue_is_unset(editor, settings):
    settings.INGEST_QUEUE = ""
    with mock.patch.object(tasks.process_ingest_job, "apply_async") as send:
        ingest_svc.ingest_job_enqueue(job_id=7)
    send.assert_called_once_with((7,), queue=None)


def test_task_processes_a_job_to_done_with_correct_counters(
    editor, eager, registry, django_capture_on_commit_callbacks
):
    records = [
        *_records(30),
        ingest_svc.UploadRecord(line=31, text=""),  # a line that was not JSON
        ingest_svc.UploadRecord(line=32, text="سخنگوی شمارهٔ 0 گفت که خبر 0 درست است."),  # same text again
        ingest_svc.UploadRecord(line=33, text="سخنگو گفت که آمار تازه است.", published="فردا"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(editor, records, queue=True)
    state, processed, new, duplicate, failed, errors = _snapshot(job)
    assert (state, processed, new, duplicate, failed) == ("done", 33, 30, 1, 2)
    assert [e["line"] for e in errors] == [31, 33]
    assert "تاریخ" in errors[1]["error"]
    assert job.finished_at is not None and job.error == ""
    assert not m.IngestRow.objects.exists()
    articles = m.Article.objects.filter(job=job)
    assert articles.count() == 30
    assert set(articles.values_list("origin", "submitted_by", "state").distinct()) == {
        ("ui", editor.pk, "done")
    }


def test_a_second_run_changes_nothing(editor, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(editor, _records(12), queue=True)
    before = _snapshot(job)
    assert before[0] == "done"
    with (
        mock.patch.object(ingest_svc, "article_ingest") as ingest,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        result = tasks.process_ingest_job.apply(args=(job.pk,)).get()
    ingest.assert_not_called()
    assert callbacks == []  # nothing extracted or queued again
    assert result["state"] == "done"
    assert _snapshot(job) == before
    assert m.Article.objects.count() == 12


def test_job_stopped_half_way_finishes_without_duplicates(editor, eager, django_capture_on_commit_callbacks):
    job = _start(editor, _records(40))
    with django_capture_on_commit_callbacks(execute=True):
        ingest_svc.ingest_job_process(job_id=job.pk, max_rows=17, batch_size=5)
    assert _snapshot(job)[:5] == ("running", 17, 17, 0, 0)
    assert m.IngestRow.objects.filter(job=job).count() == 23  # read rows are gone
    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_ingest_job.delay(job.pk)
    assert _snapshot(job)[:5] == ("done", 40, 40, 0, 0)
    assert m.Article.objects.filter(job=job).count() == 40
    assert m.Article.objects.values("content_hash").distinct().count() == 40


def test_worker_dying_mid_batch_loses_the_batch_whole_and_the_rerun_counts_it_once(
    editor, eager, django_capture_on_commit_callbacks, monkeypatch
):
    job = _start(editor, _records(20))
    real = article_services.article_ingest
    calls = {"n": 0}

    def dies_on_the_eighth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 8:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(ingest_svc, "article_ingest", dies_on_the_eighth)
    with pytest.raises(OperationalError), django_capture_on_commit_callbacks(execute=True):
        ingest_svc.ingest_job_process(job_id=job.pk, batch_size=5)
    # rows 1-5 committed; rows 6 and 7 of the broken batch were rolled back with it
    assert _snapshot(job)[:5] == ("running", 5, 5, 0, 0)
    assert m.Article.objects.filter(job=job).count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_ingest_job.delay(job.pk)  # the redelivered message
    assert _snapshot(job)[:5] == ("done", 20, 20, 0, 0)
    assert m.Article.objects.filter(job=job).count() == 20


def test_transient_error_is_retried_and_the_job_still_finishes_exactly(
    editor, eager, django_capture_on_commit_callbacks, monkeypatch
):
    job = _start(editor, _records(8))
    real = article_services.article_ingest
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OperationalError("could not connect to server")
        return real(**kwargs)

    monkeypatch.setattr(ingest_svc, "article_ingest", flaky)
    monkeypatch.setattr(ingest_svc, "INGEST_BATCH", 5)
    eager.CELERY_TASK_EAGER_PROPAGATES = False  # eager retries re-apply in-process
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.process_ingest_job.apply(args=(job.pk,))
    assert result.successful(), result.traceback
    assert calls["n"] == 3 + 8  # the broken batch was read again from its first row
    assert _snapshot(job)[:5] == ("done", 8, 8, 0, 0)
    assert m.Article.objects.filter(job=job).count() == 8


def test_a_stale_run_does_not_read_rows_another_run_has_read(editor, eager):
    job = _start(editor, _records(6))
    ingest_svc.ingest_job_process(job_id=job.pk, max_rows=3)
    # a second delivery that prepared rows 0-2 before the first one committed them
    prepared = [ingest_svc._PreparedRow(position=n, line=n + 1, fields={"text": "متن"}) for n in range(3)]
    assert ingest_svc._ingest_batch(job_id=job.pk, first=0, rows=prepared) is None
    # nor does it take rows 0-2 missing (read and deleted by the other run) as lost
    assert ingest_svc._ingest_rows_lost(job_id=job.pk, cursor=0) is None
    assert _snapshot(job)[:5] == ("running", 3, 3, 0, 0)


def test_task_hands_the_rest_to_a_fresh_message_when_its_time_is_up(
    editor, eager, django_capture_on_commit_callbacks, monkeypatch
):
    job = _start(editor, _records(12))
    monkeypatch.setattr(tasks, "INGEST_JOB_TIME_BUDGET", 0.0)  # one batch per run
    monkeypatch.setattr(ingest_svc, "INGEST_BATCH", 5)
    runs = []
    real = ingest_svc.ingest_job_process

    def counted(**kwargs):
        runs.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(tasks, "ingest_job_process", counted)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_ingest_job.delay(job.pk)
    assert len(runs) == 3  # 5 + 5 + 2 rows
    assert _snapshot(job)[:5] == ("done", 12, 12, 0, 0)


def test_unexpected_error_fails_the_job_with_a_message(editor, eager, monkeypatch):
    job = _start(editor, _records(4))

    def broken(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(ingest_svc, "article_ingest", broken)
    result = tasks.process_ingest_job.apply(args=(job.pk,)).get()
    assert result["state"] == "failed"
    job.refresh_from_db()
    assert (job.state, job.processed) == ("failed", 0)
    assert "ValueError" in job.error and "متوقف" in job.error
    assert not m.IngestRow.objects.filter(job=job).exists()
    # and a later delivery leaves the failed job alone
    assert tasks.process_ingest_job.apply(args=(job.pk,)).get()["state"] == "failed"


def test_missing_rows_fail_the_job_instead_of_skipping(editor, eager):
    job = _start(editor, _records(4))
    m.IngestRow.objects.filter(job=job, position=0).delete()
    ingest_svc.ingest_job_process(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "دوباره بارگذاری" in job.error
    assert not m.Article.objects.exists()


def test_deleted_job_is_a_no_op(eager):
    assert tasks.process_ingest_job.apply(args=(999_999,)).get() == {"job": 999_999, "state": "missing"}


def test_url_rows_are_fetched_before_the_batch_and_known_urls_are_not(editor, eager, monkeypatch):
    known = m.Article.objects.create(text="متن قبلی", url="https://example.com/known", content_hash="k" * 64)
    fetched = []

    def fake_fetch(*, url):
        fetched.append(url)
        if url.endswith("/gone"):
            raise FetchFailed("صفحه پیدا نشد (404).")
        return Page(url=url, text="سخنگو گفت که صفحهٔ تازه خوانده شد.", title="صفحه", published_at=None)

    monkeypatch.setattr("claims.services.ingest_jobs.fetch_article", fake_fetch)
    records = [
        ingest_svc.UploadRecord(line=1, text="", url="https://example.com/new"),
        ingest_svc.UploadRecord(line=2, text="", url="https://example.com/known"),
        ingest_svc.UploadRecord(line=3, text="", url="https://example.com/gone"),
        ingest_svc.UploadRecord(line=4, text="", url="javascript:alert(1)"),
    ]
    job = _start(editor, records)
    ingest_svc.ingest_job_process(job_id=job.pk)
    assert fetched == ["https://example.com/new", "https://example.com/gone"]
    state, processed, new, duplicate, failed, errors = _snapshot(job)
    assert (state, processed, new, duplicate, failed) == ("done", 4, 1, 1, 2)
    assert [e["line"] for e in errors] == [3, 4] and "404" in errors[0]["error"]
    article = m.Article.objects.get(url="https://example.com/new")
    assert (article.title, article.origin, article.job_id) == ("صفحه", "ui", job.pk)
    assert m.Article.objects.get(url=known.url).pk == known.pk
