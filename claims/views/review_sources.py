"""The source registry on the desk: browse, edit, aliases, and the unknown-source queue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from claims.models import Source, SourceAlias, SourceCandidate, SourceKind
from claims.selectors import review as sel
from claims.services import sources as source_svc
from claims.services.errors import ApplicationError, InvalidInput
from claims.views.review_base import (
    ADD_ALIAS,
    ADD_SOURCE,
    CANDIDATES,
    EDIT_SOURCE,
    REMOVE_ALIAS,
    desk_view,
    done_answer,
    error_answer,
)

SOURCES_PAGE_SIZE = 60
FIELDS = ("name_fa", "name_en", "kind", "parent", "affiliation", "country", "description", "aliases")


@desk_view("claims.view_source")
def sources_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in SourceKind.values else ""
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(sel.sources_list(q, kind), SOURCES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "editor/sources.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": SourceKind.choices,
            "open_candidates": sel.open_candidate_count(),
        },
    )


@desk_view("claims.view_source")
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = sel.source_detail(pk)
    if source is None:
        raise Http404
    return render(
        request,
        "editor/source.html",
        {
            "source": source,
            "can_edit": request.user.has_perm(EDIT_SOURCE),
            "can_remove_alias": request.user.has_perm(REMOVE_ALIAS),
        },
    )


def _relation(post, name: str) -> Source | None:
    raw = post.get(name, "")
    if not raw:
        return None
    source = sel.source_by_id(raw)
    if source is None:
        raise InvalidInput("منبع انتخاب‌شده برای «زیرمجموعه» یا «وابستگی» پیدا نشد.")
    return source


def _form_context(source: Source | None, values: dict, error: str = "") -> dict:
    return {
        "source": source,
        "values": values,
        "error": error,
        "kinds": SourceKind.choices,
        "all_sources": sel.source_choices(),
    }


@desk_view(ADD_SOURCE, methods=("GET", "POST"))
def source_new(request: HttpRequest) -> HttpResponse:
    values = {k: request.POST.get(k, "") for k in FIELDS} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            source = source_svc.source_create_desk(
                actor=request.user,
                name_fa=values["name_fa"],
                name_en=values["name_en"],
                kind=values["kind"],
                parent=_relation(request.POST, "parent"),
                affiliation=_relation(request.POST, "affiliation"),
                country=values["country"],
                description=values["description"],
                aliases=[line for line in values["aliases"].splitlines() if line.strip()][:50],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            return render(
                request, "editor/source_form.html", _form_context(None, values, exc.message), status=422
            )
        return done_answer(request, _("منبع ساخته شد."), reverse("review:source", args=[source.pk]))
    return render(request, "editor/source_form.html", _form_context(None, values))


@desk_view(EDIT_SOURCE, methods=("GET", "POST"))
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("parent", "affiliation"), pk=pk)
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in FIELDS}
        try:
            source_svc.source_update(
                source=source,
                actor=request.user,
                name_fa=values["name_fa"],
                name_en=values["name_en"],
                kind=values["kind"],
                parent=_relation(request.POST, "parent"),
                affiliation=_relation(request.POST, "affiliation"),
                country=values["country"],
                description=values["description"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            return render(
                request, "editor/source_form.html", _form_context(source, values, exc.message), status=422
            )
        return done_answer(request, _("منبع ذخیره شد."), reverse("review:source", args=[source.pk]))
    values = {
        "name_fa": source.name_fa,
        "name_en": source.name_en,
        "kind": source.kind,
        "parent": str(source.parent_id or ""),
        "affiliation": str(source.affiliation_id or ""),
        "country": source.country,
        "description": source.description,
    }
    return render(request, "editor/source_form.html", _form_context(source, values))


@desk_view(ADD_ALIAS, methods=("POST",))
def source_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    back = reverse("review:source", args=[pk])
    try:
        source_svc.source_alias_add_desk(source=source, text=request.POST.get("text", ""), actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("نام دیگر افزوده شد."), back)


@desk_view(REMOVE_ALIAS, methods=("POST",))
def source_alias_remove(request: HttpRequest, pk: int, alias_id: int) -> HttpResponse:
    alias = get_object_or_404(SourceAlias.objects.select_related("source"), pk=alias_id, source_id=pk)
    back = reverse("review:source", args=[pk])
    try:
        source_svc.source_alias_remove(alias=alias, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("نام دیگر حذف شد."), back)


@desk_view("claims.view_sourcecandidate")
def candidates(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", SourceCandidate.Status.OPEN)
    status = status if status in SourceCandidate.Status.values else SourceCandidate.Status.OPEN
    page = Paginator(sel.source_candidates(status), SOURCES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "editor/candidates.html",
        {
            "page": page,
            "status": status,
            "statuses": SourceCandidate.Status.choices,
            "kinds": SourceKind.choices,
        },
    )


def _candidate(pk: int) -> SourceCandidate:
    return get_object_or_404(SourceCandidate, pk=pk)


@desk_view(CANDIDATES, methods=("POST",))
def candidate_merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(pk)
    back = reverse("review:candidates")
    source = sel.source_by_id(request.POST.get("source"))
    try:
        if source is None:
            raise InvalidInput("منبع مقصد را از فهرست برگزینید.")
        source_svc.source_candidate_merge(candidate=candidate, source=source, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(
        request, _("«%(name)s» نام دیگرِ «%(source)s» شد.") % {"name": candidate.text, "source": source}, back
    )


@desk_view(CANDIDATES, methods=("POST",))
def candidate_create(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(pk)
    back = reverse("review:candidates")
    try:
        source = source_svc.source_candidate_create(
            candidate=candidate,
            kind=request.POST.get("kind", ""),
            name_fa=request.POST.get("name_fa", ""),
            name_en=request.POST.get("name_en", ""),
            actor=request.user,
        )
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("منبع «%(name)s» ساخته شد.") % {"name": source.name_fa}, back)


@desk_view(CANDIDATES, methods=("POST",))
def candidate_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(pk)
    back = reverse("review:candidates")
    try:
        source_svc.source_candidate_ignore(candidate=candidate, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, _("نام نادیده گرفته شد."), back)
