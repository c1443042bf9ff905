"""Claim matching (pg_trgm on PostgreSQL, the same trigram similarity in Python on
SQLite) and numeric consistency flags."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.extraction.normalize import normalize_key
from claims.models import ClaimMatch, ConsistencyFlag, ReviewState
from claims.services.articles import article_extract, article_ingest
from claims.services.claims import claim_create
from claims.services.matching import (
    MATCH_MIN_SCORE,
    _by_unit,
    quantities_agree,
    trigram_similarity,
    trigrams,
)

PENTAGON = (
    "پنتاگون اعلام کرد گروه‌های مورد حمایت ایران از ماه اکتبر دست‌کم ۵۸ حمله در عراق و "
    "۸۳ حمله در سوریه علیه نیروهای آمریکایی انجام داده‌اند."
)
TASNIM = (
    "خبرگزاری تسنیم گزارش داد گروه‌های مقاومت از ماه اکتبر نزدیک به ۱۵۰ حمله در عراق و "
    "سوریه علیه نیروهای آمریکایی انجام داده‌اند."
)
AGREEING = (
    "خبرگزاری فرانسه گزارش داد گروه‌های مورد حمایت ایران از ماه اکتبر ۱۴۱ حمله در عراق و "
    "سوریه علیه نیروهای آمریکایی انجام داده‌اند."
)
UNRELATED = "سخنگوی دولت گفت که قیمت نان در ماه آینده تغییری نخواهد کرد و یارانه‌ها پرداخت می‌شود."


def test_trigrams_follow_pg_trgm_rules():
    assert trigrams("cat") == frozenset({"  c", " ca", "cat", "at "})
    assert trigram_similarity("word", "word") == 1.0
    assert trigram_similarity("", "word") == 0.0
    assert 0 < trigram_similarity("حملات موشکی", "حمله موشکی") < 1


@pytest.mark.django_db
def test_python_similarity_equals_pg_trgm(require_postgres):
    pairs = [
        (normalize_key(PENTAGON), normalize_key(TASNIM)),
        (normalize_key(PENTAGON), normalize_key(UNRELATED)),
        ("nearly 150 attacks", "58 attacks and 83 attacks"),
        (normalize_key("حزب‌الله لبنان"), normalize_key("حزبالله")),
    ]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            expected = cursor.fetchone()[0]
            assert trigram_similarity(a, b) == pytest.approx(expected, abs=0.02), (a, b)


@pytest.fixture
def attack_claim(db, registry, editor):
    """A claim an editor made from the Pentagon's figure (58 + 83 attacks)."""
    article, _ = article_ingest(text=PENTAGON)
    article_extract(article_id=article.pk)
    attribution = article.attributions.get()
    return claim_create(
        text="گروه‌های مورد حمایت ایران از اکتبر ۱۴۱ حمله به نیروهای آمریکایی در عراق و سوریه انجام داده‌اند",
        actor=editor,
        attribution=attribution,
    )


@pytest.mark.django_db
def test_new_attribution_is_matched_to_the_existing_claim_with_a_score(attack_claim):
    article, _ = article_ingest(text=TASNIM)
    article_extract(article_id=article.pk)
    attribution = article.attributions.get()
    match = ClaimMatch.objects.get(attribution=attribution)
    assert match.claim_id == attack_claim.pk
    assert MATCH_MIN_SCORE <= match.score <= 1
    # The score is the better of the claim text and the accepted appearance's content.
    expected = max(
        trigram_similarity(attribution.content_key, attack_claim.text_key),
        trigram_similarity(attribution.content_key, attack_claim.attributions.get().content_key),
    )
    assert match.score == pytest.approx(expected, abs=0.02)


@pytest.mark.django_db
def test_unrelated_attribution_is_not_matched(attack_claim):
    article, _ = article_ingest(text=UNRELATED)
    article_extract(article_id=article.pk)
    assert article.attributions.exists()
    assert not ClaimMatch.objects.filter(attribution__article=article).exists()


@pytest.mark.django_db
def test_different_figures_for_one_claim_raise_a_flag(attack_claim):
    article, _ = article_ingest(text=TASNIM)
    article_extract(article_id=article.pk)
    flag = ConsistencyFlag.objects.get(claim=attack_claim)
    assert flag.unit == "حمله"
    assert {flag.first.article_id, flag.second.article_id} == {
        attack_claim.attributions.get().article_id,
        article.pk,
    }
    assert "۱۵۰" in flag.description and "۵۸" in flag.description and "141" in flag.description
    # Checking again does not duplicate the flag.
    article_extract(article_id=article.pk, extractor=None)
    assert ConsistencyFlag.objects.filter(claim=attack_claim).count() == 1


@pytest.mark.django_db
def test_agreeing_total_raises_no_flag(attack_claim):
    article, _ = article_ingest(text=AGREEING)
    article_extract(article_id=article.pk)
    assert ClaimMatch.objects.filter(attribution__article=article, claim=attack_claim).exists()
    assert not ConsistencyFlag.objects.exists()


def test_quantities_agree_rules():
    q = lambda *values: [{"value": v, "unit": "حمله"} for v in values]  # noqa: E731
    assert quantities_agree(q(58, 83), q(141))
    assert not quantities_agree(q(58, 83), q(150))
    assert quantities_agree(q(17), q(17, 3))  # one side's figure is part of the other's breakdown
    assert not quantities_agree(q(17), q(19))


@pytest.mark.django_db
def test_dismissed_attributions_do_not_take_part(attack_claim):
    accepted = attack_claim.attributions.get()
    type(accepted).objects.filter(pk=accepted.pk).update(review_state=ReviewState.DISMISSED, claim=None)
    article, _ = article_ingest(text=TASNIM)
    article_extract(article_id=article.pk)
    assert not ConsistencyFlag.objects.exists()


def test_figures_inside_a_date_are_not_quantities():
    from claims.models import Attribution

    attribution = Attribution(
        quantities=[
            {"text": "۳۰ دیماه", "start": 10, "end": 18, "value": 30.0, "unit": "دیماه"},
            {"text": "دو موشک", "start": 40, "end": 47, "value": 2.0, "unit": "موشک"},
        ],
        dates=[{"text": "۳۰ دیماه", "start": 10, "end": 18, "iso": "2024-01-20"}],
    )
    assert dict(_by_unit(attribution)) == {"موشک": [attribution.quantities[1]]}
