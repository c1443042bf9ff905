"""The claim state machine, its permissions and its history."""

from __future__ import annotations

import pytest

from claims.models import ClaimEvent, ClaimStatus, ReviewState
from claims.services import claims as svc
from claims.services.errors import InvalidInput, InvalidTransition, NotPermitted
from claims.signals import verdict_changed
from tests.factories import AttributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_claim(editor):
    attribution = AttributionFactory()
    claim = svc.claim_create(text="گفتگوها ادامه دارد", actor=editor, attribution=attribution)
    return svc.claim_rate(claim=claim, rating="false", rationale="شواهد خلاف آن است.", actor=editor)


@pytest.fixture
def submitted_claim(rated_claim, editor):
    return svc.claim_submit(claim=rated_claim, actor=editor)


def test_create_from_attribution_accepts_it_and_records_history(editor):
    attribution = AttributionFactory()
    claim = svc.claim_create(text="  گفتگوها ادامه دارد ", actor=editor, attribution=attribution)
    attribution.refresh_from_db()
    assert claim.text == "گفتگوها ادامه دارد"
    assert attribution.claim == claim and attribution.review_state == ReviewState.ACCEPTED
    assert list(claim.events.values_list("action", flat=True)) == ["created", "linked"]
    assert claim.get_absolute_url() == f"/claims/{claim.slug}-{claim.pk}/"


def test_editor_cannot_publish_but_senior_can(
    submitted_claim, editor, senior, django_capture_on_commit_callbacks
):
    with pytest.raises(NotPermitted):
        svc.claim_publish(claim=submitted_claim, actor=editor)
    received = []

    def listener(sender, claim_id, event, **kwargs):
        received.append((claim_id, event))

    verdict_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            claim = svc.claim_publish(claim=submitted_claim, actor=senior)
    finally:
        verdict_changed.disconnect(listener)
    assert claim.status == ClaimStatus.PUBLISHED and claim.published_at is not None
    assert received == [(claim.pk, "claim.published")]


def test_illegal_moves_are_refused_with_a_clear_message(editor, senior, submitted_claim):
    claim = svc.claim_create(text="ادعای تازه", actor=editor)
    with pytest.raises(InvalidTransition) as excinfo:
        svc.claim_publish(claim=claim, actor=senior)  # new -> published skips rating
    assert "تازه" in excinfo.value.message
    with pytest.raises(InvalidInput):
        svc.claim_transition(claim=claim, to_status="dismissed", actor=editor)  # needs a reason
    published = svc.claim_publish(claim=submitted_claim, actor=senior)
    with pytest.raises(InvalidTransition):
        svc.claim_transition(claim=published, to_status="dismissed", actor=editor, note="x")
    with pytest.raises(InvalidTransition):
        svc.claim_update_text(claim=published, text="متن دیگر", actor=editor)


def test_correction_needs_a_public_note_and_keeps_the_old_rating(submitted_claim, senior, editor):
    claim = svc.claim_publish(claim=submitted_claim, actor=senior)
    with pytest.raises(InvalidInput):
        svc.claim_correct(claim=claim, rating="misleading", rationale="دلیل", note="  ", actor=senior)
    with pytest.raises(NotPermitted):
        svc.claim_correct(claim=claim, rating="misleading", rationale="دلیل", note="اصلاح", actor=editor)
    claim = svc.claim_correct(
        claim=claim, rating="misleading", rationale="شواهد تازه", note="رقم دقیق‌تر منتشر شد.", actor=senior
    )
    assert claim.status == ClaimStatus.CORRECTED and claim.rating == "misleading"
    event = claim.events.get(action=ClaimEvent.Action.CORRECTED)
    assert (event.from_rating, event.to_rating, event.public) == ("false", "misleading", True)
    assert event.actor == senior


def test_rating_requires_a_known_rating_and_a_rationale(editor):
    claim = svc.claim_create(text="ادعا", actor=editor)
    with pytest.raises(InvalidInput):
        svc.claim_rate(claim=claim, rating="pants_on_fire", rationale="x", actor=editor)
    with pytest.raises(InvalidInput):
        svc.claim_rate(claim=claim, rating="true", rationale="", actor=editor)


def test_a_user_without_a_role_can_do_nothing(plain_user):
    with pytest.raises(NotPermitted):
        svc.claim_create(text="ادعا", actor=plain_user)


def test_evidence_must_be_a_web_address(editor):
    claim = svc.claim_create(text="ادعا", actor=editor)
    with pytest.raises(InvalidInput):
        svc.evidence_add(claim=claim, url="javascript:alert(1)", actor=editor)
    evidence = svc.evidence_add(claim=claim, url="https://example.org/report", title="گزارش", actor=editor)
    assert claim.events.filter(action="evidence", data__evidence=evidence.pk).exists()


def test_only_a_submitted_claim_is_published_and_a_senior_editor_can_send_it_back(
    rated_claim, editor, senior
):
    with pytest.raises(InvalidTransition) as excinfo:
        svc.claim_publish(claim=rated_claim, actor=senior)  # rated, never submitted
    assert "فرستاده نشده" in excinfo.value.message
    claim = svc.claim_submit(claim=rated_claim, actor=editor, note="آمادهٔ انتشار")
    assert claim.status == ClaimStatus.SUBMITTED
    event = claim.events.latest("id")
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "status",
        "rated",
        "submitted",
        "آمادهٔ انتشار",
    )
    with pytest.raises(InvalidTransition, match="پیش‌تر برای تأیید"):
        svc.claim_submit(claim=claim, actor=editor)
    # Frozen while the senior editor decides: no new rating, wording or status.
    with pytest.raises(InvalidTransition, match="در انتظار تأیید انتشار"):
        svc.claim_rate(claim=claim, rating="true", rationale="x", actor=editor)
    with pytest.raises(InvalidTransition, match="در انتظار تأیید انتشار"):
        svc.claim_update_text(claim=claim, text="متن دیگر", actor=editor)
    with pytest.raises(InvalidTransition):
        svc.claim_transition(claim=claim, to_status="in_review", actor=editor)
    with pytest.raises(NotPermitted):
        svc.claim_send_back(claim=claim, actor=editor, note="x")
    with pytest.raises(InvalidInput):
        svc.claim_send_back(claim=claim, actor=senior, note=" ")
    claim = svc.claim_send_back(claim=claim, actor=senior, note="منبع دوم لازم است")
    assert claim.status == ClaimStatus.RATED
    with pytest.raises(InvalidTransition):
        svc.claim_publish(claim=claim, actor=senior)
    svc.claim_rate(claim=claim, rating="misleading", rationale="با منبع دوم", actor=editor)
    svc.claim_submit(claim=claim, actor=editor)
    published = svc.claim_publish(claim=claim, actor=senior)
    assert published.status == ClaimStatus.PUBLISHED
    assert published.events.get(action="published").from_status == "submitted"
