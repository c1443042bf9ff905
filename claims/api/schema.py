"""OpenAPI description of partner authentication (imported by the views so it is registered)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
