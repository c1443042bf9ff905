"""Celery tasks for partner webhooks: thin, take ids, idempotent, retried with backoff.

``webhook_deliver`` makes one attempt and, when it failed, schedules the next one with
the delay the service computed (exponential, capped). ``webhook_retry_due`` is the safety
sweep: it requeues pending deliveries whose time has come, which covers a broker outage,
a lost ETA message, and eager mode (local development), where retries are not scheduled
in-process so that publishing a verdict never waits on a partner's server."""

from __future__ import annotations

import logging

from celery import current_app, shared_task

from claims.selectors.api import webhook_due_delivery_ids
from claims.services.webhooks import enqueue_delivery, max_countdown, webhook_attempt

logger = logging.getLogger("claims.webhooks")


@shared_task(bind=True, name="claims.api.webhook_deliver", acks_late=True, ignore_result=True)
def webhook_deliver(self, delivery_id: int) -> None:
    outcome = webhook_attempt(delivery_id=delivery_id)
    logger.info(
        "webhook delivery %s: attempted=%s delivered=%s status=%s retry_in=%s %s",
        delivery_id,
        outcome.attempted,
        outcome.delivered,
        outcome.status_code,
        outcome.retry_in,
        outcome.error,
    )
    if outcome.retry_in is not None and outcome.retry_in <= max_countdown():
        # A retry due soon goes back to the queue this attempt came from. Later ones
        # wait in the database (next_attempt_at) for the sweep: a broker countdown
        # longer than the visibility timeout would be redelivered and multiply.
        queue = (self.request.delivery_info or {}).get("routing_key")
        enqueue_delivery(delivery_id, countdown=outcome.retry_in, queue=queue)


@shared_task(name="claims.api.webhook_retry_due", ignore_result=True)
def webhook_retry_due() -> int:
    ids = webhook_due_delivery_ids()
    for delivery_id in ids:
        enqueue_delivery(delivery_id)
    return len(ids)


@current_app.on_after_finalize.connect
def _schedule_sweep(sender, **kwargs) -> None:
    sender.add_periodic_task(60.0, webhook_retry_due.s(), name="webhook retry sweep")
