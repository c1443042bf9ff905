"""Partner API views: one class per operation, each on the PartnerAPIView base
(key auth, scope, per-key throttle, JSON only) with its own input and output serializers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from claims import exports
from claims.api import schema as _schema  # noqa: F401 - registers the auth scheme
from claims.api import serializers as s
from claims.api.auth import KeyRateThrottle, PartnerAPIView, SubmitRateThrottle
from claims.api.cache import cached_json
from claims.api.errors import BadRequest
from claims.claimreview import claimreview_for
from claims.models import Source
from claims.selectors.api import (
    api_article,
    api_claim,
    api_claim_appearances,
    api_claims,
    api_masked_submission,
    api_partner,
    api_source,
    api_sources,
    api_track_records,
    attach_api_appearances,
    partner_webhook,
    partner_webhooks,
    source_by_slug,
)
from claims.services import webhooks as webhook_services

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Malformed request or bad parameter."),
    401: OpenApiResponse(s.ErrorSerializer, description="Missing, wrong, revoked or expired key."),
    403: OpenApiResponse(s.ErrorSerializer, description="The key lacks the scope."),
    413: OpenApiResponse(s.ErrorSerializer, description="Body too large."),
    415: OpenApiResponse(s.ErrorSerializer, description="Body is not application/json."),
    414: OpenApiResponse(
        s.ErrorSerializer, description="The address is too long (from the server in front of the API)."
    ),
    429: OpenApiResponse(s.ErrorSerializer, description="Rate limit exceeded; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(s.ErrorSerializer, description="No such (public) record.")}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


READ_ERRORS = _errors(400, 401, 403, 414, 429)
WRITE_ERRORS = _errors(400, 401, 403, 413, 414, 415, 429)
# A cursor is opaque: only the ones handed out in `next`/`previous` are valid; this is its shape.
CURSOR = OpenApiParameter(
    "cursor",
    str,
    description="From `next` or `previous`; any other value is a 400.",
    pattern=r"^[A-Za-z0-9+/]{1,400}={0,2}$",
)
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]{1,120}$")
_renderer = JSONRenderer()


def render(data: Any) -> bytes:
    return _renderer.render(data)


_BASE64 = re.compile(r"[A-Za-z0-9+/]{1,400}={0,2}")


def _invalid_cursor() -> BadRequest:
    return BadRequest("The cursor is invalid.", code="invalid_cursor", details={"cursor": "invalid"})


def _position_fits(field: str, position: str) -> bool:
    if field == "id":
        return position.isascii() and position.isdigit() and int(position) < 2**63
    if field.endswith("_at"):
        try:
            parsed = parse_datetime(position)
        except ValueError:
            return False
        return parsed is not None and parsed.tzinfo is not None
    return False


class APICursorPagination(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-published_at", "-id")

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded and not _BASE64.fullmatch(encoded):
            raise _invalid_cursor()  # b64decode would drop the stray characters and go on
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise _invalid_cursor() from exc
        # DRF decodes the cursor's position but leaves it to the database to refuse one that
        # does not fit the ordering field (a hand-made ``p=abc`` was a 500): check it here.
        position = cursor.position if cursor is not None else None
        if position is not None and not _position_fits(self.ordering[0].lstrip("-"), position):
            raise _invalid_cursor()
        return cursor

    def page(self, queryset, request: Request, view) -> tuple[list, str | None, str | None]:
        rows = self.paginate_queryset(queryset, request, view)
        return rows, self.get_next_link(), self.get_previous_link()


class SourceCursorPagination(APICursorPagination):
    ordering = ("id",)


class AppearanceCursorPagination(APICursorPagination):
    # Earliest article first; ties (one article, one time) in the order of the text.
    ordering = ("sort_at", "article_id", "content_start", "id")


_valid_queries: dict[tuple[type, str], dict[str, Any]] = {}


def _query(serializer_class: type[s.StrictQuerySerializer], request: Request) -> dict[str, Any]:
    """Validated query parameters. Validation is pure, so a query string seen before (the
    common case: partners poll the same addresses) is not validated again."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw and serializer_class is s.NoQuerySerializer:
        return {}
    memo = (serializer_class, raw)
    known = _valid_queries.get(memo)
    if known is not None:
        return dict(known)
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    params = dict(serializer.validated_data)
    if len(_valid_queries) > 2048:
        _valid_queries.clear()
    _valid_queries[memo] = params
    return dict(params)


def _cache_key_parts(request: Request) -> tuple[str, str]:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.items()))
    return f"{request.get_host()}{request.path}", query


def _publisher(slug: str | None) -> Source | None:
    """The registry source a submission names as its publisher. A well-formed slug that names
    no source is a 404 (the record referred to does not exist), not a malformed request."""
    if not slug:
        return None
    source = source_by_slug(slug)
    if source is None:
        raise exceptions.NotFound(f"No source with the slug {slug!r} to be the publisher.")
    return source


def _claimreview(claim) -> dict[str, Any]:
    # Dates in the API are UTC; claimreview_for renders them in the current time zone.
    with timezone.override(dt.UTC):
        return claimreview_for(claim)


# --- claims -------------------------------------------------------------------------


class ClaimListView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="claims_list",
        summary="Published claims",
        description=(
            "Published and corrected claims with their verdicts, newest verdict first, 20 per page by "
            "default. Page with the `next` link (cursor pagination: stable while new claims arrive)."
        ),
        parameters=[s.ClaimListQuerySerializer, CURSOR],
        responses={
            (200, "application/json"): s.ClaimListResponseSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-ndjson"): OpenApiTypes.STR,
            **READ_ERRORS,
        },
        tags=["claims"],
    )
    def get(self, request: Request):
        params = _query(s.ClaimListQuerySerializer, request)
        if params.get("format") in exports.FORMATS:
            # A whole data set, streamed: not paged and not cached.
            return exports.claims_stream(
                {
                    "source": params.get("source"),
                    "outlet": params.get("outlet"),
                    "ratings": params.get("rating") or [],
                    "language": params.get("language"),
                    "published_after": params.get("published_after"),
                    "updated_since": params.get("updated_since"),
                },
                fmt=params["format"],
            )

        def build() -> bytes:
            qs = api_claims(
                source=params.get("source"),
                outlet=params.get("outlet"),
                ratings=params.get("rating") or (),
                language=params.get("language"),
                published_after=params.get("published_after"),
                updated_since=params.get("updated_since"),
            )
            claims, next_link, previous = APICursorPagination().page(qs, request, self)
            attach_api_appearances(claims)
            if params.get("format") == "claimreview":
                results: Any = [_claimreview(c) for c in claims]
            else:
                results = s.ClaimSerializer(claims, many=True).data
            return render({"next": next_link, "previous": previous, "results": results})

        return cached_json(*_cache_key_parts(request), build)


class ClaimDetailView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="claims_retrieve",
        summary="One published claim",
        parameters=[s.ClaimDetailQuerySerializer],
        responses={200: s.ClaimDetailResponseSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["claims"],
    )
    def get(self, request: Request, claim_id: int):
        params = _query(s.ClaimDetailQuerySerializer, request)

        def build() -> bytes:
            claim = api_claim(claim_id)
            if claim is None:
                raise exceptions.NotFound("No published claim with this id.")
            if params.get("format") == "claimreview":
                return render(_claimreview(claim))
            return render(s.ClaimSerializer(claim).data)

        return cached_json(*_cache_key_parts(request), build)


class ClaimAppearancesView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="claims_appearances_list",
        summary="Every appearance of one published claim",
        description=(
            "The appearances of a claim, earliest first, 20 per page by default (the claim itself "
            "shows its first 30 and `appearance_count`). Page with the `next` link."
        ),
        parameters=[s.PageQuerySerializer, CURSOR],
        responses={200: s.AppearancePageSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["claims"],
    )
    def get(self, request: Request, claim_id: int):
        _query(s.PageQuerySerializer, request)

        def build() -> bytes:
            qs = api_claim_appearances(claim_id)
            if qs is None:
                raise exceptions.NotFound("No published claim with this id.")
            rows, next_link, previous = AppearanceCursorPagination().page(qs, request, self)
            data = s.AppearanceSerializer(rows, many=True).data
            return render({"next": next_link, "previous": previous, "results": data})

        return cached_json(*_cache_key_parts(request), build)


# --- sources ------------------------------------------------------------------------


class SourceListView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="sources_list",
        summary="Sources and their track records",
        description="The source registry. `track_record` counts published claims per rating.",
        parameters=[s.PageQuerySerializer, CURSOR],
        responses={200: s.SourcePageSerializer, **READ_ERRORS},
        tags=["sources"],
    )
    def get(self, request: Request):
        _query(s.PageQuerySerializer, request)

        def build() -> bytes:
            sources, next_link, previous = SourceCursorPagination().page(api_sources(), request, self)
            records = api_track_records(src.pk for src in sources)
            data = s.SourceSerializer(sources, many=True, context={"track_records": records}).data
            return render({"next": next_link, "previous": previous, "results": data})

        return cached_json(*_cache_key_parts(request), build)


class SourceDetailView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="sources_retrieve",
        summary="One source with its track record",
        parameters=[SLUG],
        responses={200: s.SourceSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["sources"],
    )
    def get(self, request: Request, slug: str):
        _query(s.NoQuerySerializer, request)

        def build() -> bytes:
            source = api_source(slug)
            if source is None:
                raise exceptions.NotFound("No source with this slug.")
            records = api_track_records([source.pk])
            return render(s.SourceSerializer(source, context={"track_records": records}).data)

        return cached_json(*_cache_key_parts(request), build)


# --- ratings --------------------------------------------------------------------------


class RatingListView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="ratings_list",
        summary="The rating scale",
        responses={200: s.RatingSerializer(many=True), **READ_ERRORS},
        tags=["ratings"],
    )
    def get(self, request: Request):
        _query(s.NoQuerySerializer, request)
        return Response(s.RatingSerializer(s.ratings_data(), many=True).data)


# --- articles (submit) -----------------------------------------------------------------


def _json_object(request: Request) -> dict:
    """The request's body as a JSON object (the only shape any write here accepts)."""
    _require_json(request)
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    return request.data


def _require_json(request: Request) -> None:
    """A body must be JSON. No body at all is an empty object (PATCH with nothing to change)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length == 0 and "HTTP_TRANSFER_ENCODING" not in request.META:
        return
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise exceptions.UnsupportedMediaType(content_type or "none")


@dataclass(frozen=True)
class MaskedArticle:
    """What a partner sees of a held article it sent in again without being able to see
    it (claims.services.partners.article_duplicate_submission): its own alias id, the
    title and URL it sent, and the processing state, never older than its submission."""

    pk: int
    id: int
    state: str
    error: str
    title: str
    url: str | None
    published_at: dt.datetime | None
    ingested_at: dt.datetime
    extracted_at: dt.datetime | None


def masked_article(submission, *, state: str | None = None) -> MaskedArticle:
    article = submission.article
    extracted = article.extracted_at
    if extracted is not None:
        extracted = max(extracted, submission.created_at)
    return MaskedArticle(
        pk=submission.alias_id,
        id=submission.alias_id,
        state=state or article.state,
        error="" if state else article.error,
        title=submission.sent_title,
        url=submission.sent_url or None,
        published_at=None,
        ingested_at=submission.created_at,
        extracted_at=None if state else extracted,
    )


class ArticleSubmitView(PartnerAPIView):
    required_scope = "submit"
    throttle_classes = [KeyRateThrottle, SubmitRateThrottle]

    @extend_schema(
        operation_id="articles_create",
        summary="Submit an article for extraction",
        description=(
            "Queues an article (its text, or a URL to fetch) for attribution extraction. Answers 202 at "
            "once with the article's id and status URL; a URL is fetched afterwards (state `fetching`). "
            "A duplicate (same URL, or same text after normalisation) answers 200 with the existing "
            "article and `duplicate: true`."
        ),
        request=s.ArticleSubmitSerializer,
        responses={
            202: s.ArticleAcceptedSerializer,
            200: OpenApiResponse(
                s.ArticleAcceptedSerializer, description="Already known: the existing article."
            ),
            **WRITE_ERRORS,
            404: OpenApiResponse(s.ErrorSerializer, description="`publisher` names no source."),
            422: OpenApiResponse(s.ErrorSerializer, description="The URL points at an internal address."),
        },
        tags=["articles"],
    )
    def post(self, request: Request):
        from claims.services.articles import article_ingest
        from claims.services.partners import article_duplicate_submission, article_submission_record
        from claims.services.url_submissions import article_url_submit

        _query(s.NoQuerySerializer, request)
        serializer = s.ArticleSubmitSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        publisher = _publisher(data.get("publisher"))
        fields = {
            "title": data.get("title") or "",
            "publisher": publisher,
            "published_at": data.get("published_at"),
            "origin": "api",
        }
        if data.get("text"):
            article, created = article_ingest(text=data["text"], url=data.get("url") or None, **fields)
        else:
            # Only a URL: accepted at once, fetched by a task (never inside this request).
            # An internal address is refused here: 422 address_refused.
            article, created = article_url_submit(url=data["url"], **fields)
        if created:
            article_submission_record(partner_id=request.auth.partner_id, article=article)
        else:
            masked, first = article_duplicate_submission(
                partner_id=request.auth.partner_id,
                article=article,
                title=fields["title"],
                url=data.get("url") or "",
            )
            if masked is not None:
                # Held, but neither this partner's nor public: answered as if new.
                state = ("queued" if data.get("text") else "fetching") if first else None
                body = s.ArticleAcceptedSerializer(
                    masked_article(masked, state=state), context={"request": request, "duplicate": not first}
                ).data
                answer = status.HTTP_202_ACCEPTED if first else status.HTTP_200_OK
                return Response(body, status=answer, headers={"Location": body["status_url"]})
        body = s.ArticleAcceptedSerializer(
            article, context={"request": request, "duplicate": not created}
        ).data
        answer = status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK
        return Response(body, status=answer, headers={"Location": body["status_url"]})


class ArticleStatusView(PartnerAPIView):
    required_scope = "submit"

    @extend_schema(
        operation_id="articles_retrieve",
        summary="Processing status of a submitted article",
        responses={200: s.ArticleStatusSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["articles"],
    )
    def get(self, request: Request, article_id: int):
        _query(s.NoQuerySerializer, request)
        article = api_article(article_id, partner_id=request.auth.partner_id)
        if article is None:
            masked = api_masked_submission(article_id, partner_id=request.auth.partner_id)
            if masked is None:  # unknown, or sent in by someone else: the same answer for both
                raise exceptions.NotFound("No article with this id among the ones you submitted.")
            article = masked_article(masked)
        return Response(s.ArticleStatusSerializer(article, context={"request": request}).data)


# --- webhooks --------------------------------------------------------------------------


class WebhookListCreateView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="webhooks_list",
        summary="Your webhook endpoints",
        responses={200: s.WebhookListSerializer, **READ_ERRORS},
        tags=["webhooks"],
    )
    def get(self, request: Request):
        _query(s.NoQuerySerializer, request)
        endpoints = partner_webhooks(request.auth.partner_id)
        return Response({"results": s.WebhookSerializer(endpoints, many=True).data})

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook endpoint",
        description=(
            "HTTPS only. The answer carries the signing `secret`, shown this once. Deliveries are signed: "
            "see the partner guide."
        ),
        request=s.WebhookCreateSerializer,
        responses={
            201: s.WebhookCreatedSerializer,
            **WRITE_ERRORS,
            409: OpenApiResponse(s.ErrorSerializer, description="This address is already registered."),
        },
        tags=["webhooks"],
    )
    def post(self, request: Request):
        _query(s.NoQuerySerializer, request)
        serializer = s.WebhookCreateSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_services.webhook_endpoint_create(
            partner=api_partner(request.auth.partner_id),
            url=serializer.validated_data["url"],
            events=serializer.validated_data.get("events"),
        )
        body = s.WebhookCreatedSerializer(endpoint).data
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailView(PartnerAPIView):
    required_scope = "read"

    def _endpoint(self, request: Request, webhook_id: int):
        endpoint = partner_webhook(request.auth.partner_id, webhook_id)
        if endpoint is None:
            raise exceptions.NotFound("No webhook endpoint with this id.")
        return endpoint

    @extend_schema(
        operation_id="webhooks_retrieve",
        summary="One webhook endpoint",
        responses={200: s.WebhookSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["webhooks"],
    )
    def get(self, request: Request, webhook_id: int):
        _query(s.NoQuerySerializer, request)
        return Response(s.WebhookSerializer(self._endpoint(request, webhook_id)).data)

    @extend_schema(
        operation_id="webhooks_partial_update",
        summary="Change events, or re-enable a disabled endpoint",
        request=s.WebhookUpdateSerializer,
        responses={200: s.WebhookSerializer, **WRITE_ERRORS, **NOT_FOUND},
        tags=["webhooks"],
    )
    def patch(self, request: Request, webhook_id: int):
        _query(s.NoQuerySerializer, request)
        serializer = s.WebhookUpdateSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_services.webhook_endpoint_update(
            endpoint=self._endpoint(request, webhook_id),
            events=serializer.validated_data.get("events"),
            active=serializer.validated_data.get("active"),
        )
        return Response(s.WebhookSerializer(endpoint).data)

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Remove a webhook endpoint",
        responses={204: None, **READ_ERRORS, **NOT_FOUND},
        tags=["webhooks"],
    )
    def delete(self, request: Request, webhook_id: int):
        _query(s.NoQuerySerializer, request)
        webhook_services.webhook_endpoint_delete(endpoint=self._endpoint(request, webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretView(PartnerAPIView):
    required_scope = "read"

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        summary="Rotate the signing secret",
        description=(
            "A new `secret` (shown this once). For the next 24 hours every delivery is signed with "
            "both the new and the old secret (two space-separated signatures in `webhook-signature`), "
            "so receivers can switch without missing a delivery."
        ),
        request=None,
        responses={200: s.WebhookCreatedSerializer, **READ_ERRORS, **NOT_FOUND},
        tags=["webhooks"],
    )
    def post(self, request: Request, webhook_id: int):
        _query(s.NoQuerySerializer, request)
        endpoint = partner_webhook(request.auth.partner_id, webhook_id)
        if endpoint is None:
            raise exceptions.NotFound("No webhook endpoint with this id.")
        webhook_services.webhook_secret_rotate(endpoint=endpoint)
        endpoint.refresh_from_db()
        return Response(s.WebhookCreatedSerializer(endpoint).data)
