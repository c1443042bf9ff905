"""Fixtures for the partner API: keys in every state, and a mix of public and private records."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from claims import models as m
from claims.api.cache import clear_local
from claims.services.partners import api_key_create, partner_create
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ClaimFactory,
    PublishedClaimFactory,
    SourceFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.API_THROTTLE_RATE = "10000/min"
    settings.API_SUBMIT_THROTTLE_RATE = "10000/min"
    cache.clear()
    clear_local()
    yield
    cache.clear()
    clear_local()


@dataclass
class ThrottleClock:
    """The wall clock the rate limiter reads, held still; everything else it asks of
    ``time`` (the monotonic clock) is the real one."""

    now: float

    def time(self) -> float:
        return self.now

    def __getattr__(self, name: str):
        return getattr(time, name)


@pytest.fixture
def throttle_clock(monkeypatch) -> ThrottleClock:
    """Hold the limiter's clock 615.5 s into the current hour (15.5 s into a minute), so a
    test's requests all fall in one fixed window wherever the real clock is, and the
    Retry-After of a window is known exactly: 45 s for a minute, 2985 s for an hour."""
    from claims.api import auth

    clock = ThrottleClock(now=time.time() // 3600 * 3600 + 615.5)
    monkeypatch.setattr(auth, "time", clock)
    return clock


@dataclass
class Keys:
    read: str
    submit: str
    both: str
    revoked: str
    expired: str
    wrong: str
    partner: m.Partner


@pytest.fixture
def keys(db) -> Keys:
    partner = partner_create(name="Outlet One", contact_email="ops@outlet.example")
    read = api_key_create(partner=partner, scopes=["read"])[1]
    submit = api_key_create(partner=partner, scopes=["submit"])[1]
    both = api_key_create(partner=partner, scopes=["read", "submit"])[1]
    revoked_key, revoked = api_key_create(partner=partner, scopes=["read", "submit"])
    m.APIKey.objects.filter(pk=revoked_key.pk).update(revoked_at=timezone.now())
    expired_key, expired = api_key_create(partner=partner, scopes=["read", "submit"])
    m.APIKey.objects.filter(pk=expired_key.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    wrong = "fc_AAAAAAAA_" + "x" * 43
    return Keys(read, submit, both, revoked, expired, wrong, partner)


class APIClient:
    """The Django test client with a Bearer key and JSON bodies."""

    def __init__(self, key: str | None = None) -> None:
        self.client = Client()
        self.key = key

    def _headers(self, extra: dict | None) -> dict:
        headers = dict(extra or {})
        if self.key is not None:
            headers.setdefault("authorization", f"Bearer {self.key}")
        return headers

    def get(self, path: str, data: dict | None = None, headers: dict | None = None):
        return self.client.get(path, data or {}, headers=self._headers(headers))

    def post(self, path: str, body=None, content_type: str = "application/json", headers: dict | None = None):
        return self.client.post(path, body, content_type=content_type, headers=self._headers(headers))

    def patch(
        self, path: str, body=None, content_type: str = "application/json", headers: dict | None = None
    ):
        return self.client.patch(path, body, content_type=content_type, headers=self._headers(headers))

    def delete(self, path: str, headers: dict | None = None):
        return self.client.delete(path, headers=self._headers(headers))


@pytest.fixture
def api():
    return APIClient


SECRET_MARKERS = {
    "draft_claim": "ادعای پیش‌نویس محرمانه",
    "dismissed_claim": "ادعای کنارگذاشته محرمانه",
    "rated_claim": "ادعای داوری‌شده منتشرنشده",
    "internal_note": "یادداشت داخلی تحریریه محرمانه",
    "dismissed_quote": "نقل قول ردشده محرمانه",
    "pending_quote": "نقل قول در انتظار محرمانه",
    "draft_rationale": "استدلال پیش‌نویس محرمانه",
}


@dataclass
class World:
    published: m.Claim
    corrected: m.Claim
    draft: m.Claim
    rated: m.Claim
    dismissed: m.Claim
    source: m.Source
    hidden_source: m.Source
    outlet: m.Source
    article: m.Article


@pytest.fixture
def world(db) -> World:
    """Public claims with accepted appearances, and around them every kind of private record."""
    source = SourceFactory(slug="pentagon", name_en="Pentagon")
    hidden_source = SourceFactory(slug="hidden-source")
    outlet = SourceFactory(slug="tasnim", kind=m.SourceKind.NEWS_AGENCY)
    text = (
        "سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. "
        f"منبع گفت که {SECRET_MARKERS['dismissed_quote']}. "
        f"منبع دیگر گفت که {SECRET_MARKERS['pending_quote']}."
    )
    article = ArticleFactory(text=text, publisher=outlet, url="https://news.example/a1")

    published = PublishedClaimFactory(text="گفتگوها ادامه دارد", rating=m.Rating.FALSE)
    AttributionFactory(article=article, source=source, claim=published, review_state=m.ReviewState.ACCEPTED)
    # A dismissed and a pending candidate attached to the published claim must stay hidden.
    AttributionFactory(
        article=article,
        source=hidden_source,
        claim=published,
        content_text=SECRET_MARKERS["dismissed_quote"],
        review_state=m.ReviewState.DISMISSED,
    )
    AttributionFactory(
        article=article,
        source=hidden_source,
        claim=published,
        content_text=SECRET_MARKERS["pending_quote"],
        review_state=m.ReviewState.PENDING,
    )
    m.Evidence.objects.create(claim=published, url="https://evidence.example/1", title="گزارش مستقل")
    m.ClaimEvent.objects.create(
        claim=published, action=m.ClaimEvent.Action.NOTE, note=SECRET_MARKERS["internal_note"], public=False
    )

    corrected = PublishedClaimFactory(
        text="شمار موشک‌ها هفده بود", status=m.ClaimStatus.CORRECTED, rating=m.Rating.MISLEADING
    )
    AttributionFactory(
        article=ArticleFactory(text="خبرگزاری گفت که شمار موشک‌ها هفده بود.", publisher=outlet),
        source_text="خبرگزاری",
        content_text="شمار موشک‌ها هفده بود",
        source=source,
        claim=corrected,
        review_state=m.ReviewState.ACCEPTED,
    )
    m.ClaimEvent.objects.create(
        claim=corrected,
        action=m.ClaimEvent.Action.CORRECTED,
        from_rating=m.Rating.FALSE,
        to_rating=m.Rating.MISLEADING,
        note="اصلاحیهٔ عمومی",
        public=True,
    )

    draft = ClaimFactory(text=SECRET_MARKERS["draft_claim"], status=m.ClaimStatus.IN_REVIEW)
    rated = ClaimFactory(
        text=SECRET_MARKERS["rated_claim"],
        status=m.ClaimStatus.RATED,
        rating=m.Rating.TRUE,
        rationale=SECRET_MARKERS["draft_rationale"],
    )
    dismissed = ClaimFactory(text=SECRET_MARKERS["dismissed_claim"], status=m.ClaimStatus.DISMISSED)
    for private in (draft, rated, dismissed):
        AttributionFactory(
            article=ArticleFactory(
                text=f"سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. {private.text}", publisher=outlet
            ),
            source=hidden_source,
            claim=private,
            review_state=m.ReviewState.ACCEPTED,
        )
    return World(published, corrected, draft, rated, dismissed, source, hidden_source, outlet, article)
