"""GET /api/v1/statements/: the public record of who said what, with every appearance."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from claims import exports
from claims.api import serializers as s
from claims.api.auth import PartnerAPIView
from claims.api.cache import cached_json
from claims.api.views import READ_ERRORS, APICursorPagination, _cache_key_parts, _query, render
from claims.models.claims import PUBLIC_STATUSES
from claims.selectors.api import source_by_slug
from claims.selectors.statements import APPEARANCES_ATTR, public_statements


class StatementListQuerySerializer(s.StrictQuerySerializer):
    allowed_extra = ("cursor",)

    source = serializers.RegexField(s._SLUG, required=False, help_text="Slug of the speaker (a source).")
    outlet = serializers.RegexField(s._SLUG, required=False, help_text="Slug of an outlet that published it.")
    q = s.StrictCharField(required=False, max_length=200, help_text="Words of the statement.")
    published_after = s.ISODateTimeParam(required=False, help_text="ISO 8601; first appeared at or after.")
    published_before = s.ISODateTimeParam(required=False, help_text="ISO 8601; first appeared before.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, help_text="1–100, 20.")
    format = serializers.ChoiceField(
        choices=["json", "csv", "jsonl"],
        required=False,
        help_text="`csv` and `jsonl` stream every matching accepted statement (columns in docs/exports.md).",
    )


class StatementAppearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quote = serializers.CharField(source="content_text", help_text="The words as this outlet reported them.")
    cue_text = serializers.CharField()
    kind = serializers.CharField()
    copy = serializers.SerializerMethodField(help_text="True for a wire copy of another outlet's article.")
    via = s.SourceRefSerializer(source="via_source", allow_null=True, help_text="Relayed from (به نقل از).")
    article = s.ArticleRefSerializer()

    def get_copy(self, attribution) -> bool:
        return attribution.review_state == "copy"


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    speaker = s.SourceRefSerializer(source="source")
    text = serializers.SerializerMethodField(help_text="The statement in its first accepted wording.")
    first_seen_at = s.UTCDateTimeField()
    claim_id = serializers.SerializerMethodField(help_text="The published verdict on it, if any.")
    first_appearance = serializers.SerializerMethodField()
    appearances = serializers.SerializerMethodField()

    @staticmethod
    def _shown(statement) -> list:
        return getattr(statement, APPEARANCES_ATTR, [])

    def get_text(self, statement) -> str:
        shown = self._shown(statement)
        return shown[0].content_text if shown else ""

    def get_claim_id(self, statement) -> int | None:
        claim = statement.claim
        return claim.pk if claim is not None and claim.status in PUBLIC_STATUSES else None

    @extend_schema_field(StatementAppearanceSerializer(allow_null=True))
    def get_first_appearance(self, statement) -> dict | None:
        shown = self._shown(statement)
        return StatementAppearanceSerializer(shown[0]).data if shown else None

    @extend_schema_field(StatementAppearanceSerializer(many=True))
    def get_appearances(self, statement) -> list[dict]:
        return StatementAppearanceSerializer(self._shown(statement), many=True).data


class StatementListResponseSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = StatementSerializer(many=True)


class StatementPagination(APICursorPagination):
    ordering = ("-first_seen_at", "-id")


class StatementListView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="statements_list",
        summary="Accepted statements, with every appearance",
        description=(
            "Who said what: every statement the desk accepted, newest first, each with its first "
            "appearance and every appearance (outlet, time, relay, exact wording), wire copies included. "
            "Page with the `next` link."
        ),
        parameters=[
            StatementListQuerySerializer,
            OpenApiParameter("cursor", str, description="From `next`."),
        ],
        responses={
            (200, "application/json"): StatementListResponseSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            **READ_ERRORS,
        },
        tags=["statements"],
    )
    def get(self, request: Request):
        params = _query(StatementListQuerySerializer, request)
        if params.get("format") in exports.FORMATS:
            return exports.statements_stream(
                {
                    "source": params.get("source"),
                    "outlet": params.get("outlet"),
                    "published_after": params.get("published_after"),
                    "published_before": params.get("published_before"),
                },
                fmt=params["format"],
            )

        def build() -> bytes:
            source_id = None
            if params.get("source"):
                source = source_by_slug(params["source"])
                if source is None:
                    return render({"next": None, "previous": None, "results": []})
                source_id = source.pk
            qs = public_statements(
                source_id=source_id,
                outlet=params.get("outlet"),
                q=params.get("q") or "",
                published_after=params.get("published_after"),
                published_before=params.get("published_before"),
            )
            rows, next_link, previous = StatementPagination().page(qs, request, self)
            return render(
                {
                    "next": next_link,
                    "previous": previous,
                    "results": StatementSerializer(rows, many=True).data,
                }
            )

        return cached_json(*_cache_key_parts(request), build)
