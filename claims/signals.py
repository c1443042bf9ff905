"""Signals of the claims app.

``verdict_changed`` is sent (after commit) whenever a claim is published or
corrected; the public cache and partner webhooks listen to it."""

from __future__ import annotations

from django.db.models.signals import post_migrate
from django.dispatch import Signal, receiver

# kwargs: claim_id (int), event ("claim.published" | "claim.corrected")
verdict_changed = Signal()


@receiver(post_migrate)
def _ensure_roles(sender, app_config=None, **kwargs) -> None:
    if app_config is not None and app_config.label == "claims":
        from claims.roles import ensure_roles

        ensure_roles()
