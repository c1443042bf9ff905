"""Input and output serializers, one pair per operation. Output datetimes are ISO 8601 in UTC."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.claimreview import claim_url
from claims.models import APIKey, Rating, WebhookEndpoint
from claims.models.articles import AttributionKind
from claims.models.claims import PUBLIC_STATUSES, RATING_EXPLANATIONS, RATING_VALUES
from claims.models.sources import SourceKind

UTC = dt.UTC


def UTCDateTimeField(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(default_timezone=UTC, read_only=True, **kwargs)


# --- errors ------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField()


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# --- query parameters --------------------------------------------------------


_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")
_ONE_RATING = "(" + "|".join(Rating.values) + ")"
_RATINGS = re.compile(f"^{_ONE_RATING}(,{_ONE_RATING})*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class StrictQuerySerializer(serializers.Serializer):
    """Unknown query parameters are a 400: a typo in a filter must not silently return everything."""

    allowed_extra: tuple[str, ...] = ()

    def to_internal_value(self, data):
        known = set(self.fields) | set(self.allowed_extra)
        unknown = sorted(set(data) - known)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown query parameter."] for name in unknown})
        repeated = sorted(name for name in data if len(data.getlist(name)) > 1)
        if repeated:
            raise serializers.ValidationError({name: ["Give this parameter once."] for name in repeated})
        return super().to_internal_value(data)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


class ISODateTimeParam(serializers.DateTimeField):
    """ISO 8601 date or datetime; a naive value is taken as UTC."""

    def __init__(self, **kwargs) -> None:
        super().__init__(input_formats=["iso-8601"], default_timezone=UTC, **kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            value = value.strip() + "T00:00:00"
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="ISO 8601 with ASCII digits")
        result = _aware(super().to_internal_value(value))
        try:
            return result.astimezone(UTC)
        except OverflowError:
            self.fail("invalid", format="ISO 8601 within years 1–9999 in UTC")


class ClaimListQuerySerializer(StrictQuerySerializer):
    allowed_extra = ("cursor",)

    source = serializers.RegexField(
        _SLUG, required=False, help_text="Slug of a source (who made the claim); unknown slugs match nothing."
    )
    outlet = serializers.RegexField(
        _SLUG, required=False, help_text="Slug of the outlet (publisher) where the claim appeared."
    )
    rating = serializers.RegexField(
        _RATINGS,
        required=False,
        help_text=f"One rating or several, comma-separated: {', '.join(Rating.values)}.",
        error_messages={"invalid": f"Unknown rating; use {', '.join(Rating.values)}."},
    )
    language = serializers.RegexField(_LANGUAGE, required=False, help_text="Language code, e.g. fa.")
    published_after = ISODateTimeParam(required=False, help_text="ISO 8601; verdicts published at or after.")
    updated_since = ISODateTimeParam(required=False, help_text="ISO 8601; claims changed at or after.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, help_text="1–100, 20.")
    format = serializers.ChoiceField(
        choices=["json", "claimreview"],
        required=False,
        help_text="`claimreview` returns schema.org ClaimReview objects as the results.",
    )

    def validate_rating(self, value: str) -> list[str]:
        ratings = [r.strip() for r in value.split(",") if r.strip()]
        bad = [r for r in ratings if r not in Rating.values]
        if bad or not ratings:
            raise serializers.ValidationError(f"Unknown rating; use {', '.join(Rating.values)}.")
        return ratings


class ClaimDetailQuerySerializer(StrictQuerySerializer):
    format = serializers.ChoiceField(
        choices=["json", "claimreview"],
        required=False,
        help_text="`claimreview` returns schema.org ClaimReview.",
    )


class PageQuerySerializer(StrictQuerySerializer):
    allowed_extra = ("cursor",)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, help_text="1–100, 20.")


class NoQuerySerializer(StrictQuerySerializer):
    pass


# --- claims --------------------------------------------------------------------


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    published_at = UTCDateTimeField(allow_null=True)
    publisher = SourceRefSerializer(allow_null=True)


class AppearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = SourceRefSerializer(allow_null=True, help_text="The registry source, when resolved.")
    source_text = serializers.CharField(help_text="How the article named the source, verbatim.")
    source_name = serializers.CharField(source="source_resolved")
    cue_text = serializers.CharField(help_text="The reporting verb or phrase.")
    kind = serializers.ChoiceField(choices=AttributionKind.choices)
    quote = serializers.CharField(source="content_text", help_text="What the source said, verbatim.")
    quote_start = serializers.IntegerField(source="content_start")
    quote_end = serializers.IntegerField(source="content_end")
    via = SourceRefSerializer(source="via_source", allow_null=True)
    via_text = serializers.CharField()
    article = ArticleRefSerializer()


class EvidenceSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    corrected_at = UTCDateTimeField(source="created_at")
    from_rating = serializers.CharField()
    to_rating = serializers.CharField()
    note = serializers.CharField()


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The public page of the verdict.")
    text = serializers.CharField()
    language = serializers.CharField()
    status = serializers.ChoiceField(choices=[(s.value, s.value) for s in PUBLIC_STATUSES])
    rating = serializers.ChoiceField(choices=Rating.choices)
    rating_label = serializers.SerializerMethodField()
    rating_value = serializers.SerializerMethodField(help_text="ClaimReview scale: 1 (false) to 5 (true).")
    rationale = serializers.CharField()
    published_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    appearances = AppearanceSerializer(source="public_attributions", many=True)
    evidence = EvidenceSerializer(many=True, source="evidence.all")
    corrections = CorrectionSerializer(many=True, source="public_events")

    def get_url(self, claim) -> str:
        return claim_url(claim)

    def get_rating_label(self, claim) -> str:
        return str(Rating(claim.rating).label)

    def get_rating_value(self, claim) -> int:
        return RATING_VALUES[Rating(claim.rating)]


class ClaimPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ClaimSerializer(many=True)


class ClaimReviewSerializer(serializers.Serializer):
    """A ClaimReview dict from ``claims.claimreview.claimreview_for``; its schema is in claims.api.schema."""

    def to_representation(self, instance):
        return instance


class ClaimReviewPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ClaimReviewSerializer(many=True)


class ClaimListResponseSerializer(serializers.Serializer):
    """Schema only: a ClaimPage, or with ``format=claimreview`` a ClaimReviewPage."""


class ClaimDetailResponseSerializer(serializers.Serializer):
    """Schema only: a Claim, or with ``format=claimreview`` a ClaimReview."""


# --- sources --------------------------------------------------------------------


class TrackRecordSerializer(serializers.Serializer):
    true = serializers.IntegerField()
    mostly_true = serializers.IntegerField()
    misleading = serializers.IntegerField()
    false = serializers.IntegerField()
    unverifiable = serializers.IntegerField()


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    country = serializers.CharField()
    wikidata_id = serializers.CharField()
    description = serializers.CharField()
    parent = SourceRefSerializer(allow_null=True)
    affiliation = SourceRefSerializer(allow_null=True)
    url = serializers.SerializerMethodField()
    published_claims = serializers.SerializerMethodField()
    track_record = serializers.SerializerMethodField()

    def _record(self, source) -> dict[str, int]:
        return self.context["track_records"][source.pk]

    def get_url(self, source) -> str:
        from django.conf import settings

        return settings.FACTCHECK_SITE_URL.rstrip("/") + source.get_absolute_url()

    def get_published_claims(self, source) -> int:
        return sum(self._record(source).values())

    @extend_schema_field(TrackRecordSerializer)
    def get_track_record(self, source) -> dict[str, int]:
        return self._record(source)


class SourcePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SourceSerializer(many=True)


# --- ratings ----------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=Rating.choices)
    label = serializers.CharField()
    rating_value = serializers.IntegerField(help_text="ClaimReview ratingValue, 1 (worst) to 5 (best).")
    explanation = serializers.CharField()


def ratings_data() -> list[dict]:
    return [
        {
            "value": r.value,
            "label": str(r.label),
            "rating_value": RATING_VALUES[r],
            "explanation": str(RATING_EXPLANATIONS[r]),
        }
        for r in Rating
    ]


# --- articles (submit) ----------------------------------------------------------------


class ArticleSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="The article text, verbatim."
    )
    url = serializers.URLField(required=False, max_length=2000, help_text="Fetched when no text is given.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    publisher = serializers.RegexField(
        _SLUG, required=False, help_text="Slug of the publishing outlet in the source registry."
    )
    published_at = ISODateTimeParam(required=False, help_text="ISO 8601; naive values are UTC.")

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https addresses.")
        return value

    def validate(self, attrs):
        if not (attrs.get("text") or "").strip() and not attrs.get("url"):
            raise serializers.ValidationError("Give the article's text, its url, or both.")
        return attrs


class ArticleStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(
        help_text="fetching (a URL submission waiting for its page), queued, processing, done or failed."
    )
    error = serializers.CharField(help_text="Why processing failed, when it did.")
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    published_at = UTCDateTimeField(allow_null=True)
    ingested_at = UTCDateTimeField()
    extracted_at = UTCDateTimeField(allow_null=True)
    status_url = serializers.SerializerMethodField()

    def get_status_url(self, article) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/articles/{article.pk}/")


class ArticleAcceptedSerializer(ArticleStatusSerializer):
    duplicate = serializers.SerializerMethodField(
        help_text="True when the text or URL was already known; the existing article is returned."
    )

    def get_duplicate(self, article) -> bool:
        return bool(self.context.get("duplicate"))


# --- webhooks -------------------------------------------------------------------------


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(WebhookEndpoint.EVENTS)),
        required=False,
        min_length=1,
        help_text="Defaults to every event.",
    )


class WebhookUpdateSerializer(serializers.Serializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(WebhookEndpoint.EVENTS)), required=False, min_length=1
    )
    active = serializers.BooleanField(required=False, help_text="true re-enables a disabled endpoint.")


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    disabled_reason = serializers.CharField()
    consecutive_failures = serializers.IntegerField()
    created_at = UTCDateTimeField()


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="Shown only now: the key for verifying signatures.")


class WebhookListSerializer(serializers.Serializer):
    results = WebhookSerializer(many=True)


SCOPES = APIKey.SCOPES
