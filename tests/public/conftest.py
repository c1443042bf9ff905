"""Demo data for the public site, built with the services as the desk would build it.

Two published claims (one later corrected) and, next to them, everything the
public must never see: a rated-but-unpublished draft, a dismissed and a pending
appearance on a published claim, an internal editors' note and an unknown
source candidate. Each secret carries a marker string the tests look for."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from claims.cache import clear_local_layer
from claims.extraction.normalize import normalize_key
from claims.models import (
    Article,
    Attribution,
    Claim,
    ClaimEvent,
    Evidence,
    Rating,
    ReviewState,
    Source,
    SourceCandidate,
)
from claims.services.claims import (
    claim_correct,
    claim_create,
    claim_publish,
    claim_rate,
    claim_submit,
    evidence_add,
)
from tests.factories import ArticleFactory, AttributionFactory

SECRET_DRAFT = "ادعای پیش‌نویس محرمانه"
SECRET_DISMISSED = "جملهٔ ردشده‌ای که نباید دیده شود"
SECRET_PENDING = "جملهٔ بررسی‌نشده‌ای که نباید دیده شود"
SECRET_NOTE = "یادداشت داخلی تحریریه"
SECRET_CANDIDATE = "منبع ناشناختهٔ ویژه"
SECRETS = (SECRET_DRAFT, SECRET_DISMISSED, SECRET_PENDING, SECRET_NOTE, SECRET_CANDIDATE)

ARTICLE_TEXT = (
    "خبرگزاری تسنیم گزارش داد. "
    "فرماندهی مرکزی ایالات متحده اعلام کرد که ۱۷ موشک به سوی پایگاه شلیک شد. "
    "لوید آستین گفت که حمله‌ها ادامه نخواهد یافت. "
    "<script>alert('xss')</script> این بخشی از متن خبر است. "
    "یک مقام ناشناس گفت که " + SECRET_DISMISSED + ". "
    "سپاه گفت که " + SECRET_PENDING + ". " + SECRET_CANDIDATE + " گفت که مذاکرات متوقف شده است."
)


@dataclass
class PublicDemo:
    article: Article
    centcom: Source
    austin: Source
    tasnim: Source
    false_claim: Claim  # published, rated false, CENTCOM's
    corrected_claim: Claim  # published as mostly true, corrected to misleading, Austin's
    draft: Claim  # rated, never published
    dismissed: Attribution
    pending: Attribution
    candidate: SourceCandidate


def _attr(article: Article, *, source_text: str, cue: str, content: str, source: Source | None, **extra):
    text = article.text
    s = text.index(source_text)
    c = text.index(cue, s)
    k = text.index(content, c)
    return AttributionFactory(
        article=article,
        source_text=source_text,
        source_start=s,
        source_end=s + len(source_text),
        source_resolved=source.name_fa if source else source_text,
        cue_text=cue,
        cue_start=c,
        cue_end=c + len(cue),
        content_text=content,
        content_start=k,
        content_end=k + len(content),
        content_key=normalize_key(content),
        source=source,
        **extra,
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    clear_local_layer()
    yield
    cache.clear()
    clear_local_layer()


# The registry entries the demo needs, taken from the shipped data file: loading
# all of it costs seconds per test on PostgreSQL; the browser tests load it all.
REGISTRY_SUBSET = (
    "us-government",
    "us-department-of-defense",
    "lloyd-austin",
    "centcom",
    "irgc",
    "tasnim-news-agency",
    "supreme-national-security-council",
    "ali-larijani",
)


@pytest.fixture
def public_registry(db, tmp_path):
    from claims.services.sources import DEFAULT_SOURCES_FILE, sources_load

    data = json.loads(DEFAULT_SOURCES_FILE.read_text(encoding="utf-8"))
    data["sources"] = [entry for entry in data["sources"] if entry["slug"] in REGISTRY_SUBSET]
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    sources_load(path=path)


@pytest.fixture
def demo(public_registry, senior) -> PublicDemo:
    centcom = Source.objects.get(slug="centcom")
    austin = Source.objects.get(slug="lloyd-austin")
    tasnim = Source.objects.get(slug="tasnim-news-agency")
    article = ArticleFactory(
        text=ARTICLE_TEXT,
        title="گزارش حمله به پایگاه",
        url="https://www.tasnimnews.com/fa/news/1403/01/01/1",
        publisher=tasnim,
        published_at=dt.datetime(2024, 4, 14, 9, 30, tzinfo=dt.UTC),
    )
    a_centcom = _attr(
        article,
        source_text="فرماندهی مرکزی ایالات متحده",
        cue="اعلام کرد",
        content="۱۷ موشک به سوی پایگاه شلیک شد",
        source=centcom,
    )
    a_austin = _attr(
        article, source_text="لوید آستین", cue="گفت", content="حمله‌ها ادامه نخواهد یافت", source=austin
    )

    false_claim = claim_create(text="۱۷ موشک به سوی پایگاه شلیک شد", actor=senior, attribution=a_centcom)
    evidence_add(
        claim=false_claim, url="https://example.org/evidence/1", title="تصاویر ماهواره‌ای", actor=senior
    )
    claim_rate(
        claim=false_claim,
        rating=Rating.FALSE,
        rationale="تصاویر ماهواره‌ای تنها ۴ موشک نشان می‌دهد.",
        actor=senior,
    )
    claim_submit(claim=false_claim, actor=senior)
    false_claim = claim_publish(claim=false_claim, actor=senior)

    corrected = claim_create(text="حمله‌ها ادامه نخواهد یافت", actor=senior, attribution=a_austin)
    claim_rate(claim=corrected, rating=Rating.MOSTLY_TRUE, rationale="در آن هفته حمله‌ای نشد.", actor=senior)
    claim_submit(claim=corrected, actor=senior)
    claim_publish(claim=corrected, actor=senior)
    corrected = claim_correct(
        claim=corrected,
        rating=Rating.MISLEADING,
        rationale="دو روز بعد حملهٔ دیگری گزارش شد.",
        note="پس از گزارش حملهٔ تازه داوری اصلاح شد.",
        actor=senior,
    )
    # An internal note on a public claim: must never reach the public.
    ClaimEvent.objects.create(claim=corrected, actor=senior, action=ClaimEvent.Action.NOTE, note=SECRET_NOTE)

    # Dismissed and pending appearances attached to a published claim.
    dismissed = _attr(
        article,
        source_text="یک مقام ناشناس",
        cue="گفت",
        content=SECRET_DISMISSED,
        source=Source.objects.get(slug="irgc"),
        review_state=ReviewState.DISMISSED,
        claim=false_claim,
    )
    pending = _attr(
        article,
        source_text="سپاه",
        cue="گفت",
        content=SECRET_PENDING,
        source=Source.objects.get(slug="irgc"),
        review_state=ReviewState.PENDING,
        claim=false_claim,
    )
    candidate = SourceCandidate.objects.create(text=SECRET_CANDIDATE, key=normalize_key(SECRET_CANDIDATE))
    a_candidate = _attr(
        article, source_text=SECRET_CANDIDATE, cue="گفت", content="مذاکرات متوقف شده است", source=None
    )
    Attribution.objects.filter(pk=a_candidate.pk).update(source_candidate=candidate)

    draft = claim_create(text=SECRET_DRAFT, actor=senior, attribution=a_candidate)
    claim_rate(claim=draft, rating=Rating.TRUE, rationale=SECRET_NOTE, actor=senior)
    assert not Evidence.objects.filter(claim=draft).exists()
    return PublicDemo(
        article=article,
        centcom=centcom,
        austin=austin,
        tasnim=tasnim,
        false_claim=Claim.objects.get(pk=false_claim.pk),
        corrected_claim=Claim.objects.get(pk=corrected.pk),
        draft=Claim.objects.get(pk=draft.pk),
        dismissed=dismissed,
        pending=pending,
        candidate=candidate,
    )
