"""OpenAPI description of partner authentication (imported by the views so it is registered)."""

from __future__ import annotations

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
        return CLAIMREVIEW_SCHEMA


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
