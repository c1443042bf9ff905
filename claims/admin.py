"""Django admin for every model: search, filters and inline aliases.

What a reader of a published claim sees (its text, rating, rationale, evidence,
appearances and their quotes, and the articles they quote) is read-only here:
it changes only in the desk, through the services in ``claims.services.claims``
that a senior editor triggers and that write the public history, invalidate the
caches and send the webhook. Links between records (an appearance's claim, a
merge) are never edited here for the same reason, and nothing public can be
deleted from the admin."""

from django.apps import apps
from django.contrib import admin

from claims import models as m
from claims.admin_persian import PersianDatesAdmin
from claims.models.claims import PUBLIC_STATUSES
from claims.templatetags.fa import country_name


class ModelAdmin(PersianDatesAdmin, admin.ModelAdmin):
    """Every admin here: Jalali dates beside ISO ones (claims.admin_persian)."""


class TabularInline(PersianDatesAdmin, admin.TabularInline):
    pass


class CountryFilter(admin.SimpleListFilter):
    """Countries by their Persian names (the codes are for machines)."""

    title = "کشور"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("country", flat=True).distinct()
        named = sorted(((c, country_name(c)) for c in codes if c), key=lambda pair: pair[1])
        return [*named, ("-", "بی‌کشور")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "-":
            return queryset.filter(country="")
        return queryset.filter(country=value) if value else queryset


def _editable_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if f.editable and not f.auto_created)


def _public_claim(claim) -> bool:
    return claim is not None and claim.is_public


def _in_public_claim(article) -> bool:
    return m.Attribution.objects.filter(article=article, claim__status__in=PUBLIC_STATUSES).exists()


class NoBulkDeleteMixin:
    """The changelist's "delete selected" skips the per-object checks below."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class SourceAliasInline(TabularInline):
    model = m.SourceAlias
    extra = 1
    fields = ("text", "key")
    readonly_fields = ("key",)


class _EditorTerm:
    """A term saved in the admin is an editor's: registry loaders leave it alone."""

    @staticmethod
    def mark(obj: m.Position, user) -> None:
        obj.origin = m.Position.Origin.EDITOR
        obj.provenance = f"editor:{getattr(user, 'username', '')}"[:300]


class _TermInline(TabularInline):
    model = m.Position
    extra = 0
    readonly_fields = ("origin", "provenance")


class PositionInline(_TermInline):
    """On an office's page: who held it, and when."""

    fk_name = "office"
    fields = ("holder", "start", "end", "origin", "provenance")
    autocomplete_fields = ("holder",)
    verbose_name_plural = "دارندگان این سمت"


class PositionHeldInline(_TermInline):
    """On a person's page: the offices the person held, and when."""

    fk_name = "holder"
    fields = ("office", "start", "end", "origin", "provenance")
    autocomplete_fields = ("office",)
    verbose_name_plural = "سمت‌های این شخص"


@admin.register(m.Position)
class PositionAdmin(ModelAdmin):
    list_display = ("office", "holder", "start", "end", "origin", "provenance")
    list_filter = ("origin",)
    search_fields = ("office__name_fa", "office__name_en", "holder__name_fa", "holder__name_en")
    autocomplete_fields = ("office", "holder")
    readonly_fields = ("origin", "provenance")
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        _EditorTerm.mark(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(m.Source)
class SourceAdmin(ModelAdmin):
    list_display = ("name_fa", "name_en", "kind", "parent", "affiliation", "country", "slug")
    list_filter = ("kind", CountryFilter)
    search_fields = ("name_fa", "name_en", "slug", "aliases__text", "aliases__key")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent", "affiliation")
    inlines = [SourceAliasInline, PositionInline, PositionHeldInline]

    def get_inlines(self, request, obj):
        # An office lists its holders, a person the offices held; other kinds hold no terms.
        kind = obj.kind if obj is not None else None
        terms = {m.SourceKind.OFFICE: PositionInline, m.SourceKind.PERSON: PositionHeldInline}.get(kind)
        return [SourceAliasInline, terms] if terms else [SourceAliasInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is m.Position:
            for obj in formset.save(commit=False):
                _EditorTerm.mark(obj, request.user)
                obj.save()
            for obj in formset.deleted_objects:
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(m.SourceAlias)
class SourceAliasAdmin(ModelAdmin):
    list_display = ("text", "key", "source")
    search_fields = ("text", "key", "source__name_fa", "source__name_en")
    list_filter = ("source__kind",)
    autocomplete_fields = ("source",)
    readonly_fields = ("key",)


@admin.register(m.SourceCandidate)
class SourceCandidateAdmin(ModelAdmin):
    list_display = (
        "text",
        "status",
        "occurrences",
        "suggested_kind",
        "suggested_source",
        "group",
        "first_seen_at",
    )
    list_filter = ("status", "suggested_kind")
    search_fields = ("text", "key")
    autocomplete_fields = ("source", "suggested_source")
    raw_id_fields = ("group",)


class AttributionInline(TabularInline):
    model = m.Attribution
    extra = 0
    fields = ("source_text", "cue_text", "kind", "content_text", "review_state", "claim")
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(m.Article)
class ArticleAdmin(NoBulkDeleteMixin, ModelAdmin):
    list_display = (
        "__str__",
        "publisher",
        "state",
        "origin",
        "published_at",
        "ingested_at",
        "extractor_version",
    )
    list_filter = ("state", "origin", "extractor_version", "ingested_at")
    search_fields = ("title", "url", "text", "content_hash")
    autocomplete_fields = ("publisher",)
    readonly_fields = ("content_hash", "ingested_at", "extracted_at", "extractor_version", "attempts")
    date_hierarchy = "ingested_at"
    inlines = [AttributionInline]

    def readonly_names(self, request, obj=None):
        if obj is not None and _in_public_claim(obj):
            return _editable_fields(m.Article) + tuple(self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and _in_public_claim(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(m.Attribution)
class AttributionAdmin(NoBulkDeleteMixin, ModelAdmin):
    list_display = (
        "source_text",
        "cue_text",
        "kind",
        "review_state",
        "hedged",
        "confidence",
        "article",
        "claim",
    )
    list_filter = ("review_state", "kind", "hedged", "extractor_version")
    search_fields = ("source_text", "content_text", "cue_text", "source_resolved")
    autocomplete_fields = ("source", "via_source")
    raw_id_fields = ("article", "source_candidate")
    # Which claim an appearance belongs to changes in the desk only (link, dismiss,
    # merge), which writes the claim's history.
    readonly_fields = ("claim", "review_state")

    def readonly_names(self, request, obj=None):
        if obj is not None and _public_claim(obj.claim):
            return _editable_fields(m.Attribution)
        return self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return False  # appearances come from extraction

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and _public_claim(obj.claim):
            return False
        return super().has_delete_permission(request, obj)


class EvidenceInline(TabularInline):
    model = m.Evidence
    extra = 0
    fields = ("url", "title", "summary", "note")

    # ``obj`` is the claim: evidence of a published claim is added in the desk by a
    # senior editor (with a public history entry), never changed here.
    def has_add_permission(self, request, obj=None) -> bool:
        return not _public_claim(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _public_claim(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _public_claim(obj) and super().has_delete_permission(request, obj)


class ClaimEventInline(TabularInline):
    model = m.ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = (
        "actor",
        "action",
        "from_status",
        "to_status",
        "from_rating",
        "to_rating",
        "note",
        "public",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Claim)
class ClaimAdmin(NoBulkDeleteMixin, ModelAdmin):
    list_display = ("__str__", "status", "rating", "assignee", "published_at", "updated_at")
    list_filter = ("status", "rating", "language")
    search_fields = ("text", "text_key", "rationale", "slug")
    autocomplete_fields = ("assignee",)
    readonly_fields = ("status", "published_at", "text_key", "merged_into")
    inlines = [EvidenceInline, ClaimEventInline]

    def readonly_names(self, request, obj=None):
        if _public_claim(obj):
            # Everything a reader sees; only the assignee stays editable.
            return tuple(f for f in _editable_fields(m.Claim) if f != "assignee") + tuple(
                self.readonly_fields
            )
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        if _public_claim(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(m.ClaimEvent)
class ClaimEventAdmin(ModelAdmin):
    """Read-only: the history is append-only."""

    list_display = (
        "claim",
        "action",
        "actor",
        "from_status",
        "to_status",
        "to_rating",
        "public",
        "created_at",
    )
    list_filter = ("action", "public")
    search_fields = ("note", "claim__text")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.Evidence)
class EvidenceAdmin(NoBulkDeleteMixin, ModelAdmin):
    list_display = ("title", "url", "claim", "added_by", "created_at")
    search_fields = ("title", "url", "summary", "note")
    raw_id_fields = ("claim",)
    readonly_fields = ("claim", "added_by")

    def has_add_permission(self, request) -> bool:
        return False  # added in the desk, which writes the claim's history

    def readonly_names(self, request, obj=None):
        if obj is not None and _public_claim(obj.claim):
            return _editable_fields(m.Evidence)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and _public_claim(obj.claim):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(m.ClaimChangeProposal)
class ClaimChangeProposalAdmin(ModelAdmin):
    """Read-only: proposals are made and decided in the desk (/review/proposals/)."""

    list_display = ("__str__", "kind", "state", "proposed_by", "decided_by", "created_at")
    list_filter = ("state", "kind")
    search_fields = ("claim__text", "note")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.ClaimMatch)
class ClaimMatchAdmin(ModelAdmin):
    list_display = ("attribution", "claim", "score", "created_at")
    raw_id_fields = ("attribution", "claim")
    search_fields = ("claim__text",)


@admin.register(m.ConsistencyFlag)
class ConsistencyFlagAdmin(ModelAdmin):
    list_display = ("claim", "unit", "description", "resolved", "created_at")
    list_filter = ("resolved",)
    search_fields = ("description", "claim__text")
    raw_id_fields = ("claim", "first", "second")


class _DerivedAdmin(ModelAdmin):
    """Rows the matching services derive and rebuild (``claims.services.matching``):
    shown for inspection, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.MatchKey)
class MatchKeyAdmin(_DerivedAdmin):
    list_display = ("claim", "key", "source", "seen_at")
    raw_id_fields = ("claim", "source")
    search_fields = ("key",)


@admin.register(m.MatchBand)
class MatchBandAdmin(_DerivedAdmin):
    list_display = ("key", "band")
    raw_id_fields = ("key",)


@admin.register(m.ClaimFigure)
class ClaimFigureAdmin(_DerivedAdmin):
    list_display = ("claim", "unit", "signature", "attribution", "created_at")
    raw_id_fields = ("claim", "attribution")


@admin.register(m.IngestJob)
class IngestJobAdmin(ModelAdmin):
    list_display = ("filename", "state", "total", "processed", "new", "duplicate", "failed", "created_at")
    list_filter = ("state",)
    search_fields = ("filename",)


class FeedEntryInline(TabularInline):
    model = m.FeedEntry
    extra = 0
    readonly_fields = ("guid", "article", "seen_at")


@admin.register(m.Feed)
class FeedAdmin(ModelAdmin):
    list_display = ("__str__", "kind", "publisher", "active", "last_polled_at", "last_error")
    list_filter = ("kind", "active")
    search_fields = ("url", "title")
    autocomplete_fields = ("publisher",)
    readonly_fields = ("etag", "last_modified", "last_polled_at", "last_error")


@admin.register(m.FeedEntry)
class FeedEntryAdmin(ModelAdmin):
    list_display = ("guid", "feed", "article", "seen_at")
    search_fields = ("guid",)
    list_filter = ("feed",)
    raw_id_fields = ("article",)


class APIKeyInline(TabularInline):
    model = m.APIKey
    extra = 0
    fields = ("name", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at", "created_at")
    readonly_fields = ("prefix", "last_used_at", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        # A key is shown exactly once, when made: `manage.py partner_create` makes it.
        return False


class WebhookEndpointInline(TabularInline):
    model = m.WebhookEndpoint
    extra = 0
    fields = ("url", "events", "active", "disabled_reason", "consecutive_failures")
    readonly_fields = ("disabled_reason", "consecutive_failures")


@admin.register(m.Partner)
class PartnerAdmin(ModelAdmin):
    list_display = ("name", "contact_email", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "contact_email")
    inlines = [APIKeyInline, WebhookEndpointInline]


@admin.register(m.APIKey)
class APIKeyAdmin(ModelAdmin):
    """Keys are made with `manage.py partner_create` (the only moment the key is shown)."""

    list_display = ("prefix", "partner", "name", "scopes", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("partner",)
    search_fields = ("prefix", "name", "partner__name")
    readonly_fields = ("prefix", "key_hash", "last_used_at", "created_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(m.WebhookEndpoint)
class WebhookEndpointAdmin(ModelAdmin):
    list_display = ("url", "partner", "active", "consecutive_failures", "disabled_reason")
    list_filter = ("active", "partner")
    search_fields = ("url", "partner__name")


class WebhookAttemptInline(TabularInline):
    model = m.WebhookAttempt
    extra = 0
    readonly_fields = ("attempted_at", "status_code", "error", "duration_ms")
    can_delete = False


@admin.register(m.WebhookDelivery)
class WebhookDeliveryAdmin(ModelAdmin):
    list_display = ("event", "endpoint", "state", "attempts", "created_at", "delivered_at")
    list_filter = ("state", "event")
    search_fields = ("endpoint__url",)
    readonly_fields = ("event_id", "payload", "attempts", "next_attempt_at", "delivered_at")
    inlines = [WebhookAttemptInline]


@admin.register(m.ArticleSubmission)
class ArticleSubmissionAdmin(ModelAdmin):
    list_display = ("article", "partner", "created_at")
    list_filter = ("partner",)
    raw_id_fields = ("article",)


@admin.register(m.IngestRow)
class IngestRowAdmin(ModelAdmin):
    """Rows of an upload still waiting to be read by the background task."""

    list_display = ("job", "position", "line")
    list_filter = ("job",)
    raw_id_fields = ("job",)


@admin.register(m.WebhookAttempt)
class WebhookAttemptAdmin(ModelAdmin):
    """The per-attempt delivery log: read-only."""

    list_display = ("delivery", "attempted_at", "status_code", "duration_ms", "error")
    list_filter = ("status_code",)
    raw_id_fields = ("delivery",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(m.ExternalReview)
class ExternalReviewAdmin(ModelAdmin):
    """Other fact-checkers' reviews: read as imported, never the desk's own verdicts."""

    list_display = ("publisher_name", "claim_reviewed", "rating_name", "date_published", "imported_at")
    list_filter = ("publisher_name",)
    search_fields = ("claim_reviewed", "claimant", "publisher_name", "url")
    readonly_fields = ("raw", "search_key", "source_url", "imported_at", "updated_at")


@admin.register(m.Statement)
class StatementAdmin(ModelAdmin):
    """Statements are grouped by the pipeline and by editors on the desk; read here."""

    list_display = ("content_text", "source", "appearance_count", "state", "first_seen_at")
    list_filter = ("state",)
    search_fields = ("content_text", "speaker_text")
    raw_id_fields = ("source", "claim")
    readonly_fields = ("content_key", "speaker_key", "appearance_count", "first_seen_at", "last_seen_at")


@admin.register(m.StatementBand)
class StatementBandAdmin(ModelAdmin):
    list_display = ("statement", "band")
    raw_id_fields = ("statement",)

    def has_add_permission(self, request) -> bool:
        return False  # written by the grouping service only


@admin.register(m.ArticleBand)
class ArticleBandAdmin(ModelAdmin):
    list_display = ("article", "band")
    raw_id_fields = ("article",)

    def has_add_permission(self, request) -> bool:
        return False  # written by the copy index only


# The other apps' admins (users and groups, login lockouts, schedules) with the
# same Jalali dates, and Persian names for their sections.
for _model, _model_admin in list(admin.site._registry.items()):
    if _model._meta.app_label != "claims" and not isinstance(_model_admin, PersianDatesAdmin):
        admin.site.unregister(_model)
        admin.site.register(
            _model, type(type(_model_admin).__name__, (PersianDatesAdmin, type(_model_admin)), {})
        )
for _label, _name in (("axes", "قفل ورود"), ("django_celery_beat", "زمان‌بندی کارها")):
    if apps.is_installed(_label):
        apps.get_app_config(_label).verbose_name = _name
