"""Input and output serializers, one pair per operation. Output datetimes are ISO 8601 in UTC."""

from __future__ import annotations

import datetime as dt
import re

from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.claimreview import claim_url
from claims.models import APIKey, Rating, WebhookEndpoint
from claims.models.articles import AttributionKind
from claims.models.claims import PUBLIC_STATUSES, RATING_EXPLANATIONS, RATING_VALUES
from claims.models.sources import SourceKind
from claims.site import site_url
from claims.validation import line_problem, text_problem

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


# --- strict input fields -----------------------------------------------------

# Documented in the schema as each field's pattern; enforced by the fields themselves.
_NOT_IN_LINE = "\\u0000-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
_NOT_IN_TEXT = "\\u0000-\\u0008\\u000e-\\u001f\\u007f"
ONE_LINE_PATTERN = f"^[^{_NOT_IN_LINE}]*$"
TEXT_PATTERN = f"^[^{_NOT_IN_TEXT}]*$"
# An article's text: no control characters and at least one letter or digit (what the
# ingest service calls "a word"; tatweel and the underscore are not).
ARTICLE_TEXT_PATTERN = f"^[^{_NOT_IN_TEXT}]*[^\\W_\\u0640\\u06e5\\u06e6][^{_NOT_IN_TEXT}]*$"
# What Django's URLValidator and the services accept, as a pattern: a named host with a
# top-level domain, an optional port, a path without spaces or control characters.
_PORT = "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
_HOST = "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,3}[A-Za-z]{2,60}"  # at most 253 long
_PATH = f"([/?#][^\\s{_NOT_IN_LINE}]*)?"
ARTICLE_URL_PATTERN = f"^https?://{_HOST}{_PORT}{_PATH}$"
WEBHOOK_URL_PATTERN = f"^https://{_HOST}{_PORT}{_PATH}$"

_STRICT_MESSAGES = {
    "not_a_string": "Must be a string.",
    "control": "Must not contain control characters (such as NUL).",
    "bidi": "Must not contain bidirectional control characters.",
}


class _StrictString:
    """A string as sent, never a number, list or boolean turned into one (DRF's CharField
    stores ``{"text": 123}`` as "123"), and with no control characters.

    ``pattern`` is the schema's description of the value; with ``enforce_pattern`` it is
    checked too (URL fields leave the checking to the URL validator and the services, whose
    rules the pattern describes)."""

    one_line = True
    pattern = ""
    enforce_pattern = True

    def __init__(self, *args, **kwargs) -> None:
        pattern = self.pattern or (ONE_LINE_PATTERN if self.one_line else TEXT_PATTERN)
        if self.enforce_pattern:
            kwargs["validators"] = [*kwargs.get("validators", ()), RegexValidator(pattern)]
        super().__init__(*args, **kwargs)
        self.error_messages.update(_STRICT_MESSAGES)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        problem = line_problem(data) if self.one_line else text_problem(data)
        if problem:
            self.fail(problem)
        return super().to_internal_value(data)


class StrictCharField(_StrictString, serializers.CharField):
    pass


class StrictTextField(_StrictString, serializers.CharField):
    one_line = False


class StrictArticleTextField(_StrictString, serializers.CharField):
    one_line = False
    pattern = ARTICLE_TEXT_PATTERN


class StrictURLField(_StrictString, serializers.URLField):
    pattern = ARTICLE_URL_PATTERN


@extend_schema_field({"type": "string", "format": "uri", "pattern": WEBHOOK_URL_PATTERN, "maxLength": 2000})
class WebhookURLField(_StrictString, serializers.URLField):
    """Documented as https to a named host; plain http to a loopback host is also taken in
    development (the service decides), so the pattern is not enforced here."""

    enforce_pattern = False


class StrictBooleanField(serializers.BooleanField):
    """true or false only: DRF's BooleanField also takes "yes", "1", 0 and the like."""

    default_error_messages = {"invalid": "Must be a JSON boolean, true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


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
        # DRF reads ``?outlet=`` as "not given": a filter given empty is a mistake, not "all".
        empty = sorted(name for name in data if name in self.fields and data.get(name) == "")
        if empty:
            raise serializers.ValidationError({name: ["Must not be empty."] for name in empty})
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
        choices=["json", "claimreview", "csv", "jsonl"],
        required=False,
        help_text=(
            "`claimreview` returns schema.org ClaimReview objects as the results. `csv` and `jsonl` stream "
            "every matching claim with its appearances as one file (no paging; columns in docs/exports.md)."
        ),
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


def _text(value) -> str | None:
    return None if value is None else str(value)


def utc_iso(value: dt.datetime | None) -> str | None:
    """A datetime as DRF's UTC DateTimeField writes it: ISO 8601 in UTC, ``Z`` for +00:00."""
    if not value:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def source_ref(source) -> dict | None:
    """``SourceRefSerializer(source).data``, written out: pages show hundreds of them."""
    if source is None:
        return None
    return {
        "id": source.pk,
        "slug": _text(source.slug),
        "name_fa": _text(source.name_fa),
        "name_en": _text(source.name_en),
        "kind": _text(source.kind),
    }


def appearance_data(a) -> dict:
    """``AppearanceSerializer(a).data``, written out (the serializers describe the schema;
    building a page of claims field by field through them cost more than the queries)."""
    article = a.article
    return {
        "id": a.pk,
        "source": source_ref(a.source),
        "source_text": _text(a.source_text),
        "source_name": _text(a.source_resolved),
        "cue_text": _text(a.cue_text),
        "kind": _text(a.kind),
        "quote": _text(a.content_text),
        "quote_start": a.content_start,
        "quote_end": a.content_end,
        "via": source_ref(a.via_source),
        "via_text": _text(a.via_text),
        "article": {
            "id": article.pk,
            "title": _text(article.title),
            "url": _text(article.url),
            "published_at": utc_iso(article.published_at),
            "publisher": source_ref(article.publisher),
        },
    }


class SourceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name_fa = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)

    def to_representation(self, instance):
        return source_ref(instance)


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

    def to_representation(self, instance):
        return appearance_data(instance)


class AppearancePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = AppearanceSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    # Only the public fields: the desk's internal note is never sent.
    url = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="The desk's explanation of this evidence for readers.")


class CorrectionSerializer(serializers.Serializer):
    corrected_at = UTCDateTimeField(source="created_at")
    from_rating = serializers.CharField()
    to_rating = serializers.CharField()
    note = serializers.CharField()


class UpdateSerializer(serializers.Serializer):
    updated_at = UTCDateTimeField(source="created_at")
    note = serializers.CharField(help_text="What changed after publication (an appearance, evidence, ...).")


def _public_events(claim, action: str) -> list:
    return [e for e in getattr(claim, "public_events", ()) if e.action == action]


def _choice(value):
    """A ChoiceField's output: the value as given ("" and None as they are)."""
    return value if value in ("", None) else str(value)


def claim_data(claim, *, rating_labels: dict[str, str] | None = None) -> dict:
    """``ClaimSerializer(claim).data``, written out like ``appearance_data``: a page of
    claims field by field through DRF cost more than its queries. ``rating_labels`` maps
    each rating to its label, translated once for a page."""
    rating = Rating(claim.rating)
    shown = claim.public_attributions
    return {
        "id": claim.pk,
        "slug": _text(claim.slug),
        "url": claim_url(claim),
        "text": _text(claim.text),
        "language": _text(claim.language),
        "status": _choice(claim.status),
        "rating": _choice(claim.rating),
        "rating_label": rating_labels[rating] if rating_labels else str(rating.label),
        "rating_value": RATING_VALUES[rating],
        "rationale": _text(claim.rationale),
        "published_at": utc_iso(claim.published_at),
        "updated_at": utc_iso(claim.updated_at),
        "appearances": [appearance_data(a) for a in shown],
        "appearance_count": claim.n_appearances,
        "appearances_url": site_url() + reverse("api:claims-appearances", args=[claim.pk]),
        "first_appearance": appearance_data(shown[0]) if shown else None,
        "evidence": [
            {"url": _text(e.url), "title": _text(e.title), "summary": _text(e.summary)}
            for e in claim.evidence.all()
        ],
        "corrections": [
            {
                "corrected_at": utc_iso(e.created_at),
                "from_rating": _text(e.from_rating),
                "to_rating": _text(e.to_rating),
                "note": _text(e.note),
            }
            for e in _public_events(claim, "corrected")
        ],
        "updates": [
            {"updated_at": utc_iso(e.created_at), "note": _text(e.note)}
            for e in _public_events(claim, "updated")
        ],
    }


class ClaimSerializer(serializers.Serializer):
    """Describes a claim for the schema; the answer itself is ``claim_data``."""

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
    appearances = AppearanceSerializer(
        source="public_attributions",
        many=True,
        help_text=(
            "The earliest appearances (at most 30), earliest first: those the desk accepted and wire "
            "copies of them. `appearance_count` says how many there are; `appearances_url` pages "
            "through all of them."
        ),
    )
    appearance_count = serializers.IntegerField(source="n_appearances", help_text="All appearances.")
    appearances_url = serializers.SerializerMethodField(help_text="Every appearance, paged.")
    first_appearance = serializers.SerializerMethodField(help_text="The earliest appearance.")
    evidence = EvidenceSerializer(many=True, source="evidence.all")
    corrections = serializers.SerializerMethodField(help_text="Changes of the verdict, oldest first.")
    updates = serializers.SerializerMethodField(
        help_text="Other changes to what readers see after publication, oldest first."
    )

    @extend_schema_field(AppearanceSerializer(allow_null=True))
    def get_first_appearance(self, claim) -> dict | None:
        shown = getattr(claim, "public_attributions", [])
        return appearance_data(shown[0]) if shown else None

    def get_url(self, claim) -> str:
        return claim_url(claim)

    def get_appearances_url(self, claim) -> str:
        return site_url() + reverse("api:claims-appearances", args=[claim.pk])

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, claim) -> list[dict]:
        return [
            {
                "corrected_at": utc_iso(e.created_at),
                "from_rating": _text(e.from_rating),
                "to_rating": _text(e.to_rating),
                "note": _text(e.note),
            }
            for e in _public_events(claim, "corrected")
        ]

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, claim) -> list[dict]:
        return [
            {"updated_at": utc_iso(e.created_at), "note": _text(e.note)}
            for e in _public_events(claim, "updated")
        ]

    def get_rating_label(self, claim) -> str:
        return str(Rating(claim.rating).label)

    def get_rating_value(self, claim) -> int:
        return RATING_VALUES[Rating(claim.rating)]

    def to_representation(self, instance):
        if not hasattr(self, "_rating_labels"):
            # One serializer writes a whole page: each label translated once for it.
            self._rating_labels = {rating: str(rating.label) for rating in Rating}
        return claim_data(instance, rating_labels=self._rating_labels)


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
        return site_url() + source.get_absolute_url()

    def get_published_claims(self, source) -> int:
        return sum(self._record(source).values())

    @extend_schema_field(TrackRecordSerializer)
    def get_track_record(self, source) -> dict[str, int]:
        return self._record(source)

    def to_representation(self, instance):
        # Written out like claim_data: a page of sources field by field through DRF cost
        # about as much as its two queries.
        record = self._record(instance)
        return {
            "id": instance.pk,
            "slug": _text(instance.slug),
            "name_fa": _text(instance.name_fa),
            "name_en": _text(instance.name_en),
            "kind": _choice(instance.kind),
            "country": _text(instance.country),
            "wikidata_id": _text(instance.wikidata_id),
            "description": _text(instance.description),
            "parent": source_ref(instance.parent),
            "affiliation": source_ref(instance.affiliation),
            "url": site_url() + instance.get_absolute_url(),
            "published_claims": sum(record.values()),
            "track_record": record,
        }


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
    text = StrictArticleTextField(
        required=False,
        trim_whitespace=False,
        max_length=None,
        help_text="The article text, verbatim: at least one letter or digit, no control characters.",
    )
    url = StrictURLField(required=False, max_length=2000, help_text="Fetched when no text is given.")
    title = StrictCharField(required=False, allow_blank=True, max_length=500, default="")
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
    url = WebhookURLField(max_length=2000, help_text="An https:// address of a named host.")
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
    active = StrictBooleanField(required=False, help_text="true re-enables a disabled endpoint.")


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
