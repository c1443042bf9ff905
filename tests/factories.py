"""factory_boy factories for the core records."""

from __future__ import annotations

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
