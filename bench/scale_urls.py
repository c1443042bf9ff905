"""Bench-only URLconf for bench/bench_scale.py: the product's addresses plus a trivial view,
with the partner API's response cache bypassed, so that every API request the bench makes is
answered from PostgreSQL (the public pages are made to miss with a unique querystring; the
API refuses unknown parameters). Never used by the product."""

from django.http import HttpResponse

import claims.api.views as api_views
from bench.public_urls import urlpatterns  # noqa: F401  (the trivial view and the product)


def _uncached(path: str, query: str, build) -> HttpResponse:
    response = HttpResponse(build(), content_type="application/json")
    response["X-Cache"] = "bypassed"
    return response


api_views.cached_json = _uncached
