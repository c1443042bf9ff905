"""Wire copies on real text: one story as two outlets published it (tests/data/wire-copies).

Each case is ingested through the real ingest service, the first outlet first, with the
outlets as publishers and the dates the pages show (times where they show them; else
the first outlet an hour before noon and the second after it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import models as m
from claims.services import copies, copy_match
from claims.services.articles import article_ingest
from tests.factories import SourceFactory
from tests.ingestion.helpers import REPO

DATA = REPO / "tests" / "data" / "wire-copies"
TEHRAN = ZoneInfo("Asia/Tehran")

pytestmark = pytest.mark.django_db


def _catalog() -> dict[str, dict]:
    rows = (json.loads(line) for line in (DATA / "texts.jsonl").read_text(encoding="utf-8").splitlines())
    return {row["file"]: row for row in rows}


CATALOG = _catalog()


def _text(file: str) -> str:
    return (DATA / file).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Edition:
    file: str
    outlet: str  # the registry slug, or a slug for an outlet the registry lacks
    outlet_name: str
    at: dt.datetime


@dataclass(frozen=True)
class Case:
    first: Edition
    second: Edition
    # The quotes both carry: how each opens in the first and in the second outlet's text.
    shared: tuple[tuple[str, str], ...]
    # What the second adds that the first does not carry: it stays to be reviewed.
    added: tuple[str, ...] = ()


def _at(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


CASES = {
    "mehr-story-on-an-aggregator": Case(
        Edition("mehr-6608135.txt", "mehr-news-agency", "خبرگزاری مهر", _at(2025, 10, 1, 11)),
        Edition("bdap-9690.txt", "bdap", "بدپ", _at(2025, 10, 1, 12)),
        shared=(("تاکنون حدود یک و نیم", "تاکنون حدود یک و نیم"), ("در خصوص شیر خشک", "در خصوص شیر خشک")),
    ),
    "ministry-text-lightly-rewritten": Case(
        Edition("yjc-9008696.txt", "yjc", "باشگاه خبرنگاران جوان", _at(2025, 10, 1, 11)),
        Edition("nournews-248523.txt", "nour-news", "نورنیوز", _at(2025, 10, 1, 12)),
        shared=(
            ("برنامهریزی دولت این بوده است که سه", "برنامهریزی دولت این بوده است که ۳.۵"),
            ("برای تامین شیر خشک", "برای تامین شیر خشک"),
        ),
    ),
    "spokesperson-transcript-corrected-and-extended": Case(
        Edition("mehr-6556691.txt", "mehr-news-agency", "خبرگزاری مهر", _at(2025, 8, 10, 11)),
        Edition("ilna-1672244.txt", "ilna", "ایلنا", _at(2025, 8, 10, 12)),
        shared=(
            ("در جلسه امروز دولت گزارشی", "در جلسه امروز دولت گزارشی"),
            ("موضوع دیگری که در هیئت دولت امروز", "موضوع دیگری که در هیئت دولت امروز"),
            ("موضوع دیگری که در هیئت دولت مطرح شد، مسئله", "موضوع دیگری که در هیئت دولت مطرح شد، مسئله"),
        ),
        added=("طرح حذف چهار صفر",),
    ),
    "fars-text-on-two-sites": Case(
        Edition("asriran-244572.txt", "asr-iran", "عصر ایران", _at(2012, 12, 5, 13, 25)),
        Edition("mashregh-175603.txt", "mashregh-news", "مشرق", _at(2012, 12, 5, 13, 28)),
        shared=(
            ("جلسه  هیئت دولت امروز لغو", "جلسه  هیئت دولت امروز لغو"),
            ("آلودگی هوا دلیل", "آلودگی هوا دلیل"),
        ),
    ),
}


@pytest.fixture
def ingest(registry, eager, django_capture_on_commit_callbacks):
    """article_ingest of a stored text under its outlet, with its extraction (queued on
    commit) run at once in this process."""

    def run(edition: Edition) -> m.Article:
        publisher = m.Source.objects.filter(slug=edition.outlet).first() or SourceFactory(
            kind=m.SourceKind.MEDIA_GROUP, slug=edition.outlet, name_fa=edition.outlet_name
        )
        with django_capture_on_commit_callbacks(execute=True):
            article, created = article_ingest(
                text=_text(edition.file),
                url=CATALOG[edition.file]["url"],
                publisher=publisher,
                published_at=edition.at,
            )
        assert created
        article.refresh_from_db()
        return article

    return run


def _opening(article: m.Article, opening: str) -> m.Attribution:
    found = [a for a in m.Attribution.objects.filter(article=article) if a.content_text.startswith(opening)]
    assert len(found) == 1, (article.url, opening, [a.content_text[:40] for a in found])
    return found[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_story_on_two_outlets_is_one_article_group_one_set_of_candidates_one_statement_per_quote(
    name, ingest
):
    case = CASES[name]
    first, second = ingest(case.first), ingest(case.second)

    # One article group: the second is a copy of the first, with its own URL, outlet and time.
    assert first.copy_of_id is None
    assert second.copy_of_id == first.pk
    assert second.copy_similarity >= copy_match.SAME_STORY
    assert second.url == CATALOG[case.second.file]["url"] and second.publisher.slug == case.second.outlet
    assert second.published_at == case.second.at and first.published_at == case.first.at

    # One set of candidates to review: the first outlet's, and only what the second adds.
    added = {_opening(second, opening).pk for opening in case.added}
    pending = m.Attribution.objects.filter(review_state=m.ReviewState.PENDING)
    assert set(pending.filter(article=second).values_list("id", flat=True)) == added
    assert pending.filter(article=first).count() == m.Attribution.objects.filter(article=first).count() > 0
    copied = m.Attribution.objects.filter(article=second).exclude(pk__in=added)
    assert copied.exists() and set(copied.values_list("review_state", flat=True)) == {m.ReviewState.COPY}

    # Each quote both carry: one statement, its appearance in each outlet, first in the first
    # (a lead that restates the quote in the second outlet's words is one more appearance).
    for in_first, in_second in case.shared:
        original, copy = _opening(first, in_first), _opening(second, in_second)
        assert original.statement_id is not None and copy.statement_id == original.statement_id, in_first
        statement = original.statement
        appearances = list(statement.appearances.values_list("article_id", flat=True))
        assert sorted(appearances) == sorted([first.pk, second.pk] + [second.pk] * (len(appearances) - 2))
        assert statement.appearance_count == len(appearances) >= 2
        assert statement.first_seen_at == first.published_at
    for opening in case.added:
        assert _opening(second, opening).statement.appearance_count == 1  # its own, to review


def test_another_story_of_the_same_agency_on_the_same_subject_is_not_a_copy(ingest):
    """Mehr's reports of the government spokesperson at the cabinet meeting, 10 and 27
    August 2025: the same reporter's lead ('به گزارش خبرنگار مهر، فاطمه مهاجرانی سخنگوی
    دولت در حاشیه جلسه هیئت دولت امروز ... در جمع خبرنگاران، ضمن تبریک ...'), other words."""
    earlier = ingest(Edition("mehr-6556691.txt", "mehr-news-agency", "خبرگزاری مهر", _at(2025, 8, 10, 11)))
    later = ingest(Edition("mehr-6572268.txt", "mehr-news-agency", "خبرگزاری مهر", _at(2025, 8, 27, 11)))
    assert later.copy_of_id is None and earlier.copy_of_id is None
    pending = m.Attribution.objects.filter(article=later, review_state=m.ReviewState.PENDING)
    assert pending.count() == m.Attribution.objects.filter(article=later).count() > 0
    assert not m.Statement.objects.filter(appearance_count__gt=1).exists()


def test_the_next_report_in_an_agency_template_is_not_a_copy(ingest):
    """The health ministry's daily figures, 3 January and 6 March 2021, on one site: the
    same sentences, other numbers."""
    ingest(Edition("roozplus-184608.txt", "roozplus", "روز پلاس", _at(2021, 1, 3, 14)))
    later = ingest(Edition("roozplus-191196.txt", "roozplus", "روز پلاس", _at(2021, 3, 6, 14)))
    assert later.copy_of_id is None
    assert not m.Attribution.objects.filter(review_state=m.ReviewState.COPY).exists()


def test_one_event_written_up_by_two_agencies_is_not_a_copy(ingest):
    """Mehr's and YJC's own reports of the health minister's words on 1 October 2025."""
    ingest(Edition("mehr-6608135.txt", "mehr-news-agency", "خبرگزاری مهر", _at(2025, 10, 1, 11)))
    other = ingest(Edition("yjc-9008696.txt", "yjc", "باشگاه خبرنگاران جوان", _at(2025, 10, 1, 12)))
    assert other.copy_of_id is None


def _fingerprint(file: str) -> copy_match.Fingerprint:
    return copy_match.fingerprint(_text(file))


def test_the_measure_sees_through_furniture_credits_and_spelling():
    # The words a copy is compared on: one spelling for what outlets write several ways.
    same = copy_match.canonical_words
    assert same("سه و نیم میلیون دوز") == same("3.5 میلیون دوز") == same("۳٫۵ میلیون دوز")
    assert same("توزیع می شود") == same("توزیع می‌شود") == same("توزیع میشود")
    assert same("دو حریف داشتیم") == same("۲ حریف داشتیم")
    # The relaying outlet's dateline, credit, headline and furniture are not compared.
    lead = (
        "مشهد- وزیر دفاع در دیدار با امام جمعه مشهد گفت: رصد دقیق‌تری از تحرکات مرزی داریم و امنیت پایدار است."
    )
    plain = "وزیر دفاع در دیدار با امام جمعه مشهد گفت: رصد دقیق‌تری از تحرکات مرزی داریم و امنیت پایدار است."
    framed = f"رصد دقیقی از تحرکات مرزی داریم\nاقتصاد ایران: {lead}\nانتهای پیام/"
    assert copy_match.copy_words(framed) == copy_match.copy_words(plain)
    credited = plain.replace("وزیر دفاع", "به گزارش خبرگزاری مهر، وزیر دفاع")
    assert copy_match.copy_words(credited) == copy_match.copy_words(plain)


@pytest.mark.parametrize(
    ("original", "new"),
    [
        ("yjc-9008696.txt", "nournews-248523.txt"),
        ("mehr-6556691.txt", "ilna-1672244.txt"),
        ("../statement-pairs/articles/yjc-8750564.txt", "../statement-pairs/articles/bartarinha-1428925.txt"),
    ],
)
def test_light_rewrites_the_former_measure_missed_are_copies(original, new):
    """The former decision (MinHash estimate of plain word-trigram Jaccard >= 0.6) missed
    these; the share of the new article found in the original reaches SAME_STORY."""
    overlap = copy_match.compare(_fingerprint(new), _fingerprint(original))
    assert copy_match.is_copy(_fingerprint(new), overlap)
    assert overlap.jaccard < 0.62 < overlap.containment


def test_different_stories_stay_apart_and_figures_must_agree():
    fingerprints = {f: _fingerprint(f) for f in CATALOG}
    for new, original in [(a, b) for a in CATALOG for b in CATALOG if a != b]:
        if CATALOG[new]["story"] == CATALOG[original]["story"]:
            continue
        overlap = copy_match.compare(fingerprints[new], fingerprints[original])
        assert not copy_match.is_copy(fingerprints[new], overlap), (new, original)
        assert overlap.containment < 0.4, (new, original)  # far under SAME_STORY
    # The next day's figures in one template: their numbers disagree.
    template = copy_match.compare(fingerprints["roozplus-191196.txt"], fingerprints["roozplus-184608.txt"])
    assert not template.numbers_agree


def test_what_a_copy_adds_is_not_carried_by_its_original():
    mehr = copy_match.holder(_text("mehr-6556691.txt"))
    assert mehr.carries("موضوع دیگری که در هیئت دولت امروز مطرح شد موضوع تفویض اختیار به استانداران بود")
    assert not mehr.carries(
        "طرح حذف چهار صفر از واحد پول ملی کشور، امروز چهارشنبه در نشست هیات دولت به تصویب رسید"
    )
    yjc = copy_match.holder(_text("yjc-9008696.txt"))
    assert yjc.carries("توزیع 1.5 میلیون دوز واکسن آنفلوآنزا تا کنون")  # Nour News's lead, reworded
    assert not yjc.carries("توزیع 2.5 میلیون دوز واکسن آنفلوآنزا تا کنون")  # a figure the original lacks


def test_finding_the_original_measures_a_bounded_number_of_texts(ingest):
    new = copy_match.fingerprint(_text("bdap-9690.txt"))
    with CaptureQueriesContext(connection) as queries:
        assert copies.closest_original(new, list(range(1, 5000))) is None
    assert len(queries) == 1
    assert queries[0]["sql"].count(",") < 40  # at most MAX_CANDIDATES ids in its IN list


def test_the_originals_kept_in_memory_choose_what_the_texts_choose():
    """``closest_original`` measures candidates from what a worker keeps of them (their
    shingles' hashes), cold and warm: the same original and the same overlap as
    ``copy_match.compare`` on the whole texts, for every stored edition against the
    others of its story and of other stories (MAX_CANDIDATES in all)."""
    files = sorted(CATALOG)
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    ids = {file: article_ingest(text=_text(file), published_at=at)[0].pk for file in files}
    fingerprints = {file: copy_match.fingerprint(_text(file)) for file in files}
    chosen = 0
    for file in files:
        story = CATALOG[file]["story"]
        others = sorted((f for f in files if f != file), key=lambda f: (CATALOG[f]["story"] != story, f))
        asked = others[: copies.MAX_CANDIDATES]
        expected = None
        for other in asked:
            overlap = copy_match.compare(fingerprints[file], fingerprints[other])
            rank = (overlap.containment, -ids[other])
            if copy_match.is_copy(fingerprints[file], overlap) and (expected is None or rank > expected[0]):
                expected = (rank, other, overlap)
        copies._held_cache.clear()
        for _ in ("cold", "warm"):
            found = copies.closest_original(fingerprints[file], [ids[f] for f in asked])
            if expected is None:
                assert found is None, file
                continue
            _, other, overlap = expected
            assert (found.article.pk, found.overlap) == (ids[other], overlap), file
            assert found.article.text == _text(other)
            assert found.fingerprint == fingerprints[other]
        chosen += expected is not None
    assert chosen >= 3, "too few copies among the stored editions to compare"


def test_articles_held_before_the_comparison_changed_are_found_once_reindexed(ingest):
    """An original indexed by an earlier comparison (its signature and bands stale) is
    re-indexed by ``manage.py copies_reindex``; a copy ingested afterwards finds it."""
    from django.core.management import call_command

    first = ingest(CASES["mehr-story-on-an-aggregator"].first)
    m.ArticleBand.objects.filter(article=first).delete()
    m.ArticleBand.objects.create(article=first, band=1)  # a band of the former comparison
    m.Article.objects.filter(pk=first.pk).update(shingle_signature=[7] * copies.HASHES)
    call_command("copies_reindex", "--batch-size", "1", stdout=io.StringIO())
    first.refresh_from_db()
    assert first.shingle_signature == copies.signature(first.text)
    assert set(m.ArticleBand.objects.filter(article=first).values_list("band", flat=True)) == set(
        copies.bands(first.shingle_signature)
    )
    second = ingest(CASES["mehr-story-on-an-aggregator"].second)
    assert second.copy_of_id == first.pk
    assert copies.articles_copies_reindex() == 1  # the copy is not re-indexed; idempotent
    assert not m.ArticleBand.objects.filter(article=second).exists()
