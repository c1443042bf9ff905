"""Webhooks end to end against a local HTTP receiver: signed, retried with backoff, logged,
delivered later to a receiver that was down, and disabled after repeated failures."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from claims import models as m
from claims.api import tasks
from claims.services import webhooks as wh
from claims.services.claims import claim_correct, claim_publish, claim_submit
from tests.api.receiver import Receiver, verify
from tests.factories import AttributionFactory, ClaimFactory


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # due again at once, so tests need not wait
    settings.WEBHOOK_MAX_ATTEMPTS = 8
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 16


@pytest.fixture
def queued(monkeypatch) -> list[tuple[int, float | None]]:
    """Capture what would go to the broker, so each test runs the task itself."""
    calls: list[tuple[int, float | None]] = []

    def record(delivery_id, countdown=None, queue=None):
        calls.append((delivery_id, countdown))

    monkeypatch.setattr(tasks, "enqueue_delivery", record)
    monkeypatch.setattr(wh, "enqueue_delivery", record)
    return calls


@pytest.fixture
def rated_claim(db, editor):
    claim = ClaimFactory(status=m.ClaimStatus.RATED, rating=m.Rating.FALSE, rationale="شواهد خلاف آن است.")
    AttributionFactory(claim=claim, review_state=m.ReviewState.ACCEPTED)
    return claim


def _publish(claim, senior, capture):
    with capture(execute=True):
        claim_submit(claim=claim, actor=senior)
        claim_publish(claim=claim, actor=senior)


def test_publish_delivers_a_signed_event_through_celery(
    keys, rated_claim, senior, receiver, django_capture_on_commit_callbacks, eager
):
    # `eager`: the real task runs in-process, even when CI configures a broker.
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url, events=["claim.published"])
    only_corrections = wh.webhook_endpoint_create(
        partner=keys.partner, url=receiver.url + "/corrections", events=["claim.corrected"]
    )
    _publish(rated_claim, senior, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert verify(endpoint.secret, headers, body)
    assert not verify(only_corrections.secret, headers, body)
    payload = json.loads(body)
    assert headers["X-Factcheck-Event"] == payload["event"] == "claim.published"
    assert headers["webhook-id"] == payload["id"]
    assert payload["data"]["claim"]["id"] == rated_claim.pk
    assert payload["data"]["claim"]["rating"] == "false"
    delivery = m.WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.state == "delivered" and delivery.attempts == 1
    assert [a.status_code for a in delivery.attempt_log.all()] == [200]
    assert not m.WebhookDelivery.objects.filter(endpoint=only_corrections).exists()


def test_correction_event_carries_the_new_verdict(
    keys, rated_claim, senior, receiver, queued, django_capture_on_commit_callbacks
):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    _publish(rated_claim, senior, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        claim_correct(
            claim=rated_claim,
            rating=m.Rating.MISLEADING,
            rationale="شواهد تازه.",
            note="اصلاح شد.",
            actor=senior,
        )
    for delivery_id, _ in queued:
        tasks.webhook_deliver(delivery_id)
    events = [json.loads(body) for _, body in receiver.requests]
    assert [e["event"] for e in events] == ["claim.published", "claim.corrected"]
    corrected = events[1]["data"]["claim"]
    assert corrected["status"] == "corrected" and corrected["rating"] == "misleading"
    assert corrected["corrections"][0]["note"] == "اصلاح شد."
    assert all(verify(endpoint.secret, h, b) for h, b in receiver.requests)
    assert events[0]["id"] != events[1]["id"]


def test_a_receiver_that_is_down_gets_the_event_later(
    keys, rated_claim, senior, queued, django_capture_on_commit_callbacks
):
    down = Receiver()  # its port is free: nothing listens yet
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=down.url)
    _publish(rated_claim, senior, django_capture_on_commit_callbacks)
    [(delivery_id, countdown)] = queued
    assert countdown is None

    tasks.webhook_deliver(delivery_id)
    delivery = m.WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.state == "pending" and delivery.attempts == 1
    first = delivery.attempt_log.get()
    assert first.status_code is None and "Connection" in first.error
    assert queued[-1][0] == delivery_id and queued[-1][1] is not None  # the retry was scheduled
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1

    down.start()
    try:
        tasks.webhook_deliver(delivery_id)  # the scheduled retry
    finally:
        down.stop()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 2
    assert [a.status_code for a in delivery.attempt_log.all()] == [None, 200]
    headers, body = down.requests[0]
    assert verify(endpoint.secret, headers, body)
    assert headers["webhook-id"] == str(delivery.event_id)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_backoff_is_exponential_and_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 600
    for attempts, nominal in [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 600), (12, 600)]:
        delay = wh.retry_delay(attempts)
        assert nominal * 0.9 <= delay <= nominal * 1.1, (attempts, delay)


def _delivery(endpoint, claim) -> m.WebhookDelivery:
    return m.WebhookDelivery.objects.create(
        endpoint=endpoint, event="claim.published", payload={"id": "x", "data": {"claim": {"id": claim.pk}}}
    )


def test_a_failed_attempt_is_scheduled_after_the_backoff(keys, world, receiver, queued, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.status = 503
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    before = timezone.now()
    tasks.webhook_deliver(delivery.pk)
    after = timezone.now()
    delivery.refresh_from_db()
    # 60 s ± 10% from the moment of the attempt, however long the attempt itself took
    assert before + timedelta(seconds=54) <= delivery.next_attempt_at <= after + timedelta(seconds=66)
    # Due later than the sweep's next run: the database holds it, no long broker countdown.
    assert [c for d, c in queued if d == delivery.pk and c is not None and c > wh.max_countdown()] == []
    assert delivery.attempt_log.get().status_code == 503
    # Not due yet: running the task again (a duplicate message) sends nothing.
    tasks.webhook_deliver(delivery.pk)
    assert len(receiver.requests) == 1


def test_delivery_gives_up_after_the_attempt_cap(keys, world, receiver, queued, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 500
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    for _ in range(5):
        tasks.webhook_deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == 3
    assert delivery.attempt_log.count() == 3 and len(receiver.requests) == 3


def test_a_permanently_failing_endpoint_is_disabled_with_a_notice(
    api, keys, world, receiver, queued, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.status = 410
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    first, second = _delivery(endpoint, world.published), _delivery(endpoint, world.corrected)
    with django_capture_on_commit_callbacks(execute=True):  # the notice is mailed after commit
        for _ in range(2):
            tasks.webhook_deliver(first.pk)
        tasks.webhook_deliver(second.pk)
    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.consecutive_failures == 3
    assert (
        "3 consecutive failed deliveries" in endpoint.disabled_reason
        and "HTTP 410" in endpoint.disabled_reason
    )
    assert set(m.WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}
    assert [msg.to for msg in mail.outbox] == [["ops@outlet.example"]]
    # The partner sees why, and re-enables it once the receiver is fixed.
    client = api(keys.read)
    shown = client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert shown["active"] is False and shown["disabled_reason"] == endpoint.disabled_reason
    again = client.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"active": True}).json()
    assert again["active"] is True and again["disabled_reason"] == "" and again["consecutive_failures"] == 0
    # Nothing is sent to a disabled endpoint meanwhile.
    m.WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    later = _delivery(endpoint, world.published)
    tasks.webhook_deliver(later.pk)
    later.refresh_from_db()
    assert later.state == "failed" and later.attempts == 0 and len(receiver.requests) == 3


def test_delivered_events_are_not_sent_twice(keys, world, receiver, queued):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    tasks.webhook_deliver(delivery.pk)
    tasks.webhook_deliver(delivery.pk)
    assert len(receiver.requests) == 1
    assert m.WebhookAttempt.objects.filter(delivery=delivery).count() == 1


def test_the_sweep_requeues_due_deliveries(keys, world, queued):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url="https://hooks.partner.example/x")
    due = _delivery(endpoint, world.published)
    m.WebhookDelivery.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    later = _delivery(endpoint, world.published)
    m.WebhookDelivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    never_queued = _delivery(endpoint, world.published)
    m.WebhookDelivery.objects.filter(pk=never_queued.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.webhook_retry_due() == 2
    assert sorted(d for d, _ in queued) == sorted([due.pk, never_queued.pk])


def test_a_host_resolving_to_an_internal_address_is_not_contacted(keys, world, receiver, queued, settings):
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    settings.DEBUG = False
    endpoint = m.WebhookEndpoint.objects.create(
        partner=keys.partner,
        url=receiver.url.replace("http://127.0.0.1", "https://localhost"),
        events=list(wh.EVENTS),
    )
    delivery = _delivery(endpoint, world.published)
    tasks.webhook_deliver(delivery.pk)
    assert receiver.requests == []
    assert "internal address" in delivery.attempt_log.get().error


@pytest.mark.parametrize(
    ("url", "allow_loopback", "ok"),
    [
        ("https://hooks.partner.example/x", False, True),
        ("http://hooks.partner.example/x", False, False),
        ("http://hooks.partner.example/x", True, False),
        ("http://127.0.0.1:9000/x", False, False),
        ("http://127.0.0.1:9000/x", True, True),
        ("http://localhost:9000/x", True, True),
        ("https://10.1.2.3/x", True, False),
        ("https://192.168.0.10/x", False, False),
        ("https://user:pw@hooks.partner.example/x", False, False),
        ("ftp://hooks.partner.example/x", False, False),
    ],
)
def test_registration_is_https_only_except_loopback_in_development(
    api, keys, settings, url, allow_loopback, ok
):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = allow_loopback
    response = api(keys.read).post("/api/v1/webhooks/", {"url": url})
    assert response.status_code == (201 if ok else 400), response.content


def test_debug_does_not_open_loopback(api, keys, settings):
    # The SSRF guard never follows DEBUG: only the explicit flag opens loopback.
    settings.DEBUG = True
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    assert api(keys.read).post("/api/v1/webhooks/", {"url": "http://127.0.0.1:8001/x"}).status_code == 400


def test_the_secret_is_shown_once(api, keys):
    client = api(keys.read)
    created = client.post(
        "/api/v1/webhooks/", {"url": "https://hooks.partner.example/a", "events": ["claim.corrected"]}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["claim.corrected"]
    assert m.WebhookEndpoint.objects.get(pk=body["id"]).secret == body["secret"]
    assert "secret" not in client.get(f"/api/v1/webhooks/{body['id']}/").json()
    assert all("secret" not in e for e in client.get("/api/v1/webhooks/").json()["results"])
    assert client.post("/api/v1/webhooks/", {"url": "https://hooks.partner.example/a"}).status_code == 409
    assert (
        client.post(
            "/api/v1/webhooks/", {"url": "https://h.example/b", "events": ["claim.deleted"]}
        ).status_code
        == 400
    )
    assert client.delete(f"/api/v1/webhooks/{body['id']}/").status_code == 204
    assert client.get(f"/api/v1/webhooks/{body['id']}/").status_code == 404


def test_an_endpoint_made_in_the_admin_gets_a_secret(keys):
    endpoint = m.WebhookEndpoint.objects.create(
        partner=keys.partner, url="https://hooks.partner.example/admin"
    )
    assert endpoint.secret.startswith("whsec_")
