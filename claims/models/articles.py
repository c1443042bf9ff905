"""Articles as they came in, and the attributions extracted from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from claims.extraction.normalize import normalize_key


class ArticleState(models.TextChoices):
    # A URL submission waiting for its page: a task fetches it, off the request path.
    FETCHING = "fetching", _("در حال دریافت")
    QUEUED = "queued", _("در صف")
    PROCESSING = "processing", _("در حال پردازش")
    DONE = "done", _("انجام شد")
    FAILED = "failed", _("ناموفق")


class IngestJob(models.Model):
    """One upload or batch from the editors' desk, so its progress can be shown."""

    class State(models.TextChoices):
        RUNNING = "running", _("در حال اجرا")
        DONE = "done", _("پایان یافت")
        FAILED = "failed", _("ناموفق")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("بارگذار")
    )
    filename = models.CharField(max_length=300, blank=True, verbose_name=_("نام پرونده"))
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.RUNNING, verbose_name=_("وضعیت")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("شمار سطرها"))
    processed = models.PositiveIntegerField(default=0, verbose_name=_("سطرهای خوانده‌شده"))
    new = models.PositiveIntegerField(default=0, verbose_name=_("خبرهای تازه"))
    duplicate = models.PositiveIntegerField(default=0, verbose_name=_("خبرهای تکراری"))
    failed = models.PositiveIntegerField(default=0, verbose_name=_("سطرهای ناموفق"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("خطاهای سطرها"))
    # Why the whole job stopped (state failed); per-row errors go to ``errors``.
    error = models.TextField(blank=True, verbose_name=_("خطا"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان بارگذاری"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان پایان"))

    class Meta:
        verbose_name = _("بارگذاری")
        verbose_name_plural = _("بارگذاری‌ها")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or 'batch'} ({self.processed}/{self.total})"


class IngestRow(models.Model):
    """One parsed row of an upload, waiting in the database (which every worker
    can read) until the job's task has ingested it; deleted once read.
    ``position`` counts from 0 in upload order; the job's ``processed`` is the
    cursor: rows below it are done."""

    job = models.ForeignKey(
        IngestJob, on_delete=models.CASCADE, related_name="rows", verbose_name=_("بارگذاری")
    )
    position = models.PositiveIntegerField(verbose_name=_("جایگاه"))
    line = models.PositiveIntegerField(verbose_name=_("شمارهٔ سطر"))
    record = models.JSONField(default=dict, verbose_name=_("دادهٔ سطر"))

    class Meta:
        verbose_name = _("سطر بارگذاری")
        verbose_name_plural = _("سطرهای بارگذاری")
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="ingestrow_job_position")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.position}"


class Article(models.Model):
    class Origin(models.TextChoices):
        TEXT = "text", _("متن")
        URL = "url", _("نشانی")
        FEED = "feed", _("خوراک")
        API = "api", _("API همکار")
        UI = "ui", _("میز تحریریه")

    text = models.TextField(_("متن"))
    title = models.CharField(_("عنوان"), max_length=500, blank=True)
    # NULL, not "", when absent, so the unique constraint applies only to real URLs.
    url = models.URLField(_("نشانی"), max_length=2000, null=True, blank=True)  # noqa: DJ001
    publisher = models.ForeignKey(
        "claims.Source",
        verbose_name=_("ناشر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_articles",
    )
    published_at = models.DateTimeField(_("زمان انتشار"), null=True, blank=True)
    content_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("اثر انگشت متن")
    )
    state = models.CharField(
        _("وضعیت"), max_length=16, choices=ArticleState.choices, default=ArticleState.QUEUED
    )
    error = models.TextField(_("خطا"), blank=True)
    extractor_version = models.CharField(max_length=32, blank=True, verbose_name=_("نسخهٔ استخراج‌گر"))
    origin = models.CharField(
        max_length=8, choices=Origin.choices, default=Origin.TEXT, verbose_name=_("راه ورود")
    )
    feed = models.ForeignKey(
        "claims.Feed",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("خوراک"),
    )
    job = models.ForeignKey(
        IngestJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name=_("بارگذاری"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("فرستنده"),
    )
    ingested_at = models.DateTimeField(_("زمان دریافت"), auto_now_add=True, db_index=True)
    extracted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان استخراج"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("شمار تلاش‌ها"))
    # When claim matching last ran on this extraction (it runs after the
    # extraction commits); NULL for a done article means matching is owed.
    matched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان تطبیق"))
    # Attributions of this article left out of matching by the per-article cap.
    match_skipped = models.PositiveIntegerField(default=0, verbose_name=_("نقل‌های تطبیق‌نشده"))
    # The desk's order ("newest first" by publication, else by arrival), stored
    # by the database so the inbox walks an index instead of sorting every article.
    sort_at = models.GeneratedField(
        expression=Coalesce("published_at", "ingested_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
        verbose_name=_("زمان مرتب‌سازی"),
    )
    # A copy or light rewrite of an article already held (its own URL, outlet and time).
    copy_of = models.ForeignKey(
        "self",
        verbose_name=_("رونوشت از"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    copy_similarity = models.FloatField(null=True, blank=True, verbose_name=_("همانندی با خبر اصلی"))
    # MinHash signature of the text's word shingles (claims.services.copies).
    shingle_signature = models.JSONField(
        default=list, blank=True, editable=False, verbose_name=_("امضای همانندی")
    )
    # Where a relayed copy came from (a forwarded Telegram post's origin channel),
    # as written and, when the registry knows it, as a Source.
    relayed_from_name = models.CharField(_("بازنشر از"), max_length=300, blank=True)
    relayed_from = models.ForeignKey(
        "claims.Source",
        verbose_name=_("منبع بازنشر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relayed_articles",
    )
    # normalize_key(title + text): what desk search compares, through a pg_trgm
    # GIN index (migration 0009), so every spelling of a word finds the article.
    search_key = models.TextField(default="", blank=True, editable=False, verbose_name=_("کلید جست‌وجو"))

    class Meta:
        ordering = ["-ingested_at"]
        verbose_name = _("خبر")
        verbose_name_plural = _("خبرها")
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=models.Q(url__isnull=False), name="article_unique_url"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-ingested_at"], name="article_state_idx"),
            models.Index(fields=["state", "-sort_at", "-id"], name="article_inbox_idx"),
            models.Index(
                fields=["extracted_at"],
                condition=models.Q(state="done", matched_at__isnull=True),
                name="article_unmatched_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    def save(self, *args, **kwargs) -> None:
        # The search key follows the title and text however the row is written
        # (a save that names only other fields leaves it alone).
        fields = kwargs.get("update_fields")
        if fields is None or {"title", "text"} & set(fields):
            self.search_key = self.search_key_for(title=self.title, text=self.text)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "search_key"}
        super().save(*args, **kwargs)

    @staticmethod
    def search_key_for(*, title: str, text: str) -> str:
        return normalize_key(f"{title}\n{text}")


class AttributionKind(models.TextChoices):
    DIRECT = "direct", _("نقل مستقیم")
    INDIRECT = "indirect", _("نقل غیرمستقیم")
    MIXED = "mixed", _("آمیخته")
    ACCORDING_TO = "according_to", _("به گزارش / به نقل از")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("در انتظار بررسی")
    ACCEPTED = "accepted", _("پذیرفته")
    DISMISSED = "dismissed", _("رد شده")
    # In a wire copy of an article already held: an appearance, never a candidate to review.
    COPY = "copy", _("رونوشت")


class Attribution(models.Model):
    """One appearance of a claim: who said what, in which article, at which offsets."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attributions", verbose_name=_("خبر")
    )
    source_text = models.CharField(_("منبع"), max_length=1000)
    source_start = models.PositiveIntegerField(verbose_name=_("آغاز منبع"))
    source_end = models.PositiveIntegerField(verbose_name=_("پایان منبع"))
    source_resolved = models.CharField(_("نام منبع"), max_length=300, blank=True)
    source = models.ForeignKey(
        "claims.Source",
        verbose_name=_("منبع ثبت‌شده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributions",
    )
    # The office the source spoke for (``وزیر امور خارجه ایران``), when the span or its
    # antecedent named one; ``source`` is then the person who held it on the date.
    office = models.ForeignKey(
        "claims.Source",
        verbose_name=_("سمت"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="office_attributions",
    )
    source_candidate = models.ForeignKey(
        "claims.SourceCandidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributions",
        verbose_name=_("منبع ناشناخته"),
    )
    cue_text = models.CharField(_("فعل گزارشی"), max_length=300)
    cue_start = models.PositiveIntegerField(verbose_name=_("آغاز فعل"))
    cue_end = models.PositiveIntegerField(verbose_name=_("پایان فعل"))
    kind = models.CharField(_("نوع"), max_length=16, choices=AttributionKind.choices)
    content_text = models.TextField(_("محتوا"))
    content_start = models.PositiveIntegerField(verbose_name=_("آغاز محتوا"))
    content_end = models.PositiveIntegerField(verbose_name=_("پایان محتوا"))
    # normalize_key(content_text): what claim matching and search compare.
    content_key = models.TextField(blank=True, editable=False, verbose_name=_("کلید محتوا"))
    via_text = models.CharField(_("به نقل از"), max_length=300, blank=True)
    via_start = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("آغاز بازنشر"))
    via_end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("پایان بازنشر"))
    via_source = models.ForeignKey(
        "claims.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relayed_attributions",
        verbose_name=_("منبع بازنشر"),
    )
    confidence = models.FloatField(default=0.0, verbose_name=_("اطمینان"))
    hedged = models.BooleanField(_("منبع مبهم"), default=False)
    quantities = models.JSONField(default=list, blank=True, verbose_name=_("اعداد"))
    dates = models.JSONField(default=list, blank=True, verbose_name=_("تاریخ‌ها"))
    review_state = models.CharField(
        _("وضعیت بررسی"), max_length=16, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    dismiss_reason = models.CharField(_("دلیل رد"), max_length=500, blank=True)
    statement = models.ForeignKey(
        "claims.Statement",
        verbose_name=_("گفته"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appearances",
    )
    claim = models.ForeignKey(
        "claims.Claim",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributions",
        verbose_name=_("ادعا"),
    )
    extractor_version = models.CharField(max_length=32, blank=True, verbose_name=_("نسخهٔ استخراج‌گر"))
    # Set when an editor corrected a span or the source by hand.
    edited = models.BooleanField(default=False, verbose_name=_("ویرایش‌شده"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("بررسی‌کننده"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان بررسی"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        ordering = ["article_id", "content_start", "id"]
        verbose_name = _("انتساب")
        verbose_name_plural = _("انتساب‌ها")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_start__lte=models.F("source_end")),
                name="attribution_source_offsets",
            ),
            models.CheckConstraint(
                condition=models.Q(cue_start__lte=models.F("cue_end")), name="attribution_cue_offsets"
            ),
            models.CheckConstraint(
                condition=models.Q(content_start__lte=models.F("content_end")),
                name="attribution_content_offsets",
            ),
            models.CheckConstraint(
                condition=models.Q(via_start__isnull=True) | models.Q(via_start__lte=models.F("via_end")),
                name="attribution_via_offsets",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="attribution_confidence_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in AttributionKind]), name="attribution_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "article"], name="attribution_queue_idx"),
            models.Index(fields=["claim", "review_state"], name="attribution_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_text}: {self.content_text[:60]}"
