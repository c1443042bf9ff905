"""The first door: a path, query string or form body with a control character is a 400.

No page, form or API query has a use for NUL or the other C0 controls in its address or its
form fields, and PostgreSQL refuses NUL in text outright, so one that slipped through to a
filter or a search became a 500. This middleware refuses them before any view runs: under
/api/ in the API's one error shape, elsewhere with the site's 400 page. Form bodies are
checked for NUL only (a pasted text may hold a form feed or a vertical tab; the field's
own cleaning drops those); file parts of a multipart upload are the upload's own business.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import get_resolver

from claims.validation import FORBIDDEN_CONTROLS

logger = logging.getLogger("claims.input")

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _bad(values: Iterable[str], *, nul_only: bool = False) -> bool:
    if nul_only:
        return any("\x00" in value for value in values)
    return any(FORBIDDEN_CONTROLS.search(value) for value in values)


def _query_problem(request: HttpRequest) -> str | None:
    if FORBIDDEN_CONTROLS.search(request.path):
        return "path"
    query = request.GET
    for key in query:
        if _bad([key]) or _bad(query.getlist(key)):
            return "query"
    return None


def _form_problem(request: HttpRequest) -> str | None:
    if request.method not in ("POST", "PUT", "PATCH") or request.path.startswith("/api/"):
        return None
    if not request.content_type or request.content_type not in _FORM_TYPES:
        return None
    try:
        form = request.POST
    except (MultiPartParserError, ValueError):
        return None  # the view's own parse says what is wrong with a broken body
    for key in form:
        if _bad([key], nul_only=True) or _bad(form.getlist(key), nul_only=True):
            return "form"
    return None


def refuse(request: HttpRequest, where: str) -> HttpResponse:
    logger.info("refused a control character in the %s of %s", where, request.path.encode("unicode_escape"))
    if request.path.startswith("/api/"):
        from claims.api.errors import error_response

        return error_response(
            400,
            "invalid_characters",
            "The request holds a control character (such as NUL), which no field accepts.",
            {"where": where},
        )
    handler = get_resolver().resolve_error_handler(400)
    return handler(request, exception=ValueError(f"control character in the {where}"))


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _query_problem(request) or _form_problem(request)
        if where:
            return refuse(request, where)
        return self.get_response(request)
