"""The product's own error pages: Persian, right-to-left, in the site's layout.

Django calls these (``handler400`` ... ``handler500`` in factcheck/urls.py) when DEBUG
is off; claims/middleware.py uses the same functions when it is on, so a reader
never meets Django's English pages. Under /api/ the answer keeps the API's one JSON
error shape instead."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from claims.api.errors import error_response

API_PREFIX = "/api/"

_API_ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "No API endpoint at this address."),
    500: ("server_error", "An unexpected error occurred."),
}


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _page(request: HttpRequest, status: int, *, with_request: bool = True) -> HttpResponse:
    if is_api(request):
        code, message = _API_ERRORS[status]
        return error_response(status, code, message)
    template = loader.get_template(f"{status}.html")
    context = {"ORG_NAME": settings.FACTCHECK_ORG_NAME, "status": status}
    # The 500 page must render even when the database is down: no context
    # processors (the user and the session would need it), only what it shows.
    body = template.render(context, request if with_request else None)
    response = HttpResponse(body, status=status)
    response.product_error_page = True
    return response


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the Persian 403 page, with what to do about it."""
    if is_api(request):
        return _page(request, 403)
    template = loader.get_template("403.html")
    context = {
        "ORG_NAME": settings.FACTCHECK_ORG_NAME,
        "status": 403,
        "csrf_failed": True,
    }
    response = HttpResponse(template.render(context, request), status=403)
    response.product_error_page = True
    return response


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, with_request=False)
