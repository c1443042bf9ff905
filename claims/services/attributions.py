"""Review of extracted appearances (``Attribution``): accept, link, dismiss, restore,
correct the source or a span.

Every function is keyword-only, checks the actor's permission itself (a view
that forgets is still refused here), validates its input with Persian messages
and raises ``ApplicationError`` subclasses. What an appearance does to its claim
(the claim's history, the rule on published claims) goes through
``claims.services.claims``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.extraction.normalize import normalize_key
from claims.models import (
    Attribution,
    Claim,
    ClaimEvent,
    ClaimStatus,
    ReviewState,
    Source,
    SourceAlias,
    SourceCandidate,
    SourceKind,
)
from claims.models.claims import PUBLIC_STATUSES
from claims.services.claims import (
    attribution_link,
    claim_check_numbers,
    claim_create,
    claim_is_public,
    claim_public_change_record,
    guard_public,
)
from claims.services.cleaning import MAX_REASON, MAX_SHORT, MAX_TEXT, clean_text
from claims.services.errors import InputTooLarge, InvalidInput, InvalidTransition, require_perm
from claims.services.sources import (
    SOURCE_ADD_PERMISSION,
    source_alias_add,
    source_candidate_close,
    source_create,
)

REVIEW_PERMISSION = "claims.change_attribution"

DISMISS_REASONS = {
    "not_claim": _("جمله ادعای قابل بررسی نیست"),
    "opinion": _("نظر یا پیش‌بینی است، نه ادعای واقعی"),
    "wrong_extraction": _("استخراج نادرست (منبع یا محتوا اشتباه است)"),
    "duplicate": _("تکراری در همین خبر"),
    "other": _("دلیل دیگر"),
}


def _lock_attribution(attribution: Attribution) -> Attribution:
    return Attribution.objects.select_for_update().select_related("article").get(pk=attribution.pk)


def _guard_public(attribution: Attribution, actor) -> None:
    """An appearance in a published claim is part of the public record: only a
    senior editor may change its source or spans (the rule in services.claims)."""
    if attribution.claim is not None:
        guard_public(
            attribution.claim,
            actor,
            "این انتساب در یک ادعای منتشرشده آمده است؛ تنها دبیر ارشد آن را اصلاح می‌کند.",
        )


def _record_if_public(attribution: Attribution, actor, what: str) -> None:
    claim = attribution.claim
    if claim is not None and claim_is_public(claim):
        claim_public_change_record(
            claim=claim,
            actor=actor,
            note=f"{what} در یکی از نقل‌های این ادعا اصلاح شد.",
            data={"attribution": attribution.pk},
        )


def _mark_reviewed(attribution: Attribution, actor) -> None:
    attribution.reviewed_by = actor
    attribution.reviewed_at = timezone.now()


@transaction.atomic
def attribution_accept_new(*, attribution: Attribution, text: str, actor) -> Claim:
    """Accept a pending candidate as the first appearance of a new, editor-worded claim."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    text = clean_text(text, label="متن ادعا", max_length=MAX_TEXT)
    locked = _lock_attribution(attribution)
    if locked.review_state != ReviewState.PENDING:
        raise InvalidTransition("این انتساب پیش‌تر بررسی شده است.")
    claim = claim_create(text=text, actor=actor, attribution=locked)
    claim_check_numbers(claim_id=claim.pk)
    return claim


@transaction.atomic
def attribution_link_claim(*, attribution: Attribution, claim: Claim, actor) -> Attribution:
    """Link a candidate to an existing claim (a suggestion or one found by search)."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.merged_into_id:
        raise InvalidTransition(
            f"این ادعا در ادعای شمارهٔ {claim.merged_into_id} ادغام شده است؛ به آن پیوند دهید."
        )
    if claim.status == ClaimStatus.DISMISSED:
        raise InvalidTransition("این ادعا کنار گذاشته شده است و انتساب تازه نمی‌پذیرد.")
    locked = _lock_attribution(attribution)
    if locked.claim_id == claim.pk:
        raise InvalidTransition("این انتساب همین حالا به همین ادعا پیوند دارد.")
    previous = locked.claim
    if previous is not None:
        if previous.status in PUBLIC_STATUSES:
            raise InvalidTransition("این انتساب در یک ادعای منتشرشده آمده است و جابه‌جا نمی‌شود.")
        ClaimEvent.objects.create(
            claim=previous,
            actor=actor,
            action=ClaimEvent.Action.NOTE,
            note=f"انتساب شمارهٔ {locked.pk} به ادعای شمارهٔ {claim.pk} منتقل شد.",
            data={"attribution": locked.pk, "moved_to": claim.pk},
        )
    linked = attribution_link(attribution=locked, claim=claim, actor=actor)
    claim_check_numbers(claim_id=claim.pk)
    return linked


@transaction.atomic
def attribution_dismiss(*, attribution: Attribution, reason: str, actor, note: str = "") -> Attribution:
    """Dismiss a candidate with a reason. An accepted one is unlinked from its claim,
    and the claim's history says so."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    note = clean_text(note, label="توضیح", max_length=MAX_REASON, required=False, multiline=False)
    if reason in DISMISS_REASONS:
        text = str(DISMISS_REASONS[reason]) + (f": {note}" if note else "")
    else:
        text = clean_text(reason, label="دلیل رد", max_length=MAX_REASON, multiline=False)
    if reason == "other" and not note:
        raise InvalidInput("برای «دلیل دیگر» توضیح بنویسید.")
    locked = _lock_attribution(attribution)
    if locked.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب پیش‌تر رد شده است.")
    old_claim = locked.claim
    if old_claim is not None and old_claim.status in PUBLIC_STATUSES:
        raise InvalidTransition("این انتساب در یک ادعای منتشرشده آمده است و با رد کردن برداشته نمی‌شود.")
    locked.review_state = ReviewState.DISMISSED
    locked.dismiss_reason = text[:MAX_REASON]
    locked.claim = None
    _mark_reviewed(locked, actor)
    locked.save(update_fields=["review_state", "dismiss_reason", "claim", "reviewed_by", "reviewed_at"])
    if old_claim is not None:
        ClaimEvent.objects.create(
            claim=old_claim,
            actor=actor,
            action=ClaimEvent.Action.NOTE,
            note=f"انتساب شمارهٔ {locked.pk} رد و از ادعا جدا شد: {text}",
            data={"attribution": locked.pk, "unlinked": True},
        )
    return locked


@transaction.atomic
def attribution_restore(*, attribution: Attribution, actor) -> Attribution:
    """Bring a dismissed candidate back to the queue."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    locked = _lock_attribution(attribution)
    if locked.review_state != ReviewState.DISMISSED:
        raise InvalidTransition("تنها انتساب ردشده بازگردانده می‌شود.")
    locked.review_state = ReviewState.PENDING
    locked.dismiss_reason = ""
    _mark_reviewed(locked, actor)
    locked.save(update_fields=["review_state", "dismiss_reason", "reviewed_by", "reviewed_at"])
    return locked


@transaction.atomic
def attribution_correct_source(
    *,
    attribution: Attribution,
    actor,
    source: Source | None = None,
    new_name_fa: str = "",
    new_kind: str = "",
    new_name_en: str = "",
    add_alias: bool = True,
) -> Attribution:
    """Point a candidate at the right registry source, picked or newly created.

    The written form in the article is added as an alias of that source so the
    extractor resolves it next time. An open unknown-source candidate for the
    same name is closed as merged (or created)."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    locked = _lock_attribution(attribution)
    if locked.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب رد شده است؛ نخست آن را بازگردانید.")
    _guard_public(locked, actor)
    created = False
    if source is None:
        require_perm(actor, SOURCE_ADD_PERMISSION, "شما اجازهٔ ساختن منبع را ندارید.")
        name_fa = clean_text(new_name_fa, label="نام فارسی منبع", max_length=MAX_SHORT, multiline=False)
        if new_kind not in SourceKind.values:
            raise InvalidInput("نوع منبع را از فهرست برگزینید.")
        name_en = clean_text(
            new_name_en, label="نام انگلیسی", max_length=MAX_SHORT, required=False, multiline=False
        )
        source = source_create(name_fa=name_fa, kind=new_kind, name_en=name_en)
        created = True
    if add_alias and normalize_key(locked.source_text):
        source_alias_add(source=source, text=locked.source_text[:MAX_SHORT])
    candidate = locked.source_candidate
    if candidate is not None and candidate.status == SourceCandidate.Status.OPEN:
        status = SourceCandidate.Status.CREATED if created else SourceCandidate.Status.MERGED
        source_candidate_close(candidate, source, status)
    locked.source = source
    locked.source_resolved = source.name_fa
    locked.edited = True
    _mark_reviewed(locked, actor)
    locked.save(update_fields=["source", "source_resolved", "edited", "reviewed_by", "reviewed_at"])
    _record_if_public(locked, actor, "گوینده")
    return locked


SPAN_PARTS = {
    # part: (text field, start field, end field, max length, label)
    "source": ("source_text", "source_start", "source_end", 1000, "منبع"),
    "cue": ("cue_text", "cue_start", "cue_end", MAX_SHORT, "فعل گزارشی"),
    "content": ("content_text", "content_start", "content_end", MAX_TEXT, "محتوا"),
}


@transaction.atomic
def attribution_correct_span(
    *, attribution: Attribution, part: str, start: int, end: int, actor
) -> Attribution:
    """Replace the source, cue or content span with new offsets from a selection.

    The offsets must slice the verbatim article text; white space at the edges is
    trimmed off. A new source span is resolved against the alias table."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    if part not in SPAN_PARTS:
        raise InvalidInput("بخش انتخاب‌شده معتبر نیست (منبع، فعل یا محتوا).")
    text_field, start_field, end_field, max_length, label = SPAN_PARTS[part]
    locked = _lock_attribution(attribution)
    if locked.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب رد شده است؛ نخست آن را بازگردانید.")
    _guard_public(locked, actor)
    article_text = locked.article.text
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(article_text):
        raise InvalidInput("بازهٔ انتخاب‌شده بیرون از متن خبر است؛ دوباره متن را انتخاب کنید.")
    piece = article_text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if start >= end:
        raise InvalidInput("بازهٔ انتخاب‌شده خالی است.")
    if end - start > max_length:
        raise InputTooLarge(f"{label} بیش از اندازه بلند است (حداکثر {max_length:,} نویسه).")
    piece = article_text[start:end]
    setattr(locked, text_field, piece)
    setattr(locked, start_field, start)
    setattr(locked, end_field, end)
    fields = [text_field, start_field, end_field, "edited", "reviewed_by", "reviewed_at"]
    if part == "content":
        locked.content_key = normalize_key(piece)
        fields.append("content_key")
    if part == "source":
        alias = SourceAlias.objects.filter(key=normalize_key(piece)).select_related("source").first()
        locked.source = alias.source if alias else None
        locked.source_resolved = alias.source.name_fa if alias else piece[:MAX_SHORT]
        fields += ["source", "source_resolved"]
    locked.edited = True
    _mark_reviewed(locked, actor)
    locked.save(update_fields=fields)
    _record_if_public(locked, actor, {"source": "گوینده", "cue": "فعل گزارشی", "content": "متن نقل‌قول"}[part])
    return locked
