"""OpenAPI description of partner authentication (imported by the views so it is registered)."""

from __future__ import annotations

import copy

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension


class APIKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "claims.api.auth.APIKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "fc_XXXXXXXX_<secret>",
            "description": "A partner API key: `Authorization: Bearer fc_…`.",
        }


CLAIMREVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview (JSON-LD), as embedded in the public claim page.",
    "required": ["@context", "@type", "url", "claimReviewed", "reviewRating", "itemReviewed", "author"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri"},
        "claimReviewed": {"type": "string"},
        "inLanguage": {"type": "string"},
        "datePublished": {"type": "string", "format": "date-time"},
        "reviewBody": {"type": "string"},
        "author": {"type": "object"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
                "alternateName": {"type": "string"},
            },
        },
        "itemReviewed": {"type": "object"},
    },
}


class ClaimReviewScheme(OpenApiSerializerExtension):
    target_class = "claims.api.serializers.ClaimReviewSerializer"

    def map_serializer(self, auto_schema, direction):
        # A copy: the enum post-processing hook rewrites the schema it is given in place,
        # and a second generation in the same process would find its enums already gone.
        return copy.deepcopy(CLAIMREVIEW_SCHEMA)


class _EitherScheme(OpenApiSerializerExtension):
    """The answer's shape depends on ``format``: the plain form or the ClaimReview form."""

    plain = ""
    claimreview = ""

    def map_serializer(self, auto_schema, direction):
        from claims.api import serializers as s

        refs = [
            auto_schema.resolve_serializer(getattr(s, name), direction).ref
            for name in (self.plain, self.claimreview)
        ]
        return {"anyOf": refs}


class ClaimListResponseScheme(_EitherScheme):
    target_class = "claims.api.serializers.ClaimListResponseSerializer"
    plain, claimreview = "ClaimPageSerializer", "ClaimReviewPageSerializer"


class ClaimDetailResponseScheme(_EitherScheme):
    target_class = "claims.api.serializers.ClaimDetailResponseSerializer"
    plain, claimreview = "ClaimSerializer", "ClaimReviewSerializer"


class ArticleSubmitScheme(OpenApiSerializerExtension):
    """A submission carries its text, its URL, or both: say so in the schema, so a body
    with neither is schema-invalid (it is a 400) rather than a valid body refused."""

    target_class = "claims.api.serializers.ArticleSubmitSerializer"

    def map_serializer(self, auto_schema, direction):
        from claims.api.serializers import ONE_LINE_PATTERN

        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["anyOf"] = [{"required": ["text"]}, {"required": ["url"]}]
        # drf-spectacular writes a blank-allowed field with a pattern as oneOf(pattern, empty),
        # which an empty title matches twice (so oneOf fails): the pattern admits "" already.
        schema["properties"]["title"] = {"type": "string", "maxLength": 500, "pattern": ONE_LINE_PATTERN}
        return schema


def require_post_bodies(result, generator, request, public):
    """drf-spectacular marks a body required only when a field is; every POST here needs one
    (an empty one is a 400), so say so. Listed in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]."""
    for path in result.get("paths", {}).values():
        body = path.get("post", {}).get("requestBody")
        if body is not None:
            body["required"] = True
    return result
