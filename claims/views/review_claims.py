"""Claims on the desk: the list, the workspace and every move on a claim."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Claim, ClaimChangeProposal, ClaimStatus, ConsistencyFlag, Rating
from claims.models.claims import RATING_EXPLANATIONS
from claims.selectors import proposals as proposal_sel
from claims.selectors import review as sel
from claims.services import claims as claim_svc
from claims.services import cleaning
from claims.services import proposals as proposal_svc
from claims.services.claims import ALLOWED_TRANSITIONS
from claims.services.errors import ApplicationError, InvalidInput
from claims.views.review_base import (
    EDIT_CLAIM,
    FLAGS,
    PUBLISH,
    can_add_evidence,
    can_edit_claim,
    can_publish,
    desk_view,
    done_answer,
    error_answer,
    int_or_none,
    require,
)

CLAIMS_PAGE_SIZE = 50

# Status moves offered as plain buttons; rating, publishing and correcting have their own forms.
TRANSITION_LABELS = {
    ClaimStatus.IN_REVIEW: gettext_lazy("شروع بررسی"),
    ClaimStatus.NEW: gettext_lazy("بازگشت به تازه"),
    ClaimStatus.DISMISSED: gettext_lazy("کنار گذاشتن"),
}


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim, pk=pk)


def _back(claim: Claim) -> str:
    return reverse("review:claim", args=[claim.pk])


@desk_view("claims.view_claim")
def claims_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = sel.ClaimFilters(
        q=g.get("q", "").strip()[:200],
        status=g.get("status", "") if g.get("status", "") in ClaimStatus.values else "",
        rating=g.get("rating", "") if g.get("rating", "") in Rating.values else "",
        assignee=g.get("assignee", "")[:20],
        source=int_or_none(g.get("source")),
        show_merged=g.get("merged") == "1",
    )
    page = Paginator(sel.claims_list(filters, request.user), CLAIMS_PAGE_SIZE).get_page(g.get("page"))
    counts = sel.claim_status_counts()
    query = g.copy()
    query.pop("page", None)
    return render(
        request,
        "editor/claims.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": ClaimStatus.choices,
            "ratings": Rating.choices,
            "users": sel.desk_users(),
            # every status with its count, zero included (a blank reads as "unknown")
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in ClaimStatus.choices],
            "source_filter": sel.source_by_id(filters.source),
        },
    )


@desk_view("claims.view_claim")
def claim_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    claim = sel.claim_workspace(pk, appearance_page=page)
    if claim is None:
        raise Http404
    user = request.user
    editable = can_edit_claim(user, claim)
    labels = {**TRANSITION_LABELS}
    if claim.status == ClaimStatus.RATED:
        labels[ClaimStatus.IN_REVIEW] = gettext_lazy("بازگشت به بررسی (داوری دوباره)")
    if claim.status == ClaimStatus.DISMISSED:
        labels[ClaimStatus.NEW] = gettext_lazy("بازگرداندن")
    transitions = [
        (status, labels[status])
        for status in ALLOWED_TRANSITIONS.get(claim.status, ())
        if status in TRANSITION_LABELS
    ]
    transitions.sort(key=lambda item: list(TRANSITION_LABELS).index(item[0]))
    return render(
        request,
        "editor/claim.html",
        {
            "claim": claim,
            "editable": editable,
            "can_evidence": can_add_evidence(user, claim),
            "can_publish": can_publish(user, claim) and claim.status == ClaimStatus.SUBMITTED,
            "can_correct": can_publish(user, claim)
            and claim.status in (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED),
            "is_senior": user.has_perm(PUBLISH),
            "submitted": claim.status == ClaimStatus.SUBMITTED,
            "transitions": transitions if editable else [],
            "ratings": [(value, label, RATING_EXPLANATIONS[value]) for value, label in Rating.choices],
            "users": sel.desk_users(),
            "open_flags": [f for f in claim.flag_list if not f.resolved],
            "proposals": proposal_sel.open_proposals_for(claim),
        },
    )


def _edit_action(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    """Run ``action(claim)`` on a claim the user may edit; answer with a message."""
    claim = _claim(pk)
    require(can_edit_claim(request.user, claim), "این ادعا در این وضعیت برای شما ویرایش‌پذیر نیست.")
    try:
        action(claim)
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, success, _back(claim))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> None:
        text = cleaning.clean_text(request.POST.get("text"), label="متن ادعا", max_length=cleaning.MAX_TEXT)
        claim_svc.claim_update_text(claim=claim, text=text, actor=request.user)

    return _edit_action(request, pk, action, _("متن ادعا ذخیره شد."))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_transition(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> None:
        to_status = request.POST.get("to", "")
        if to_status not in ClaimStatus.values:
            raise InvalidInput("وضعیت مقصد معتبر نیست.")
        note = cleaning.clean_text(
            request.POST.get("note"), label="یادداشت", max_length=cleaning.MAX_REASON, required=False
        )
        claim_svc.claim_transition(claim=claim, to_status=to_status, actor=request.user, note=note)

    return _edit_action(request, pk, action, _("وضعیت ادعا تغییر کرد."))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_rate(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> None:
        rationale = cleaning.clean_text(
            request.POST.get("rationale"), label="استدلال داوری", max_length=cleaning.MAX_TEXT
        )
        claim_svc.claim_rate(
            claim=claim, rating=request.POST.get("rating", ""), rationale=rationale, actor=request.user
        )

    return _edit_action(request, pk, action, _("داوری ثبت شد."))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> None:
        claim_svc.claim_submit(claim=claim, actor=request.user, note=request.POST.get("note", ""))

    return _edit_action(request, pk, action, _("ادعا برای تأیید انتشار فرستاده شد."))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_assign(request: HttpRequest, pk: int) -> HttpResponse:
    def action(claim: Claim) -> None:
        raw = request.POST.get("assignee", "")
        assignee = None
        if raw:
            assignee = next((u for u in sel.desk_users() if str(u.pk) == raw), None)
            if assignee is None:
                raise InvalidInput("این کاربر عضو میز تحریریه نیست.")
        claim_svc.claim_assign(claim=claim, assignee=assignee, actor=request.user)

    return _edit_action(request, pk, action, _("مسئول ادعا تعیین شد."))


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_note(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require(claim.merged_into_id is None, "این ادعا ادغام شده است.")
    try:
        claim_svc.claim_note_add(claim=claim, note=request.POST.get("note", ""), actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("یادداشت افزوده شد."), _back(claim))


@desk_view("claims.add_evidence", methods=("POST",))
def claim_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require(can_add_evidence(request.user, claim), "برای این ادعا نمی‌توانید شاهد بیفزایید.")
    try:
        url = cleaning.clean_text(
            request.POST.get("url"), label="نشانی شاهد", max_length=2000, multiline=False
        )
        title = cleaning.clean_text(
            request.POST.get("title"), label="عنوان", max_length=500, required=False, multiline=False
        )
        summary = cleaning.clean_text(
            request.POST.get("summary"),
            label="توضیح برای خواننده",
            max_length=cleaning.MAX_TEXT,
            required=False,
        )
        note = cleaning.clean_text(
            request.POST.get("note"), label="یادداشت داخلی", max_length=cleaning.MAX_TEXT, required=False
        )
        claim_svc.evidence_add(
            claim=claim, url=url, title=title, summary=summary, note=note, actor=request.user
        )
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("شاهد افزوده شد."), _back(claim) + "#evidence")


@desk_view(EDIT_CLAIM, methods=("POST",))
def claim_merge(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require(can_edit_claim(request.user, claim), "این ادعا در این وضعیت ادغام‌پذیر نیست.")
    target = sel.claim_by_id(request.POST.get("into"))
    try:
        if target is None:
            raise InvalidInput("ادعای مقصد پیدا نشد.")
        if claim_svc.needs_senior(claim=target, actor=request.user):
            # A published claim changes only by a senior editor: an editor proposes.
            proposal_svc.proposal_merge(
                source_claim=claim, target_claim=target, actor=request.user, note=request.POST.get("note", "")
            )
            return done_answer(
                request,
                _("ادعای مقصد منتشر شده است؛ پیشنهاد ادغام برای تأیید دبیر ارشد فرستاده شد."),
                _back(claim),
            )
        claim_svc.claim_merge(source_claim=claim, target_claim=target, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("دو ادعا ادغام شدند."), _back(target))


def _confirm(request: HttpRequest, claim: Claim, *, action: str, **context) -> HttpResponse:
    """The page a senior editor confirms on: what the public will see."""
    preview = sel.claim_workspace(claim.pk)
    return render(
        request,
        "editor/claim_confirm.html",
        {"claim": preview, "action": action, "ratings": dict(Rating.choices), **context},
    )


@desk_view(PUBLISH, methods=("GET", "POST"))
def claim_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (or a POST without ``confirm``): the confirmation page with what the
    public will see; POST with ``confirm=1``: publish."""
    claim = _claim(pk)
    require(can_publish(request.user, claim), "تنها دبیر ارشد می‌تواند ادعا را منتشر کند.")
    if request.method != "POST" or request.POST.get("confirm") != "1":
        if claim.status != ClaimStatus.SUBMITTED:
            return error_answer(
                request,
                InvalidInput("تنها ادعایی که برای تأیید انتشار فرستاده شده منتشر می‌شود."),
                _back(claim),
            )
        return _confirm(request, claim, action="publish")
    try:
        claim_svc.claim_publish(claim=claim, actor=request.user)
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("ادعا منتشر شد."), _back(claim))


@desk_view(PUBLISH, methods=("POST",))
def claim_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require(can_publish(request.user, claim), "تنها دبیر ارشد ادعای فرستاده‌شده را بازمی‌گرداند.")
    try:
        claim_svc.claim_send_back(claim=claim, actor=request.user, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("ادعا برای کار دوباره به دبیر بازگردانده شد."), _back(claim))


@desk_view(PUBLISH, methods=("POST",))
def claim_correct(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require(can_publish(request.user, claim), "تنها دبیر ارشد می‌تواند داوری منتشرشده را اصلاح کند.")
    try:
        note = cleaning.clean_text(
            request.POST.get("note"), label="یادداشت عمومی اصلاحیه", max_length=cleaning.MAX_TEXT
        )
        rationale = cleaning.clean_text(
            request.POST.get("rationale"), label="استدلال داوری", max_length=cleaning.MAX_TEXT
        )
        text = cleaning.clean_text(
            request.POST.get("text"), label="متن ادعا", max_length=cleaning.MAX_TEXT, required=False
        )
        rating = request.POST.get("rating", "")
        if rating not in Rating.values:
            raise InvalidInput("داوری انتخاب‌شده معتبر نیست.")
        if claim.status not in (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED):
            raise InvalidInput("تنها ادعای منتشرشده اصلاح می‌شود.")
        if request.POST.get("confirm") != "1":
            # First what the public will see, then the senior editor confirms.
            return _confirm(
                request,
                claim,
                action="correct",
                new={"rating": rating, "rationale": rationale, "note": note, "text": text or claim.text},
            )
        claim_svc.claim_correct(
            claim=claim,
            rating=request.POST.get("rating", ""),
            rationale=rationale,
            note=note,
            text=text or None,
            actor=request.user,
        )
    except ApplicationError as exc:
        return error_answer(request, exc, _back(claim))
    return done_answer(request, _("اصلاحیه ثبت و منتشر شد."), _back(claim))


@desk_view(FLAGS, methods=("POST",))
def flag_resolve(request: HttpRequest, pk: int, flag_id: int) -> HttpResponse:
    flag = get_object_or_404(ConsistencyFlag, pk=flag_id, claim_id=pk)
    try:
        claim_svc.consistency_flag_resolve(flag=flag, actor=request.user, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        return error_answer(request, exc, reverse("review:claim", args=[pk]))
    return done_answer(request, _("هشدار بسته شد."), reverse("review:claim", args=[pk]) + "#flags")


# --- Proposals to change a published claim ------------------------------------


@desk_view("claims.view_claimchangeproposal")
def proposals_list(request: HttpRequest) -> HttpResponse:
    """The senior editors' queue of proposed changes to published claims."""
    page = Paginator(proposal_sel.open_proposals(), CLAIMS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "editor/proposals.html", {"page": page, "is_senior": request.user.has_perm(PUBLISH)}
    )


def _decide(request: HttpRequest, pk: int, decide, success: str) -> HttpResponse:
    proposal = get_object_or_404(ClaimChangeProposal, pk=pk)
    back = _back(proposal.claim) if request.POST.get("next") == "claim" else reverse("review:proposals")
    try:
        decide(proposal=proposal, actor=request.user, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        return error_answer(request, exc, back)
    return done_answer(request, success, back)


@desk_view(PUBLISH, methods=("POST",))
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, proposal_svc.proposal_accept, _("پیشنهاد پذیرفته و منتشر شد."))


@desk_view(PUBLISH, methods=("POST",))
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, proposal_svc.proposal_reject, _("پیشنهاد رد شد."))
