"""Partner outlets: API keys and webhooks."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    name = models.CharField(_("نام"), max_length=200, unique=True)
    contact_email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("همکار")
        verbose_name_plural = _("همکاران")

    def __str__(self) -> str:
        return self.name


class APIKey(models.Model):
    """A partner key. Only its SHA-256 hash is stored; the prefix is shown to find it."""

    SCOPE_READ = "read"
    SCOPE_SUBMIT = "submit"
    SCOPES = (SCOPE_READ, SCOPE_SUBMIT)

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("کلید API")
        verbose_name_plural = _("کلیدهای API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class WebhookEndpoint(models.Model):
    EVENTS = ("claim.published", "claim.corrected")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=128, editable=False)
    # Secrets still signing during a rotation: [{"secret": "whsec_...", "expires_at": iso}].
    previous_secrets = models.JSONField(default=list, blank=True, editable=False)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "url"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "failed"

    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhookdelivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40]
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S} -> {outcome}"


class ArticleSubmission(models.Model):
    """An article a partner sent in (or sent again as a duplicate): what its status view may show."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="submissions")
    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, related_name="partner_submissions"
    )
    # A duplicate of an article the partner could not otherwise see (the desk's own, a
    # feed's, another partner's) is answered as if new: under an id of its own, drawn
    # from the articles' id sequence (so it looks like any new one), showing the title
    # and URL this partner sent. Null for the partner's own and for public articles.
    alias_id = models.BigIntegerField(null=True, blank=True, unique=True)
    sent_title = models.CharField(max_length=500, blank=True)
    sent_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "article"], name="articlesubmission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} -> {self.article_id}"
