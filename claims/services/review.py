"""Writes of the editors' review desk: candidates, sources, merges and uploads.

Every function is keyword-only, checks the actor's permission itself (a view
that forgets is still refused here), validates its input with Persian messages
and raises ``ApplicationError`` subclasses. Claim lifecycle moves (rate,
publish, correct, ...) live in ``claims.services.claims``; this module adds what
the desk needs around them."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from dataclasses import asdict, dataclass

import jdatetime
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.extraction.normalize import BIDI_CONTROLS, normalize_key
from claims.models import (
    Article,
    ArticleState,
    Attribution,
    Claim,
    ClaimEvent,
    ClaimMatch,
    ClaimStatus,
    ConsistencyFlag,
    Evidence,
    IngestJob,
    IngestRow,
    ReviewState,
    Source,
    SourceAlias,
    SourceCandidate,
    SourceKind,
)
from claims.models.claims import PUBLIC_STATUSES
from claims.services.claims import _require, attribution_link, claim_create
from claims.services.errors import InputTooLarge, InvalidInput, InvalidTransition, NotFound, NotPermitted
from claims.services.sources import source_alias_add, source_create

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "claims.change_attribution"
EDIT_PERMISSION = "claims.change_claim"
SOURCE_EDIT_PERMISSION = "claims.change_source"
SOURCE_ADD_PERMISSION = "claims.add_source"
ALIAS_DELETE_PERMISSION = "claims.delete_sourcealias"
CANDIDATE_PERMISSION = "claims.change_sourcecandidate"
INGEST_PERMISSION = "claims.add_article"
RETRY_PERMISSION = "claims.change_article"
FLAG_PERMISSION = "claims.change_consistencyflag"

# Embedding/override/isolate controls can reorder what an editor reads
# (a "Trojan source" in Persian text). ZWNJ (U+200C) and ZWJ are legitimate in
# Persian spelling and are kept; LRM/RLM are dropped with the rest.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_SHORT = 300
MAX_REASON = 500
MAX_TEXT = 5_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_RECORDS = 5_000

DISMISS_REASONS = {
    "not_claim": _("جمله ادعای قابل بررسی نیست"),
    "opinion": _("نظر یا پیش‌بینی است، نه ادعای واقعی"),
    "wrong_extraction": _("استخراج نادرست (منبع یا محتوا اشتباه است)"),
    "duplicate": _("تکراری در همین خبر"),
    "other": _("دلیل دیگر"),
}


def clean_text(
    value: str | None, *, label: str, max_length: int, required: bool = True, multiline: bool = True
) -> str:
    """Trim ``value``, drop bidi and control characters, and refuse empty or huge input.

    The text is stored as typed otherwise; templates escape it, so markup such as
    ``<script>`` is kept and shown as text, never run."""
    text = BIDI_CONTROLS.sub("", value or "")
    text = _CONTROL_CHARS.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if required and not text:
        raise InvalidInput(f"{label} نمی‌تواند خالی باشد.")
    if len(text) > max_length:
        raise InputTooLarge(f"{label} بیش از اندازه بلند است (حداکثر {max_length:,} نویسه).")
    return text


def _lock_attribution(attribution: Attribution) -> Attribution:
    return Attribution.objects.select_for_update().select_related("article").get(pk=attribution.pk)


def _guard_public(attribution: Attribution, actor) -> None:
    """An appearance in a published claim is part of the public record: only a
    senior editor may change its source or spans."""
    claim = attribution.claim
    if claim is not None and claim.status in PUBLIC_STATUSES and not actor.has_perm("claims.publish_claim"):
        raise NotPermitted("این انتساب در یک ادعای منتشرشده آمده است؛ تنها دبیر ارشد آن را اصلاح می‌کند.")


def _mark_reviewed(attribution: Attribution, actor) -> None:
    attribution.reviewed_by = actor
    attribution.reviewed_at = timezone.now()


# --- Candidates ---------------------------------------------------------------


def _check_numbers(claim_id: int) -> None:
    """Flag appearances of the claim that now disagree on a quantity (the
    ingestion pipeline's check, run again because the desk changed who belongs)."""
    from claims.services.matching import claim_consistency_check

    claim_consistency_check(claim_id=claim_id)


@transaction.atomic
def attribution_accept_new(*, attribution: Attribution, text: str, actor) -> Claim:
    """Accept a pending candidate as the first appearance of a new, editor-worded claim."""
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    text = clean_text(text, label="متن ادعا", max_length=MAX_TEXT)
    locked = _lock_attribution(attribution)
    if locked.review_state != ReviewState.PENDING:
        raise InvalidTransition("این انتساب پیش‌تر بررسی شده است.")
    claim = claim_create(text=text, actor=actor, attribution=locked)
    _check_numbers(claim.pk)
    return claim


@transaction.atomic
def attribution_link_claim(*, attribution: Attribution, claim: Claim, actor) -> Attribution:
    """Link a candidate to an existing claim (a suggestion or one found by search)."""
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
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
    _check_numbers(claim.pk)
    return linked


@transaction.atomic
def attribution_dismiss(*, attribution: Attribution, reason: str, actor, note: str = "") -> Attribution:
    """Dismiss a candidate with a reason. An accepted one is unlinked from its claim,
    and the claim's history says so."""
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
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
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    locked = _lock_attribution(attribution)
    if locked.review_state != ReviewState.DISMISSED:
        raise InvalidTransition("تنها انتساب ردشده بازگردانده می‌شود.")
    locked.review_state = ReviewState.PENDING
    locked.dismiss_reason = ""
    _mark_reviewed(locked, actor)
    locked.save(update_fields=["review_state", "dismiss_reason", "reviewed_by", "reviewed_at"])
    return locked


def _close_candidate(candidate: SourceCandidate, source: Source, status: str) -> None:
    candidate.status = status
    candidate.source = source
    candidate.resolved_at = timezone.now()
    candidate.save(update_fields=["status", "source", "resolved_at"])
    # Every appearance still waiting on this name now points at the registry entry.
    Attribution.objects.filter(source_candidate=candidate, source__isnull=True).update(
        source=source, source_resolved=source.name_fa
    )


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
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    locked = _lock_attribution(attribution)
    if locked.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب رد شده است؛ نخست آن را بازگردانید.")
    _guard_public(locked, actor)
    created = False
    if source is None:
        _require(actor, SOURCE_ADD_PERMISSION, "شما اجازهٔ ساختن منبع را ندارید.")
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
        _close_candidate(candidate, source, status)
    locked.source = source
    locked.source_resolved = source.name_fa
    locked.edited = True
    _mark_reviewed(locked, actor)
    locked.save(update_fields=["source", "source_resolved", "edited", "reviewed_by", "reviewed_at"])
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
    _require(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
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
    return locked


# --- Claims -------------------------------------------------------------------


@transaction.atomic
def claim_submit(*, claim: Claim, actor, note: str = "") -> Claim:
    """An editor sends a rated claim to the senior editors for approval."""
    _require(actor, EDIT_PERMISSION, "شما اجازهٔ ارسال ادعا را ندارید.")
    note = clean_text(note, label="یادداشت", max_length=MAX_REASON, required=False)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.RATED:
        raise InvalidTransition("تنها ادعای داوری‌شده برای تأیید انتشار فرستاده می‌شود؛ نخست داوری کنید.")
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        action=ClaimEvent.Action.NOTE,
        note=note or "برای تأیید انتشار فرستاده شد.",
        data={"submitted": True},
    )
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    return claim


@transaction.atomic
def claim_note_add(*, claim: Claim, note: str, actor) -> ClaimEvent:
    """An internal note in the claim's history."""
    _require(actor, EDIT_PERMISSION, "شما اجازهٔ یادداشت‌گذاری ندارید.")
    note = clean_text(note, label="یادداشت", max_length=MAX_TEXT)
    return ClaimEvent.objects.create(claim=claim, actor=actor, action=ClaimEvent.Action.NOTE, note=note)


MERGEABLE_STATUSES = (ClaimStatus.NEW, ClaimStatus.IN_REVIEW, ClaimStatus.RATED)


@transaction.atomic
def claim_merge(*, source_claim: Claim, target_claim: Claim, actor) -> Claim:
    """Merge ``source_claim`` into ``target_claim``: every appearance, piece of
    evidence, suggestion and consistency flag moves to the target. The merged
    claim is kept (``merged_into``, status dismissed) with its history, which the
    target's workspace shows alongside its own."""
    _require(actor, EDIT_PERMISSION, "شما اجازهٔ ادغام ادعاها را ندارید.")
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
    moved = Attribution.objects.filter(claim=source).update(claim=target)
    Evidence.objects.filter(claim=source).update(claim=target)
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
    _check_numbers(target.pk)
    return target


@transaction.atomic
def consistency_flag_resolve(*, flag: ConsistencyFlag, actor, note: str = "") -> ConsistencyFlag:
    _require(actor, FLAG_PERMISSION, "شما اجازهٔ بستن هشدار ناسازگاری را ندارید.")
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


# --- Sources ------------------------------------------------------------------


def _check_relations(source: Source | None, parent: Source | None, affiliation: Source | None) -> None:
    for other, label in ((parent, "زیرمجموعهٔ"), (affiliation, "وابسته به")):
        if other is None or source is None:
            continue
        if other.pk == source.pk:
            raise InvalidInput(f"منبع نمی‌تواند «{label}» خودش باشد.")
    if parent is not None and source is not None:
        seen, node = set(), parent
        while node is not None and node.pk not in seen:
            if node.pk == source.pk:
                raise InvalidInput("این انتخاب یک چرخه در زیرمجموعه‌ها می‌سازد.")
            seen.add(node.pk)
            node = node.parent


def _country(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not re.fullmatch(r"[A-Z]{2}", value):
        raise InvalidInput("کد کشور باید دو حرف لاتین باشد (مانند IR یا US).")
    return value


@transaction.atomic
def source_create_desk(
    *,
    actor,
    name_fa: str,
    kind: str,
    name_en: str = "",
    parent: Source | None = None,
    affiliation: Source | None = None,
    country: str = "",
    description: str = "",
    aliases: list[str] | tuple[str, ...] = (),
) -> Source:
    """A new registry entry from the desk (with the permission check and input cleaning)."""
    _require(actor, SOURCE_ADD_PERMISSION, "شما اجازهٔ ساختن منبع را ندارید.")
    if kind not in SourceKind.values:
        raise InvalidInput("نوع منبع را از فهرست برگزینید.")
    return source_create(
        name_fa=clean_text(name_fa, label="نام فارسی منبع", max_length=MAX_SHORT, multiline=False),
        name_en=clean_text(
            name_en, label="نام انگلیسی", max_length=MAX_SHORT, required=False, multiline=False
        ),
        kind=kind,
        parent=parent,
        affiliation=affiliation,
        country=_country(country),
        description=clean_text(description, label="توضیح", max_length=MAX_TEXT, required=False),
        aliases=[clean_text(a, label="نام دیگر", max_length=MAX_SHORT, multiline=False) for a in aliases],
    )


@transaction.atomic
def source_update(
    *,
    source: Source,
    actor,
    name_fa: str,
    kind: str,
    name_en: str = "",
    parent: Source | None = None,
    affiliation: Source | None = None,
    country: str = "",
    description: str = "",
) -> Source:
    _require(actor, SOURCE_EDIT_PERMISSION, "شما اجازهٔ ویرایش منبع را ندارید.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    if kind not in SourceKind.values:
        raise InvalidInput("نوع منبع را از فهرست برگزینید.")
    _check_relations(source, parent, affiliation)
    source.name_fa = clean_text(name_fa, label="نام فارسی منبع", max_length=MAX_SHORT, multiline=False)
    source.name_en = clean_text(
        name_en, label="نام انگلیسی", max_length=MAX_SHORT, required=False, multiline=False
    )
    source.kind = kind
    source.parent = parent
    source.affiliation = affiliation
    source.country = _country(country)
    source.description = clean_text(description, label="توضیح", max_length=MAX_TEXT, required=False)
    source.save()
    source_alias_add(source=source, text=source.name_fa)
    return source


@transaction.atomic
def source_alias_add_desk(*, source: Source, text: str, actor) -> SourceAlias:
    _require(actor, "claims.add_sourcealias", "شما اجازهٔ افزودن نام دیگر را ندارید.")
    text = clean_text(text, label="نام دیگر", max_length=MAX_SHORT, multiline=False)
    if not normalize_key(text):
        raise InvalidInput("نام دیگر باید دست‌کم یک حرف یا رقم داشته باشد.")
    return source_alias_add(source=source, text=text)


@transaction.atomic
def source_alias_remove(*, alias: SourceAlias, actor) -> None:
    _require(actor, ALIAS_DELETE_PERMISSION, "تنها مدیر می‌تواند نام دیگر را حذف کند.")
    if normalize_key(alias.source.name_fa) == alias.key:
        raise InvalidInput("نام اصلی منبع را نمی‌توان از نام‌های دیگرش حذف کرد.")
    alias.delete()


def _open_candidate(candidate: SourceCandidate) -> SourceCandidate:
    candidate = SourceCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != SourceCandidate.Status.OPEN:
        raise InvalidTransition("این نام پیش‌تر رسیدگی شده است.")
    return candidate


@transaction.atomic
def source_candidate_merge(*, candidate: SourceCandidate, source: Source, actor) -> SourceCandidate:
    """The unknown name is another way of writing ``source``: add it as an alias."""
    _require(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    source_alias_add(source=source, text=candidate.text)
    _close_candidate(candidate, source, SourceCandidate.Status.MERGED)
    return candidate


@transaction.atomic
def source_candidate_create(
    *, candidate: SourceCandidate, kind: str, actor, name_fa: str = "", name_en: str = ""
) -> Source:
    """Confirm an unknown name as a new registry source, with the name as an alias."""
    _require(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    source = source_create_desk(
        actor=actor,
        name_fa=name_fa or candidate.text,
        kind=kind,
        name_en=name_en,
        aliases=[candidate.text],
    )
    _close_candidate(candidate, source, SourceCandidate.Status.CREATED)
    return source


@transaction.atomic
def source_candidate_ignore(*, candidate: SourceCandidate, actor) -> SourceCandidate:
    _require(actor, CANDIDATE_PERMISSION, "شما اجازهٔ رسیدگی به منابع ناشناخته را ندارید.")
    candidate = _open_candidate(candidate)
    candidate.status = SourceCandidate.Status.IGNORED
    candidate.resolved_at = timezone.now()
    candidate.save(update_fields=["status", "resolved_at"])
    return candidate


# --- Ingest from the desk -----------------------------------------------------


def parse_date(value: str) -> dt.datetime | None:
    """A date typed by an editor: Jalali (1402-11-04) or Gregorian (2024-01-24),
    Persian or Latin digits, with - or / between parts."""
    value = (value or "").strip()
    if not value:
        return None
    digits = normalize_key(value).replace(" ", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", digits)
    if not match:
        raise InvalidInput("تاریخ را به شکل ۱۴۰۲-۱۱-۰۴ (خورشیدی) یا 2024-01-24 (میلادی) بنویسید.")
    year, month, day = (int(x) for x in match.groups())
    try:
        if year < 1700:
            day_value = jdatetime.date(year, month, day).togregorian()
        else:
            day_value = dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("این تاریخ در تقویم وجود ندارد.") from exc
    return timezone.make_aware(dt.datetime.combine(day_value, dt.time(12, 0)))


def _ingest_service():
    # Imported late: the ingestion service is another part of the product and
    # the desk must still load (and say why) when it is unavailable.
    try:
        from claims.services import articles
    except ImportError as exc:  # pragma: no cover - only before ingestion lands
        raise InvalidTransition("سرویس دریافت خبر هنوز در دسترس نیست.") from exc
    return articles


def article_submit(
    *,
    actor,
    text: str = "",
    url: str = "",
    title: str = "",
    publisher: Source | None = None,
    published: str = "",
    job: IngestJob | None = None,
) -> tuple[Article, bool]:
    """Paste text (with title, publisher, date) or give a URL; returns (article, created)."""
    _require(actor, INGEST_PERMISSION, "شما اجازهٔ افزودن خبر را ندارید.")
    title = clean_text(title, label="عنوان", max_length=500, required=False, multiline=False)
    published_at = parse_date(published)
    url = (url or "").strip()
    max_chars = getattr(settings, "INGEST_MAX_CHARS", 1_000_000)
    if url:
        if not re.match(r"^https?://", url, re.IGNORECASE) or len(url) > 2000:
            raise InvalidInput("نشانی باید با http:// یا https:// آغاز شود.")
        if job is not None:  # an upload's row: its task fetches it (off the request path already)
            return _ingest_service().article_ingest(
                url=url,
                title=title,
                publisher=publisher,
                published_at=published_at,
                origin="url",
                submitted_by=actor,
                job=job,
            )
        # From the desk's form: accepted at once, fetched by a task; the article page shows progress.
        return _ingest_service().article_url_submit(
            url=url, title=title, publisher=publisher, published_at=published_at, submitted_by=actor
        )
    text = _CONTROL_CHARS.sub("", text or "")
    if not text.strip():
        raise InvalidInput("متن خبر یا نشانی آن را وارد کنید.")
    if len(text) > max_chars:
        raise InputTooLarge(f"متن خبر بیش از اندازه بلند است (حداکثر {max_chars:,} نویسه).")
    return _ingest_service().article_ingest(
        text=text,
        title=title,
        publisher=publisher,
        published_at=published_at,
        origin="ui",
        submitted_by=actor,
        job=job,
    )


@dataclass(frozen=True)
class UploadRecord:
    line: int
    text: str
    title: str = ""
    url: str = ""
    publisher: str = ""
    published: str = ""


def parse_upload(*, filename: str, data: bytes) -> list[UploadRecord]:
    """Records of an uploaded file: JSONL (one article per line) or one plain-text article."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputTooLarge(f"پرونده بزرگ‌تر از {MAX_UPLOAD_BYTES // (1024 * 1024)} مگابایت است.")
    if b"\x00" in data[:4096]:
        raise InvalidInput("این پرونده متنی نیست (دودویی است).")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("پرونده باید متن UTF-8 باشد؛ این پرونده نویسه‌های نامعتبر دارد.") from exc
    if not content.strip():
        raise InvalidInput("پرونده خالی است.")
    is_jsonl = filename.lower().endswith((".jsonl", ".json", ".ndjson")) or content.lstrip().startswith("{")
    if not is_jsonl:
        return [UploadRecord(line=1, text=content, title=filename.rsplit("/", 1)[-1][:500])]
    records: list[UploadRecord] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            records.append(UploadRecord(line=number, text=""))
            continue
        if not isinstance(row, dict):
            records.append(UploadRecord(line=number, text=""))
            continue
        records.append(
            UploadRecord(
                line=number,
                text=str(row.get("text") or ""),
                title=str(row.get("title") or ""),
                url=str(row.get("url") or ""),
                publisher=str(row.get("publisher") or ""),
                published=str(row.get("published") or row.get("published_at") or ""),
            )
        )
        if len(records) > MAX_UPLOAD_RECORDS:
            raise InputTooLarge(f"هر پرونده حداکثر {MAX_UPLOAD_RECORDS:,} خبر می‌پذیرد.")
    if not records:
        raise InvalidInput("پرونده هیچ خبری ندارد.")
    return records


def ingest_job_enqueue(*, job_id: int) -> None:
    """Send the job's task (after commit, so a worker always finds the rows), on
    ``INGEST_QUEUE`` like extraction.

    A broker outage must not undo an accepted upload: the job and its rows stay
    in the database and are logged; without a broker (eager) the error is raised."""
    from claims.tasks import process_ingest_job

    queue = getattr(settings, "INGEST_QUEUE", None) or None
    try:
        process_ingest_job.apply_async((job_id,), queue=queue)
    except Exception:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("could not queue ingest job %s; its rows wait in the database", job_id)


@transaction.atomic
def ingest_job_start(*, filename: str, records: list[UploadRecord], actor) -> IngestJob:
    """Record an upload with its parsed rows, and queue its processing on commit.

    The rows are stored in the database, so any worker can read them; all or
    nothing, so a refused or broken upload leaves no half-written job."""
    _require(actor, "claims.add_ingestjob", "شما اجازهٔ بارگذاری پرونده را ندارید.")
    _require(actor, INGEST_PERMISSION, "شما اجازهٔ افزودن خبر را ندارید.")
    job = IngestJob.objects.create(created_by=actor, filename=filename[:300], total=len(records))
    IngestRow.objects.bulk_create(
        [
            IngestRow(
                job=job,
                position=position,
                line=record.line,
                record={k: v for k, v in asdict(record).items() if k != "line"},
            )
            for position, record in enumerate(records)
        ],
        batch_size=500,
    )
    job_id = job.pk
    transaction.on_commit(lambda: ingest_job_enqueue(job_id=job_id))
    return job


def _publisher_for(name: str) -> Source | None:
    key = normalize_key(name)
    if not key:
        return None
    alias = SourceAlias.objects.filter(Q(key=key) | Q(source__slug=name)).select_related("source").first()
    return alias.source if alias else None


INGEST_BATCH = 25


@dataclass(frozen=True)
class _PreparedRow:
    position: int
    line: int
    fields: dict | None = None
    error: str = ""


def _prepare_row(row: IngestRow) -> _PreparedRow:
    """Check one stored row and turn it into ``article_ingest`` arguments.

    A row with only a URL is fetched here, before the batch's transaction opens,
    so a slow site never holds the job locked (a URL already known is not fetched)."""
    from claims.services.errors import ApplicationError
    from claims.services.fetch import fetch_article

    record = UploadRecord(line=row.line, **row.record)
    try:
        text = _CONTROL_CHARS.sub("", record.text or "")
        url = (record.url or "").strip()
        if not text.strip() and not url:
            raise InvalidInput("سطر متن ندارد یا JSON معتبر نیست.")
        fields = {
            "title": clean_text(record.title, label="عنوان", max_length=500, required=False, multiline=False),
            "publisher": _publisher_for(record.publisher),
            "published_at": parse_date(record.published[:10]),
        }
        if text.strip():
            max_chars = getattr(settings, "INGEST_MAX_CHARS", 1_000_000)
            if len(text) > max_chars:
                raise InputTooLarge(f"متن خبر بیش از اندازه بلند است (حداکثر {max_chars:,} نویسه).")
            fields["text"] = text
        else:
            if not re.match(r"^https?://", url, re.IGNORECASE) or len(url) > 2000:
                raise InvalidInput("نشانی باید با http:// یا https:// آغاز شود.")
            fields["url"] = url
            if not Article.objects.filter(url=url).exists():
                page = fetch_article(url=url)
                fields["text"] = page.text
                fields["title"] = fields["title"] or page.title
                fields["published_at"] = fields["published_at"] or page.published_at
    except ApplicationError as exc:
        return _PreparedRow(position=row.position, line=row.line, error=exc.message)
    return _PreparedRow(position=row.position, line=row.line, fields=fields)


@transaction.atomic
def _ingest_batch(*, job_id: int, first: int, rows: list[_PreparedRow]) -> IngestJob | None:
    """Ingest prepared rows and move the job's cursor past them, in one transaction.

    The articles, the counters, the cursor and the deletion of the rows commit
    together (extraction is queued on that commit), so a worker that dies here
    leaves the batch unread and the next run reads it again from the start: no
    row is ingested or counted twice. Returns None when another run moved the
    cursor first (a redelivered message running alongside this one)."""
    from claims.services.errors import ApplicationError

    job = IngestJob.objects.select_for_update().get(pk=job_id)
    if job.state != IngestJob.State.RUNNING:
        return job
    if job.processed != first:
        return None
    ingest = _ingest_service().article_ingest
    submitted_by = job.created_by
    errors: list[dict] = []
    for row in rows:
        error = row.error
        if row.fields is not None:
            try:
                _, created = ingest(**row.fields, origin="ui", job=job, submitted_by=submitted_by)
            except ApplicationError as exc:
                error = exc.message
            else:
                if created:
                    job.new += 1
                else:
                    job.duplicate += 1
                continue
        job.failed += 1
        errors.append({"line": row.line, "error": error})
    job.processed = first + len(rows)
    job.errors = (job.errors + errors)[:200]
    fields = ["processed", "new", "duplicate", "failed", "errors"]
    IngestRow.objects.filter(job_id=job_id, position__lt=job.processed).delete()
    if job.processed >= job.total:
        job.state = IngestJob.State.DONE
        job.finished_at = timezone.now()
        fields += ["state", "finished_at"]
    job.save(update_fields=fields)
    return job


def ingest_job_fail(*, job_id: int, message: str) -> IngestJob:
    """Stop a job for good with the reason; its unread rows are dropped (the
    articles already read stay, and a new upload of the file skips them as duplicates)."""
    with transaction.atomic():
        job = IngestJob.objects.select_for_update().get(pk=job_id)
        if job.state == IngestJob.State.RUNNING:
            job.state = IngestJob.State.FAILED
            job.error = message[:2000]
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "finished_at"])
        IngestRow.objects.filter(job_id=job_id).delete()
    return job


@transaction.atomic
def _ingest_rows_lost(*, job_id: int, cursor: int) -> IngestJob | None:
    """Fail the job if the row at its cursor is really gone; checked with the job
    locked, since a concurrent delivery moves the cursor and deletes the rows it
    read under that lock. None when the cursor has moved (nothing is lost)."""
    job = IngestJob.objects.select_for_update().get(pk=job_id)
    if job.state != IngestJob.State.RUNNING or job.processed != cursor:
        return None
    if IngestRow.objects.filter(job_id=job_id, position=cursor).exists():
        return None
    return ingest_job_fail(
        job_id=job_id, message="سطرهای این بارگذاری دیگر در دسترس نیست؛ پرونده را دوباره بارگذاری کنید."
    )


def ingest_job_process(
    *,
    job_id: int,
    max_rows: int | None = None,
    time_budget: float | None = None,
    batch_size: int | None = None,
) -> IngestJob:
    """Read an upload's rows into articles (origin "ui", submitted by the uploader),
    a batch at a time, counting new, duplicate and failed rows as it goes.

    Idempotent and resumable: it starts at the job's cursor, so a second run of a
    finished job changes nothing and a run after an interruption goes on where
    the last committed batch ended. It returns once the job is done, or early
    (state still running) after ``max_rows`` rows or when ``time_budget``
    seconds have passed, so the caller can continue in a fresh task.

    Deliberately not one transaction: each batch commits on its own, so the
    progress page sees the counters move and a failure loses one batch at most."""
    started = time.monotonic()
    batch_size = batch_size or INGEST_BATCH
    read = 0
    while True:
        job = IngestJob.objects.filter(pk=job_id).first()
        if job is None:
            raise NotFound(f"بارگذاری شمارهٔ {job_id} پیدا نشد.")
        if job.state != IngestJob.State.RUNNING:
            return job
        if job.processed >= job.total:
            # Nothing left to read (an upload of zero rows never gets here).
            return _ingest_batch(job_id=job_id, first=job.processed, rows=[]) or job
        if max_rows is not None and read >= max_rows:
            return job
        if read and time_budget is not None and time.monotonic() - started >= time_budget:
            return job  # after one batch at least, so every run moves the cursor
        size = batch_size if max_rows is None else min(batch_size, max_rows - read)
        stored = list(
            IngestRow.objects.filter(job_id=job_id, position__gte=job.processed).order_by("position")[:size]
        )
        if not stored or stored[0].position != job.processed:
            lost = _ingest_rows_lost(job_id=job_id, cursor=job.processed)
            if lost is not None:
                return lost
            continue  # another delivery read those rows meanwhile: start from its cursor
        # Only a contiguous run from the cursor, so the cursor never skips a row.
        first = job.processed
        stored = [row for n, row in enumerate(stored) if row.position == first + n]
        prepared = [_prepare_row(row) for row in stored]
        done = _ingest_batch(job_id=job_id, first=job.processed, rows=prepared)
        if done is not None:
            read += len(prepared)


@transaction.atomic
def article_retry(*, article: Article, actor) -> Article:
    """Queue a failed (or stuck) article for extraction again."""
    _require(actor, RETRY_PERMISSION, "شما اجازهٔ پردازش دوبارهٔ خبر را ندارید.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.state == ArticleState.DONE:
        raise InvalidTransition("این خبر پیش‌تر پردازش شده است.")
    if article.state == ArticleState.PROCESSING and article.ingested_at > timezone.now() - dt.timedelta(
        minutes=10
    ):
        raise InvalidTransition("این خبر هم‌اکنون در حال پردازش است.")
    return _ingest_service().article_requeue(article_id=article.pk)
