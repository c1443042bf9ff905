"""Terms of office on the desk: who held an office when, under the source pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import Position, Source, SourceKind
from claims.selectors.sources import office_choices, person_choices, source_terms, source_undated_terms
from claims.services import registry as svc
from claims.services.errors import ApplicationError, InvalidInput
from claims.views.review_base import EDIT_SOURCE, desk_view, done_answer, error_answer


def _date(raw: str, label: str, *, required: bool) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            raise InvalidInput(_("تاریخ «%(label)s» لازم است.") % {"label": label})
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("تاریخ «%(label)s» باید به شکل YYYY-MM-DD باشد.") % {"label": label}) from None


@desk_view("claims.view_source", methods=("GET", "POST"))
def source_terms_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An office's holders, or a person's offices, with a form to record a term."""
    source = get_object_or_404(Source, pk=pk)
    if source.kind not in (SourceKind.OFFICE, SourceKind.PERSON):
        raise Http404
    error = ""
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(EDIT_SOURCE):
            raise PermissionDenied(_("شما اجازهٔ ویرایش منبع را ندارید."))
        try:
            other = Source.objects.filter(pk=request.POST.get("other") or 0).first()
            if other is None:
                raise InvalidInput(_("سمت یا دارندهٔ آن را از فهرست برگزینید."))
            office, holder = (source, other) if source.kind == SourceKind.OFFICE else (other, source)
            svc.position_create(
                office=office,
                holder=holder,
                start=_date(request.POST.get("start", ""), _("آغاز"), required=True),
                end=_date(request.POST.get("end", ""), _("پایان"), required=False),
                editor=request.user,
            )
        except ApplicationError as exc:
            error, status = exc.message, 422
        else:
            return done_answer(request, _("دورهٔ تصدی ثبت شد."), reverse("review:source_terms", args=[pk]))
    choices = person_choices() if source.kind == SourceKind.OFFICE else office_choices()
    return render(
        request,
        "editor/source_terms.html",
        {
            "source": source,
            "terms": source_terms(source),
            "undated": source_undated_terms(source).only("id", "name_fa")[:200],
            "choices": choices.only("id", "name_fa"),
            "can_edit": request.user.has_perm(EDIT_SOURCE),
            "error": error,
            # 'other' in the address: a holder recorded without dates, picked for the form
            "values": request.POST if request.method == "POST" else {"other": request.GET.get("other", "")},
        },
        status=status,
    )


@desk_view(EDIT_SOURCE, methods=("POST",))
def source_term_edit(request: HttpRequest, pk: int, term_id: int) -> HttpResponse:
    term = get_object_or_404(Position.objects.select_related("office", "holder"), pk=term_id)
    if pk not in (term.office_id, term.holder_id):
        raise Http404
    back = reverse("review:source_terms", args=[pk])
    try:
        if request.POST.get("delete"):
            svc.position_delete(position=term)
            return done_answer(request, _("دورهٔ تصدی حذف شد."), back)
        svc.position_update(
            position=term,
            start=_date(request.POST.get("start", ""), _("آغاز"), required=True),
            end=_date(request.POST.get("end", ""), _("پایان"), required=False),
            editor=request.user,
        )
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("دورهٔ تصدی ذخیره شد."), back)
