"""The API's documentation pages under the site's Content-Security-Policy.

Swagger UI loads its start-up script from its own address (drf-spectacular's split
view) instead of an inline script. ReDoc renders with styled-components, which
inserts its generated CSS as <style> elements and runs its search in a worker made
from a blob: address; those two allowances are made for the ReDoc page alone.
Scripts stay 'self' everywhere. Both load their assets from drf-spectacular-sidecar
(this server), and neither asks another host for fonts."""

from __future__ import annotations

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}), name="get")
class RedocView(SpectacularRedocView):
    # templates/drf_spectacular/redoc.html: local font and logo, no inline script or style.
    template_name = "drf_spectacular/redoc.html"
