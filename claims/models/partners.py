"""Partner outlets: API keys and webhooks."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    name = models.CharField(_("نام"), max_length=200, unique=True)
    contact_email = models.EmailField(blank=True, verbose_name=_("رایانامهٔ تماس"))
    active = models.BooleanField(default=True, verbose_name=_("فعال"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

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

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="keys", verbose_name=_("همکار")
    )
    name = models.CharField(max_length=100, blank=True, verbose_name=_("نام"))
    prefix = models.CharField(max_length=16, unique=True, verbose_name=_("پیشوند"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("درهم‌سازی کلید"))
    scopes = models.JSONField(default=list, verbose_name=_("دامنه‌ها"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان انقضا"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان ابطال"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("آخرین کاربرد"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

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

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("همکار")
    )
    url = models.URLField(max_length=2000, verbose_name=_("نشانی"))
    secret = models.CharField(max_length=128, editable=False, verbose_name=_("رمز امضا"))
    # Secrets still signing during a rotation: [{"secret": "whsec_...", "expires_at": iso}].
    previous_secrets = models.JSONField(
        default=list, blank=True, editable=False, verbose_name=_("رمزهای پیشین")
    )
    events = models.JSONField(default=list, verbose_name=_("رویدادها"))
    active = models.BooleanField(default=True, verbose_name=_("فعال"))
    disabled_reason = models.CharField(max_length=500, blank=True, verbose_name=_("دلیل غیرفعال‌شدن"))
    consecutive_failures = models.PositiveIntegerField(default=0, verbose_name=_("شکست‌های پیاپی"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        verbose_name = _("نشانی وب‌هوک")
        verbose_name_plural = _("نشانی‌های وب‌هوک")
        ordering = ["partner", "url"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("در انتظار")
        DELIVERED = "delivered", _("تحویل شد")
        FAILED = "failed", _("ناموفق")

    event_id = models.UUIDField(default=uuid.uuid4, editable=False, verbose_name=_("شناسهٔ رویداد"))
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("نشانی وب‌هوک")
    )
    event = models.CharField(max_length=64, verbose_name=_("رویداد"))
    payload = models.JSONField(verbose_name=_("محتوا"))
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, db_index=True, verbose_name=_("وضعیت")
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("شمار تلاش‌ها"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("تلاش بعدی"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان تحویل"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        verbose_name = _("ارسال وب‌هوک")
        verbose_name_plural = _("ارسال‌های وب‌هوک")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhookdelivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("ارسال")
    )
    attempted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان تلاش"))
    status_code = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("کد پاسخ"))
    error = models.TextField(blank=True, verbose_name=_("خطا"))
    duration_ms = models.PositiveIntegerField(default=0, verbose_name=_("مدت (میلی‌ثانیه)"))

    class Meta:
        verbose_name = _("تلاش ارسال وب‌هوک")
        verbose_name_plural = _("تلاش‌های ارسال وب‌هوک")
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40]
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S} -> {outcome}"


class ArticleSubmission(models.Model):
    """An article a partner sent in (or sent again as a duplicate): what its status view may show."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("همکار")
    )
    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, related_name="partner_submissions", verbose_name=_("خبر")
    )
    # A duplicate of an article the partner could not otherwise see (the desk's own, a
    # feed's, another partner's) is answered as if new: under an id of its own, drawn
    # from the articles' id sequence (so it looks like any new one), showing the title
    # and URL this partner sent. Null for the partner's own and for public articles.
    alias_id = models.BigIntegerField(null=True, blank=True, unique=True, verbose_name=_("شناسهٔ فرستاده"))
    sent_title = models.CharField(max_length=500, blank=True, verbose_name=_("عنوان فرستاده"))
    sent_url = models.URLField(max_length=2000, blank=True, verbose_name=_("نشانی فرستاده"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان دریافت"))

    class Meta:
        verbose_name = _("خبر فرستادهٔ همکار")
        verbose_name_plural = _("خبرهای فرستادهٔ همکاران")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "article"], name="articlesubmission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} -> {self.article_id}"
