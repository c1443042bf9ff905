"""The product's Persian error pages with DJANGO_DEBUG=1 too.

With DEBUG off Django already calls the handlers in factcheck/urls.py. With it on,
Django answers a missing page or an uncaught exception with its technical pages
(English, every URL pattern, settings). This middleware answers those with the
same Persian pages; the traceback still goes to the console log, which is where a
developer reads it. The API keeps its JSON error shape either way."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from claims.views import errors

logger = logging.getLogger("django.request")


class ErrorPagesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG or getattr(response, "product_error_page", False):
            return response
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # No URL pattern matched: Django's technical 404 lists them all.
            return errors.page_not_found(request)
        if response.status_code in (400, 500) and response.get("Content-Type", "").startswith("text/html"):
            # Raised outside a view (a disallowed Host, a middleware): Django's debug
            # page, since no view here answers 400 or 500 in HTML itself. Django has
            # logged it already. Under /api/ this gives the JSON error shape.
            if response.status_code == 400:
                return errors.bad_request(request)
            return errors.server_error(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or errors.is_api(request):
            return None  # Django calls the handlers itself; DRF answers for the API
        if isinstance(exception, Http404):
            return errors.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # handler403 is used in both modes already
        if isinstance(exception, BadRequest | SuspiciousOperation):
            logger.warning("Bad request: %s (%s)", request.path, exception)
            return errors.bad_request(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return errors.server_error(request)
