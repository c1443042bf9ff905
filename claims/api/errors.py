"""One error shape for everything under /api/: ``{"error": {"code", "message", "details"}}``.

``api_exception_handler`` is REST_FRAMEWORK["EXCEPTION_HANDLER"]. It maps DRF exceptions,
Django's own (404, permission, body too large) and the services' ApplicationError
subclasses to that shape, and turns anything unexpected into a logged JSON answer
instead of Django's HTML error page."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response

from claims.services.errors import ApplicationError

logger = logging.getLogger("claims.api")

JSON_DUMPS = {"ensure_ascii": False}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details if details is not None else {}}}


def error_response(
    status_code: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JsonResponse:
    """A plain Django response in the API's error shape, for code outside DRF views."""
    response = JsonResponse(
        error_body(code, message, details), status=status_code, json_dumps_params=JSON_DUMPS
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class PayloadTooLarge(drf.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class BadRequest(drf.APIException):
    """A 400 with a specific code and structured details (bad filters, unknown parameters)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"

    def __init__(self, message: str, *, code: str = "bad_request", details: Any = None) -> None:
        super().__init__(message, code)
        self.error_code = code
        self.details = details or {}


class UnprocessableURL(drf.APIException):
    status_code = 422
    default_detail = "The URL could not be fetched."
    default_code = "fetch_failed"


class UpstreamUnavailable(drf.APIException):
    """A site we had to fetch did not answer in time: worth retrying later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The URL could not be fetched right now; retry later."
    default_code = "fetch_unavailable"
    retry_after = 60


_CODES: dict[type[drf.APIException], str] = {
    drf.ParseError: "malformed_request",
    drf.AuthenticationFailed: "authentication_failed",
    drf.NotAuthenticated: "not_authenticated",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
    drf.ValidationError: "invalid_input",
    PayloadTooLarge: "payload_too_large",
    UnprocessableURL: "fetch_failed",
    UpstreamUnavailable: "fetch_unavailable",
}


def _message_and_details(exc: drf.APIException) -> tuple[str, Any]:
    detail = exc.detail
    if isinstance(exc, drf.ValidationError):
        if isinstance(detail, dict):
            return "The request has invalid fields.", _plain(detail)
        return "The request is invalid.", {"non_field_errors": _plain(detail)}
    if isinstance(detail, list | dict):
        return "The request could not be processed.", _plain(detail)
    return str(detail), {}


def _plain(value: Any) -> Any:
    """ErrorDetail objects -> plain strings, recursively."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _auth_header(context: dict) -> str | None:
    view = context.get("view")
    request = context.get("request")
    if view is None or request is None:
        return None
    try:
        return view.get_authenticate_header(request)
    except Exception:
        return None


def api_exception_handler(exc: Exception, context: dict) -> Response:
    headers: dict[str, str] = {}

    if isinstance(exc, BadRequest):
        return Response(error_body(exc.error_code, str(exc.detail), exc.details), status=400)
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()

    if isinstance(exc, drf.APIException):
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), None)
        if code is None:
            code = exc.default_code if isinstance(exc.default_code, str) else "error"
        message, details = _message_and_details(exc)
        if isinstance(exc, drf.Throttled):
            wait = max(1, math.ceil(exc.wait or 1))
            headers["Retry-After"] = str(wait)
            message = f"Rate limit exceeded. Retry in {wait} seconds."
            details = {"retry_after": wait}
        if isinstance(exc, UpstreamUnavailable):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
            auth = _auth_header(context)
            if auth:
                headers["WWW-Authenticate"] = auth
            else:
                exc.status_code = status.HTTP_401_UNAUTHORIZED
        return Response(error_body(code, message, details), status=exc.status_code, headers=headers)

    request = context.get("request")
    path = getattr(request, "path", "?")
    if isinstance(exc, DatabaseError):
        logger.exception("API database error on %s", path)
        return Response(
            error_body("unavailable", "The service is temporarily unavailable. Please retry."),
            status=503,
            headers={"Retry-After": "5"},
        )
    # The safety net: a bug must still answer in the documented shape, and be logged.
    logger.exception("Unhandled API error on %s", path)
    return Response(error_body("server_error", "An unexpected error occurred."), status=500)


@csrf_exempt  # the API has no cookies; an unknown address must not answer with the CSRF page instead
def api_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """Unknown addresses under /api/ answer 404 in the error shape, not Django's HTML page."""
    return error_response(404, "not_found", "No API endpoint at this address.", {"path": request.path})
