"""Fact-checks published by other organisations, imported as ClaimReview.

Kept apart from the desk's own verdicts on purpose: an ``ExternalReview`` is never
a ``Claim``, never rated by the desk, never on the public pages or in the partner
API. Editors see it beside a claim it matches ("already checked by ...") and find
it in the desk's search.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalReview(models.Model):
    url = models.URLField(_("نشانی بررسی"), max_length=2000, unique=True)
    publisher_name = models.CharField(_("راستی‌آزما"), max_length=300)
    publisher_url = models.URLField(_("نشانی راستی‌آزما"), max_length=2000, blank=True)
    claim_reviewed = models.TextField(_("ادعای بررسی‌شده"))
    claimant = models.CharField(_("گوینده"), max_length=300, blank=True)
    rating_name = models.CharField(_("داوری"), max_length=200, blank=True)
    rating_value = models.FloatField(_("امتیاز"), null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True, verbose_name=_("بالاترین داوری"))
    worst_rating = models.FloatField(null=True, blank=True, verbose_name=_("پایین‌ترین داوری"))
    date_published = models.DateTimeField(_("تاریخ انتشار بررسی"), null=True, blank=True)
    language = models.CharField(_("زبان"), max_length=20, blank=True)
    appearance_urls = models.JSONField(_("نشانی‌های ادعا"), default=list, blank=True)
    # The ClaimReview object as it was read, for provenance.
    raw = models.JSONField(default=dict, verbose_name=_("دادهٔ خام"))
    # Normalised claim text and claimant (claims.extraction.normalize.normalize_key) for search.
    search_key = models.TextField(editable=False, default="", verbose_name=_("کلید جست‌وجو"))
    source_url = models.CharField(_("از کجا وارد شد"), max_length=2000, blank=True)
    imported_at = models.DateTimeField(_("زمان ورود"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("زمان به‌روزرسانی"))

    class Meta:
        ordering = ["-date_published", "-imported_at"]
        verbose_name = _("بررسی راستی‌آزمای دیگر")
        verbose_name_plural = _("بررسی‌های راستی‌آزمایان دیگر")

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.claim_reviewed[:60]}"
