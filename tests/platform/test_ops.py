"""Operations: liveness, readiness against real services, metrics, request and task ids in logs."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families
from pythonjsonlogger.json import JsonFormatter

from claims.models import Article, ArticleState
from claims.observability import ContextFilter, request_id_var
from tests.factories import ArticleFactory
from tests.ingestion.helpers import wait_for
from tests.ingestion.workers import TCPProxy, WorkerPool, database_url, wait_for_backends_to_leave

REPO = Path(__file__).resolve().parents[2]


def _families(body: str) -> dict[str, list]:
    families: dict[str, list] = {}
    for family in text_string_to_metric_families(body):
        families.setdefault(family.name, []).extend(family.samples)
    return families


# --- liveness and readiness in this process ------------------------------------------


def test_healthz_answers_without_touching_anything(client):
    # No database access is allowed in this test: a query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    # The broker is checked exactly when tasks go to one.
    assert ("broker" in body["checks"]) == (not settings.CELERY_TASK_ALWAYS_EAGER)


def test_readyz_refuses_a_write():
    from django.test import Client

    assert Client().post("/readyz").status_code == 405


# --- readiness with services taken away (a real server process) -----------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def proxied_server(require_postgres, redis_url, transactional_db, tmp_path):
    """A server process whose database, cache and broker each go through a TCP proxy."""
    redis_parts = urlsplit(redis_url)
    redis_target = (redis_parts.hostname or "127.0.0.1", redis_parts.port or 6379)
    db = dict(connection.settings_dict)
    proxies = {
        "database": TCPProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))),
        "cache": TCPProxy(redis_target),
        "broker": TCPProxy(redis_target),
    }
    for proxy in proxies.values():
        proxy.up()
    redis_db = redis_parts.path or "/0"
    port = _free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings.base",
        "DATABASE_URL": database_url(db, port=proxies["database"].port),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": f"redis://127.0.0.1:{proxies['cache'].port}{redis_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{proxies['broker'].port}{redis_db}",
        "HF_HUB_OFFLINE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DJANGO_DEBUG", None)
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthy() -> bool:
        try:
            return _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(lambda: healthy() or process.poll() is not None, timeout=90), log.read_text()
        assert process.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}", proxies
    finally:
        process.kill()
        process.wait(timeout=15)
        for proxy in proxies.values():
            proxy.down()
        with connection.cursor() as cursor:
            wait_for_backends_to_leave(cursor, db["NAME"])


@pytest.mark.integration
def test_readyz_fails_when_postgresql_redis_or_the_broker_is_down(proxied_server):
    base, proxies = proxied_server
    status, body = _get(base + "/readyz")
    assert status == 200, body
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for name, proxy in proxies.items():
        proxy.down()
        status, body = _get(base + "/readyz")
        assert status == 503, (name, body)
        assert body["status"] == "unavailable"
        assert body["checks"][name]["ok"] is False, (name, body)
        assert body["checks"][name]["error"], body
        others = {other for other in proxies if other != name}
        assert all(body["checks"][other]["ok"] for other in others), (name, body)
        # Liveness does not follow readiness: the process is still up.
        assert _get(base + "/healthz")[0] == 200
        proxy.up()
        assert wait_for(lambda: _get(base + "/readyz")[0] == 200, timeout=60), (name, _get(base + "/readyz"))


# --- metrics ---------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_scraped_with_requests_articles_and_tasks(client, eager):
    ArticleFactory.create_batch(3, state=ArticleState.DONE)
    ArticleFactory.create(state=ArticleState.FAILED)
    client.get("/healthz")
    from claims.tasks import extract_article

    article = ArticleFactory.create(state=ArticleState.QUEUED)
    extract_article.delay(article.pk)

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    families = _families(response.content.decode())

    states = {s.labels["state"]: s.value for s in families["factcheck_articles"]}
    expected = {state: Article.objects.filter(state=state).count() for state in states}
    assert states == expected
    assert states[ArticleState.FAILED] == 1

    requests = list(families["django_http_requests_total_by_view_transport_method"])
    assert any(s.labels["view"] == "healthz" and s.value >= 1 for s in requests), requests
    assert "django_http_requests_latency_seconds_by_view_method" in families

    finished = {(s.labels["task"], s.labels["outcome"]): s.value for s in families["factcheck_tasks"]}
    assert finished.get(("claims.extract_article", "success"), 0) >= 1, finished
    durations = [s for s in families["factcheck_task_duration_seconds"] if s.name.endswith("_count")]
    assert any(s.labels["task"] == "claims.extract_article" and s.value >= 1 for s in durations)


def test_metrics_are_refused_to_other_addresses_unless_the_token_is_sent(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    refused = client.get("/metrics", **outside)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **outside)
    assert wrong.status_code == 403
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789", **outside)
    assert allowed.status_code == 200


# --- request and task ids -----------------------------------------------------------


def test_every_response_carries_a_request_id_and_a_sane_one_is_kept(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/healthz", HTTP_X_REQUEST_ID="edge-42.a")["X-Request-ID"] == "edge-42.a"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert forged != "<script>\n" and len(forged) == 32


def test_json_log_lines_carry_the_request_id(settings):
    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    formatter = JsonFormatter(**options)
    record = logging.LogRecord("claims.x", logging.INFO, __file__, 1, "hello %s", ("there",), None)
    token = request_id_var.set("req-123")
    try:
        ContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(formatter.format(record))
    assert line["message"] == "hello there"
    assert line["request_id"] == "req-123"
    assert line["level"] == "INFO" and line["logger"] == "claims.x"
    assert line["task_id"] is None


@pytest.fixture
def pool(require_postgres, redis_url, settings, tmp_path, registry, monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    pool = WorkerPool(broker_url=redis_url, db_settings=dict(connection.settings_dict), folder=tmp_path)
    settings.INGEST_QUEUE = pool.queue
    from factcheck.celery import app

    with contextlib.suppress(KeyError):
        del app.conf.changes["task_always_eager"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield pool
    pool.stop_all()
    import redis

    redis.Redis.from_url(redis_url).delete(pool.queue)
    with connection.cursor() as cursor:
        wait_for_backends_to_leave(cursor, connection.settings_dict["NAME"])


def _task_count(client, task: str, outcome: str) -> float:
    families = _families(client.get("/metrics").content.decode())
    return sum(
        s.value
        for s in families.get("factcheck_tasks", [])
        if s.labels["task"] == task and s.labels["outcome"] == outcome
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_json_with_the_task_id_and_the_request_that_queued_it(pool, client):
    from claims.services.articles import article_ingest

    worker = pool.start("json")
    before = _task_count(client, "claims.extract_article", "success")
    token = request_id_var.set("req-from-desk-7")
    try:
        article, created = article_ingest(text="سخنگوی وزارت خارجه گفت: «مذاکرات ادامه دارد.»")
    finally:
        request_id_var.reset(token)
    assert created
    assert wait_for(
        lambda: Article.objects.filter(pk=article.pk, state=ArticleState.DONE).exists(), timeout=120
    ), worker.tail()

    def task_lines() -> list[dict]:
        lines = []
        for raw in worker.text().splitlines():
            with contextlib.suppress(ValueError):
                line = json.loads(raw)
                if isinstance(line, dict) and line.get("task_name") == "claims.extract_article":
                    lines.append(line)
        return lines

    # The task's result line is written after the row is saved: wait for it too.
    assert wait_for(lambda: any("succeeded" in line["message"] for line in task_lines()), timeout=60), (
        worker.tail()
    )
    lines = task_lines()
    assert all(line["task_id"] for line in lines)
    assert {line["request_id"] for line in lines} == {"req-from-desk-7"}
    # Workers record task counts where the web process's scrape reads them.
    assert wait_for(
        lambda: _task_count(client, "claims.extract_article", "success") >= before + 1, timeout=60
    )
