"""RSS and Atom feeds polled for new articles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feed(models.Model):
    class Kind(models.TextChoices):
        RSS = "rss", _("RSS / Atom")
        TELEGRAM = "telegram", _("کانال تلگرام")

    url = models.URLField(_("نشانی خوراک"), max_length=2000, unique=True)
    kind = models.CharField(_("نوع"), max_length=16, choices=Kind.choices, default=Kind.RSS)
    title = models.CharField(_("عنوان"), max_length=300, blank=True)
    publisher = models.ForeignKey(
        "claims.Source", verbose_name=_("ناشر"), null=True, blank=True, on_delete=models.SET_NULL
    )
    active = models.BooleanField(_("فعال"), default=True)
    etag = models.CharField(max_length=300, blank=True, verbose_name=_("برچسب نسخه (ETag)"))
    last_modified = models.CharField(max_length=100, blank=True, verbose_name=_("آخرین تغییر (سرآیند)"))
    last_polled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("آخرین خواندن"))
    last_error = models.TextField(blank=True, verbose_name=_("آخرین خطا"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        ordering = ["url"]
        verbose_name = _("خوراک")
        verbose_name_plural = _("خوراک‌ها")

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """An item already seen in a feed, so it is ingested once."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries", verbose_name=_("خوراک"))
    guid = models.CharField(max_length=1000, verbose_name=_("شناسهٔ مدخل"))
    article = models.ForeignKey(
        "claims.Article", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("خبر")
    )
    seen_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان دیده‌شدن"))

    class Meta:
        verbose_name = _("مدخل خوراک")
        verbose_name_plural = _("مدخل‌های خوراک")
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feedentry_unique_guid")]

    def __str__(self) -> str:
        return self.guid
