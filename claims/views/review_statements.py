"""A statement on the desk: every appearance in time order, confirm the group or split one off."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import Attribution
from claims.selectors.statements import desk_statement
from claims.services import statements as svc
from claims.services.errors import ApplicationError
from claims.views.review_base import desk_view, done_answer, error_answer

REVIEW = "claims.change_attribution"


@desk_view("claims.view_attribution")
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = desk_statement(pk)
    if statement is None:
        raise Http404
    return render(request, "editor/statement.html", {"statement": statement})


@desk_view(REVIEW, methods=("POST",))
def statement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    statement = desk_statement(pk)
    if statement is None:
        raise Http404
    back = reverse("review:statement", args=[pk])
    try:
        svc.statement_confirm(statement=statement, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("گروه‌بندی این گفته تأیید شد."), back)


@desk_view(REVIEW, methods=("POST",))
def statement_split(request: HttpRequest, pk: int, attribution_id: int) -> HttpResponse:
    statement = desk_statement(pk)
    if statement is None:
        raise Http404
    attribution = get_object_or_404(Attribution, pk=attribution_id, statement_id=pk)
    try:
        new = svc.statement_split(statement=statement, attribution=attribution, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, reverse("review:statement", args=[pk]))
    return done_answer(request, _("این بازگویی گفته‌ای جدا شد."), reverse("review:statement", args=[new.pk]))
