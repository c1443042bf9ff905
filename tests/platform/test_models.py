"""Constraints that the database itself enforces."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, Attribution, Claim
from tests.factories import ArticleFactory, AttributionFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def test_offsets_must_not_run_backwards():
    attribution = AttributionFactory()
    for field in ("source", "cue", "content"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Attribution.objects.filter(pk=attribution.pk).update(**{f"{field}_start": 10, f"{field}_end": 3})


def test_confidence_is_a_probability():
    attribution = AttributionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.filter(pk=attribution.pk).update(confidence=1.5)


def test_article_content_hash_and_url_are_unique_but_urls_are_optional():
    first = ArticleFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(text="x", content_hash=first.content_hash)
    ArticleFactory(url=None)
    ArticleFactory(url=None)  # many articles may have no URL
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_published_claims_need_a_rating_and_a_time():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="published", rating="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="published", rating="false", published_at=None)
