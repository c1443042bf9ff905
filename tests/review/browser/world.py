"""A desk with one of everything, built as the desk builds it, for the page walk.

The seed article goes through the real ingest and extraction; claims are made,
rated, submitted, published and corrected through the services; the records no
desk page writes (partners' deliveries, feeds, login lockouts, schedules) are
made directly, so every admin page has an object to show."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from claims import models as m

SEED = Path(__file__).resolve().parents[3] / "claims" / "data" / "demo" / "seed_article.json"


@dataclass
class World:
    article: m.Article
    published: m.Claim
    corrected: m.Claim
    submitted: m.Claim
    rated: m.Claim
    person: m.Source
    office: m.Source
    statement: m.Statement
    job: m.IngestJob
    objects: dict[str, object] = field(default_factory=dict)


def _claim(text: str, attribution, actor, *, rating: str | None = None, submit=False, publish=False):
    from claims.services.claims import claim_create, claim_publish, claim_rate, claim_submit, evidence_add

    claim = claim_create(text=text, actor=actor, attribution=attribution)
    evidence_add(claim=claim, url="https://example.org/evidence/1", title="گزارش مستقل", actor=actor)
    if rating:
        claim = claim_rate(
            claim=claim, rating=rating, rationale="شواهد مستقل این را نشان نمی‌دهند.", actor=actor
        )
    if submit or publish:
        claim = claim_submit(claim=claim, actor=actor)
    if publish:
        claim = claim_publish(claim=claim, actor=actor)
    return m.Claim.objects.get(pk=claim.pk)


def build_world(*, editor, senior, admin_user) -> World:
    from claims.services.articles import article_ingest
    from claims.services.claims import claim_correct
    from claims.services.ingest_jobs import ingest_job_process, ingest_job_start, parse_upload

    data = json.loads(SEED.read_text(encoding="utf-8"))
    published_at = dt.datetime.fromisoformat(data["published"]).replace(hour=9, tzinfo=dt.UTC)
    article, _ = article_ingest(
        text=data["text"], title=data["title"], published_at=published_at, origin="ui"
    )
    article.refresh_from_db()
    assert article.state == "done", article.error
    found = list(article.attributions.filter(source__isnull=False).order_by("content_start"))
    a_published, a_corrected, a_submitted, a_rated = found[:4]

    published = _claim(a_published.content_text[:300], a_published, senior, rating="false", publish=True)
    corrected = _claim(
        a_corrected.content_text[:300], a_corrected, senior, rating="mostly_true", publish=True
    )
    corrected = claim_correct(
        claim=corrected,
        rating="misleading",
        rationale="گزارش‌های تازه بخشی از این را رد می‌کنند (2024-02-03).",
        note="پس از گزارش ۱۴۰۲-۱۱-۱۴ داوری اصلاح شد.",
        actor=senior,
    )
    submitted = _claim(a_submitted.content_text[:300], a_submitted, editor, rating="misleading", submit=True)
    rated = _claim(a_rated.content_text[:300], a_rated, editor, rating="unverifiable")

    # A failed article and an upload of the editor's.
    m.Article.objects.create(
        text="…", title="خبری که استخراجش ناموفق بود", content_hash="failed-walk", state="failed", error="خطا"
    )
    rows = [{"text": "به گزارش ایسنا، وزیر امور خارجه روز 2024-04-14 گفت که گفت‌وگوها ادامه دارد."}]
    upload = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    job = ingest_job_start(
        filename="walk.jsonl", records=parse_upload(filename="walk.jsonl", data=upload), actor=editor
    )
    ingest_job_process(job_id=job.pk)
    job.refresh_from_db()

    person = published.attributions.first().source
    office = m.Source.objects.filter(kind=m.SourceKind.OFFICE).order_by("pk").first()
    holder = m.Source.objects.filter(kind=m.SourceKind.PERSON).exclude(pk=person.pk).order_by("pk").first()
    if not m.Position.objects.exists():
        m.Position.objects.create(office=office, holder=holder, start=dt.date(2021, 8, 5))
    statement = m.Statement.objects.filter(source__isnull=False).order_by("pk").first()
    assert statement is not None, "the pipeline grouped no statement"

    objects = _records_no_page_writes(article, published, editor)
    return World(
        article=article,
        published=published,
        corrected=corrected,
        submitted=submitted,
        rated=rated,
        person=person,
        office=office,
        statement=statement,
        job=job,
        objects=objects,
    )


def _records_no_page_writes(article: m.Article, claim: m.Claim, editor) -> dict[str, object]:
    """One of each record the admin shows that the desk never writes."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.management import call_command
    from django_celery_beat.models import ClockedSchedule, SolarSchedule

    now = timezone.now()
    attributions = list(claim.attributions.all()) + list(article.attributions.all()[:2])
    first, second = attributions[0], attributions[1]
    m.ClaimChangeProposal.objects.create(claim=claim, kind="link", attribution=second, proposed_by=editor)
    m.ConsistencyFlag.objects.create(
        claim=claim, first=first, second=second, unit="موشک", description="۱۷ در برابر ۴"
    )
    m.ClaimMatch.objects.get_or_create(attribution=second, claim=claim, defaults={"score": 0.72})
    m.ExternalReview.objects.create(
        url="https://factcheck.example/reviews/1",
        publisher_name="راستی‌آزمای نمونه",
        claim_reviewed="ادعایی که دیگران بررسی کرده‌اند",
        claimant="سخنگوی نمونه",
        rating_name="نادرست",
        rating_value=1,
        best_rating=5,
        worst_rating=1,
        date_published=now,
    )
    partner = m.Partner.objects.create(name="همکار نمونه", contact_email="desk@partner.example")
    from claims.services.partners import api_key_create

    api_key_create(partner=partner, scopes=["read"], name="کلید خواندن")
    endpoint = m.WebhookEndpoint.objects.create(
        partner=partner, url="https://partner.example/hooks", events=["claim.published"], secret="s" * 32
    )
    delivery = m.WebhookDelivery.objects.create(
        endpoint=endpoint, event="claim.published", payload={"claim": claim.pk}, attempts=1
    )
    m.WebhookAttempt.objects.create(delivery=delivery, status_code=200, duration_ms=41)
    feed = m.Feed.objects.create(url="https://outlet.example/rss", title="خوراک نمونه")
    m.FeedEntry.objects.create(feed=feed, guid="https://outlet.example/news/1", article=article)
    m.ArticleSubmission.objects.create(partner=partner, article=article, sent_title=article.title)
    job = m.IngestJob.objects.create(filename="waiting.jsonl", total=1, created_by=editor)
    m.IngestRow.objects.create(job=job, position=0, line=1, record={"text": "متن"})
    AccessAttempt.objects.create(
        username="someone", ip_address="127.0.0.2", user_agent="test", failures_since_start=3
    )
    AccessFailureLog.objects.create(username="someone", ip_address="127.0.0.2", user_agent="test")
    AccessLog.objects.create(username="editor1", ip_address="127.0.0.1", user_agent="test")
    call_command("setup_schedules", verbosity=0)
    ClockedSchedule.objects.create(clocked_time=now)
    SolarSchedule.objects.create(event="sunrise", latitude=35.7, longitude=51.4)
    from django_celery_beat.models import CrontabSchedule

    CrontabSchedule.objects.get_or_create(minute="0", hour="3")
    return {"partner": partner, "feed": feed, "endpoint": endpoint}
