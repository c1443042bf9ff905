"""URL submissions answer at once and the page is fetched by a Celery task with
its own time limits: a slow or hostile site never holds a web request.

The slow site is a local handler that does not answer until the test lets it (or
its own 30 s cap): a request that fetched inline would still be waiting, then fail."""

from __future__ import annotations

import contextlib
import socket
import threading
from unittest import mock

import pytest
from django.db import connection

from claims import models as m
from claims import tasks
from tests.api.conftest import api, keys  # noqa: F401 - the partner API's fixtures, used by name
from tests.ingestion.helpers import wait_for
from tests.ingestion.workers import WorkerPool, wait_for_backends_to_leave

PAGE = (
    "<html><head><title>گفت‌وگوهای تازه</title></head><body><article>"
    "<p>سخنگوی وزارت خارجه روز دوشنبه گفت که دور تازهٔ گفت‌وگوها هفتهٔ آینده در مسقط برگزار می‌شود.</p>"
    "<p>او افزود که هیئت‌ها پیش از آن دربارهٔ دستور کار به توافق خواهند رسید و جزئیات بیشتری منتشر می‌شود.</p>"
    "</article></body></html>"
)


NAME = "news.test"  # the API takes named hosts only: this one resolves to the local server


@pytest.fixture
def named(http_server, settings):
    """``named(path)``: the local server's URL under NAME, which the guard allows by name."""
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1", NAME]
    port = int(http_server.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):
        return real("127.0.0.1" if host == NAME else host, *args, **kwargs)

    with mock.patch("socket.getaddrinfo", lookup):
        yield lambda path: f"http://{NAME}:{port}{path}"


@pytest.fixture
def slow_site(http_server, settings):
    """/slow answers only once ``release`` is set; /fast at once."""
    settings.FETCH_TIMEOUT_SECONDS = 30
    release = threading.Event()

    def slow(handler):
        release.wait(30)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode()

    http_server.routes["/slow"] = slow
    fast = PAGE.replace("مسقط", "ژنو").replace("دوشنبه", "سه‌شنبه")
    http_server.add("/fast", fast, content_type="text/html; charset=utf-8")
    yield http_server, release
    release.set()


@pytest.mark.django_db
def test_api_answers_202_before_the_slow_page_arrives(
    slow_site,
    named,
    api,  # noqa: F811
    keys,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    server, release = slow_site
    client = api(keys.submit)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/api/v1/articles/", {"url": named("/slow"), "title": ""})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "fetching" and body["duplicate"] is False
    assert response["Location"] == body["status_url"]
    assert server.hits("/slow") == []  # nothing was fetched inside the request
    assert len(queued) == 1  # the fetch task, sent on commit
    assert client.get(body["status_url"]).json()["state"] == "fetching"

    release.set()
    result = tasks.fetch_article_url.apply(args=(body["id"],)).get()
    assert result["state"] == "queued"
    article = m.Article.objects.get(pk=body["id"])
    assert "مسقط" in article.text and "تازه" in article.title  # the page's own title
    assert len(server.hits("/slow")) == 1
    # Sending the same URL again is a duplicate of that article, not a second fetch.
    again = client.post("/api/v1/articles/", {"url": named("/slow")})
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.django_db
def test_desk_redirects_to_the_article_page_which_shows_the_fetch(
    slow_site, client, editor, django_capture_on_commit_callbacks
):
    server, release = slow_site
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/review/ingest/", {"url": server.url("/slow"), "text": "", "title": ""})
    assert response.status_code == 302
    article = m.Article.objects.get(url=server.url("/slow"))
    assert response["Location"] == f"/review/articles/{article.pk}/"
    assert article.state == "fetching" and server.hits("/slow") == [] and len(queued) == 1
    page = client.get(response["Location"]).content.decode()
    assert "در حال دریافت" in page and 'http-equiv="refresh"' in page
    release.set()
    tasks.fetch_article_url.apply(args=(article.pk,))
    article.refresh_from_db()
    assert article.state in ("queued", "processing", "done") and "مسقط" in article.text


@pytest.mark.django_db
def test_a_page_that_cannot_be_read_leaves_the_article_failed_with_the_reason(
    http_server,
    named,
    api,  # noqa: F811
    keys,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    http_server.add("/gone", "no", status=404)
    with django_capture_on_commit_callbacks(execute=False):
        body = api(keys.submit).post("/api/v1/articles/", {"url": named("/gone")}).json()
    tasks.fetch_article_url.apply(args=(body["id"],))
    status = api(keys.submit).get(body["status_url"]).json()
    assert status["state"] == "failed" and "404" in status["error"]


def test_the_fetch_task_has_its_own_time_limits(settings):
    task = tasks.fetch_article_url
    assert task.soft_time_limit == settings.FETCH_TASK_SOFT_TIME_LIMIT
    assert task.time_limit == settings.FETCH_TASK_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit <= settings.CELERY_TASK_TIME_LIMIT
    assert task.acks_late is True


@pytest.fixture
def pool(require_postgres, redis_url, settings, tmp_path, monkeypatch):
    pool = WorkerPool(broker_url=redis_url, db_settings=dict(connection.settings_dict), folder=tmp_path)
    settings.INGEST_QUEUE = pool.queue
    from factcheck.celery import app

    with contextlib.suppress(KeyError):
        del app.conf.changes["task_always_eager"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The fetch's own limits travel with each message; short for the test, so the
    # slow site outlasts the soft one (and the fetch's own timeout is longer still).
    settings.FETCH_TASK_SOFT_TIME_LIMIT = 3
    settings.FETCH_TASK_TIME_LIMIT = 20
    monkeypatch.setenv("FETCH_TIMEOUT_SECONDS", "30")
    yield pool
    pool.stop_all()
    import redis

    redis.Redis.from_url(redis_url).delete(pool.queue)
    with connection.cursor() as cursor:
        wait_for_backends_to_leave(cursor, connection.settings_dict["NAME"])


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_gives_up_on_a_slow_site_and_reads_a_fast_one(pool, slow_site, client, editor):
    server, _release = slow_site
    worker = pool.start("fetch")
    client.force_login(editor)
    for path in ("/slow", "/fast"):
        answer = client.post("/review/ingest/", {"url": server.url(path), "text": "", "title": ""})
        assert answer.status_code == 302
    slow = m.Article.objects.get(url=server.url("/slow"))
    fast = m.Article.objects.get(url=server.url("/fast"))

    def state(article) -> str:
        return m.Article.objects.get(pk=article.pk).state

    assert wait_for(lambda: state(slow) == "failed", timeout=60), worker.tail()
    assert "بیش از اندازهٔ مجاز" in m.Article.objects.get(pk=slow.pk).error
    assert wait_for(lambda: state(fast) == "done", timeout=60), worker.tail()
    assert "ژنو" in m.Article.objects.get(pk=fast.pk).text
    # The web side answered both at once; the worker, not a request, waited on the slow site.
    assert len(server.hits("/slow")) >= 1
