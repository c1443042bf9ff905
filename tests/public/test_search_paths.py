"""One search path: the desk inbox and the public site find the same rows for
every spelling of a word, use the trigram indexes, and find speakers by name."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Article, ReviewState, SourceAlias
from claims.selectors.public import public_claim_search, public_speakers_matching
from claims.selectors.review import ClaimFilters, InboxFilters, claims_list, inbox_articles
from claims.selectors.search import article_match, search_terms
from tests.factories import ArticleFactory, AttributionFactory, PublishedClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Each pair: the same word written two ways (ZWNJ or not; Persian or Arabic letters).
SPELLINGS = [("حزب‌الله", "حزبالله"), ("آمریکا", "آمريكا"), ("گفت‌وگو", "گفتوگو")]


def _article(word: str, n: int):
    text = f"{word} در خبر {n}: سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد."
    article = ArticleFactory(title=f"خبر {n} دربارهٔ {word}", text=text)
    AttributionFactory(article=article)
    return article


def _claim(word: str, n: int, source=None):
    article = ArticleFactory(text=f"سخنگو گفت که {word} پیام داد {n}.")
    claim = PublishedClaimFactory(text=f"{word} پیام داد {n}")
    AttributionFactory(
        article=article,
        claim=claim,
        source=source,
        source_text="سخنگو",
        cue_text="گفت",
        content_text=f"{word} پیام داد {n}",
        review_state=ReviewState.ACCEPTED,
    )
    return claim


@pytest.fixture
def corpus():
    # Every spelling is stored at least once, in different numbers, so a search
    # that compared raw text would give different counts per spelling.
    n = 0
    for first, second in SPELLINGS:
        for word in (first, first, second):
            n += 1
            _article(word, n)
            _claim(word, n)
    for n in range(50, 53):
        _article("واژه‌ای دیگر", n)
        _claim("واژه‌ای دیگر", n)


@pytest.mark.parametrize(("first", "second"), SPELLINGS)
def test_every_spelling_gives_the_same_results_on_the_desk_and_the_public_site(corpus, first, second):
    desk = [sorted(a.pk for a in inbox_articles(InboxFilters(q=q))) for q in (first, second)]
    claims = [sorted(c.pk for c in claims_list(ClaimFilters(q=q))) for q in (first, second)]
    public = [sorted(c.pk for c in public_claim_search(query=q)) for q in (first, second)]
    assert desk[0] == desk[1] and len(desk[0]) == 3
    assert claims[0] == claims[1] and len(claims[0]) == 3
    assert public[0] == public[1] and len(public[0]) == 3


def test_every_word_of_the_query_must_occur(corpus):
    assert len(inbox_articles(InboxFilters(q="آمریکا خبر"))) == 3
    assert len(inbox_articles(InboxFilters(q="آمریکا حزبالله"))) == 0


def test_a_speakers_name_finds_their_page_and_their_published_claims(client):
    araghchi = SourceFactory(slug="abbas-araghchi", kind="person", name_fa="عباس عراقچی")
    araghchi.aliases.create(text="عباس عراقچی")
    araghchi.aliases.create(text="عراقچی")
    quoted = _claim("تنگه هرمز باز است", 1, source=araghchi)
    _claim("تنگه هرمز بسته است", 2)  # someone else's
    assert [c.pk for c in public_claim_search(query="عراقچی")] == [quoted.pk]
    assert [s.pk for s in public_speakers_matching("عراقچي")] == [araghchi.pk]
    html = client.get("/claims/", {"q": "عراقچی"}).content.decode()
    assert araghchi.get_absolute_url() in html
    assert quoted.get_absolute_url() in html


def test_an_unpublished_or_dismissed_appearance_is_not_searched_publicly():
    speaker = SourceFactory(slug="x-speaker", kind="person", name_fa="گویندهٔ پنهان")
    speaker.aliases.create(text="گویندهٔ پنهان")
    claim = _claim("پیامی پنهان", 1)
    AttributionFactory(
        article=ArticleFactory(text="سخنگو گفت که پیامی پنهان."),
        claim=claim,
        source=speaker,
        source_text="سخنگو",
        cue_text="گفت",
        content_text="پیامی پنهان",
        review_state=ReviewState.DISMISSED,
    )
    assert list(public_claim_search(query="پنهان")) == [claim]  # by its own text
    assert list(public_claim_search(query="گویندهٔ")) == []  # not by a dismissed speaker


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_postgres_plans_use_the_trigram_indexes(require_postgres, corpus):
    terms = search_terms("حزبالله")
    # The inbox's search predicate is answered from the trigram index ...
    assert "article_search_key_trgm" in _plan(Article.objects.filter(article_match(terms)).order_by())
    # ... and the inbox applies exactly that predicate (LIKE on the key, no UPPER()
    # around the column, which no index could serve).
    sql = str(inbox_articles(InboxFilters(q="حزب‌الله")).query)
    assert '"claims_article"."search_key"::text LIKE' in sql or '"claims_article"."search_key" LIKE' in sql
    assert "UPPER" not in sql
    assert "claim_text_key_trgm" in _plan(public_claim_search(query="آمريكا"))
    aliases = SourceAlias.objects.filter(key__contains=search_terms("عراقچی")[0]).order_by()
    assert "sourcealias_key_trgm" in _plan(aliases)
