"""Claim, source and list pages: what a reader sees."""

from __future__ import annotations

import json
import re

import pytest
from django.utils.encoding import iri_to_uri

from claims.models import Claim, Rating
from claims.models.claims import RATING_EXPLANATIONS, RATING_VALUES
from claims.services.claims import claim_create, claim_publish, claim_rate, claim_submit
from claims.views.public import parse_date, quote_in_sentence
from tests.factories import ArticleFactory, AttributionFactory

pytestmark = pytest.mark.django_db


def jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- claim page -------------------------------------------------------------------


def test_claim_page_shows_verdict_appearance_and_evidence(client, demo):
    claim = demo.false_claim
    html = page(client, claim.get_absolute_url())
    assert f'<h1 class="claim-text">{claim.text}</h1>' in html
    assert 'data-rating="false">نادرست</span>' in html
    assert str(RATING_EXPLANATIONS[Rating.FALSE]) in html
    assert claim.rationale in html
    assert 'href="https://example.org/evidence/1"' in html and "تصاویر ماهواره‌ای" in html
    # The appearance: the source linked to its page, the outlet, dates, the quote in its sentence.
    assert f'href="/sources/{demo.centcom.slug}/" class="source-link">{demo.centcom.name_fa}</a>' in html
    assert f'href="/sources/{demo.tasnim.slug}/">{demo.tasnim.name_fa}</a>' in html
    assert "۲۶ فروردین ۱۴۰۳" in html and "2024-04-14" in html
    assert (
        "فرماندهی مرکزی ایالات متحده اعلام کرد که "
        '<mark class="quote">۱۷ موشک به سوی پایگاه شلیک شد</mark>.</blockquote>' in html
    )
    assert f'href="{demo.article.url}" rel="nofollow noopener noreferrer" class="article-link"' in html
    # A claim never corrected has only its publication in the history.
    assert 'class="correction"' not in html


def test_claim_page_correction_history_shows_old_rating_and_public_note(client, demo):
    html = page(client, demo.corrected_claim.get_absolute_url())
    assert 'data-rating="misleading">گمراه‌کننده</span>' in html
    assert "داوری اصلاح شده است" in html
    assert 'data-old-rating="mostly_true">عمدتاً درست</s>' in html
    assert "پس از گزارش حملهٔ تازه داوری اصلاح شد." in html
    assert "انتشار با داوری" in html


def test_claim_page_opengraph(client, demo):
    claim = demo.false_claim
    html = page(client, claim.get_absolute_url())
    url = iri_to_uri("http://testserver" + claim.get_absolute_url())
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:title" content="نادرست: {claim.text}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="نادرست: ' in html


def test_claim_page_jsonld_matches_claim(client, demo, settings):
    settings.SITE_URL = "https://fact.example"
    claim = demo.corrected_claim
    data = jsonld(page(client, claim.get_absolute_url()))
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["url"] == iri_to_uri("https://fact.example" + claim.get_absolute_url())
    assert data["inLanguage"] == "fa"
    assert (
        data["datePublished"][:19]
        == claim.published_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tehran")).isoformat()[:19]
    )
    assert data["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORG_NAME,
        "url": settings.FACTCHECK_ORG_URL or "https://fact.example/",
    }
    rating = data["reviewRating"]
    assert rating["ratingValue"] == RATING_VALUES[Rating(claim.rating)] == 2
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert rating["alternateName"] == "گمراه‌کننده"
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] == "Person" and item["author"]["name"] == demo.austin.name_fa
    assert [a["url"] for a in item["appearance"]] == [demo.article.url]
    assert item["appearance"][0]["publisher"]["name"] == demo.tasnim.name_fa
    assert item["datePublished"].startswith("2024-04-14")


def test_wrong_slug_redirects_to_canonical(client, demo):
    claim = demo.false_claim
    response = client.get(f"/claims/wrong-slug-{claim.pk}/")
    assert response.status_code == 301
    assert response["Location"] == iri_to_uri(claim.get_absolute_url())
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 301
    assert response["Location"] == iri_to_uri(claim.get_absolute_url())
    # The percent-encoded form of the canonical address is the canonical address.
    assert client.get(iri_to_uri(claim.get_absolute_url())).status_code == 200


def test_unknown_or_absurd_claim_ids_are_404(client, demo):
    page(client, "/claims/x-999999/", 404)
    page(client, "/claims/x-99999999999999999999999/", 404)
    page(client, "/claims/99999999999999999999999/", 404)
    page(client, "/claims/x-0/", 404)


def test_claim_page_query_count(client, demo, django_assert_num_queries):
    with django_assert_num_queries(4):
        page(client, demo.false_claim.get_absolute_url())
    with django_assert_num_queries(0):  # cached
        page(client, demo.false_claim.get_absolute_url())


def test_article_markup_is_escaped(client, public_registry, senior):
    text = "سخنگو گفت که <b>بمباران</b> پایان یافت <script>alert('xss')</script> و ادامه نخواهد داشت."
    article = ArticleFactory(text=text, title="<img src=x onerror=alert(1)>", url="https://example.org/a")
    attribution = AttributionFactory(
        article=article, source_text="سخنگو", cue_text="گفت", content_text="<b>بمباران</b> پایان یافت"
    )
    claim = claim_create(
        text="بمباران پایان یافت </script><script>alert(2)</script>", actor=senior, attribution=attribution
    )
    claim_rate(claim=claim, rating=Rating.FALSE, rationale="<i>نه</i>", actor=senior)
    claim_submit(claim=claim, actor=senior)
    claim = claim_publish(claim=claim, actor=senior)
    html = page(client, claim.get_absolute_url())
    assert "<script>alert" not in html and "<b>بمباران" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
    assert '<mark class="quote">&lt;b&gt;بمباران&lt;/b&gt; پایان یافت</mark>' in html
    assert "&lt;i&gt;نه&lt;/i&gt;" in html
    # The JSON-LD still carries the exact text, and nothing in it closes the element early.
    assert jsonld(html)["claimReviewed"] == claim.text


# --- source page ------------------------------------------------------------------


def test_source_page_profile_track_record_and_chart(client, demo):
    html = page(client, "/sources/lloyd-austin/")
    assert "<h1>لوید آستین</h1>" in html
    assert "<dd>شخص</dd>" in html
    assert 'href="/sources/us-department-of-defense/">وزارت دفاع ایالات متحده</a>' in html  # parent
    assert "<bdi>آستین</bdi>" in html  # an alias (a title is its office's, not an alias of the person)
    counts = dict(re.findall(r'<g class="bar" data-rating="(\w+)" data-count="(\d+)"', html))
    assert counts == {"true": "0", "mostly_true": "0", "misleading": "1", "false": "0", "unverifiable": "0"}
    assert 'role="img"' in html and 'aria-label="گمراه‌کننده: ۱"' in html
    assert '<desc id="chart-desc">درست: ۰، عمدتاً درست: ۰، گمراه‌کننده: ۱' in html
    assert re.search(r'<rect class="bar-misleading" x="\d+" y="\d+" width="(\d+)"', html)
    assert demo.corrected_claim.text in html  # recent claims
    assert demo.false_claim.text not in html


def test_source_page_affiliation(client, demo):
    html = page(client, "/sources/tasnim-news-agency/")
    assert 'href="/sources/irgc/">سپاه پاسداران انقلاب اسلامی</a>' in html


def test_source_without_public_claims_shows_empty_record(client, public_registry):
    html = page(client, "/sources/ali-larijani/")
    assert "<h1>علی لاریجانی</h1>" in html
    assert "۰ ادعای راستی‌آزمایی‌شده" in html
    assert "<rect" not in html
    assert "هنوز ادعایی از این منبع" in html


def test_unknown_source_is_404(client, public_registry):
    page(client, "/sources/no-such-source/", 404)


def test_source_page_query_count(client, demo, django_assert_num_queries):
    # source + aliases + children, track record, count, claims page, their appearances,
    # and the count of the source's statements (none here: no page or prefetch follows)
    with django_assert_num_queries(8):
        page(client, "/sources/centcom/")


# --- home and lists ---------------------------------------------------------------


def test_home_lists_latest_verdicts(client, demo, django_assert_num_queries):
    with django_assert_num_queries(5):
        html = page(client, "/")
    assert html.index(demo.corrected_claim.text) < html.index(demo.false_claim.text)  # newest first
    assert 'href="/sources/centcom/">' in html


LIST_CASES = [
    ("rating=false", {"false"}),
    ("rating=misleading", {"corrected"}),
    ("source=centcom", {"false"}),
    ("source=lloyd-austin", {"corrected"}),
    ("source=ali-larijani", set()),  # registered, no public claim
    ("outlet=tasnim-news-agency", {"false", "corrected"}),
    ("date_from=2000-01-01", {"false", "corrected"}),
    ("date_to=2000-01-01", set()),
    ("date_from=۱۳۷۹/۰۱/۰۱", {"false", "corrected"}),
    ("date_to=1379-01-01", set()),
    ("q=موشک", {"false"}),
    ("q=١٧ موشك", {"false"}),  # Arabic-Indic digits and Arabic kaf
    ("q=حملهها", {"corrected"}),  # ZWNJ lost
    ("q=حمله‌ها", {"corrected"}),
    ("q=حمله‌ها+موشک", set()),  # every word must match
    ("q=پایگاه+شليك", {"false"}),  # Arabic yeh and kaf
    ("q=تصاویر", set()),  # rationale is not searched
    ("q=موشک&rating=misleading", set()),
]


def test_list_filters_and_search(client, demo):
    for query, found in LIST_CASES:
        html = page(client, "/claims/?" + query)
        shown = set()
        if demo.false_claim.text in html:
            shown.add("false")
        if demo.corrected_claim.text in html:
            shown.add("corrected")
        assert shown == found, query


def test_search_matches_accepted_quotes(client, public_registry, senior):
    text = "وزیر گفت که صادرات نفت به دو میلیون بشکه رسید."
    article = ArticleFactory(text=text)
    attribution = AttributionFactory(
        article=article, source_text="وزیر", cue_text="گفت", content_text="صادرات نفت به دو میلیون بشکه رسید"
    )
    claim = claim_create(text="فروش نفت دو برابر شد", actor=senior, attribution=attribution)
    claim_rate(claim=claim, rating=Rating.MISLEADING, rationale="...", actor=senior)
    claim_submit(claim=claim, actor=senior)
    claim_publish(claim=claim, actor=senior)
    assert claim.text in page(client, "/?q=بشكه")  # quote word, Arabic kaf
    assert claim.text not in page(client, "/?q=ماهی")


def test_invalid_filters_give_persian_errors_not_500(client, demo):
    html = page(client, "/claims/?rating=nonsense&date_from=2024-13-45&source=zzz&page=abc")
    assert "گزینهٔ انتخاب‌شده در فهرست نیست." in html
    assert "تاریخ را به شکل" in html
    # An invalid filter empties the list rather than silently widening it.
    assert demo.false_claim.text not in html
    assert "عبارت جست‌وجو حداکثر" in page(client, "/claims/?q=" + "ا" * 500)
    assert demo.false_claim.text in page(client, "/claims/?page=999")  # out of range: the last page
    assert demo.false_claim.text in page(client, "/claims/?page=abc")


def test_pagination_keeps_filters(client, public_registry, senior):
    from claims.views import public

    article = ArticleFactory(text="منبع گفت که یک. منبع گفت که دو. منبع گفت که سه.")
    for word in ("یک", "دو", "سه"):
        attribution = AttributionFactory(
            article=article, source_text="منبع", cue_text="گفت", content_text=word
        )
        claim = claim_create(text=f"ادعای شمارهٔ {word}", actor=senior, attribution=attribution)
        claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست", actor=senior)
        claim_submit(claim=claim, actor=senior)
        claim_publish(claim=claim, actor=senior)
    old = public.PAGE_SIZE
    public.PAGE_SIZE = 2
    try:
        first = page(client, "/claims/?rating=true")
        assert 'href="?rating=true&amp;page=2"' in first and "صفحهٔ ۱ از ۲" in first
        second = page(client, "/claims/?rating=true&page=2")
        assert second.count('class="claim-card"') == 1
    finally:
        public.PAGE_SIZE = old


def test_robots_txt(client):
    body = page(client, "/robots.txt")
    assert "Disallow: /review/" in body and "Disallow: /api/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


# --- helpers ------------------------------------------------------------------------


def test_quote_in_sentence_bounds():
    text = "جملهٔ اول. وزیر گفت که باران می‌بارد و هوا سرد است. جملهٔ سوم!"
    start = text.index("باران")
    end = start + len("باران می‌بارد")
    assert quote_in_sentence(text, start, end) == ("وزیر گفت که ", "باران می‌بارد", " و هوا سرد است.")


def test_quote_in_sentence_long_context_is_cut():
    text = "الف " * 200 + "نقل" + " ب" * 200
    before, quote, after = quote_in_sentence(text, 800, 803)
    assert quote == "نقل" and before.startswith("… ") and after.endswith(" …")
    assert len(before) < 300 and len(after) < 300


def test_parse_date_iso_and_jalali():
    import datetime as dt

    assert parse_date("2024-04-14") == dt.date(2024, 4, 14)
    assert parse_date("۱۴۰۳/۰۱/۲۶") == dt.date(2024, 4, 14)
    with pytest.raises(ValueError):
        parse_date("1403/13/40")


def test_claims_only_visible_once_published(client, public_registry, senior):
    attribution = AttributionFactory()
    claim = claim_create(text="گفتگوها ادامه دارد", actor=senior, attribution=attribution)
    page(client, claim.get_absolute_url(), 404)
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست", actor=senior)
    page(client, claim.get_absolute_url(), 404)
    claim_submit(claim=claim, actor=senior)
    page(client, claim.get_absolute_url(), 404)  # awaiting approval is not public either
    assert client.get("/").content.decode().count("گفتگوها ادامه دارد") == 0
    claim_publish(claim=claim, actor=senior)
    assert Claim.objects.get(pk=claim.pk).is_public
    page(client, claim.get_absolute_url(), 200)


def test_search_uses_trigram_index_on_postgres(require_postgres, demo):
    from django.db import connection

    from claims.selectors.public import public_claim_search

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = public_claim_search(query="موشک").explain()
    assert "claim_text_key_trgm" in plan
    assert [c.pk for c in public_claim_search(query="موشك")] == [demo.false_claim.pk]


def test_head_requests_are_answered(client, demo):
    for url in ("/", demo.false_claim.get_absolute_url(), "/sources/centcom/", "/feeds/", "/sitemap.xml"):
        assert client.head(url).status_code == 200, url


def test_long_article_loads_only_a_window_around_the_quote(client, public_registry, senior):
    from claims.selectors.public import public_claims

    filler = "واژه " * 400  # 2,000 characters with no sentence end
    text = "آغاز خبر. " + filler + "وزیر گفت که نرخ تورم کاهش یافت " + filler + "پایان."
    article = ArticleFactory(text=text, url="https://example.org/long")
    attribution = AttributionFactory(
        article=article, source_text="وزیر", cue_text="گفت", content_text="نرخ تورم کاهش یافت"
    )
    claim = claim_create(text="تورم کاهش یافت", actor=senior, attribution=attribution)
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="آمار رسمی", actor=senior)
    claim_submit(claim=claim, actor=senior)
    claim = claim_publish(claim=claim, actor=senior)

    loaded = public_claims().get(pk=claim.pk).public_attributions[0]
    assert "text" in loaded.article.get_deferred_fields()
    assert len(loaded.context_text) < 700
    assert loaded.context_text[loaded.content_start - loaded.context_start :].startswith("نرخ تورم")

    html = page(client, claim.get_absolute_url())
    quote = re.search(r'class="quote-context">(.*?)</blockquote>', html, re.S).group(1)
    assert quote.startswith("… واژه") and quote.endswith("واژه …")
    assert '<mark class="quote">نرخ تورم کاهش یافت</mark>' in quote
    assert "آغاز خبر" not in quote and "پایان" not in quote


def test_only_web_addresses_become_links(client, public_registry, senior):
    article = ArticleFactory(text="سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد.", url="javascript:alert(1)")
    attribution = AttributionFactory(article=article)
    claim = claim_create(text="گفتگوها ادامه دارد", actor=senior, attribution=attribution)
    claim_rate(claim=claim, rating=Rating.TRUE, rationale="درست", actor=senior)
    claim_submit(claim=claim, actor=senior)
    claim = claim_publish(claim=claim, actor=senior)
    html = page(client, claim.get_absolute_url())
    assert "javascript:" not in html
    assert "url" not in jsonld(html)["itemReviewed"]["appearance"][0]
