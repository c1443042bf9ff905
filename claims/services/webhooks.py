"""Partner webhooks: endpoints, the deliveries a verdict change creates, and one delivery attempt.

A delivery is a POST of a fixed JSON body, signed as the Standard Webhooks
specification says (https://www.standardwebhooks.com/), so partners can use its
ready-made verifiers:

    webhook-id: <event id, the same for every endpoint and every retry>
    webhook-timestamp: <unix seconds of this attempt>
    webhook-signature: v1,<base64 HMAC-SHA256 of f"{id}.{timestamp}.{body}"> [v1,<...> ...]
    X-Factcheck-Event: claim.published

Secrets are ``whsec_<base64 key>``. While a secret is being rotated the old one
stays valid for a while and every delivery carries one signature per active
secret, separated by spaces.

An attempt leases the delivery (so two workers never send it at once), sends it with no
transaction open, then records the outcome: every attempt is a WebhookAttempt row. Failures
are retried with exponential backoff and a cap. The time of the next try is kept in the
database (``next_attempt_at``) and the sweep (``claims.api.webhook_retry_due``, every
minute) queues what has fallen due; only a retry due within ``max_countdown()`` seconds
is also queued with a broker countdown, which stays far below the broker's visibility
timeout (a longer countdown would be redelivered and multiply). After too many
consecutive failures the endpoint is disabled with a reason the partner and the admins
can read."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Partner, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from claims.services import dispatch
from claims.services.errors import Conflict, InvalidInput
from claims.services.safehttp import LOOPBACK_NAMES, AddressRefused, guarded_session, url_refusal

logger = logging.getLogger("claims.webhooks")


def enqueue_delivery(delivery_id: int, countdown: float | None = None, queue: str | None = None) -> None:
    """Queue one delivery attempt (on WEBHOOK_QUEUE, or the default queue). A broker failure
    is logged, never raised: the delivery stays pending and the sweep sends it later."""
    if countdown and dispatch.is_eager():
        return
    try:
        queue = queue or getattr(settings, "WEBHOOK_QUEUE", None) or None
        dispatch.enqueue("claims.api.webhook_deliver", delivery_id, countdown=countdown, queue=queue)
    except Exception:
        logger.exception("could not queue webhook delivery %s; the sweep will retry it", delivery_id)


EVENTS = tuple(WebhookEndpoint.EVENTS)
SIGNATURE_VERSION = "v1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
USER_AGENT = "factcheck-webhooks/1"
# How long the previous secret keeps signing after a rotation, unless told otherwise.
ROTATION_OVERLAP = timedelta(hours=24)


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_conf("WEBHOOK_MAX_ATTEMPTS", 8))


def disable_after() -> int:
    return int(_conf("WEBHOOK_DISABLE_AFTER_FAILURES", 16))


def max_countdown() -> float:
    """The longest broker countdown a retry may use: the sweep's interval, and never
    more than half the broker's visibility timeout. Later retries wait in the database."""
    options = _conf("CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    visibility = float(options.get("visibility_timeout", 3600))
    return min(float(_conf("WEBHOOK_SWEEP_SECONDS", 60)), visibility / 2)


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: base * 2^(n-1), capped, ±10%."""
    base = float(_conf("WEBHOOK_RETRY_BASE_SECONDS", 30))
    cap = float(_conf("WEBHOOK_RETRY_MAX_SECONDS", 3600))
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return max(0.0, delay * random.uniform(0.9, 1.1))


# --- addresses ------------------------------------------------------------------


def _loopback_allowed() -> bool:
    # Never DEBUG: the guard is the same in development and production.
    return bool(_conf("WEBHOOK_ALLOW_HTTP_LOOPBACK", False))


def _extra_allowed() -> tuple[str, ...]:
    return LOOPBACK_NAMES if _loopback_allowed() else ()


def _is_loopback_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_internal_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def webhook_url_validate(url: str) -> str:
    """HTTPS only; plain HTTP only to a loopback host, in development (DEBUG) or when
    WEBHOOK_ALLOW_HTTP_LOOPBACK is set. Literal internal addresses are refused."""
    url = (url or "").strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in ("http", "https"):
        raise InvalidInput("A webhook needs an absolute https:// address.", details={"url": url})
    if parts.username or parts.password:
        raise InvalidInput("A webhook address must not carry credentials.", details={"url": url})
    loopback = _is_loopback_host(host)
    if parts.scheme == "http" and not (loopback and _loopback_allowed()):
        raise InvalidInput(
            "Webhooks must use https:// (plain http only to a loopback host in development).",
            details={"url": url},
        )
    if loopback and not _loopback_allowed():
        raise InvalidInput("Webhooks cannot target this host.", details={"url": url})
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not literal.is_loopback and _is_internal_ip(host):
        raise InvalidInput("Webhooks cannot target internal addresses.", details={"url": url})
    if url_refusal(url, extra_allowed=_extra_allowed()):
        # Internal addresses in any spelling (2130706433, [::ffff:127.0.0.1], localhost.).
        raise InvalidInput("Webhooks cannot target internal addresses.", details={"url": url})
    return url


# --- endpoints ------------------------------------------------------------------


def new_webhook_secret() -> str:
    """``whsec_`` and 32 random bytes in standard base64, as Standard Webhooks secrets are."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret: the bytes its base64 part encodes."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)


def signing_secrets(endpoint: WebhookEndpoint, *, now: datetime | None = None) -> list[str]:
    """The endpoint's current secret, then any previous one still inside its rotation window."""
    now = now or timezone.now()
    previous = [
        item["secret"]
        for item in endpoint.previous_secrets or []
        if datetime.fromisoformat(item["expires_at"]) > now
    ]
    return [endpoint.secret, *previous]


@transaction.atomic
def webhook_secret_rotate(*, endpoint: WebhookEndpoint, overlap: timedelta = ROTATION_OVERLAP) -> str:
    """Give the endpoint a new secret and keep signing with the old one for ``overlap``
    (every delivery meanwhile carries both signatures). Returns the new secret."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    kept = [
        item for item in endpoint.previous_secrets or [] if datetime.fromisoformat(item["expires_at"]) > now
    ]
    if overlap > timedelta(0):
        kept.append({"secret": endpoint.secret, "expires_at": (now + overlap).isoformat()})
    endpoint.secret = new_webhook_secret()
    endpoint.previous_secrets = kept
    endpoint.save(update_fields=["secret", "previous_secrets"])
    return endpoint.secret


def _clean_events(events: list[str] | None) -> list[str]:
    if events is None:
        return list(EVENTS)
    cleaned = sorted(set(events))
    bad = [e for e in cleaned if e not in EVENTS]
    if bad or not cleaned:
        raise InvalidInput(f"Events must be among {', '.join(EVENTS)}.", details={"events": bad})
    return cleaned


@transaction.atomic
def webhook_endpoint_create(
    *, partner: Partner, url: str, events: list[str] | None = None
) -> WebhookEndpoint:
    url = webhook_url_validate(url)
    if WebhookEndpoint.objects.filter(partner=partner, url=url).exists():
        raise Conflict("This address is already registered.", details={"url": url})
    return WebhookEndpoint.objects.create(
        partner=partner, url=url, events=_clean_events(events), secret=new_webhook_secret()
    )


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, events: list[str] | None = None, active: bool | None = None
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    fields: list[str] = []
    if events is not None:
        endpoint.events = _clean_events(events)
        fields.append("events")
    if active is not None and active != endpoint.active:
        endpoint.active = active
        fields.append("active")
        if active:
            endpoint.disabled_reason = ""
            endpoint.consecutive_failures = 0
            fields += ["disabled_reason", "consecutive_failures"]
        else:
            endpoint.disabled_reason = "Disabled by the partner."
            fields.append("disabled_reason")
    if fields:
        endpoint.save(update_fields=fields)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- deliveries -----------------------------------------------------------------


def canonical_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def webhook_signature(secrets_: list[str], *, msg_id: str, timestamp: int | str, body: bytes) -> str:
    """The ``webhook-signature`` header: ``v1,<base64 HMAC-SHA256>`` of
    ``f"{msg_id}.{timestamp}.{body}"`` per secret, separated by spaces."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return " ".join(
        f"{SIGNATURE_VERSION},"
        + base64.b64encode(hmac.new(secret_key(s), signed, hashlib.sha256).digest()).decode("ascii")
        for s in secrets_
    )


def webhook_payload(*, claim_id: int, event: str, event_id: uuid.UUID) -> dict[str, Any] | None:
    """The body partners receive: the claim exactly as GET /api/v1/claims/{id}/ shows it.
    None when the claim is not public (any more), so nothing unpublished is ever sent."""
    from claims.api.serializers import ClaimSerializer
    from claims.selectors.api import api_claim

    claim = api_claim(claim_id)
    if claim is None:
        return None
    return {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": {"claim": ClaimSerializer(claim).data},
    }


@transaction.atomic
def webhook_deliveries_create(*, claim_id: int, event: str) -> list[WebhookDelivery]:
    """One delivery per subscribed active endpoint, sharing one event id; queued after commit."""
    from claims.selectors.api import webhook_targets

    if event not in EVENTS:
        raise InvalidInput(f"Unknown webhook event {event!r}.")
    targets = webhook_targets(event)
    if not targets:
        return []
    event_id = uuid.uuid4()
    payload = webhook_payload(claim_id=claim_id, event=event, event_id=event_id)
    if payload is None:
        return []
    payload = json.loads(canonical_body(payload))  # plain JSON types only, as stored
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_id=event_id, payload=payload)
        for endpoint in targets
    ]
    ids = [d.pk for d in deliveries]

    def _queue() -> None:
        for delivery_id in ids:
            enqueue_delivery(delivery_id)

    transaction.on_commit(_queue)
    return deliveries


@dataclass(frozen=True)
class AttemptOutcome:
    delivery_id: int
    attempted: bool
    delivered: bool = False
    retry_in: float | None = None
    status_code: int | None = None
    error: str = ""


@dataclass(frozen=True)
class _Lease:
    url: str
    secrets: tuple[str, ...]
    event: str
    event_id: str
    body: bytes
    endpoint_id: int


def _lease(delivery_id: int, now: datetime) -> _Lease | AttemptOutcome:
    timeout = float(_conf("WEBHOOK_TIMEOUT_SECONDS", 10))
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
            return AttemptOutcome(
                delivery_id, attempted=False, delivered=bool(delivery and delivery.delivered_at)
            )
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            # Another worker holds the lease, or a retry is scheduled later: not ours to send.
            return AttemptOutcome(delivery_id, attempted=False)
        endpoint = delivery.endpoint
        if not endpoint.active:
            delivery.state = WebhookDelivery.State.FAILED
            delivery.next_attempt_at = None
            delivery.save(update_fields=["state", "next_attempt_at"])
            return AttemptOutcome(delivery_id, attempted=False, error="endpoint disabled")
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=timeout * 2 + 30)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return _Lease(
            url=endpoint.url,
            secrets=tuple(signing_secrets(endpoint, now=now)),
            event=delivery.event,
            event_id=str(delivery.event_id),
            body=canonical_body(delivery.payload),
            endpoint_id=endpoint.pk,
        )


def _send(lease: _Lease) -> tuple[int | None, str]:
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "webhook-id": lease.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(
            list(lease.secrets), msg_id=lease.event_id, timestamp=timestamp, body=lease.body
        ),
        "X-Factcheck-Event": lease.event,
    }
    timeout = float(_conf("WEBHOOK_TIMEOUT_SECONDS", 10))
    try:
        # No proxies or .netrc from the environment: deliveries go straight to the partner.
        # The SSRF guard connects only to the public address it checked.
        with guarded_session(extra_allowed=_extra_allowed()) as session:
            response = session.post(
                lease.url,
                data=lease.body,
                headers=headers,
                timeout=(min(5.0, timeout), timeout),
                allow_redirects=False,
            )
    except AddressRefused:
        return None, f"{urlsplit(lease.url).hostname} resolves to an internal address; not sent."
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:300]}"


def _disable(endpoint: WebhookEndpoint, last_error: str, now: datetime) -> None:
    endpoint.active = False
    endpoint.disabled_reason = (
        f"Disabled on {now:%Y-%m-%d %H:%M} UTC after {endpoint.consecutive_failures} consecutive failed "
        f"deliveries. Last error: {last_error}"
    )[:500]
    endpoint.save(update_fields=["active", "disabled_reason"])
    WebhookDelivery.objects.filter(endpoint=endpoint, state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, next_attempt_at=None
    )
    logger.warning(
        "webhook endpoint %s (%s) disabled: %s", endpoint.pk, endpoint.url, endpoint.disabled_reason
    )
    contact = endpoint.partner.contact_email
    if contact:
        transaction.on_commit(
            lambda: send_mail(
                "Factcheck webhook endpoint disabled",
                f"Your webhook endpoint {endpoint.url} was disabled.\n\n{endpoint.disabled_reason}\n\n"
                'Fix the receiver, then re-enable it with PATCH /api/v1/webhooks/{id}/ {"active": true}.',
                None,
                [contact],
                fail_silently=True,
            )
        )


def _record(
    delivery_id: int, lease: _Lease, status_code: int | None, error: str, duration_ms: int
) -> AttemptOutcome:
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = (
            WebhookEndpoint.objects.select_for_update().select_related("partner").get(pk=lease.endpoint_id)
        )
        WebhookAttempt.objects.create(
            delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms
        )
        if not error:
            delivery.state = WebhookDelivery.State.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.save(update_fields=["state", "delivered_at", "next_attempt_at"])
            if endpoint.consecutive_failures:
                endpoint.consecutive_failures = 0
                endpoint.save(update_fields=["consecutive_failures"])
            return AttemptOutcome(delivery_id, attempted=True, delivered=True, status_code=status_code)

        endpoint.consecutive_failures = F("consecutive_failures") + 1
        endpoint.save(update_fields=["consecutive_failures"])
        endpoint.refresh_from_db(fields=["consecutive_failures"])
        retry_in: float | None = None
        if delivery.attempts >= max_attempts():
            delivery.state = WebhookDelivery.State.FAILED
            delivery.next_attempt_at = None
        else:
            retry_in = retry_delay(delivery.attempts)
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
        delivery.save(update_fields=["state", "next_attempt_at"])
        if endpoint.active and endpoint.consecutive_failures >= disable_after():
            _disable(endpoint, error, now)
            retry_in = None
        return AttemptOutcome(
            delivery_id,
            attempted=True,
            delivered=False,
            retry_in=retry_in,
            status_code=status_code,
            error=error,
        )


def webhook_attempt(*, delivery_id: int) -> AttemptOutcome:
    """Try to send one delivery now, if it is pending and due. Idempotent: a delivered,
    failed, leased or not-yet-due delivery is left alone."""
    lease = _lease(delivery_id, timezone.now())
    if isinstance(lease, AttemptOutcome):
        return lease
    started = time.monotonic()
    status_code, error = _send(lease)
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery_id, lease, status_code, error, duration_ms)
