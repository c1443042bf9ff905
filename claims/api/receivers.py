"""Partner webhooks and the API response cache react to published and corrected verdicts.

Also: a key's cached identity is dropped whenever the key or its partner changes (so a
revocation in the admin takes effect on the next request), and an endpoint created in
the admin gets a signing secret."""

from __future__ import annotations

import logging

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from claims.api.auth import forget_key
from claims.api.cache import bump_generation
from claims.models import APIKey, Attribution, Claim, Evidence, Partner, Source, WebhookEndpoint
from claims.signals import verdict_changed

logger = logging.getLogger("claims.api")


@receiver(verdict_changed, dispatch_uid="api_verdict_changed")
def on_verdict_changed(sender, claim_id: int, event: str, **kwargs) -> None:
    # Sent after commit: the verdict is saved whatever happens here, so never raise.
    try:
        bump_generation()
    except Exception:
        logger.exception("could not invalidate the API cache after %s of claim %s", event, claim_id)
    try:
        from claims.services.webhooks import webhook_deliveries_create

        webhook_deliveries_create(claim_id=claim_id, event=event)
    except Exception:
        logger.exception("could not create webhook deliveries for %s of claim %s", event, claim_id)


def _shows_in_the_api(sender, instance, update_fields) -> bool:
    """Whether a saved row can change an answer. The desk works all day on candidates and
    claims the public cannot see; those leave the cache alone."""
    from claims.cache import public_claim_ids
    from claims.models.claims import PUBLIC_STATUSES

    if sender in (Attribution, Evidence):
        # A fresh candidate, in no claim, or one in a claim that is not public.
        return bool(public_claim_ids(instance.claim_id))
    if sender is Claim and instance.status not in PUBLIC_STATUSES:
        # Not public now; public before only if this very save changed the status.
        return update_fields is None or "status" in update_fields
    return True


def _invalidate(sender, instance, **kwargs) -> None:
    if not _shows_in_the_api(sender, instance, kwargs.get("update_fields")):
        return
    try:
        bump_generation()
    except Exception:
        logger.exception("could not invalidate the API cache")


for _model in (Claim, Evidence, Source, Attribution):
    post_save.connect(_invalidate, sender=_model, dispatch_uid=f"api_cache_save_{_model.__name__}")
    post_delete.connect(_invalidate, sender=_model, dispatch_uid=f"api_cache_delete_{_model.__name__}")


@receiver(post_save, sender=APIKey, dispatch_uid="api_key_saved")
@receiver(post_delete, sender=APIKey, dispatch_uid="api_key_deleted")
def on_key_changed(sender, instance: APIKey, **kwargs) -> None:
    forget_key(instance.key_hash)


@receiver(post_save, sender=Partner, dispatch_uid="api_partner_saved")
def on_partner_changed(sender, instance: Partner, **kwargs) -> None:
    for key_hash in APIKey.objects.filter(partner=instance).values_list("key_hash", flat=True):
        forget_key(key_hash)


@receiver(pre_save, sender=WebhookEndpoint, dispatch_uid="api_webhook_secret")
def ensure_webhook_secret(sender, instance: WebhookEndpoint, **kwargs) -> None:
    if not instance.secret:
        from claims.services.webhooks import new_webhook_secret

        instance.secret = new_webhook_secret()
