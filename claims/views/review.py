"""The review desk: inbox, article review with its candidates, and ingest."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from claims.models import Article, AttributionKind, IngestJob, ReviewState, SourceKind
from claims.selectors import review as sel
from claims.services import article_names as names_svc
from claims.services import articles as article_svc
from claims.services import attributions as attribution_svc
from claims.services import claims as claim_svc
from claims.services import cleaning
from claims.services import ingest_jobs as ingest_svc
from claims.services import proposals as proposal_svc
from claims.services.errors import ApplicationError, InvalidInput
from claims.views.review_base import (
    INGEST,
    RETRY,
    REVIEW,
    VIEW,
    can_see_job,
    desk_view,
    done_answer,
    error_answer,
    int_or_none,
    require,
)

INBOX_PAGE_SIZE = 50
# The inbox counts the articles it lists up to this many (twenty pages), not all of them.
INBOX_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Pages over a list whose length is counted only up to ``cap`` + 1 (a COUNT
    over a LIMIT subquery): past the cap the desk says "more than", and the last
    reachable page is the cap's. Filters narrow a longer list."""

    cap = INBOX_COUNT_CAP

    @cached_property
    def count(self) -> int:
        # Counted on the ids alone: the list's annotations (an article's lead, cut from
        # its text) are for the shown page, not for every counted row.
        return self.object_list.values("pk")[: self.cap + 1].count()

    @property
    def shown_count(self) -> str:
        return _shown(self.count, self.cap)


def _shown(n: int, cap: int = sel.COUNT_CAP) -> str:
    """A capped count for people: the number, or "more than" the cap."""
    return _("بیش از %(cap)s") % {"cap": f"{cap:,}".replace(",", "٬")} if n > cap else str(n)


def _date(value: str, *, label: str = "", errors: list[str] | None = None) -> dt.date | None:
    """A filter date, or None; a date that cannot be read adds a Persian message
    to ``errors`` instead of being silently ignored."""
    try:
        parsed = cleaning.parse_date(value)
    except InvalidInput:
        if errors is not None:
            errors.append(
                _("«%(label)s» تاریخ خوانایی نیست (نمونه: ۱۴۰۲-۱۱-۰۴ یا 2024-01-24).") % {"label": label}
            )
        return None
    return parsed.date() if parsed else None


def inbox_date_range(request: HttpRequest) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The inbox's date range and what is wrong with it: a date that cannot be
    read or a range whose start is after its end is not applied, and said."""
    errors: list[str] = []
    start = _date(request.GET.get("from", ""), label=_("از تاریخ"), errors=errors)
    end = _date(request.GET.get("to", ""), label=_("تا تاریخ"), errors=errors)
    if start and end and start > end:
        message = _("بازهٔ تاریخ وارونه است: «از تاریخ» (%(start)s) پس از «تا تاریخ» (%(end)s) است؛")
        errors.append(f"{message} {_('این بازه اعمال نشد.')}" % {"start": start, "end": end})
        start = end = None
    return start, end, errors


def _inbox_filters(request: HttpRequest) -> sel.InboxFilters:
    g = request.GET
    date_from, date_to, _errors = inbox_date_range(request)
    state = g.get("state", ReviewState.PENDING)
    hedged = {"1": True, "0": False}.get(g.get("hedged", ""))
    return sel.InboxFilters(
        q=g.get("q", "").strip()[:200],
        publisher=int_or_none(g.get("publisher")),
        source=int_or_none(g.get("source")),
        kind=g.get("kind", "") if g.get("kind", "") in AttributionKind.values else "",
        state=state if state in ReviewState.values else "",
        hedged=hedged,
        date_from=date_from,
        date_to=date_to,
    )


@desk_view(VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    if request.htmx and request.htmx.target == "unfinished-panel":
        # the side panel polls itself while articles are still being extracted
        unfinished = sel.articles_unfinished()
        still_working = any(a.state != "failed" for a in unfinished)
        return render(
            request, "editor/_unfinished.html", {"unfinished": unfinished, "still_working": still_working}
        )
    filters = _inbox_filters(request)
    paginator = CappedPaginator(sel.inbox_articles(filters), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = sel.attach_review_counts(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    candidate_counts, article_counts = sel.desk_state_counts()
    counts = {state: _shown(n) for state, n in candidate_counts.items()}
    unfinished = sel.articles_unfinished()
    context = {
        "page": page,
        "filters": filters,
        "filter_errors": inbox_date_range(request)[2],
        "query": query.urlencode(),
        "state_counts": [(value, label, counts[value]) for value, label in ReviewState.choices],
        "article_counts": {state: _shown(n) for state, n in article_counts.items()},
        "unfinished": unfinished,
        "still_working": any(a.state != "failed" for a in unfinished),
        "kinds": AttributionKind.choices,
        "states": ReviewState.choices,
        **sel.inbox_choices(),
    }
    template = "editor/_inbox_list.html" if request.htmx and request.htmx.target == "inbox-list" else None
    return render(request, template or "editor/inbox.html", context)


@desk_view(RETRY, methods=("POST",))
def article_retry(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        article_svc.article_retry(article=article, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, reverse("review:inbox"))
    return done_answer(request, _("خبر دوباره در صف پردازش قرار گرفت."), reverse("review:inbox"))


@desk_view(RETRY, methods=("GET", "POST"))
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an article's title and publisher (inferred at ingest, or wrong)."""
    article = get_object_or_404(Article.objects.select_related("publisher").defer("text"), pk=pk)
    back = reverse("review:article", args=[article.pk])
    values = {"title": article.title, "publisher": str(article.publisher_id or "")}
    error = ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        publisher = sel.source_by_id(values["publisher"]) if values["publisher"] else None
        if values["publisher"] and publisher is None:
            error = _("ناشری با این شناسه در فهرست منابع نیست.")
        else:
            try:
                names_svc.article_names_set(
                    article=article, title=values["title"], publisher=publisher, actor=request.user
                )
            except ApplicationError as exc:
                if exc.status == 403:
                    raise PermissionDenied(exc.message) from exc
                error = exc.message
            else:
                return done_answer(request, _("عنوان و ناشر خبر ذخیره شد."), back)
    return render(
        request,
        "editor/article_edit.html",
        {"article": article, "values": values, "error": error, "publishers": sel.publisher_choices()},
        status=422 if error else 200,
    )


# --- Article review -----------------------------------------------------------


def _choices() -> dict:
    """The menus every candidate card repeats, their labels translated once a request
    rather than once an option (lazy labels resolve on each use)."""
    return {
        "dismiss_reasons": {value: str(label) for value, label in attribution_svc.DISMISS_REASONS.items()},
        "source_kinds": [(value, str(label)) for value, label in SourceKind.choices],
    }


def _article_context(article: Article) -> dict:
    candidates = article.candidates
    return {
        "article": article,
        "segments": sel.highlight_segments(article.text, candidates),
        "candidates": candidates,
        "counts": {
            state: sum(1 for a in candidates if a.review_state == state) for state in ReviewState.values
        },
        **_choices(),
    }


@desk_view(VIEW)
def article_review(request: HttpRequest, pk: int) -> HttpResponse:
    article = sel.article_for_review(pk)
    if article is None:
        raise Http404
    context = _article_context(article)
    context["next_article"] = sel.next_article_to_review(article)
    return render(request, "editor/article.html", context)


def _attribution(article_id: int, pk: int):
    attribution = sel.attribution_for_review(pk, article_id)
    if attribution is None:
        raise Http404
    return attribution


def _card(
    request: HttpRequest, article_id: int, pk: int, *, status: int = 200, error: str = "", act: str = ""
) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    return render(
        request,
        "editor/_candidate.html",
        {
            "a": attribution,
            "article_id": article_id,
            **_choices(),
            "error": error,
            "open_act": act,
            "posted": request.POST if error else {},
        },
        status=status,
    )


def _counts_oob(request: HttpRequest, article_id: int) -> str:
    """The per-state counts above the list, out of band (they change with every action)."""
    return render(
        request, "editor/_cand_counts.html", {"counts": sel.article_review_counts(article_id), "oob": True}
    ).content.decode()


def _card_answer(request: HttpRequest, article_id: int, pk: int, message: str) -> HttpResponse:
    if request.htmx:
        card = _card(request, article_id, pk).content.decode()
        return HttpResponse(card + _counts_oob(request, article_id))
    return done_answer(request, message, reverse("review:article", args=[article_id]) + f"#cand-{pk}")


def _card_and_text(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    """The card, and out of band the article text, whose highlights have changed."""
    article = sel.article_for_review(article_id)
    card = _card(request, article_id, pk).content.decode()
    body = render(
        request,
        "editor/_article_body.html",
        {"segments": sel.highlight_segments(article.text, article.candidates), "oob": True},
    ).content.decode()
    return HttpResponse(card + body + _counts_oob(request, article_id))


def _card_error(
    request: HttpRequest, article_id: int, pk: int, exc: ApplicationError, act: str = ""
) -> HttpResponse:
    """The card again with the message, and the form that failed left open."""
    if request.htmx and exc.status != 403:
        return _card(request, article_id, pk, status=422, error=exc.message, act=act)
    return error_answer(request, exc, reverse("review:article", args=[article_id]) + f"#cand-{pk}")


@desk_view(VIEW)
def attribution_card(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    return _card(request, article_id, pk)


@desk_view(REVIEW, methods=("POST",))
def attribution_accept(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    try:
        attribution_svc.attribution_accept_new(
            attribution=attribution, text=request.POST.get("text", ""), actor=request.user
        )
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "accept")
    return _card_answer(request, article_id, pk, _("ادعای تازه ساخته شد."))


@desk_view(REVIEW, methods=("POST",))
def attribution_link(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    claim = sel.claim_by_id(request.POST.get("claim"))
    try:
        if claim is None:
            raise InvalidInput("ادعای انتخاب‌شده پیدا نشد.")
        if claim_svc.needs_senior(claim=claim, actor=request.user):
            # A published claim changes only by a senior editor: an editor proposes.
            proposal_svc.proposal_link(
                attribution=attribution, claim=claim, actor=request.user, note=request.POST.get("note", "")
            )
            return _card_answer(
                request,
                article_id,
                pk,
                _("این ادعا منتشر شده است؛ پیشنهاد پیوند برای تأیید دبیر ارشد فرستاده شد."),
            )
        attribution_svc.attribution_link_claim(attribution=attribution, claim=claim, actor=request.user)
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "link")
    return _card_answer(request, article_id, pk, _("انتساب به ادعا پیوند شد."))


@desk_view(REVIEW, methods=("POST",))
def attribution_dismiss(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    try:
        attribution_svc.attribution_dismiss(
            attribution=attribution,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "dismiss")
    if request.htmx:
        return _card_and_text(request, article_id, pk)
    return _card_answer(request, article_id, pk, _("انتساب رد شد."))


@desk_view(REVIEW, methods=("POST",))
def attribution_restore(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    try:
        attribution_svc.attribution_restore(attribution=attribution, actor=request.user)
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "")
    if request.htmx:
        return _card_and_text(request, article_id, pk)
    return _card_answer(request, article_id, pk, _("انتساب به صف بازگشت."))


@desk_view(REVIEW, methods=("POST",))
def attribution_source(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    post = request.POST
    source = None
    try:
        if post.get("source"):
            source = sel.source_by_id(post.get("source"))
            if source is None:
                raise InvalidInput("منبع انتخاب‌شده پیدا نشد.")
        elif not post.get("name_fa", "").strip():
            raise InvalidInput("منبعی از فهرست برگزینید یا نام منبع تازه را بنویسید.")
        attribution_svc.attribution_correct_source(
            attribution=attribution,
            actor=request.user,
            source=source,
            new_name_fa=post.get("name_fa", ""),
            new_kind=post.get("kind", ""),
            new_name_en=post.get("name_en", ""),
        )
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "source")
    return _card_answer(request, article_id, pk, _("منبع اصلاح شد."))


@desk_view(REVIEW, methods=("POST",))
def attribution_span(request: HttpRequest, article_id: int, pk: int) -> HttpResponse:
    attribution = _attribution(article_id, pk)
    start, end = int_or_none(request.POST.get("start")), int_or_none(request.POST.get("end"))
    target = reverse("review:article", args=[article_id]) + f"#cand-{pk}"
    try:
        if start is None or end is None:
            raise InvalidInput("نخست بخشی از متن خبر را با نشانگر انتخاب کنید.")
        attribution_svc.attribution_correct_span(
            attribution=attribution,
            part=request.POST.get("part", ""),
            start=start,
            end=end,
            actor=request.user,
        )
    except ApplicationError as exc:
        return _card_error(request, article_id, pk, exc, "span")
    if not request.htmx:
        return done_answer(request, _("بازهٔ متن اصلاح شد."), target)
    return _card_and_text(request, article_id, pk)


@desk_view(VIEW)
def claim_search(request: HttpRequest) -> HttpResponse:
    """Claims to link a candidate to (or merge a claim into), for an htmx result list."""
    article_id = int_or_none(request.GET.get("article"))
    attribution_id = int_or_none(request.GET.get("attribution"))
    exclude = int_or_none(request.GET.get("exclude"))
    results = sel.claim_search(request.GET.get("q", "")[:200], exclude=exclude)
    return render(
        request,
        "editor/_claim_results.html",
        {
            "results": results,
            "article_id": article_id,
            "attribution_id": attribution_id,
            "merge_from": exclude,
            "q": request.GET.get("q", ""),
        },
    )


@desk_view(VIEW)
def source_search(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "editor/_source_results.html",
        {
            "results": sel.source_search(request.GET.get("q", "")[:200]),
            "article_id": int_or_none(request.GET.get("article")),
            "attribution_id": int_or_none(request.GET.get("attribution")),
            "candidate_id": int_or_none(request.GET.get("candidate")),
            "q": request.GET.get("q", ""),
        },
    )


# --- Ingest -------------------------------------------------------------------


@desk_view(INGEST, methods=("GET", "POST"))
def ingest(request: HttpRequest) -> HttpResponse:
    values = {"title": "", "text": "", "url": "", "publisher": "", "published": ""}
    error = ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        publisher = sel.source_by_id(values["publisher"])
        try:
            article, created = article_svc.article_submit(
                actor=request.user,
                text=values["text"],
                url=values["url"],
                title=values["title"],
                publisher=publisher,
                published=values["published"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            error = exc.message
        else:
            message = _("خبر افزوده شد.") if created else _("این خبر پیش‌تر افزوده شده بود.")
            return done_answer(request, message, reverse("review:article", args=[article.pk]))
    return render(
        request,
        "editor/ingest.html",
        {
            "values": values,
            "error": error,
            "publishers": sel.publisher_choices(),
            "jobs": sel.recent_jobs(request.user),
        },
        status=422 if error else 200,
    )


@desk_view("claims.add_ingestjob", methods=("POST",))
def ingest_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput("پرونده‌ای برای بارگذاری انتخاب نشده است.")
        if upload.size > ingest_svc.MAX_UPLOAD_BYTES:
            raise InvalidInput("پرونده بیش از اندازه بزرگ است.")
        publisher = None
        if request.POST.get("publisher"):
            publisher = sel.source_by_id(request.POST["publisher"])
            if publisher is None:
                raise InvalidInput("ناشری با این شناسه در فهرست منابع نیست.")
        records = ingest_svc.parse_upload(filename=upload.name, data=upload.read())
        job = ingest_svc.ingest_job_start(
            filename=upload.name, records=records, actor=request.user, publisher=publisher
        )
    except ApplicationError as exc:
        return error_answer(request, exc, reverse("review:ingest"))
    # A task reads the rows in the background (in-process, before this answer,
    # without a broker); the progress page only shows how far it has got.
    return HttpResponseRedirect(reverse("review:ingest_job", args=[job.pk]))


@desk_view("claims.view_ingestjob")
def ingest_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = sel.ingest_job_progress(pk)
    if job is None:
        raise Http404
    require(can_see_job(request.user, job), "این بارگذاری از آنِ شما نیست.")
    if request.htmx:
        return render(request, "editor/_job_progress.html", {"job": job})
    return render(request, "editor/ingest_job.html", {"job": job, "states": IngestJob.State})
