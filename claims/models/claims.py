"""Claims: the propositions editors check, rate and publish."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    NEW = "new", _("تازه")
    IN_REVIEW = "in_review", _("در حال بررسی")
    RATED = "rated", _("داوری‌شده")
    SUBMITTED = "submitted", _("در انتظار تأیید انتشار")
    PUBLISHED = "published", _("منتشرشده")
    CORRECTED = "corrected", _("اصلاح‌شده")
    DISMISSED = "dismissed", _("کنار گذاشته")


# Statuses the public, the feeds and the partner API may see.
PUBLIC_STATUSES = (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED)


class Rating(models.TextChoices):
    TRUE = "true", _("درست")
    MOSTLY_TRUE = "mostly_true", _("عمدتاً درست")
    MISLEADING = "misleading", _("گمراه‌کننده")
    FALSE = "false", _("نادرست")
    UNVERIFIABLE = "unverifiable", _("غیرقابل راستی‌آزمایی")


# schema.org ClaimReview ratingValue (1 = worst, 5 = best). Unverifiable has no
# place on a truth scale, so it takes the middle value and says so in alternateName.
RATING_VALUES = {
    Rating.FALSE: 1,
    Rating.MISLEADING: 2,
    Rating.UNVERIFIABLE: 3,
    Rating.MOSTLY_TRUE: 4,
    Rating.TRUE: 5,
}

RATING_EXPLANATIONS = {
    Rating.TRUE: _("ادعا با شواهد موجود سازگار است و نکتهٔ مهمی از آن جا نیفتاده است."),
    Rating.MOSTLY_TRUE: _("ادعا در اساس درست است اما به توضیح یا جزئیات بیشتری نیاز دارد."),
    Rating.MISLEADING: _("بخشی از ادعا درست است اما به شکلی بیان شده که برداشت نادرست می‌سازد."),
    Rating.FALSE: _("ادعا با شواهد موجود در تضاد است."),
    Rating.UNVERIFIABLE: _("شواهد کافی و مستقل برای تأیید یا رد ادعا در دست نیست."),
}


class Claim(models.Model):
    text = models.TextField(_("متن ادعا"))
    # normalize_key(text): what search and matching compare.
    text_key = models.TextField(blank=True, editable=False, verbose_name=_("کلید متن"))
    slug = models.SlugField(_("نشانی"), max_length=120, allow_unicode=True)
    status = models.CharField(_("وضعیت"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.NEW)
    rating = models.CharField(_("داوری"), max_length=16, choices=Rating.choices, blank=True)
    rationale = models.TextField(_("استدلال"), blank=True)
    language = models.CharField(max_length=8, default="fa", verbose_name=_("زبان"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("مسئول"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("سازنده"),
    )
    # Set when a claim is merged into another; the merged claim is kept for history.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ادغام‌شده در"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("زمان به‌روزرسانی"))
    published_at = models.DateTimeField(_("زمان انتشار"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("ادعا")
        verbose_name_plural = _("ادعاها")
        permissions = [("publish_claim", "Can publish and correct claims")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["rated", "submitted", "published", "corrected"])
                | ~models.Q(rating=""),
                name="claim_rated_statuses_have_rating",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["published", "corrected"])
                | models.Q(published_at__isnull=False),
                name="claim_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="claim_public_list_idx"),
            models.Index(fields=["status", "-updated_at"], name="claim_desk_list_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"/claims/{self.slug}-{self.pk}/"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class ClaimEvent(models.Model):
    """Append-only history of a claim: who did what, when."""

    class Action(models.TextChoices):
        CREATED = "created", _("ساخته شد")
        EDITED = "edited", _("ویرایش شد")
        STATUS = "status", _("تغییر وضعیت")
        RATED = "rated", _("داوری شد")
        PUBLISHED = "published", _("منتشر شد")
        CORRECTED = "corrected", _("اصلاح شد")
        ASSIGNED = "assigned", _("واگذار شد")
        EVIDENCE = "evidence", _("شاهد افزوده شد")
        LINKED = "linked", _("انتساب پیوند شد")
        MERGED = "merged", _("ادغام شد")
        NOTE = "note", _("یادداشت")
        # A change to what the public sees of a published claim (a new appearance,
        # evidence, a merged draft, a corrected span), always public.
        UPDATED = "updated", _("به‌روزرسانی پس از انتشار")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events", verbose_name=_("ادعا"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("کاربر")
    )
    action = models.CharField(max_length=16, choices=Action.choices, verbose_name=_("رویداد"))
    # (with their choices, so that the admin shows them in Persian)
    from_status = models.CharField(
        max_length=16, blank=True, choices=ClaimStatus.choices, verbose_name=_("از وضعیت")
    )
    to_status = models.CharField(
        max_length=16, blank=True, choices=ClaimStatus.choices, verbose_name=_("به وضعیت")
    )
    from_rating = models.CharField(
        max_length=16, blank=True, choices=Rating.choices, verbose_name=_("از داوری")
    )
    to_rating = models.CharField(
        max_length=16, blank=True, choices=Rating.choices, verbose_name=_("به داوری")
    )
    note = models.TextField(blank=True, verbose_name=_("یادداشت"))
    # Corrections and updates after publication are public; every other note is
    # internal to the desk.
    public = models.BooleanField(default=False, verbose_name=_("عمومی"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("داده"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("زمان"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("رویداد ادعا")
        verbose_name_plural = _("تاریخچهٔ ادعاها")

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("ادعا")
    )
    url = models.URLField(
        _("نشانی (عمومی)"), max_length=2000, help_text=_("پس از انتشار ادعا روی صفحهٔ عمومی و در API می‌آید.")
    )
    title = models.CharField(
        _("عنوان (عمومی)"),
        max_length=500,
        blank=True,
        help_text=_("پس از انتشار ادعا روی صفحهٔ عمومی و در API می‌آید."),
    )
    summary = models.TextField(
        _("توضیح برای خواننده (عمومی)"),
        blank=True,
        help_text=_("پس از انتشار ادعا روی صفحهٔ عمومی و در API می‌آید."),
    )
    note = models.TextField(
        _("یادداشت داخلی"), blank=True, help_text=_("تنها در میز تحریریه دیده می‌شود؛ هرگز منتشر نمی‌شود.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("افزوده به دست"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان افزودن"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("شاهد")
        verbose_name_plural = _("شواهد")

    def __str__(self) -> str:
        return self.title or self.url


class ClaimMatch(models.Model):
    """A suggestion that an attribution states an existing claim, with its score."""

    attribution = models.ForeignKey(
        "claims.Attribution", on_delete=models.CASCADE, related_name="matches", verbose_name=_("انتساب")
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches", verbose_name=_("ادعا"))
    score = models.FloatField(verbose_name=_("امتیاز شباهت"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        verbose_name = _("پیشنهاد تطبیق")
        verbose_name_plural = _("پیشنهادهای تطبیق")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["attribution", "claim"], name="claimmatch_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1), name="claimmatch_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribution_id} ~ {self.claim_id} ({self.score:.2f})"


class ConsistencyFlag(models.Model):
    """Two appearances of one claim that give different quantities for the same thing."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="flags", verbose_name=_("ادعا"))
    first = models.ForeignKey(
        "claims.Attribution", on_delete=models.CASCADE, related_name="+", verbose_name=_("انتساب نخست")
    )
    second = models.ForeignKey(
        "claims.Attribution", on_delete=models.CASCADE, related_name="+", verbose_name=_("انتساب دوم")
    )
    unit = models.CharField(max_length=100, blank=True, verbose_name=_("یکا"))
    description = models.TextField(verbose_name=_("شرح"))
    resolved = models.BooleanField(default=False, verbose_name=_("بسته‌شده"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        verbose_name = _("ناسازگاری عددی")
        verbose_name_plural = _("ناسازگاری‌های عددی")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "first", "second", "unit"], name="consistencyflag_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class MatchKey(models.Model):
    """The candidate index of claim matching: one row per distinct normalised
    wording of a claim (its own text and each accepted appearance's content),
    with who said it and when.

    New attributions are compared with these rows only, never with the
    attribution table, so matching costs the same at any corpus size. Two
    bounded lookups feed it: the same speaker within a time window (B-tree on
    ``source, seen_at``), then the keys sharing MinHash LSH bands with the new
    content (``MatchBand``, B-tree on ``band``); the few candidates are then scored
    exactly (trigram similarity, as ``pg_trgm`` computes it)."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="match_keys", verbose_name=_("ادعا")
    )
    key = models.TextField(verbose_name=_("کلید"))
    source = models.ForeignKey(
        "claims.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("منبع"),
    )
    seen_at = models.DateTimeField(verbose_name=_("زمان دیده‌شدن"))

    class Meta:
        verbose_name = _("کلید تطبیق")
        verbose_name_plural = _("کلیدهای تطبیق")
        constraints = [
            models.UniqueConstraint(fields=["claim", "key", "source"], name="matchkey_unique"),
        ]
        indexes = [models.Index(fields=["source", "seen_at"], name="matchkey_speaker_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.key[:60]}"


class MatchBand(models.Model):
    """The LSH bands of a ``MatchKey`` (``claims.services.minhash.bands``): keys
    that share a band are candidates for each other."""

    key = models.ForeignKey(
        MatchKey, on_delete=models.CASCADE, related_name="bands", verbose_name=_("کلید تطبیق")
    )
    band = models.BigIntegerField(verbose_name=_("نوار"))

    class Meta:
        verbose_name = _("نوار تطبیق")
        verbose_name_plural = _("نوارهای تطبیق")
        indexes = [models.Index(fields=["band", "key"], name="matchband_band_idx")]

    def __str__(self) -> str:
        return f"{self.key_id}: {self.band}"


class ClaimFigure(models.Model):
    """One distinct set of figures a claim's appearances gave for one unit
    ("58 + 83 حمله"), with the appearance that first gave it.

    The consistency check compares a new appearance with these rows (a few per
    unit, capped) instead of with every member of the claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures", verbose_name=_("ادعا"))
    unit = models.CharField(max_length=100, verbose_name=_("یکا"))
    # The sorted values, e.g. "58|83": two appearances with one signature agree.
    signature = models.CharField(max_length=200, verbose_name=_("امضا"))
    values = models.JSONField(default=list, verbose_name=_("مقدارها"))
    attribution = models.ForeignKey(
        "claims.Attribution", on_delete=models.CASCADE, related_name="+", verbose_name=_("انتساب")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان ساخت"))

    class Meta:
        verbose_name = _("عدد ادعا")
        verbose_name_plural = _("عددهای ادعا")
        constraints = [
            models.UniqueConstraint(fields=["claim", "unit", "signature"], name="claimfigure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.unit}: {self.signature}"


class ClaimChangeProposal(models.Model):
    """An editor's proposed change to a published claim, waiting for a senior editor:
    a new appearance (``link``) or a draft claim merged into it (``merge``)."""

    class Kind(models.TextChoices):
        LINK = "link", _("پیوند نقل تازه")
        MERGE = "merge", _("ادغام ادعای پیش‌نویس")

    class State(models.TextChoices):
        OPEN = "open", _("در انتظار دبیر ارشد")
        ACCEPTED = "accepted", _("پذیرفته شد")
        REJECTED = "rejected", _("رد شد")

    claim = models.ForeignKey(
        Claim, verbose_name=_("ادعای منتشرشده"), on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(_("نوع"), max_length=8, choices=Kind.choices)
    attribution = models.ForeignKey(
        "claims.Attribution",
        verbose_name=_("انتساب"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    source_claim = models.ForeignKey(
        Claim,
        verbose_name=_("ادعای پیش‌نویس"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(_("توضیح"), blank=True)
    state = models.CharField(_("وضعیت"), max_length=8, choices=State.choices, default=State.OPEN)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("پیشنهاددهنده"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("تصمیم‌گیرنده"),
    )
    decision_note = models.TextField(_("یادداشت تصمیم"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("زمان پیشنهاد"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("زمان تصمیم"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("پیشنهاد تغییر ادعای منتشرشده")
        verbose_name_plural = _("پیشنهادهای تغییر ادعای منتشرشده")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="link", attribution__isnull=False, source_claim__isnull=True)
                    | models.Q(kind="merge", attribution__isnull=True, source_claim__isnull=False)
                ),
                name="proposal_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["attribution"],
                condition=models.Q(state="open"),
                name="proposal_one_open_per_attribution",
            ),
            models.UniqueConstraint(
                fields=["source_claim"], condition=models.Q(state="open"), name="proposal_one_open_per_draft"
            ),
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="proposal_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.claim_id} ({self.get_state_display()})"
