"""Matching whose cost does not grow with the corpus: the candidate index, the
incremental consistency check against a claim's stored figures, matching after the
extraction's commit, the per-article cap, and the index the queries use."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Article, ClaimFigure, ClaimMatch, ConsistencyFlag, MatchKey
from claims.services import copies, matching, minhash
from claims.services.articles import article_extract, article_ingest
from claims.services.claims import attribution_link, claim_create, claim_update_text
from claims.services.matching import article_match

CLAIM_TEXT = "گروه‌های مورد حمایت ایران از اکتبر ۱۴۱ حمله به نیروهای آمریکایی در عراق و سوریه انجام داده‌اند"


def _report(n: int, figure: str) -> str:
    return (
        f"گزارش شمارهٔ {n}\nخبرگزاری تسنیم گزارش داد گروه‌های مقاومت از ماه اکتبر {figure} حمله در عراق و "
        "سوریه علیه نیروهای آمریکایی انجام داده‌اند."
    )


def _extracted(text: str) -> Article:
    article, _ = article_ingest(text=text)
    return article_extract(article_id=article.pk)


@pytest.fixture
def claim(db, registry, editor):
    article = _extracted(_report(0, "۱۴۱"))
    return claim_create(text=CLAIM_TEXT, actor=editor, attribution=article.attributions.get())


@pytest.mark.django_db
def test_a_claim_is_indexed_by_its_text_and_its_accepted_appearances(claim, editor):
    keys = set(MatchKey.objects.filter(claim=claim).values_list("key", "source_id"))
    appearance = claim.attributions.get()
    assert (claim.text_key, None) in keys
    assert (appearance.content_key, appearance.source_id) in keys
    assert appearance.source_id is not None  # the speaker is kept for the speaker lookup
    claim_update_text(claim=claim, text="متن تازهٔ این ادعا دربارهٔ حملات", actor=editor)
    keys = set(MatchKey.objects.filter(claim=claim).values_list("key", flat=True))
    assert claim.text_key not in keys and len(keys) == 2


@pytest.mark.django_db
def test_matching_runs_after_extraction_and_once(claim):
    article = _extracted(_report(1, "۱۴۱"))
    article.refresh_from_db()
    assert article.matched_at is not None and article.match_skipped == 0
    assert ClaimMatch.objects.filter(attribution__article=article, claim=claim).exists()
    ClaimMatch.objects.filter(attribution__article=article).delete()
    article_match(article_id=article.pk)  # already matched: nothing is redone
    assert not ClaimMatch.objects.filter(attribution__article=article).exists()


@pytest.mark.django_db
def test_repeated_figures_add_no_flag_and_new_ones_compare_with_stored_figures(claim):
    _extracted(_report(1, "۱۵۰"))
    assert ConsistencyFlag.objects.filter(claim=claim).count() == 1
    _extracted(_report(2, "۱۵۰"))  # the same disagreement again: already flagged
    assert ConsistencyFlag.objects.filter(claim=claim).count() == 1
    assert set(ClaimFigure.objects.filter(claim=claim).values_list("signature", flat=True)) == {"141", "150"}
    _extracted(_report(3, "۲۰۰"))  # a third figure disagrees with both stored ones
    flags = ConsistencyFlag.objects.filter(claim=claim)
    assert flags.count() == 3
    assert {f.description.count("۲۰۰") for f in flags if "۲۰۰" in f.description} == {1}


@pytest.mark.django_db
def test_the_check_costs_the_same_for_a_claim_with_many_appearances(claim, editor):
    def queries_for_one_more(n: int, figure: str) -> int:
        article = Article.objects.get(pk=article_ingest(text=_report(n, figure))[0].pk)
        copies._held_cache.clear()  # the worker's originals in memory are not what is counted
        with CaptureQueriesContext(connection) as ctx:
            article_extract(article_id=article.pk)
        return len(ctx.captured_queries)

    few = queries_for_one_more(100, "۱۵۰")  # a new figure: one flag, one stored figure
    for n in range(1, 25):
        attribution_link(
            attribution=_extracted(_report(n, "۱۴۱")).attributions.get(), claim=claim, actor=editor
        )
    assert claim.attributions.count() == 25
    many = queries_for_one_more(101, "۱۷۵")  # likewise, against 25 appearances
    assert many == few


@pytest.mark.django_db
def test_the_desk_rebuild_is_linear_and_keeps_resolved_flags(claim):
    _extracted(_report(1, "۱۵۰"))
    flag = ConsistencyFlag.objects.get(claim=claim)
    ConsistencyFlag.objects.filter(pk=flag.pk).update(resolved=True)
    ClaimFigure.objects.filter(claim=claim).delete()
    matching.claim_consistency_check(claim_id=claim.pk)
    assert ConsistencyFlag.objects.get(claim=claim).resolved  # not raised again, not reopened
    assert ClaimFigure.objects.filter(claim=claim).count() == 2


@pytest.mark.django_db
def test_an_article_over_the_cap_is_matched_in_part_and_says_so(claim, monkeypatch):
    monkeypatch.setattr(matching, "MATCH_MAX_PER_ARTICLE", 1)
    text = _report(1, "۱۴۱") + "\n" + _report(2, "۱۴۱").split("\n", 1)[1].replace("تسنیم", "فارس")
    article = _extracted(text)
    article.refresh_from_db()
    assert article.attributions.count() == 2
    assert article.match_skipped == 1
    assert ClaimMatch.objects.filter(attribution__article=article).count() == 1


@pytest.mark.django_db
def test_the_candidate_lookups_use_the_band_and_speaker_indexes(claim, require_postgres):
    from claims.models import MatchBand

    appearance = claim.attributions.get()
    bands = minhash.bands(appearance.content_key)
    band_query = MatchBand.objects.filter(band__in=bands).values_list("band", "key_id")
    speaker_query = MatchKey.objects.filter(
        source_id=appearance.source_id, seen_at__range=(claim.created_at, claim.created_at)
    ).order_by("-seen_at")[:20]
    with connection.cursor() as cursor:
        # Fixture tables are tiny, so a scan is cheaper than any index: tell the
        # planner so, to see which index each lookup can use (the bench EXPLAINs
        # them as they run on a 100k-article database).
        cursor.execute("SET LOCAL enable_seqscan = off")
        band_plan = band_query.explain()
        speaker_plan = speaker_query.explain()
    assert "matchband_band_idx" in band_plan, band_plan
    assert "matchkey_speaker_idx" in speaker_plan, speaker_plan


def test_lsh_finds_similar_keys_and_rarely_unrelated_ones():
    close = (
        "گروه‌های مقاومت از ماه اکتبر نزدیک به ۱۵۰ حمله در عراق و سوریه انجام داده‌اند",
        "گروه‌های مقاومت از ماه اکتبر ۱۴۱ حمله در عراق و سوریه انجام داده‌اند",
    )
    assert matching.trigram_similarity(*close) > 0.5
    assert set(minhash.bands(close[0])) & set(minhash.bands(close[1]))
    far = "سخنگوی دولت گفت که قیمت نان در ماه آینده تغییری نخواهد کرد"
    shared = set(minhash.bands(close[0])) & set(minhash.bands(far))
    assert len(shared) <= 4
    assert len(minhash.bands(far)) == minhash.BANDS and minhash.bands("") == []


@pytest.mark.django_db
def test_a_merged_claim_is_no_longer_a_candidate(claim, editor):
    from claims.services.claims import claim_merge

    other = claim_create(text="ادعای دیگری دربارهٔ حملات به نیروهای آمریکایی در عراق", actor=editor)
    claim_merge(source_claim=claim, target_claim=other, actor=editor)
    article = _extracted(_report(5, "۱۴۱"))
    assert set(
        ClaimMatch.objects.filter(attribution__article=article).values_list("claim_id", flat=True)
    ) == {other.pk}
