"""One statement, many outlets: wire copies, statements across articles, first appearance."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from claims import models as m
from claims.claimreview import claimreview_for
from claims.services.articles import article_ingest
from claims.services.copies import estimated_similarity, signature
from claims.services.statements import statement_confirm, statement_split
from tests.factories import SourceFactory
from tests.ingestion.helpers import GOLD, REPO

ARTICLES = REPO / "tests" / "data" / "statement-pairs" / "articles"

pytestmark = pytest.mark.django_db


def _seed_text() -> str:
    path = GOLD / "seed.jsonl"
    if not path.exists():
        pytest.skip(f"gold texts not found under {GOLD}")
    return json.loads(path.read_text(encoding="utf-8").splitlines()[0])["text"]


def _light_rewrite(text: str) -> str:
    """What a second site does with an agency story: its own lead and credit line, the rest copied."""
    lines = text.split("\n")
    lead = (
        "به گزارش خبرگزاری نمونه، ارتش آمریکا در پاسخ به حملات شبه‌نظامیان طرفدار ایران "
        "مواضعی در عراق را بمباران کرد."
    )
    return "\n".join([lead, *lines[1:], "انتهای پیام"])


@pytest.fixture
def ingest(eager, django_capture_on_commit_callbacks):
    """article_ingest with its extraction (queued on commit) run at once, in this process."""

    def run(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return article_ingest(**fields)

    return run


@pytest.fixture
def two_outlets(registry, ingest):
    first = SourceFactory(kind=m.SourceKind.NEWS_AGENCY, slug="agency-one", name_fa="خبرگزاری یکم")
    second = SourceFactory(kind=m.SourceKind.MEDIA_GROUP, slug="site-two", name_fa="پایگاه دوم")
    text = _seed_text()
    morning = timezone.now() - dt.timedelta(hours=5)
    original, _ = ingest(text=text, url="https://agency.example/1", publisher=first, published_at=morning)
    copy, created = ingest(
        text=_light_rewrite(text),
        url="https://site-two.example/news/9",
        publisher=second,
        published_at=morning + dt.timedelta(hours=2),
    )
    assert created
    original.refresh_from_db()
    copy.refresh_from_db()
    return original, copy


def test_a_light_rewrite_is_a_copy_of_the_story_with_one_set_of_candidates(two_outlets):
    original, copy = two_outlets
    assert original.copy_of_id is None
    assert copy.copy_of_id == original.pk and copy.copy_similarity >= 0.6
    # Its own URL, outlet and time are kept.
    assert copy.url == "https://site-two.example/news/9" and copy.publisher.slug == "site-two"
    pending = m.Attribution.objects.filter(review_state=m.ReviewState.PENDING)
    assert set(pending.values_list("article_id", flat=True)) == {original.pk}
    assert m.Attribution.objects.filter(article=copy).exclude(review_state=m.ReviewState.COPY).count() == 0
    assert m.Attribution.objects.filter(article=copy).exists()


def test_each_quote_is_one_statement_with_an_appearance_in_each_outlet(two_outlets):
    original, copy = two_outlets
    in_both = 0
    for attribution in m.Attribution.objects.filter(article=original).exclude(statement=None):
        statement = attribution.statement
        outlets = set(statement.appearances.values_list("article_id", flat=True))
        if copy.pk in outlets:
            in_both += 1
            assert outlets == {original.pk, copy.pk}
            assert statement.appearance_count == 2
            assert statement.first_seen_at == original.published_at
    # The rewrite changed only the lead: every later quote is in both.
    assert in_both >= 10


def test_different_speakers_or_different_words_are_different_statements(registry, ingest):
    a = SourceFactory(slug="speaker-a", name_fa="گوینده الف")
    m.SourceAlias.objects.create(source=a, text="گوینده الف")
    b = SourceFactory(slug="speaker-b", name_fa="گوینده ب")
    m.SourceAlias.objects.create(source=b, text="گوینده ب")
    said = "مذاکرات هستهٔ هفتهٔ آینده در مسقط با حضور هیئت‌های دو کشور ادامه می‌یابد"
    ingest(text=f"گوینده الف گفت: «{said}.»")
    ingest(text=f"گوینده ب گفت: «{said}.»")
    ingest(text="گوینده الف گفت: «صادرات نفت در ماه گذشته به بیش از دو میلیون بشکه در روز رسید.»")
    ingest(text=f"گوینده الف امروز در نشست خبری گفت: «{said}.»")
    statements = m.Statement.objects.order_by("id")
    by_speaker = {}
    for statement in statements:
        by_speaker.setdefault(statement.source_id, []).append(statement)
    assert len(by_speaker[b.pk]) == 1
    assert len(by_speaker[a.pk]) == 2  # the same words twice are one statement; other words another
    assert sorted(s.appearance_count for s in by_speaker[a.pk]) == [1, 2]


def test_one_press_conference_written_up_by_two_outlets_gives_one_statement_per_quote(ingest):
    """Real text: YJC's and Varzesh3's (via Bartarinha) reports of one press conference,
    each with its own headline, lead and cue verbs, the quotes reworded a little
    ('۶ گل' / '6 گل', '۲ حریف' / 'دو حریف')."""
    coach = SourceFactory(kind=m.SourceKind.PERSON, slug="amir-ghalenoei", name_fa="امیر قلعه‌نویی")
    for form in ("امیر قلعه‌نویی", "قلعه‌نویی", "قلعه نویی"):
        m.SourceAlias.objects.create(source=coach, text=form)
    yjc = SourceFactory(kind=m.SourceKind.NEWS_AGENCY, slug="yjc-test", name_fa="باشگاه خبرنگاران جوان")
    varzesh3 = SourceFactory(kind=m.SourceKind.MEDIA_GROUP, slug="varzesh3-test", name_fa="ورزش سه")
    evening = timezone.now() - dt.timedelta(hours=3)
    first, _ = ingest(
        text=(ARTICLES / "yjc-8750564.txt").read_text(encoding="utf-8"),
        url="https://yjc.ir/fa/news/8750564/",
        publisher=yjc,
        published_at=evening,
    )
    second, _ = ingest(
        text=(ARTICLES / "bartarinha-1428925.txt").read_text(encoding="utf-8"),
        url="https://bartarinha.ir/1428925",
        publisher=varzesh3,
        published_at=evening + dt.timedelta(minutes=40),
    )
    statements = set()
    for opening in ("دیداری که در آن", "هنگکنگ بازی خوبی انجام داد", "فوتبال در آسیا به هم نزدیک شده"):
        found = m.Attribution.objects.filter(article__in=[first, second], content_text__startswith=opening)
        assert {a.article_id for a in found} == {first.pk, second.pk}, opening
        assert len({a.statement_id for a in found}) == 1, opening
        statement = found[0].statement
        assert set(statement.appearances.values_list("article_id", flat=True)) == {first.pk, second.pk}
        assert statement.source.slug == "amir-ghalenoei"
        assert statement.first_seen_at == first.published_at
        statements.add(statement.pk)
    assert len(statements) == 3  # three quotes, three statements
    # Bartarinha's headline says the first quote in six words: one more appearance of it.
    headline = m.Attribution.objects.get(article=second, content_text__startswith="امروز ۲ حریف")
    assert headline.statement_id in statements
    assert headline.statement.appearance_count == 3
    # The quote on the second goal is attributed to «هنگ کنگ» in one article and to an
    # unresolved title in the other (extraction, not grouping), so it is not asserted here.


def test_an_unresolved_pronoun_never_joins_a_statement(ingest):
    ingest(text="او گفت: «این تصمیم برای همه کشورهای منطقه اهمیت دارد و باید اجرا شود.»")
    ingest(text="او همچنین گفت: «این تصمیم برای همه کشورهای منطقه اهمیت دارد و باید اجرا شود.»")
    assert all(s.appearance_count <= 1 for s in m.Statement.objects.all())


def test_editors_confirm_a_group_or_split_an_appearance_off(two_outlets, editor):
    _, copy = two_outlets
    statement = next(s for s in m.Statement.objects.all() if s.appearance_count == 2)
    statement_confirm(statement=statement, actor=editor)
    statement.refresh_from_db()
    assert statement.state == m.Statement.State.CONFIRMED
    moved = statement.appearances.get(article=copy)
    new = statement_split(statement=statement, attribution=moved, actor=editor)
    statement.refresh_from_db()
    assert (statement.appearance_count, new.appearance_count) == (1, 1)
    assert new.appearances.get() == moved


def test_copy_detection_tells_copies_from_other_stories():
    text = _seed_text()
    assert estimated_similarity(signature(text), signature(_light_rewrite(text))) >= 0.6
    other = "\n".join(reversed(text.split("\n")))  # the same sentences in another order share most shingles
    assert estimated_similarity(signature(text), signature(other)) >= 0.5
    unrelated = (
        "وزیر بهداشت روز دوشنبه در نشست خبری گفت که واکسن تازهٔ آنفلوانزا تا پایان ماه در همهٔ استان‌ها "
        "توزیع می‌شود و مردم می‌توانند از مراکز بهداشت نوبت بگیرند. او افزود که بودجهٔ این طرح از محل "
        "اعتبارات عمومی تأمین شده است و هیچ هزینه‌ای از مردم گرفته نمی‌شود."
    )
    assert estimated_similarity(signature(text), signature(unrelated)) < 0.1
    assert signature("خبر کوتاه") == []  # too short to call a copy


def test_a_claim_covers_the_copies_with_first_appearance_in_api_and_json_ld(two_outlets, editor, client):
    from claims.services.claims import claim_create
    from claims.services.partners import api_key_create, partner_create

    original, copy = two_outlets
    attribution = next(
        a
        for a in m.Attribution.objects.filter(article=original, review_state=m.ReviewState.PENDING).exclude(
            statement=None
        )
        if a.statement.appearance_count == 2
    )
    claim = claim_create(text="ادعای آزمایشی دربارهٔ حمله", actor=editor, attribution=attribution)
    copies = m.Attribution.objects.filter(article=copy, statement=attribution.statement)
    assert set(copies.values_list("claim_id", flat=True)) == {claim.pk}
    assert copies.get().review_state == m.ReviewState.COPY  # an appearance, not an accepted candidate
    # Published (set directly: the read side is under test here).
    m.Claim.objects.filter(pk=claim.pk).update(
        status=m.ClaimStatus.PUBLISHED, rating=m.Rating.FALSE, rationale="دلیل", published_at=timezone.now()
    )
    key = api_key_create(partner=partner_create(name="P", contact_email="p@example.org"), scopes=["read"])[1]
    body = client.get(f"/api/v1/claims/{claim.pk}/", headers={"authorization": f"Bearer {key}"}).json()
    outlets = [a["article"]["url"] for a in body["appearances"]]
    assert outlets == ["https://agency.example/1", "https://site-two.example/news/9"]
    assert body["first_appearance"]["article"]["url"] == "https://agency.example/1"

    review = client.get(
        f"/api/v1/claims/{claim.pk}/", {"format": "claimreview"}, headers={"authorization": f"Bearer {key}"}
    ).json()
    item = review["itemReviewed"]
    assert item["firstAppearance"]["url"] == "https://agency.example/1"
    assert [w["url"] for w in item["appearance"]] == outlets

    statements = client.get(
        "/api/v1/statements/", {"source": attribution.source.slug}, headers={"authorization": f"Bearer {key}"}
    ).json()
    mine = next(s for s in statements["results"] if s["id"] == attribution.statement_id)
    assert mine["claim_id"] == claim.pk
    assert mine["first_appearance"]["article"]["url"] == "https://agency.example/1"
    assert [a["copy"] for a in mine["appearances"]] == [False, True]

    # The public claim page: first appearance and the spread, and the same JSON-LD.
    claim.refresh_from_db()
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    spread = html[html.index('id="h-spread"') : html.index('id="h-appearances"')]
    first_line = spread[
        spread.index('class="first-appearance"') : spread.index("</p>", spread.index("first-appearance"))
    ]
    assert "خبرگزاری یکم" in first_line and "پایگاه دوم" not in first_line
    timeline = spread[spread.index("spread-timeline") :]
    assert timeline.index("خبرگزاری یکم") < timeline.index("پایگاه دوم")
    assert timeline.count("رونوشت همان خبر") == 1  # the second outlet's copy
    assert claimreview_for(claim)["itemReviewed"]["firstAppearance"]["url"] == "https://agency.example/1"
