"""Who makes claims: the source registry and its aliases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.extraction.normalize import normalize_key


class SourceKind(models.TextChoices):
    PERSON = "person", _("شخص")
    OFFICE = "office", _("مقام / سمت")
    ORGANISATION = "organisation", _("سازمان")
    GOVERNMENT_BODY = "government_body", _("نهاد دولتی")
    MILITARY_COMMAND = "military_command", _("فرماندهی نظامی")
    NEWS_AGENCY = "news_agency", _("خبرگزاری")
    MEDIA_GROUP = "media_group", _("رسانه")
    ARMED_GROUP = "armed_group", _("گروه مسلح")
    ANONYMOUS = "anonymous", _("منبع ناشناس")


class Source(models.Model):
    kind = models.CharField(_("نوع"), max_length=32, choices=SourceKind.choices)
    name_fa = models.CharField(_("نام فارسی"), max_length=300)
    name_en = models.CharField(_("نام انگلیسی"), max_length=300, blank=True)
    slug = models.SlugField(_("نشانی"), max_length=120, unique=True, allow_unicode=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("زیرمجموعهٔ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    affiliation = models.ForeignKey(
        "self",
        verbose_name=_("وابسته به"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliates",
    )
    country = models.CharField(
        _("کشور"), max_length=2, blank=True, help_text=_("کد دوحرفی کشور (ISO 3166-1)، مانند IR یا US")
    )
    description = models.TextField(_("توضیح"), blank=True)
    wikidata_id = models.CharField(_("شناسهٔ ویکی‌داده"), max_length=20, blank=True)
    # The field values a loader (registry files, Wikidata) last wrote. A field whose
    # value differs from these was changed by an editor, and loaders leave it alone.
    loaded = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("دادهٔ بارگذاری‌شده"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("زمان به‌روزرسانی"))

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("منبع")
        verbose_name_plural = _("منابع")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="source_wikidata_id_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name_fa

    def get_absolute_url(self) -> str:
        return f"/sources/{self.slug}/"


class SourceAlias(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("منبع")
    )
    text = models.CharField(_("نگارش"), max_length=300)
    key = models.CharField(_("کلید یکسان‌شده"), max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        ordering = ["text"]
        verbose_name = _("نام دیگر")
        verbose_name_plural = _("نام‌های دیگر")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="sourcealias_unique_key_per_source"),
            models.CheckConstraint(condition=~models.Q(key=""), name="sourcealias_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        # The key is derived from the written form, always with the one shared function.
        self.key = normalize_key(self.text)
        super().save(*args, **kwargs)


class Position(models.Model):
    """A person holding an office for a term: who ``رئیس‌جمهوری آمریکا`` was on a date."""

    class Origin(models.TextChoices):
        REGISTRY = "registry", _("داده‌های ثبت")
        WIKIDATA = "wikidata", _("ویکی‌داده")
        EDITOR = "editor", _("ویراستار")

    office = models.ForeignKey(
        Source,
        verbose_name=_("سمت"),
        on_delete=models.CASCADE,
        related_name="terms",
        limit_choices_to={"kind": "office"},
    )
    holder = models.ForeignKey(
        Source,
        verbose_name=_("دارندهٔ سمت"),
        on_delete=models.CASCADE,
        related_name="positions",
        limit_choices_to={"kind": "person"},
    )
    start = models.DateField(_("آغاز"))
    end = models.DateField(_("پایان"), null=True, blank=True)
    origin = models.CharField(_("خاستگاه"), max_length=16, choices=Origin.choices, default=Origin.EDITOR)
    # Where the term came from: a registry file, a Wikidata statement, an editor's name.
    provenance = models.CharField(_("منبع داده"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("زمان به‌روزرسانی"))

    class Meta:
        ordering = ["office_id", "start"]
        verbose_name = _("دورهٔ تصدی")
        verbose_name_plural = _("دوره‌های تصدی")
        constraints = [
            models.UniqueConstraint(fields=["office", "holder", "start"], name="position_unique_term"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="position_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["holder", "start"], name="position_holder_start")]

    def __str__(self) -> str:
        return f"{self.office} — {self.holder} ({self.start}–{self.end or ''})"


class SourceCandidate(models.Model):
    """A source name the extractor found that the registry does not know yet.

    Editors confirm it (create a Source), merge it into an existing Source (add
    an alias), or ignore it; it never becomes a Source silently."""

    class Status(models.TextChoices):
        OPEN = "open", _("در انتظار")
        CREATED = "created", _("منبع ساخته شد")
        MERGED = "merged", _("ادغام شد")
        IGNORED = "ignored", _("نادیده")

    text = models.CharField(_("نگارش"), max_length=300)
    key = models.CharField(max_length=300, unique=True, verbose_name=_("کلید"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True, verbose_name=_("وضعیت")
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("منبع")
    )
    occurrences = models.PositiveIntegerField(default=0, verbose_name=_("شمار دفعات"))
    # Another written form of the same name (``ترامپ`` of ``دونالد ترامپ``): the queue
    # shows the group once, and creating or merging it resolves every member.
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("گروه"),
    )
    # The token the name ends with, for grouping a surname with the full name.
    tail = models.CharField(max_length=100, blank=True, db_index=True, verbose_name=_("دنبالهٔ نام"))
    suggested_kind = models.CharField(
        _("نوع پیشنهادی"), max_length=32, blank=True, choices=SourceKind.choices
    )
    suggested_source = models.ForeignKey(
        Source,
        verbose_name=_("منبع پیشنهادی"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen_at = models.DateTimeField(auto_now_add=True, verbose_name=_("نخستین بار"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان رسیدگی"))

    class Meta:
        ordering = ["-occurrences", "text"]
        verbose_name = _("منبع ناشناخته")
        verbose_name_plural = _("منابع ناشناخته")

    def __str__(self) -> str:
        return self.text
