"""Statements: the same words of the same speaker, wherever they were reported.

A ``Statement`` groups the appearances (attributions) of one statement by one
speaker across articles and outlets: verbatim relays, light rewordings and wire
copies. Appearances join a statement automatically (speaker identity plus content
similarity, ``claims.services.statements``); editors confirm a group or split an
appearance off. A claim attaches to statements, so a verdict covers every
appearance of the statements it rates.

``ArticleBand`` is the near-duplicate index of whole articles (MinHash LSH over
word shingles, ``claims.services.copies``): a copy or light rewrite of an article
already held is linked to it (``Article.copy_of``) instead of producing a second
set of candidates.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    class State(models.TextChoices):
        AUTO = "auto", _("گروه‌بندی خودکار")
        CONFIRMED = "confirmed", _("تأییدشده به دست ویراستار")

    source = models.ForeignKey(
        "claims.Source",
        verbose_name=_("گوینده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    # The speaker as written (normalised) when the registry does not know them.
    speaker_key = models.CharField(max_length=300, blank=True, db_index=True, verbose_name=_("کلید گوینده"))
    speaker_text = models.CharField(_("گوینده (نگارش)"), max_length=300, blank=True)
    content_key = models.TextField(editable=False, verbose_name=_("کلید محتوا"))
    content_text = models.TextField(_("گفته"))
    claim = models.ForeignKey(
        "claims.Claim",
        verbose_name=_("ادعا"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    state = models.CharField(_("وضعیت"), max_length=16, choices=State.choices, default=State.AUTO)
    first_seen_at = models.DateTimeField(_("نخستین انتشار"))
    last_seen_at = models.DateTimeField(_("آخرین انتشار"))
    appearance_count = models.PositiveIntegerField(_("بازگویی‌ها"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        verbose_name = _("گفته")
        verbose_name_plural = _("گفته‌ها")
        indexes = [
            models.Index(fields=["source", "-last_seen_at"], name="statement_speaker_recent"),
            models.Index(fields=["speaker_key", "-last_seen_at"], name="statement_key_recent"),
        ]

    def __str__(self) -> str:
        return self.content_text[:80]


class StatementBand(models.Model):
    """LSH bands of a statement's wording, mixed with its speaker: an equal band means
    the same speaker and likely similar words (a B-tree lookup, whatever the corpus)."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="bands", verbose_name=_("گفته")
    )
    band = models.BigIntegerField(db_index=True, verbose_name=_("نوار"))

    class Meta:
        verbose_name = _("نوار گفته")
        verbose_name_plural = _("نوارهای گفته")
        constraints = [models.UniqueConstraint(fields=["statement", "band"], name="statementband_unique")]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.band}"


class ArticleBand(models.Model):
    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, related_name="copy_bands", verbose_name=_("خبر")
    )
    band = models.BigIntegerField(db_index=True, verbose_name=_("نوار"))

    class Meta:
        verbose_name = _("نوار خبر")
        verbose_name_plural = _("نوارهای خبر")
        constraints = [models.UniqueConstraint(fields=["article", "band"], name="articleband_unique")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.band}"
