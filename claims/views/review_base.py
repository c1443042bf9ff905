"""What every desk view shares: the role check, per-object rules and answers to errors.

Each view is wrapped in ``desk_view(permission)``; the wrapper refuses an
anonymous visitor (to the login page) and anyone without the permission (403)
before the view runs, and records the permission on the view so the tests can
list every desk URL with the role it needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect

from claims.models import Claim, ClaimStatus, IngestJob
from claims.models.claims import PUBLIC_STATUSES
from claims.services.errors import ApplicationError, NotPermitted

VIEW = "claims.view_article"
REVIEW = "claims.change_attribution"
EDIT_CLAIM = "claims.change_claim"
PUBLISH = "claims.publish_claim"
EDIT_SOURCE = "claims.change_source"
ADD_SOURCE = "claims.add_source"
ADD_ALIAS = "claims.add_sourcealias"
REMOVE_ALIAS = "claims.delete_sourcealias"
CANDIDATES = "claims.change_sourcecandidate"
INGEST = "claims.add_article"
RETRY = "claims.change_article"
FLAGS = "claims.change_consistencyflag"


def desk_view(permission: str, methods: Iterable[str] = ("GET",)) -> Callable:
    allowed = tuple(methods)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = f"{settings.LOGIN_URL}?{urlencode({'next': request.path})}"
                    return response
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied("role")
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, *args, **kwargs)

        wrapper.desk_permission = permission  # type: ignore[attr-defined]
        wrapper.desk_methods = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


# --- Per-object rules ---------------------------------------------------------


def can_edit_claim(user, claim: Claim) -> bool:
    """Working on a claim's wording, rating and status: editors, while it is not
    merged away and not yet public (a public one changes only by correction)."""
    return (
        user.has_perm(EDIT_CLAIM)
        and claim.merged_into_id is None
        and claim.status not in PUBLIC_STATUSES
        and claim.status != ClaimStatus.SUBMITTED  # frozen while a senior editor decides
    )


def can_add_evidence(user, claim: Claim) -> bool:
    if claim.merged_into_id is not None or not user.has_perm("claims.add_evidence"):
        return False
    return claim.status not in PUBLIC_STATUSES or user.has_perm(PUBLISH)


def can_publish(user, claim: Claim) -> bool:
    return user.has_perm(PUBLISH) and claim.merged_into_id is None


def require(allowed: bool, message: str = "شما اجازهٔ این کار را ندارید.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def can_see_job(user, job: IngestJob) -> bool:
    return job.created_by_id == user.pk or user.has_perm(PUBLISH) or user.is_superuser


# --- Answers ------------------------------------------------------------------


def _inline(request: HttpRequest) -> bool:
    """An htmx request that swaps a fragment (a boosted form navigates like a page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def error_answer(request: HttpRequest, exc: ApplicationError, back: str) -> HttpResponse:
    """A refused action: 403 for permissions; otherwise the Persian message,
    inline for htmx (422, which the desk lets htmx swap) or as a flash message."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    if _inline(request):
        from django.utils.html import format_html

        from claims.templatetags.fa import bidi_isolate

        body = format_html('<p class="form-error" role="alert">{}</p>', bidi_isolate(exc.message))
        return HttpResponse(body, status=422)
    messages.error(request, exc.message)
    return HttpResponseRedirect(back)


def done_answer(request: HttpRequest, message: str, back: str) -> HttpResponse:
    messages.success(request, message)
    if _inline(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = back
        return response
    return HttpResponseRedirect(back)


def int_or_none(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**62 else None
