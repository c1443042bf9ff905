"""factory_boy factories for the core records."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.utils import timezone

from claims import models as m
from claims.extraction.normalize import normalize_key


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    kind = m.SourceKind.PERSON
    name_fa = factory.Sequence(lambda n: f"منبع آزمایشی {n}")
    name_en = factory.Sequence(lambda n: f"Test source {n}")
    slug = factory.Sequence(lambda n: f"test-source-{n}")


class SourceAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SourceAlias

    source = factory.SubFactory(SourceFactory)
    text = factory.Sequence(lambda n: f"نام دیگر {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Article

    text = factory.Sequence(lambda n: f"سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد. شمارهٔ {n}")
    title = factory.Sequence(lambda n: f"خبر {n}")
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(normalize_key(o.text).encode()).hexdigest())
    search_key = factory.LazyAttribute(lambda o: m.Article.search_key_for(title=o.title, text=o.text))
    state = m.ArticleState.DONE
    published_at = factory.LazyFunction(timezone.now)


class AttributionFactory(factory.django.DjangoModelFactory):
    """An attribution whose offsets really slice the article text."""

    class Meta:
        model = m.Attribution

    article = factory.SubFactory(ArticleFactory, text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد.")
    source_text = "سخنگوی وزارت خارجه"
    source_start = factory.LazyAttribute(lambda o: o.article.text.find(o.source_text))
    source_end = factory.LazyAttribute(lambda o: o.source_start + len(o.source_text))
    source_resolved = factory.LazyAttribute(lambda o: o.source_text)
    cue_text = "گفت"
    cue_start = factory.LazyAttribute(lambda o: o.article.text.find(o.cue_text))
    cue_end = factory.LazyAttribute(lambda o: o.cue_start + len(o.cue_text))
    content_text = "گفتگوها ادامه دارد"
    content_start = factory.LazyAttribute(lambda o: o.article.text.find(o.content_text))
    content_end = factory.LazyAttribute(lambda o: o.content_start + len(o.content_text))
    content_key = factory.LazyAttribute(lambda o: normalize_key(o.content_text))
    kind = m.AttributionKind.INDIRECT
    confidence = 0.9


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Claim

    text = factory.Sequence(lambda n: f"گفتگوها ادامه دارد {n}")
    text_key = factory.LazyAttribute(lambda o: normalize_key(o.text))
    slug = factory.Sequence(lambda n: f"claim-{n}")
    status = m.ClaimStatus.NEW


class PublishedClaimFactory(ClaimFactory):
    status = m.ClaimStatus.PUBLISHED
    rating = m.Rating.FALSE
    rationale = "شواهد مستقل این ادعا را تأیید نمی‌کنند."
    published_at = factory.LazyFunction(timezone.now)


def bulk_appearances(
    claim: m.Claim,
    n: int,
    *,
    source: m.Source | None = None,
    publisher: m.Source | None = None,
    review_state: str = m.ReviewState.ACCEPTED,
    start: int = 0,
) -> list[m.Attribution]:
    """``n`` appearances of ``claim``, each in an article of its own, published an hour
    apart from ``start`` (bulk inserts: a claim quoted hundreds of times in a second)."""
    base = timezone.now() - dt.timedelta(days=400)
    quote = "گفتگوها ادامه دارد"
    articles = m.Article.objects.bulk_create(
        [
            m.Article(
                text=f"سخنگوی وزارت خارجه گفت که {quote}. گزارش {claim.pk}-{start + i}",
                title=f"انتشار {start + i:04d} ادعای {claim.pk}",
                url=f"https://news.example/{claim.pk}/{start + i}",
                content_hash=f"bulk-{claim.pk}-{start + i}",
                state=m.ArticleState.DONE,
                publisher=publisher,
                published_at=base + dt.timedelta(hours=start + i),
            )
            for i in range(n)
        ]
    )
    content_start = articles[0].text.find(quote) if articles else 0
    return m.Attribution.objects.bulk_create(
        [
            m.Attribution(
                article=article,
                source_text="سخنگوی وزارت خارجه",
                source_start=0,
                source_end=18,
                source_resolved="سخنگوی وزارت خارجه",
                source=source,
                cue_text="گفت",
                cue_start=19,
                cue_end=22,
                content_text=quote,
                content_start=content_start,
                content_end=content_start + len(quote),
                content_key=normalize_key(quote),
                kind=m.AttributionKind.INDIRECT,
                confidence=0.9,
                claim=claim,
                review_state=review_state,
            )
            for article in articles
        ]
    )
