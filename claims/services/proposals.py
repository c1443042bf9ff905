"""Proposals to change a published claim (``ClaimChangeProposal``).

An editor may not change what the public sees of a published claim
(``claims.services.claims.guard_public``). Linking a new appearance to one, or
merging a draft into one, is therefore proposed: the proposal waits in the
senior editors' queue, and accepting it runs the same senior-editor service
(with its public history entry, cache invalidation and webhook); rejecting it
changes nothing the public sees."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Attribution, Claim, ClaimChangeProposal, ClaimEvent, ReviewState
from claims.services.attributions import REVIEW_PERMISSION, attribution_link_claim
from claims.services.claims import (
    EDIT_PERMISSION,
    MERGEABLE_STATUSES,
    PUBLISH_PERMISSION,
    claim_is_public,
    claim_merge,
)
from claims.services.cleaning import MAX_REASON, clean_text
from claims.services.errors import InvalidInput, InvalidTransition, require_perm

Kind = ClaimChangeProposal.Kind
State = ClaimChangeProposal.State


def _note(claim_id: int, actor, note: str, proposal: ClaimChangeProposal, **data) -> None:
    ClaimEvent.objects.create(
        claim_id=claim_id,
        actor=actor,
        action=ClaimEvent.Action.NOTE,
        note=note,
        data={"proposal": proposal.pk, **data},
    )


def _create(**fields) -> ClaimChangeProposal:
    try:
        with transaction.atomic():
            return ClaimChangeProposal.objects.create(**fields)
    except IntegrityError as exc:  # one open proposal per appearance / per draft
        raise InvalidTransition("پیشنهادی برای همین تغییر در انتظار تأیید دبیر ارشد است.") from exc


@transaction.atomic
def proposal_link(*, attribution: Attribution, claim: Claim, actor, note: str = "") -> ClaimChangeProposal:
    """Propose ``attribution`` as a new appearance of the published ``claim``."""
    require_perm(actor, REVIEW_PERMISSION, "شما اجازهٔ بررسی انتساب‌ها را ندارید.")
    note = clean_text(note, label="توضیح", max_length=MAX_REASON, required=False)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim_is_public(claim):
        raise InvalidTransition("این ادعا منتشر نشده است؛ انتساب را مستقیم به آن پیوند دهید.")
    locked = Attribution.objects.select_for_update().get(pk=attribution.pk)
    if locked.review_state == ReviewState.DISMISSED:
        raise InvalidTransition("این انتساب رد شده است؛ نخست آن را بازگردانید.")
    if locked.claim_id == claim.pk:
        raise InvalidTransition("این انتساب همین حالا به همین ادعا پیوند دارد.")
    proposal = _create(claim=claim, kind=Kind.LINK, attribution=locked, note=note, proposed_by=actor)
    _note(
        claim.pk,
        actor,
        f"پیشنهاد پیوند انتساب شمارهٔ {locked.pk} به این ادعا، در انتظار تأیید دبیر ارشد."
        + (f" ({note})" if note else ""),
        proposal,
        attribution=locked.pk,
    )
    return proposal


@transaction.atomic
def proposal_merge(*, source_claim: Claim, target_claim: Claim, actor, note: str = "") -> ClaimChangeProposal:
    """Propose merging the draft ``source_claim`` into the published ``target_claim``."""
    require_perm(actor, EDIT_PERMISSION, "شما اجازهٔ ادغام ادعاها را ندارید.")
    note = clean_text(note, label="توضیح", max_length=MAX_REASON, required=False)
    if source_claim.pk == target_claim.pk:
        raise InvalidInput("یک ادعا را نمی‌توان در خودش ادغام کرد.")
    locked = {
        c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=[source_claim.pk, target_claim.pk])
    }
    source, target = locked[source_claim.pk], locked[target_claim.pk]
    if not claim_is_public(target):
        raise InvalidTransition("ادعای مقصد منتشر نشده است؛ ادعاها را مستقیم ادغام کنید.")
    if source.merged_into_id or target.merged_into_id:
        raise InvalidTransition("یکی از این دو ادعا پیش‌تر ادغام شده است.")
    if source.status not in MERGEABLE_STATUSES:
        raise InvalidTransition("تنها ادعای پیش‌نویس (منتشرنشده) در ادعای دیگری ادغام می‌شود.")
    proposal = _create(claim=target, kind=Kind.MERGE, source_claim=source, note=note, proposed_by=actor)
    suffix = f" ({note})" if note else ""
    _note(
        target.pk,
        actor,
        f"پیشنهاد ادغام ادعای شمارهٔ {source.pk} در این ادعا، در انتظار تأیید دبیر ارشد.{suffix}",
        proposal,
        source_claim=source.pk,
    )
    _note(
        source.pk,
        actor,
        f"پیشنهاد ادغام این ادعا در ادعای منتشرشدهٔ شمارهٔ {target.pk}، در انتظار تأیید دبیر ارشد.{suffix}",
        proposal,
        target_claim=target.pk,
    )
    return proposal


def _open(proposal: ClaimChangeProposal) -> ClaimChangeProposal:
    proposal = ClaimChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != State.OPEN:
        raise InvalidTransition("دربارهٔ این پیشنهاد پیش‌تر تصمیم گرفته شده است.")
    return proposal


def _decide(proposal: ClaimChangeProposal, actor, state: str, note: str) -> None:
    proposal.state = state
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def proposal_accept(*, proposal: ClaimChangeProposal, actor, note: str = "") -> ClaimChangeProposal:
    """A senior editor accepts: the change is made through the senior path
    (public history entry, caches invalidated, ``claim.corrected`` webhook)."""
    require_perm(actor, PUBLISH_PERMISSION, "تنها دبیر ارشد پیشنهاد تغییر ادعای منتشرشده را می‌پذیرد.")
    note = clean_text(note, label="یادداشت", max_length=MAX_REASON, required=False)
    proposal = _open(proposal)
    if proposal.kind == Kind.LINK:
        attribution_link_claim(attribution=proposal.attribution, claim=proposal.claim, actor=actor)
    else:
        claim_merge(source_claim=proposal.source_claim, target_claim=proposal.claim, actor=actor)
    _decide(proposal, actor, State.ACCEPTED, note)
    _note(proposal.claim_id, actor, "پیشنهاد تغییر پذیرفته شد." + (f" ({note})" if note else ""), proposal)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: ClaimChangeProposal, actor, note: str = "") -> ClaimChangeProposal:
    """A senior editor rejects: nothing the public sees changes; the candidate
    (or the draft) stays where it was."""
    require_perm(
        actor, PUBLISH_PERMISSION, "تنها دبیر ارشد دربارهٔ پیشنهاد تغییر ادعای منتشرشده تصمیم می‌گیرد."
    )
    note = clean_text(note, label="دلیل", max_length=MAX_REASON, required=False)
    proposal = _open(proposal)
    _decide(proposal, actor, State.REJECTED, note)
    _note(proposal.claim_id, actor, "پیشنهاد تغییر رد شد." + (f" ({note})" if note else ""), proposal)
    if proposal.source_claim_id:
        _note(
            proposal.source_claim_id, actor, "پیشنهاد ادغام رد شد." + (f" ({note})" if note else ""), proposal
        )
    return proposal
