"""Webhooks with the real parts: PostgreSQL, Redis as the broker and a Celery worker process.

A verdict is published while the partner's receiver is down. The worker's first attempt fails
and is logged, the retry is scheduled through the broker with its backoff, the receiver comes
up, and the worker delivers the signed event. Under CI=true a missing PostgreSQL or Redis fails
this test; elsewhere it is skipped. Every wait is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from claims import models as m
from claims.services import webhooks as wh
from claims.services.claims import claim_publish, claim_submit
from claims.services.partners import partner_create
from tests.api.receiver import Receiver, verify
from tests.factories import AttributionFactory, ClaimFactory
from tests.ingestion.helpers import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(require_postgres, redis_url, settings, tmp_path):
    queue = f"webhooks-test-{uuid.uuid4().hex[:8]}"
    settings.WEBHOOK_QUEUE = queue
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.base",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:"
                f"{db.get('PORT') or 5432}/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": redis_url,
            "WEBHOOK_ALLOW_HTTP_LOOPBACK": "true",
            "WEBHOOK_RETRY_BASE_SECONDS": "1",
            # Retries every second or two for as long as the test waits, however late a
            # loaded machine brings the receiver up after the first failed attempt.
            "WEBHOOK_RETRY_MAX_SECONDS": "2",
            "WEBHOOK_MAX_ATTEMPTS": "100",
            "WEBHOOK_DISABLE_AFTER_FAILURES": "200",
            "WEBHOOK_TIMEOUT_SECONDS": "3",
            "HF_HUB_OFFLINE": "1",
        }
    )
    log = (tmp_path / "worker.log").open("w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "factcheck",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield proc, tmp_path / "worker.log"
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    log.close()
    import redis

    redis.Redis.from_url(redis_url).delete(queue)
    connection.close()


def test_a_receiver_that_is_down_gets_the_event_through_the_worker(worker, senior):
    proc, log_path = worker
    receiver = Receiver()  # nothing listens on its port yet
    partner = partner_create(name="Worker outlet")
    endpoint = wh.webhook_endpoint_create(partner=partner, url=receiver.url, events=["claim.published"])
    claim = ClaimFactory(status=m.ClaimStatus.RATED, rating=m.Rating.FALSE, rationale="شواهد خلاف آن است.")
    AttributionFactory(claim=claim, review_state=m.ReviewState.ACCEPTED)

    claim_submit(claim=claim, actor=senior)

    claim_publish(claim=claim, actor=senior)  # commits: verdict_changed -> delivery -> broker

    def log() -> str:
        return log_path.read_text(errors="replace")

    delivery = m.WebhookDelivery.objects.get(endpoint=endpoint)
    failed_once = wait_for(lambda: m.WebhookAttempt.objects.filter(delivery=delivery).exists(), timeout=120)
    assert failed_once, log()
    receiver.start()
    try:
        delivered = wait_for(
            lambda: m.WebhookDelivery.objects.get(pk=delivery.pk).state == "delivered", timeout=120
        )
        assert delivered, log()
    finally:
        receiver.stop()
    assert proc.poll() is None, log()
    attempts = list(m.WebhookAttempt.objects.filter(delivery=delivery))
    assert attempts[0].status_code is None and attempts[0].error
    assert attempts[-1].status_code == 200
    headers, body = receiver.requests[0]
    assert verify(endpoint.secret, headers, body)
    assert headers["webhook-id"] == str(delivery.event_id)
