"""Webhooks signed per the Standard Webhooks specification, checked with its reference
verifier (the ``standardwebhooks`` package, a test-only dependency), secret rotation
with several signatures, and retries scheduled from the database, never with a broker
countdown longer than the visibility timeout."""

from __future__ import annotations

import base64
import importlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from claims import models as m
from claims.api import tasks
from claims.services import webhooks as wh
from tests.api.receiver import Receiver, verify


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def _local_receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 3
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    settings.WEBHOOK_MAX_ATTEMPTS = 8
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 16


@pytest.fixture
def queued(monkeypatch) -> list[tuple[int, float | None]]:
    calls: list[tuple[int, float | None]] = []

    def record(delivery_id, countdown=None, queue=None):
        calls.append((delivery_id, countdown))

    monkeypatch.setattr(tasks, "enqueue_delivery", record)
    monkeypatch.setattr(wh, "enqueue_delivery", record)
    return calls


def _delivery(endpoint, claim) -> m.WebhookDelivery:
    payload = {"id": "e1", "event": "claim.published", "data": {"claim": {"id": claim.pk, "text": "ادعا"}}}
    return m.WebhookDelivery.objects.create(endpoint=endpoint, event="claim.published", payload=payload)


def test_secrets_are_whsec_and_base64(keys):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url="https://hooks.partner.example/a")
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"), validate=True)) == 32


def test_a_delivery_verifies_with_the_reference_library(keys, world, receiver):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    tasks.webhook_deliver(delivery.pk)
    [(headers, body)] = receiver.requests
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["webhook-id"] == str(delivery.event_id)
    assert abs(int(lowered["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert lowered["webhook-signature"].startswith("v1,")
    # The reference verifier accepts it and returns the payload ...
    assert Webhook(endpoint.secret).verify(body, headers)["data"]["claim"]["id"] == world.published.pk
    assert verify(endpoint.secret, headers, body)  # and so does the spec's algorithm written out
    # ... and refuses a changed body, another secret, or a replayed old timestamp.
    tampered = body.replace("ادعا".encode(), "ادعای دیگر".encode())
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(wh.new_webhook_secret()).verify(body, headers)
    old = {**headers, "webhook-timestamp": str(int(lowered["webhook-timestamp"]) - 3600)}
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body, old)
    assert json.loads(body) == delivery.payload


def test_during_a_rotation_both_secrets_verify_then_only_the_new_one(keys, world, receiver):
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    old_secret = endpoint.secret
    new_secret = wh.webhook_secret_rotate(endpoint=endpoint, overlap=timedelta(hours=1))
    assert new_secret != old_secret
    tasks.webhook_deliver(_delivery(endpoint, world.published).pk)
    headers, body = receiver.requests[-1]
    signatures = {k.lower(): v for k, v in headers.items()}["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    Webhook(old_secret).verify(body, headers)
    Webhook(new_secret).verify(body, headers)

    # Once the overlap is over, the old secret signs nothing.
    endpoint.refresh_from_db()
    endpoint.previous_secrets = [{**endpoint.previous_secrets[0], "expires_at": timezone.now().isoformat()}]
    endpoint.save(update_fields=["previous_secrets"])
    tasks.webhook_deliver(_delivery(endpoint, world.published).pk)
    headers, body = receiver.requests[-1]
    Webhook(new_secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(body, headers)


def test_secrets_made_before_the_standard_keep_their_key(keys):
    migration = importlib.import_module("claims.migrations.0011_webhook_secret_rotation")
    legacy = "whsec_" + "Ab-_" * 10 + "xyz"  # the old token_urlsafe form
    converted = migration.standard_secret(legacy)
    assert converted.startswith("whsec_") and wh.secret_key(converted) == legacy.encode()


def test_no_retry_waits_on_the_broker_longer_than_its_visibility_timeout(
    keys, world, receiver, queued, settings
):
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert wh.max_countdown() <= visibility / 2
    receiver.status = 503
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    for attempt in range(1, 8):
        m.WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        tasks.webhook_deliver(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and delivery.state == "pending"
        assert delivery.next_attempt_at > timezone.now()  # the next try is in the database
    countdowns = [c for _, c in queued if c is not None]
    assert all(c <= wh.max_countdown() for c in countdowns)
    # 30 s, 1, 2, 4 ... minutes (±10%): at most the first two fit in a countdown; the
    # five later ones wait in the database for the sweep.
    assert 1 <= len(countdowns) <= 2


def test_the_sweep_sends_a_retry_when_the_database_says_it_is_due(keys, world, receiver, queued):
    receiver.status = 503
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    tasks.webhook_deliver(delivery.pk)
    assert tasks.webhook_retry_due() == 0  # not due yet
    m.WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.webhook_retry_due() == 1
    assert queued[-1] == (delivery.pk, None)
    receiver.status = 200
    tasks.webhook_deliver(delivery.pk)  # what the queued message runs
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 2


def test_a_retry_due_soon_may_use_a_short_countdown(keys, world, receiver, queued, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 5
    receiver.status = 503
    endpoint = wh.webhook_endpoint_create(partner=keys.partner, url=receiver.url)
    delivery = _delivery(endpoint, world.published)
    tasks.webhook_deliver(delivery.pk)
    [(delivery_id, countdown)] = queued
    assert delivery_id == delivery.pk and 4 <= countdown <= 6 <= wh.max_countdown()


def test_a_partner_rotates_its_secret_over_the_api(api, keys, receiver, world):
    client = api(keys.read)
    created = client.post("/api/v1/webhooks/", {"url": receiver.url}).json()
    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_") and new_secret != created["secret"]
    endpoint = m.WebhookEndpoint.objects.get(pk=created["id"])
    assert wh.signing_secrets(endpoint) == [new_secret, created["secret"]]
    assert client.get(f"/api/v1/webhooks/{created['id']}/").json().get("secret") is None
    other = m.Partner.objects.create(name="دیگری")
    foreign = wh.webhook_endpoint_create(partner=other, url="https://hooks.other.example/x")
    assert client.post(f"/api/v1/webhooks/{foreign.pk}/rotate-secret/").status_code == 404
