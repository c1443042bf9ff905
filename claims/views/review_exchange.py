"""The desk's exchange with the outside: other fact-checkers' reviews in, data out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from claims import exports
from claims.selectors import exchange as sel
from claims.services import dispatch
from claims.services.claimreview_import import claimreview_import
from claims.services.errors import ApplicationError, InvalidInput
from claims.views.review_base import desk_view

REVIEWS_PAGE_SIZE = 40
# A ClaimReview file uploaded from the desk is read in the request: keep it small.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024


@desk_view("claims.view_externalreview")
def external_reviews(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    publisher = request.GET.get("publisher", "").replace("\x00", "").strip()[:300]
    page = Paginator(sel.external_reviews_search(q, publisher), REVIEWS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "editor/external_reviews.html",
        {"page": page, "q": q, "publisher": publisher, "publishers": sel.external_publishers()},
    )


@desk_view("claims.add_externalreview", methods=("POST",))
def external_review_import(request: HttpRequest) -> HttpResponse:
    url = request.POST.get("url", "").strip()
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size > UPLOAD_MAX_BYTES:
                raise InvalidInput(_("پرونده بزرگ‌تر از ۵ مگابایت است."))
            result = claimreview_import(data=upload.read(), source_url=upload.name or "")
            messages.success(
                request,
                _("%(found)s بررسی خوانده شد: %(new)s تازه، %(updated)s به‌روز، %(failed)s ناموفق.")
                % {k: result.as_dict()[k] for k in ("found", "new", "updated", "failed")},
            )
            for error in result.errors[:10]:
                messages.warning(request, error)
        elif url:
            if not url.startswith(("http://", "https://")) or len(url) > 2000 or "\x00" in url:
                raise InvalidInput(_("نشانی باید با http یا https آغاز شود."))
            # Fetched by a worker, never inside this request.
            dispatch.enqueue("claims.import_claimreview_url", url, queue=settings.INGEST_QUEUE or None)
            messages.success(request, _("نشانی در صف خواندن است؛ بررسی‌ها پس از دریافت در این فهرست می‌آیند."))
        else:
            raise InvalidInput(_("نشانی یا پرونده‌ای بدهید."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("review:external_reviews")


@desk_view("claims.view_claim")
def exports_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "editor/exports.html",
        {"claim_columns": exports.CLAIM_COLUMNS, "statement_columns": exports.STATEMENT_COLUMNS},
    )


@desk_view("claims.view_claim")
def export_claims(request: HttpRequest) -> HttpResponse:
    try:
        return exports.claims_response(request.GET, fmt=request.GET.get("format", "csv"))
    except InvalidInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")


@desk_view("claims.view_attribution")
def export_statements(request: HttpRequest) -> HttpResponse:
    try:
        return exports.statements_response(request.GET, fmt=request.GET.get("format", "csv"))
    except InvalidInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
