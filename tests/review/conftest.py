"""Fixtures for the review desk: articles with candidates whose offsets really
slice the text, built without the extractor so these tests stand alone."""

from __future__ import annotations

import hashlib

import pytest

from claims import models as m
from claims.extraction.normalize import normalize_key

SENTENCES = [
    ("وزیر دفاع ایالات متحده", "اعلام کرد", "ارتش آمریکا مواضع شبه‌نظامیان را در عراق هدف قرار داد"),
    ("لوید آستین", "تصریح کرد", "نیروهای آمریکا علیه سه تاسیسات عملیات کردند"),
    ("سنتکام", "اعلام کرد", "پدافند هوایی اکثر موشک‌ها را رهگیری کرد"),
    ("خبرگزاری فرانسه", "گزارش داد", "۱۷ موشک و راکت به سمت پایگاه پرتاب شد"),
]


def build_article(n_candidates: int = 4, *, title: str = "خبر آزمایشی", publisher=None, **extra) -> m.Article:
    """An article of ``n_candidates`` sentences, each one attributed statement."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int, int, int]] = []
    offset = 0
    for i in range(n_candidates):
        source, cue, content = SENTENCES[i % len(SENTENCES)]
        sentence = f"{source} {cue} که {content} (بند {i + 1})."
        s0 = offset
        c0 = s0 + len(source) + 1
        t0 = c0 + len(cue) + 4
        spans.append((s0, s0 + len(source), c0, c0 + len(cue), t0, t0 + len(content)))
        parts.append(sentence)
        offset += len(sentence) + 1
    text = "\n".join(parts)
    article = m.Article.objects.create(
        text=text,
        title=title,
        publisher=publisher,
        content_hash=hashlib.sha256(f"{title}{text}{extra}".encode()).hexdigest(),
        state=m.ArticleState.DONE,
        **extra,
    )
    m.Attribution.objects.bulk_create(
        [
            m.Attribution(
                article=article,
                source_text=text[s0:s1],
                source_start=s0,
                source_end=s1,
                source_resolved=text[s0:s1],
                cue_text=text[c0:c1],
                cue_start=c0,
                cue_end=c1,
                content_text=text[t0:t1],
                content_start=t0,
                content_end=t1,
                content_key=normalize_key(text[t0:t1]),
                kind=m.AttributionKind.INDIRECT,
                confidence=0.8,
                quantities=[{"text": "۱۷", "value": 17, "unit": "موشک", "start": 0, "end": 1}]
                if n == 3
                else [],
            )
            for n, (s0, s1, c0, c1, t0, t1) in enumerate(spans)
        ]
    )
    return article


@pytest.fixture
def article(db) -> m.Article:
    return build_article(4)


@pytest.fixture
def candidates(article) -> list[m.Attribution]:
    return list(article.attributions.order_by("content_start"))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def senior_client(client, senior):
    client.force_login(senior)
    return client
