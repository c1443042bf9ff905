"""The desk's write services: what they change, what they refuse, and the message."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import models as m
from claims.extraction.normalize import normalize_key
from claims.services import articles as article_svc
from claims.services import attributions as attribution_svc
from claims.services import claims as claim_svc
from claims.services import cleaning
from claims.services import ingest_jobs as ingest_svc
from claims.services import sources as source_svc
from claims.services.claims import claim_publish, claim_rate, claim_submit
from claims.services.errors import InputTooLarge, InvalidInput, InvalidTransition, NotPermitted
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


# --- input cleaning -----------------------------------------------------------


def test_clean_text_drops_bidi_controls_but_keeps_zwnj():
    raw = "  \u202eسخنگو\u200cی وزارت\u2066 گفت\u200f  "
    assert cleaning.clean_text(raw, label="متن", max_length=100) == "سخنگو\u200cی وزارت گفت"


def test_clean_text_refuses_empty_and_huge_in_persian():
    with pytest.raises(InvalidInput, match="نمی‌تواند خالی باشد"):
        cleaning.clean_text(" \u202e ", label="متن ادعا", max_length=10)
    with pytest.raises(InputTooLarge, match="بیش از اندازه بلند"):
        cleaning.clean_text("الف" * 11, label="متن ادعا", max_length=10)


def test_clean_text_keeps_markup_as_text():
    assert (
        cleaning.clean_text("<script>alert(1)</script>", label="متن", max_length=100)
        == "<script>alert(1)</script>"
    )


def test_parse_date_accepts_jalali_and_gregorian_with_persian_digits():
    assert cleaning.parse_date("۱۴۰۲-۱۱-۰۴").date() == dt.date(2024, 1, 24)
    assert cleaning.parse_date("2024/01/24").date() == dt.date(2024, 1, 24)
    assert cleaning.parse_date("") is None
    with pytest.raises(InvalidInput, match="تاریخ"):
        cleaning.parse_date("دیروز")
    with pytest.raises(InvalidInput, match="وجود ندارد"):
        cleaning.parse_date("2024-02-30")


# --- candidates ---------------------------------------------------------------


def test_accept_new_creates_claim_and_links(editor, candidates):
    a = candidates[0]
    claim = attribution_svc.attribution_accept_new(
        attribution=a, text="  ارتش آمریکا به عراق حمله کرد  ", actor=editor
    )
    a.refresh_from_db()
    assert claim.text == "ارتش آمریکا به عراق حمله کرد"
    assert (a.claim_id, a.review_state, a.reviewed_by) == (claim.pk, "accepted", editor)
    assert list(claim.events.values_list("action", flat=True)) == ["created", "linked"]
    with pytest.raises(InvalidTransition, match="پیش‌تر بررسی"):
        attribution_svc.attribution_accept_new(attribution=a, text="دوباره", actor=editor)


def test_plain_user_is_refused_by_the_service(plain_user, candidates):
    with pytest.raises(NotPermitted):
        attribution_svc.attribution_dismiss(attribution=candidates[0], reason="not_claim", actor=plain_user)
    candidates[0].refresh_from_db()
    assert candidates[0].review_state == "pending"


def test_link_to_existing_claim_and_refusals(editor, candidates):
    claim = attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعا", actor=editor)
    attribution_svc.attribution_link_claim(attribution=candidates[1], claim=claim, actor=editor)
    assert claim.attributions.count() == 2
    with pytest.raises(InvalidTransition, match="همین ادعا"):
        attribution_svc.attribution_link_claim(attribution=candidates[1], claim=claim, actor=editor)
    merged = ClaimFactory(merged_into=claim, status="dismissed")
    with pytest.raises(InvalidTransition, match="ادغام شده"):
        attribution_svc.attribution_link_claim(attribution=candidates[2], claim=merged, actor=editor)


def test_dismiss_needs_a_reason_and_other_needs_a_note(editor, candidates):
    a = candidates[0]
    with pytest.raises(InvalidInput, match="دلیل رد"):
        attribution_svc.attribution_dismiss(attribution=a, reason="  ", actor=editor)
    with pytest.raises(InvalidInput, match="دلیل دیگر"):
        attribution_svc.attribution_dismiss(attribution=a, reason="other", actor=editor)
    attribution_svc.attribution_dismiss(attribution=a, reason="opinion", note="پیش‌بینی", actor=editor)
    a.refresh_from_db()
    assert a.review_state == "dismissed"
    assert (
        a.dismiss_reason.startswith(str(attribution_svc.DISMISS_REASONS["opinion"]))
        and "پیش‌بینی" in a.dismiss_reason
    )
    attribution_svc.attribution_restore(attribution=a, actor=editor)
    a.refresh_from_db()
    assert (a.review_state, a.dismiss_reason) == ("pending", "")


def test_dismissing_an_accepted_candidate_unlinks_it_with_history(editor, candidates):
    claim = attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعا", actor=editor)
    attribution_svc.attribution_dismiss(attribution=candidates[0], reason="wrong_extraction", actor=editor)
    candidates[0].refresh_from_db()
    assert candidates[0].claim_id is None
    assert claim.events.filter(action="note", data__unlinked=True).exists()


def test_correct_source_by_picking_adds_alias_and_closes_candidate(editor, candidates):
    target = SourceFactory(name_fa="وزارت دفاع آمریکا")
    unknown = m.SourceCandidate.objects.create(text="وزیر دفاع ایالات متحده", key="k1", occurrences=2)
    a = candidates[0]
    a.source_candidate = unknown
    a.save()
    attribution_svc.attribution_correct_source(attribution=a, source=target, actor=editor)
    a.refresh_from_db()
    unknown.refresh_from_db()
    assert (a.source_id, a.source_resolved, a.edited) == (target.pk, "وزارت دفاع آمریکا", True)
    assert target.aliases.filter(key=normalize_key(a.source_text)).exists()
    assert (unknown.status, unknown.source_id) == ("merged", target.pk)


def test_correct_source_by_creating_one(editor, candidates):
    a = candidates[2]
    attribution_svc.attribution_correct_source(
        attribution=a, new_name_fa="فرماندهی مرکزی آمریکا", new_kind="military_command", actor=editor
    )
    a.refresh_from_db()
    assert a.source.name_fa == "فرماندهی مرکزی آمریکا"
    assert set(a.source.aliases.values_list("key", flat=True)) == {
        normalize_key("فرماندهی مرکزی آمریکا"),
        normalize_key("سنتکام"),
    }
    with pytest.raises(InvalidInput, match="نوع منبع"):
        attribution_svc.attribution_correct_source(
            attribution=a, new_name_fa="x", new_kind="planet", actor=editor
        )


def test_correct_span_validates_offsets_and_trims(editor, article, candidates):
    a = candidates[1]
    text = article.text
    start = text.index("نیروهای آمریکا")
    end = start + len("نیروهای آمریکا")
    attribution_svc.attribution_correct_span(
        attribution=a, part="content", start=start - 1, end=end + 1, actor=editor
    )
    a.refresh_from_db()
    assert a.content_text == "نیروهای آمریکا" == text[a.content_start : a.content_end]
    assert a.content_key == normalize_key("نیروهای آمریکا")
    assert a.edited
    for bad in [(-1, 5), (5, 5), (10, 3), (0, len(text) + 1)]:
        with pytest.raises(InvalidInput, match="بیرون از متن"):
            attribution_svc.attribution_correct_span(
                attribution=a, part="content", start=bad[0], end=bad[1], actor=editor
            )
    blank = text.index("\n")
    with pytest.raises(InvalidInput, match="خالی"):
        attribution_svc.attribution_correct_span(
            attribution=a, part="cue", start=blank, end=blank + 1, actor=editor
        )
    with pytest.raises(InvalidInput, match="بخش"):
        attribution_svc.attribution_correct_span(attribution=a, part="title", start=0, end=3, actor=editor)


def test_correct_source_span_resolves_against_registry(editor, article, candidates):
    source = SourceFactory(name_fa="پنتاگون")
    m.SourceAlias.objects.create(source=source, text="سنتکام")
    a = candidates[0]
    start = article.text.index("سنتکام")
    attribution_svc.attribution_correct_span(
        attribution=a, part="source", start=start, end=start + 6, actor=editor
    )
    a.refresh_from_db()
    assert (a.source_text, a.source_id) == ("سنتکام", source.pk)


# --- claims -------------------------------------------------------------------


def test_merge_keeps_appearances_evidence_and_history(editor, candidates):
    first = attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعای یک", actor=editor)
    second = attribution_svc.attribution_accept_new(attribution=candidates[1], text="ادعای دو", actor=editor)
    m.Evidence.objects.create(claim=second, url="https://example.org/a")
    m.ClaimMatch.objects.create(attribution=candidates[2], claim=second, score=0.7)
    claim_svc.claim_merge(source_claim=second, target_claim=first, actor=editor)
    second.refresh_from_db()
    assert (second.merged_into_id, second.status) == (first.pk, "dismissed")
    assert set(first.attributions.values_list("pk", flat=True)) == {candidates[0].pk, candidates[1].pk}
    assert first.evidence.count() == 1
    assert m.ClaimMatch.objects.get(attribution=candidates[2]).claim_id == first.pk
    # the merged claim keeps its own history, and both sides record the merge
    assert list(second.events.values_list("action", flat=True)) == ["created", "linked", "merged"]
    assert first.events.filter(action="merged", data__from=second.pk).exists()

    from claims.selectors.review import claim_workspace

    workspace = claim_workspace(first.pk)
    assert {e.claim_id for e in workspace.history} == {first.pk, second.pk}


def test_merge_refusals(editor, senior):
    a, b = ClaimFactory(), ClaimFactory()
    with pytest.raises(InvalidInput, match="خودش"):
        claim_svc.claim_merge(source_claim=a, target_claim=a, actor=editor)
    published = ClaimFactory(status="rated", rating="false", rationale="x")
    claim_submit(claim=published, actor=senior)
    claim_publish(claim=published, actor=senior)
    with pytest.raises(InvalidTransition, match="ادغام کرد"):
        claim_svc.claim_merge(source_claim=published, target_claim=b, actor=editor)


def test_submit_needs_a_rated_claim(editor):
    claim = ClaimFactory()
    with pytest.raises(InvalidTransition, match="داوری"):
        claim_svc.claim_submit(claim=claim, actor=editor)
    claim_rate(claim=claim, rating="false", rationale="شواهد", actor=editor)
    claim = claim_svc.claim_submit(claim=claim, actor=editor)
    assert claim.status == "submitted"
    assert claim.events.filter(action="status", to_status="submitted").count() == 1


def test_flag_resolve_records_history(editor, candidates):
    claim = attribution_svc.attribution_accept_new(attribution=candidates[0], text="ادعا", actor=editor)
    flag = m.ConsistencyFlag.objects.create(
        claim=claim, first=candidates[0], second=candidates[1], unit="موشک", description="۱۷ در برابر ۲"
    )
    claim_svc.consistency_flag_resolve(flag=flag, actor=editor, note="دو رویداد جدا")
    flag.refresh_from_db()
    assert flag.resolved
    assert claim.events.filter(data__flag=flag.pk).exists()
    with pytest.raises(InvalidTransition):
        claim_svc.consistency_flag_resolve(flag=flag, actor=editor)


# --- sources ------------------------------------------------------------------


def test_source_update_refuses_cycles_and_bad_country(editor):
    parent, child = SourceFactory(), SourceFactory()
    source_svc.source_update(
        source=child, actor=editor, name_fa="فرزند", kind="office", parent=parent, country="us"
    )
    child.refresh_from_db()
    assert (child.parent_id, child.country) == (parent.pk, "US")
    with pytest.raises(InvalidInput, match="چرخه"):
        source_svc.source_update(source=parent, actor=editor, name_fa="پدر", kind="office", parent=child)
    with pytest.raises(InvalidInput, match="خودش"):
        source_svc.source_update(
            source=parent, actor=editor, name_fa="پدر", kind="office", affiliation=parent
        )
    with pytest.raises(InvalidInput, match="کد کشور"):
        source_svc.source_update(source=parent, actor=editor, name_fa="پدر", kind="office", country="ایران")


def test_alias_removal_is_admin_only_and_keeps_the_main_name(editor, admin_user):
    source = SourceFactory(name_fa="تسنیم")
    main = m.SourceAlias.objects.create(source=source, text="تسنیم")
    other = m.SourceAlias.objects.create(source=source, text="خبرگزاری تسنیم")
    with pytest.raises(NotPermitted):
        source_svc.source_alias_remove(alias=other, actor=editor)
    with pytest.raises(InvalidInput, match="نام اصلی"):
        source_svc.source_alias_remove(alias=main, actor=admin_user)
    source_svc.source_alias_remove(alias=other, actor=admin_user)
    assert list(source.aliases.values_list("text", flat=True)) == ["تسنیم"]


def test_candidate_merge_create_and_ignore(editor, candidates):
    target = SourceFactory(name_fa="سپاه پاسداران")
    c1 = m.SourceCandidate.objects.create(text="رسانه‌های نزدیک به سپاه", key="c1")
    a = candidates[3]
    a.source, a.source_candidate = None, c1
    a.save()
    source_svc.source_candidate_merge(candidate=c1, source=target, actor=editor)
    a.refresh_from_db()
    assert a.source_id == target.pk
    assert target.aliases.filter(key=normalize_key("رسانه‌های نزدیک به سپاه")).exists()
    with pytest.raises(InvalidTransition, match="پیش‌تر"):
        source_svc.source_candidate_ignore(candidate=c1, actor=editor)

    c2 = m.SourceCandidate.objects.create(text="شبکه العالم", key="c2")
    created = source_svc.source_candidate_create(candidate=c2, kind="media_group", actor=editor)
    c2.refresh_from_db()
    assert (c2.status, c2.source_id, created.name_fa) == ("created", created.pk, "شبکه العالم")

    c3 = m.SourceCandidate.objects.create(text="یک مقام", key="c3")
    source_svc.source_candidate_ignore(candidate=c3, actor=editor)
    c3.refresh_from_db()
    assert c3.status == "ignored"


# --- uploads ------------------------------------------------------------------


def test_parse_upload_refusals():
    with pytest.raises(InvalidInput, match="دودویی"):
        ingest_svc.parse_upload(filename="x.txt", data=b"\x00\x01\x02abc")
    with pytest.raises(InvalidInput, match="UTF-8"):
        ingest_svc.parse_upload(filename="x.txt", data="سلام".encode()[:-1] + b"\xff")
    with pytest.raises(InvalidInput, match="خالی"):
        ingest_svc.parse_upload(filename="x.jsonl", data=b"  \n ")


def test_parse_upload_jsonl_and_text():
    data = '{"text": "متن یک", "title": "یک"}\nnot json\n\n{"text": "متن دو", "published": "2024-01-24"}\n'
    records = ingest_svc.parse_upload(filename="batch.jsonl", data=data.encode())
    assert [(r.line, r.text, r.title) for r in records] == [
        (1, "متن یک", "یک"),
        (2, "", ""),
        (4, "متن دو", ""),
    ]
    (single,) = ingest_svc.parse_upload(filename="note.txt", data="خبر ساده".encode())
    assert (single.text, single.title) == ("خبر ساده", "note.txt")


def test_article_retry_only_for_unfinished(editor, article):
    with pytest.raises(InvalidTransition, match="پیش‌تر پردازش"):
        article_svc.article_retry(article=article, actor=editor)


def test_linking_appearances_with_different_numbers_raises_a_flag(editor):
    from tests.review.conftest import build_article

    first = build_article(4, title="یک").attributions.order_by("content_start").last()
    second = build_article(4, title="دو").attributions.order_by("content_start").last()
    m.Attribution.objects.filter(pk=second.pk).update(
        quantities=[{"text": "۲ موشک", "value": 2, "unit": "موشک", "start": 0, "end": 1}]
    )
    claim = attribution_svc.attribution_accept_new(attribution=first, text="موشک‌ها پرتاب شد", actor=editor)
    assert not claim.flags.exists()
    attribution_svc.attribution_link_claim(attribution=second, claim=claim, actor=editor)
    (flag,) = claim.flags.all()
    assert flag.unit == "موشک" and not flag.resolved


def test_moving_an_appearance_records_it_and_spares_published_claims(editor, senior, candidates):
    first = attribution_svc.attribution_accept_new(attribution=candidates[0], text="یک", actor=editor)
    second = ClaimFactory()
    attribution_svc.attribution_link_claim(attribution=candidates[0], claim=second, actor=editor)
    assert first.events.filter(data__moved_to=second.pk).exists()
    claim_rate(claim=second, rating="false", rationale="x", actor=editor)
    claim_submit(claim=second, actor=senior)
    claim_publish(claim=second, actor=senior)
    with pytest.raises(InvalidTransition, match="منتشرشده"):
        attribution_svc.attribution_link_claim(attribution=candidates[0], claim=first, actor=editor)


def test_public_appearances_are_corrected_by_seniors_only(editor, senior, article, candidates):
    claim = attribution_svc.attribution_accept_new(attribution=candidates[0], text="یک", actor=editor)
    claim_rate(claim=claim, rating="false", rationale="x", actor=editor)
    claim_submit(claim=claim, actor=senior)
    claim_publish(claim=claim, actor=senior)
    start = article.text.index("ارتش")
    with pytest.raises(NotPermitted, match="دبیر ارشد"):
        attribution_svc.attribution_correct_span(
            attribution=candidates[0], part="content", start=start, end=start + 4, actor=editor
        )
    with pytest.raises(NotPermitted):
        attribution_svc.attribution_correct_source(
            attribution=candidates[0], source=SourceFactory(), actor=editor
        )
    attribution_svc.attribution_correct_span(
        attribution=candidates[0], part="content", start=start, end=start + 4, actor=senior
    )
    candidates[0].refresh_from_db()
    assert candidates[0].content_text == "ارتش"
