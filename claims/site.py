"""The site's own absolute address, for canonical links, og:url, feeds, the
sitemap, ClaimReview JSON-LD and robots.txt.

``settings.SITE_URL`` (environment ``SITE_URL``) fixes it; left empty, it is
the address of the request being answered (scheme and host, the host checked
against ALLOWED_HOSTS by Django), so the same deployment served under two
names links each to itself. Outside a request (a Celery task sending a
webhook) an empty SITE_URL falls back to ``DEFAULT_SITE_URL``: production sets
SITE_URL.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_request_site: ContextVar[str] = ContextVar("request_site", default="")


def configured_site_url() -> str:
    return (getattr(settings, "SITE_URL", "") or "").strip().rstrip("/")


def site_url() -> str:
    """The absolute address of the site's root, without a trailing slash."""
    return configured_site_url() or _request_site.get() or DEFAULT_SITE_URL


def request_site_url(request: HttpRequest) -> str:
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ""


class SiteURLMiddleware:
    """Make the request's own address the site address while it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_site.set("" if configured_site_url() else request_site_url(request))
        try:
            return self.get_response(request)
        finally:
            _request_site.reset(token)
