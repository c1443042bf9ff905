"""Every change to a claim: create, rate, publish, correct, dismiss, merge, its
appearances and evidence, with an append-only history.

Status moves only along ALLOWED_TRANSITIONS; anything else raises InvalidTransition
with a message an editor can read.

The rule on published claims lives here. What a reader of a published (or
corrected) claim sees (its text, rating, rationale, evidence, appearances and
their quotes) changes only through a service below that a senior editor
triggers (``guard_public``), and every such change goes through
``claim_public_change_record``: a public history entry, and after commit the
page and API caches invalidated and the ``claim.corrected`` webhook sent. An
editor's link or merge into a published claim becomes a proposal
(``claims.services.proposals``) that a senior editor accepts or rejects; the
admin shows those fields read-only (``claims.admin``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.extraction.normalize import normalize_key
from claims.models import (
    Attribution,
    Claim,
    ClaimEvent,
    ClaimMatch,
    ClaimStatus,
    ConsistencyFlag,
    Evidence,
    Rating,
    ReviewState,
)
from claims.models.claims import PUBLIC_STATUSES
from claims.services.cleaning import MAX_REASON, MAX_TEXT, clean_text
from claims.services.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted, require_perm
from claims.services.matching import (
    appearance_added,
    claim_consistency_check,
    claim_key_add,
    claim_keys_refresh,
)
from claims.services.statements import statement_attach
from claims.signals import verdict_changed

S = ClaimStatus

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.NEW: {S.IN_REVIEW, S.RATED, S.DISMISSED},
    S.IN_REVIEW: {S.NEW, S.RATED, S.DISMISSED},
    S.RATED: {S.IN_REVIEW, S.SUBMITTED},
    # Awaiting a senior editor: published, or sent back to the editor (rated again).
    S.SUBMITTED: {S.RATED, S.PUBLISHED},
    S.PUBLISHED: {S.CORRECTED},
    S.CORRECTED: {S.CORRECTED},
    S.DISMISSED: {S.NEW},
}

PUBLISH_PERMISSION = "claims.publish_claim"
EDIT_PERMISSION = "claims.change_claim"
FLAG_PERMISSION = "claims.change_consistencyflag"


def claim_is_public(claim: Claim) -> bool:
    return claim.status in PUBLIC_STATUSES


def needs_senior(*, claim: Claim, actor) -> bool:
    """True when ``actor`` may not change what the public sees of ``claim``
    directly: it is published and they are not a senior editor. Doors use it to
    offer a proposal instead; the services below refuse regardless."""
    return claim_is_public(claim) and not (actor is not None and actor.has_perm(PUBLISH_PERMISSION))


def guard_public(claim: Claim, actor, message: str = "") -> None:
    """Refuse a change to a published claim's public content by anyone but a senior editor."""
    if needs_senior(claim=claim, actor=actor):
        raise NotPermitted(
            message or "این ادعا منتشر شده است؛ تنها دبیر ارشد آنچه را خواننده می‌بیند تغییر می‌دهد."
        )


def claim_public_change_record(*, claim: Claim, actor, note: str, data: dict | None = None) -> ClaimEvent:
    """What every change to a published claim's public content writes, inside the
    caller's transaction: a public history entry, and on commit the page and API
    caches invalidated and the ``claim.corrected`` webhook queued (``_announce``)."""
    event = _event(claim, actor, ClaimEvent.Action.UPDATED, note=note, public=True, data=data or {})
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    _announce(claim.pk, "claim.corrected")
    return event


def _check_transition(claim: Claim, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(claim.status, set()):
        raise InvalidTransition(
            f"ادعا در وضعیت «{ClaimStatus(claim.status).label}» است و نمی‌تواند به "
            f"«{ClaimStatus(to_status).label}» برود.",
            details={"from": claim.status, "to": to_status},
        )


def _event(claim: Claim, actor, action: str, **fields) -> ClaimEvent:
    return ClaimEvent.objects.create(claim=claim, actor=actor, action=action, **fields)


def claim_check_numbers(*, claim_id: int) -> None:
    """Flag appearances of the claim that now disagree on a quantity (the
    ingestion pipeline's check, run again because the desk changed who belongs)."""
    claim_consistency_check(claim_id=claim_id)


def claim_slug(text: str) -> str:
    return (slugify(text, allow_unicode=True)[:80].strip("-")) or "claim"


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def claim_create(*, text: str, actor, attribution: Attribution | None = None) -> Claim:
    """A new claim, editor-worded; with an attribution, that appearance is accepted into it."""
    require_perm(actor, "claims.add_claim", "شما اجازهٔ ساختن ادعا را ندارید.")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("متن ادعا نمی‌تواند خالی باشد.")
    claim = Claim.objects.create(
        text=text, text_key=normalize_key(text), slug=claim_slug(text), created_by=actor, status=S.NEW
    )
    _event(claim, actor, ClaimEvent.Action.CREATED, to_status=S.NEW)
    claim_key_add(claim=claim, key=claim.text_key, source_id=None, seen_at=claim.created_at)
    if attribution is not None:
        attribution_link(attribution=attribution, claim=claim, actor=actor)
    return claim


def _appearance_label(attribution: Attribution) -> str:
    who = attribution.source.name_fa if attribution.source_id else attribution.source_resolved
    who = who or attribution.source_text
    where = attribution.article.title if attribution.article_id else ""
    return f"{who} در «{where}»" if where else who


@transaction.atomic
def attribution_link(*, attribution: Attribution, claim: Claim, actor) -> Attribution:
    """Accept an extracted candidate as an appearance of ``claim``. On a published
    claim only a senior editor may, and the public history says so."""
    require_perm(actor, "claims.change_attribution", "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    claim = _locked(claim)
    guard_public(claim, actor, "این ادعا منتشر شده است؛ پیوند نقل تازه به آن را دبیر ارشد تأیید می‌کند.")
    attribution = (
        Attribution.objects.select_for_update(of=("self",))
        .select_related("article", "source")
        .get(pk=attribution.pk)
    )
    if attribution.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب رد شده است؛ نخست آن را بازگردانید.")
    attribution.claim = claim
    attribution.review_state = ReviewState.ACCEPTED
    attribution.reviewed_by = actor
    attribution.reviewed_at = timezone.now()
    attribution.save(update_fields=["claim", "review_state", "reviewed_by", "reviewed_at"])
    statement_attach(attribution=attribution)
    _event(claim, actor, ClaimEvent.Action.LINKED, data={"attribution": attribution.pk})
    appearance_added(claim=claim, attribution=attribution)
    if claim_is_public(claim):
        claim_public_change_record(
            claim=claim,
            actor=actor,
            note=f"نقل تازه‌ای از این ادعا افزوده شد: {_appearance_label(attribution)}.",
            data={"attribution": attribution.pk},
        )
    return attribution


@transaction.atomic
def claim_update_text(*, claim: Claim, text: str, actor) -> Claim:
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ ویرایش ادعا را ندارید.")
    claim = _locked(claim)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("متن ادعا نمی‌تواند خالی باشد.")
    if claim.status in (S.PUBLISHED, S.CORRECTED):
        raise InvalidTransition("متن ادعای منتشرشده تنها با اصلاحیه تغییر می‌کند.")
    _refuse_if_submitted(claim)
    old = claim.text
    claim.text, claim.text_key = text, normalize_key(text)
    claim.save(update_fields=["text", "text_key", "updated_at"])
    _event(claim, actor, ClaimEvent.Action.EDITED, data={"old_text": old})
    claim_keys_refresh(claim_id=claim.pk)
    return claim


@transaction.atomic
def claim_transition(*, claim: Claim, to_status: str, actor, note: str = "") -> Claim:
    """Move between working statuses (new, in review, dismissed). Rating and
    publishing have their own services because they carry more than a status."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ تغییر وضعیت ادعا را ندارید.")
    claim = _locked(claim)
    if to_status in (S.RATED, S.SUBMITTED, S.PUBLISHED, S.CORRECTED):
        raise InvalidTransition("برای داوری، ارسال، انتشار یا اصلاح از دکمهٔ همان کار استفاده کنید.")
    _check_transition(claim, to_status)
    if to_status == S.DISMISSED and not note.strip():
        raise InvalidInput("برای کنار گذاشتن ادعا دلیل را بنویسید.")
    old = claim.status
    claim.status = to_status
    if to_status == S.NEW:
        claim.rating = ""
    claim.save(update_fields=["status", "rating", "updated_at"])
    _event(claim, actor, ClaimEvent.Action.STATUS, from_status=old, to_status=to_status, note=note)
    return claim


@transaction.atomic
def claim_rate(*, claim: Claim, rating: str, rationale: str, actor) -> Claim:
    """Give (or change) the rating before publication; the claim becomes ``rated``."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ داوری ادعا را ندارید.")
    claim = _locked(claim)
    if rating not in Rating.values:
        raise InvalidInput("داوری انتخاب‌شده معتبر نیست.")
    if not (rationale or "").strip():
        raise InvalidInput("استدلال داوری را بنویسید.")
    _refuse_if_submitted(claim)
    if claim.status != S.RATED:
        _check_transition(claim, S.RATED)
    old_status, old_rating = claim.status, claim.rating
    claim.status, claim.rating, claim.rationale = S.RATED, rating, rationale.strip()
    claim.save(update_fields=["status", "rating", "rationale", "updated_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Action.RATED,
        from_status=old_status,
        to_status=S.RATED,
        from_rating=old_rating,
        to_rating=rating,
    )
    return claim


def _refuse_if_submitted(claim: Claim) -> None:
    # What the senior editor approves is what gets published: a submitted claim is
    # changed only after it is sent back.
    if claim.status == S.SUBMITTED:
        raise InvalidTransition(
            "این ادعا در انتظار تأیید انتشار است؛ برای تغییر آن، دبیر ارشد باید آن را بازگرداند."
        )


def _announce(claim_id: int, event: str) -> None:
    transaction.on_commit(lambda: verdict_changed.send(sender=Claim, claim_id=claim_id, event=event))


@transaction.atomic
def claim_publish(*, claim: Claim, actor) -> Claim:
    """A senior editor approves a submitted claim for publication."""
    require_perm(actor, PUBLISH_PERMISSION, "تنها دبیر ارشد می‌تواند ادعا را منتشر کند.")
    claim = _locked(claim)
    if claim.status == S.RATED:
        raise InvalidTransition(
            "این ادعا هنوز برای تأیید انتشار فرستاده نشده است؛ نخست دبیر آن را برای تأیید بفرستد.",
            details={"from": claim.status, "to": S.PUBLISHED},
        )
    _check_transition(claim, S.PUBLISHED)
    claim.status = S.PUBLISHED
    claim.published_at = timezone.now()
    claim.save(update_fields=["status", "published_at", "updated_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Action.PUBLISHED,
        from_status=S.SUBMITTED,
        to_status=S.PUBLISHED,
        to_rating=claim.rating,
    )
    _announce(claim.pk, "claim.published")
    return claim


@transaction.atomic
def claim_correct(
    *, claim: Claim, rating: str, rationale: str, note: str, actor, text: str | None = None
) -> Claim:
    """Correct a published verdict (rating, rationale and, given ``text``, the
    wording). The public note is required; the old rating, rationale and wording
    stay in the (public) history."""
    require_perm(actor, PUBLISH_PERMISSION, "تنها دبیر ارشد می‌تواند داوری منتشرشده را اصلاح کند.")
    claim = _locked(claim)
    _check_transition(claim, S.CORRECTED)
    if rating not in Rating.values:
        raise InvalidInput("داوری انتخاب‌شده معتبر نیست.")
    if not (note or "").strip():
        raise InvalidInput("اصلاحیه بدون یادداشت عمومی ثبت نمی‌شود.")
    if not (rationale or "").strip():
        raise InvalidInput("استدلال داوری را بنویسید.")
    old_status, old_rating, old_rationale, old_text = claim.status, claim.rating, claim.rationale, claim.text
    claim.status, claim.rating, claim.rationale = S.CORRECTED, rating, rationale.strip()
    data = {"old_rationale": old_rationale}
    if text is not None and text.strip() and text.strip() != old_text:
        claim.text, claim.text_key = text.strip(), normalize_key(text)
        data["old_text"] = old_text
    claim.save(update_fields=["status", "rating", "rationale", "text", "text_key", "updated_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Action.CORRECTED,
        from_status=old_status,
        to_status=S.CORRECTED,
        from_rating=old_rating,
        to_rating=rating,
        note=note.strip(),
        public=True,
        data=data,
    )
    _announce(claim.pk, "claim.corrected")
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, actor) -> Claim:
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ واگذاری ادعا را ندارید.")
    claim = _locked(claim)
    claim.assignee = assignee
    claim.save(update_fields=["assignee", "updated_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Action.ASSIGNED,
        data={"assignee": assignee.get_username() if assignee else None},
    )
    return claim


@transaction.atomic
def evidence_add(
    *, claim: Claim, url: str, title: str = "", summary: str = "", note: str = "", actor
) -> Evidence:
    """A source of evidence: ``url``, ``title`` and ``summary`` are public once the
    claim is; ``note`` is internal to the desk and never shown publicly. Evidence
    for a published claim is added by a senior editor, with a public history entry."""
    require_perm(actor, "claims.add_evidence", "شما اجازهٔ افزودن شاهد را ندارید.")
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise InvalidInput("نشانی شاهد معتبر نیست (باید با http یا https آغاز شود).") from exc
    claim = _locked(claim)
    if claim.merged_into_id:
        raise InvalidTransition("این ادعا ادغام شده است؛ شاهد را به ادعای مقصد بیفزایید.")
    guard_public(claim, actor, "شاهد تازه برای ادعای منتشرشده را تنها دبیر ارشد می‌افزاید.")
    evidence = Evidence.objects.create(
        claim=claim,
        url=url,
        title=title.strip(),
        summary=summary.strip(),
        note=note.strip(),
        added_by=actor,
    )
    _event(claim, actor, ClaimEvent.Action.EVIDENCE, data={"evidence": evidence.pk, "url": url})
    if claim_is_public(claim):
        claim_public_change_record(
            claim=claim,
            actor=actor,
            note=f"شاهد تازه افزوده شد: {evidence.title or url}",
            data={"evidence": evidence.pk},
        )
    else:
        Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    return evidence


@transaction.atomic
def claim_submit(*, claim: Claim, actor, note: str = "") -> Claim:
    """An editor sends a rated claim to the senior editors: it waits in their
    queue ("در انتظار تأیید انتشار") until one publishes it or sends it back."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ ارسال ادعا را ندارید.")
    note = clean_text(note, label="یادداشت", max_length=MAX_REASON, required=False)
    claim = _locked(claim)
    if claim.status == S.SUBMITTED:
        raise InvalidTransition("این ادعا پیش‌تر برای تأیید انتشار فرستاده شده است.")
    if claim.status != S.RATED:
        raise InvalidTransition("تنها ادعای داوری‌شده برای تأیید انتشار فرستاده می‌شود؛ نخست داوری کنید.")
    claim.status = S.SUBMITTED
    claim.save(update_fields=["status", "updated_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Action.STATUS,
        from_status=S.RATED,
        to_status=S.SUBMITTED,
        note=note or "برای تأیید انتشار فرستاده شد.",
    )
    return claim


@transaction.atomic
def claim_send_back(*, claim: Claim, actor, note: str) -> Claim:
    """A senior editor returns a submitted claim to the editors (rated again), with the reason."""
    require_perm(actor, PUBLISH_PERMISSION, "تنها دبیر ارشد ادعای فرستاده‌شده را بازمی‌گرداند.")
    note = clean_text(note, label="دلیل بازگرداندن", max_length=MAX_REASON)
    claim = _locked(claim)
    if claim.status != S.SUBMITTED:
        raise InvalidTransition("تنها ادعایی که در انتظار تأیید انتشار است بازگردانده می‌شود.")
    claim.status = S.RATED
    claim.save(update_fields=["status", "updated_at"])
    _event(claim, actor, ClaimEvent.Action.STATUS, from_status=S.SUBMITTED, to_status=S.RATED, note=note)
    return claim


@transaction.atomic
def claim_note_add(*, claim: Claim, note: str, actor) -> ClaimEvent:
    """An internal note in the claim's history."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ یادداشت‌گذاری ندارید.")
    note = clean_text(note, label="یادداشت", max_length=MAX_TEXT)
    return ClaimEvent.objects.create(claim=claim, actor=actor, action=ClaimEvent.Action.NOTE, note=note)


MERGEABLE_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.RATED)


@transaction.atomic
def claim_merge(*, source_claim: Claim, target_claim: Claim, actor) -> Claim:
    """Merge ``source_claim`` into ``target_claim``: every appearance, piece of
    evidence, suggestion and consistency flag moves to the target. The merged
    claim is kept (``merged_into``, status dismissed) with its history, which the
    target's workspace shows alongside its own. Into a published claim only a
    senior editor merges (an editor proposes it), with a public history entry."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ ادغام ادعاها را ندارید.")
    if source_claim.pk == target_claim.pk:
        raise InvalidInput("یک ادعا را نمی‌توان در خودش ادغام کرد.")
    locked = {
        c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=[source_claim.pk, target_claim.pk])
    }
    if len(locked) != 2:
        raise NotFound("ادعای مقصد پیدا نشد.")
    source, target = locked[source_claim.pk], locked[target_claim.pk]
    if source.merged_into_id or target.merged_into_id:
        raise InvalidTransition("یکی از این دو ادعا پیش‌تر ادغام شده است.")
    if source.status not in MERGEABLE_STATUSES:
        raise InvalidTransition(
            f"ادعای «{ClaimStatus(source.status).label}» را نمی‌توان در ادعای دیگری ادغام کرد."
        )
    if target.status == ClaimStatus.DISMISSED:
        raise InvalidTransition("نمی‌توان در ادعای کنار گذاشته ادغام کرد.")
    guard_public(target, actor, "ادعای مقصد منتشر شده است؛ ادغام در آن را دبیر ارشد تأیید می‌کند.")
    moved = Attribution.objects.filter(claim=source).update(claim=target)
    evidence_moved = Evidence.objects.filter(claim=source).update(claim=target)
    ConsistencyFlag.objects.filter(claim=source).update(claim=target)
    already = set(ClaimMatch.objects.filter(claim=target).values_list("attribution_id", flat=True))
    ClaimMatch.objects.filter(claim=source, attribution_id__in=already).delete()
    ClaimMatch.objects.filter(claim=source).update(claim=target)
    old_status = source.status
    source.merged_into = target
    source.status = ClaimStatus.DISMISSED
    source.rating = ""
    source.save(update_fields=["merged_into", "status", "rating", "updated_at"])
    ClaimEvent.objects.create(
        claim=source,
        actor=actor,
        action=ClaimEvent.Action.MERGED,
        from_status=old_status,
        to_status=ClaimStatus.DISMISSED,
        note=f"در ادعای شمارهٔ {target.pk} ادغام شد.",
        data={"into": target.pk, "attributions": moved},
    )
    ClaimEvent.objects.create(
        claim=target,
        actor=actor,
        action=ClaimEvent.Action.MERGED,
        note=f"ادعای شمارهٔ {source.pk} در این ادعا ادغام شد ({moved} انتساب).",
        data={"from": source.pk, "attributions": moved},
    )
    target.save(update_fields=["updated_at"])
    if claim_is_public(target):
        claim_public_change_record(
            claim=target,
            actor=actor,
            note=f"ادعایی هم‌معنا در این ادعا ادغام شد: {moved} نقل و {evidence_moved} شاهد افزوده شد.",
            data={"from": source.pk, "attributions": moved, "evidence": evidence_moved},
        )
    claim_check_numbers(claim_id=target.pk)
    return target


@transaction.atomic
def consistency_flag_resolve(*, flag: ConsistencyFlag, actor, note: str = "") -> ConsistencyFlag:
    require_perm(actor, FLAG_PERMISSION, "شما اجازهٔ بستن هشدار ناسازگاری را ندارید.")
    note = clean_text(note, label="یادداشت", max_length=MAX_REASON, required=False)
    flag = ConsistencyFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved:
        raise InvalidTransition("این هشدار پیش‌تر بسته شده است.")
    flag.resolved = True
    flag.save(update_fields=["resolved"])
    ClaimEvent.objects.create(
        claim_id=flag.claim_id,
        actor=actor,
        action=ClaimEvent.Action.NOTE,
        note=f"هشدار ناسازگاری عددی بسته شد: {flag.description}" + (f" ({note})" if note else ""),
        data={"flag": flag.pk},
    )
    return flag
