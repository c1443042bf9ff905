"""Other fact-checkers' ClaimReview in: files, pages and feeds; shown to editors, never published."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import ExternalReview
from claims.services.claimreview_import import ClaimReviewInvalid, claimreview_import
from tests.factories import ClaimFactory, PublishedClaimFactory

pytestmark = pytest.mark.django_db

FEED = Path(__file__).resolve().parents[1] / "data" / "claimreview" / "other-factchecker-feed.json"


def _page(items: list[dict]) -> str:
    blocks = "".join(
        f'<script type="application/ld+json">{json.dumps(item, ensure_ascii=False)}</script>'
        for item in items
    )
    head = f"<head><title>بررسی</title>{blocks}</head>"
    return f'<!DOCTYPE html><html lang="fa">{head}<body><p>متن</p></body></html>'


REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://other.example.org/checks/77",
    "author": {"@type": "Organization", "name": "بررسی‌کنندهٔ دیگر"},
    "claimReviewed": "نرخ تورم نقطه‌ای به ۲۰ درصد رسیده است",
    "datePublished": "2024-06-01",
    "reviewRating": {"@type": "Rating", "ratingValue": 3, "bestRating": 5, "alternateName": "نیمه‌درست"},
}


def test_a_datafeed_file_imports_and_again_changes_nothing():
    err = io.StringIO()
    out = io.StringIO()
    with pytest.raises(CommandError):  # one item in the fixture is broken, and named
        call_command("claimreview_import", str(FEED), stdout=out, stderr=err)
    assert "found 3  new 2  updated 0  unchanged 0  failed 1" in out.getvalue()
    assert "بررسی شمارهٔ 3" in err.getvalue()
    review = ExternalReview.objects.get(url__endswith="1021-oil-exports")
    assert review.publisher_name == "راستی‌آزمای نمونه"
    assert review.rating_name == "گمراه‌کننده" and review.rating_value == 2 and review.best_rating == 5
    assert review.claimant == "وزیر نفت"
    assert review.appearance_urls == ["https://news.example.ir/1403/oil"]
    assert review.date_published.isoformat().startswith("2024-05-01")
    assert ExternalReview.objects.get(url__endswith="1022-vaccine").rating_value == 1

    again = claimreview_import(data=FEED.read_bytes())
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert ExternalReview.objects.count() == 2


def test_a_changed_review_is_updated_in_place():
    claimreview_import(data=json.dumps(REVIEW))
    changed = {
        **REVIEW,
        "reviewRating": {**REVIEW["reviewRating"], "alternateName": "نادرست", "ratingValue": 1},
    }
    result = claimreview_import(data=json.dumps([changed]))
    assert result.updated == 1
    review = ExternalReview.objects.get()
    assert (review.rating_name, review.rating_value) == ("نادرست", 1)


def test_json_ld_in_a_page_and_a_feed_of_pages_are_read(http_server):
    page = http_server.add("/checks/77", _page([{"@type": "WebPage", "name": "x"}, {"@graph": [REVIEW]}]))
    other = {
        **REVIEW,
        "url": "https://other.example.org/checks/78",
        "claimReviewed": "قیمت بنزین تغییر نمی‌کند",
    }
    second = http_server.add("/checks/78", _page([other]))
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>بررسی‌ها</title>
<item><title>یک</title><link>{page}</link><guid>1</guid></item>
<item><title>دو</title><link>{second}</link><guid>2</guid></item>
</channel></rss>"""
    feed_url = http_server.add("/feed.xml", feed, content_type="application/rss+xml")
    out = io.StringIO()
    call_command("claimreview_import", page, stdout=out, stderr=io.StringIO())
    assert "new 1" in out.getvalue()
    call_command("claimreview_import", feed_url, stdout=out, stderr=io.StringIO())
    assert set(ExternalReview.objects.values_list("url", flat=True)) == {REVIEW["url"], other["url"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"@type": "ClaimReview",\n"url": "x"\n"claimReviewed": 1}', "سطر 3"),
        ('{"@type": "WebPage"}', "هیچ ClaimReview"),
        ("just some words", "نه صفحهٔ HTML"),
        ("", "خالی"),
        ("[" * 60_000 + "]" * 60_000, "تودرتو"),
    ],
)
def test_bad_input_is_refused_with_a_reason(data, message):
    with pytest.raises(ClaimReviewInvalid) as error:
        claimreview_import(data=data)
    assert message in error.value.message
    assert ExternalReview.objects.count() == 0


def test_control_characters_and_markup_are_kept_out_of_the_stored_text():
    dirty = {**REVIEW, "claimReviewed": "ادعا\x00 با <script>alert(1)</script> نویسهٔ\x07 کنترلی"}
    claimreview_import(data=json.dumps(dirty))
    stored = ExternalReview.objects.get().claim_reviewed
    assert "\x00" not in stored and "\x07" not in stored


def test_the_desk_shows_a_matching_review_beside_the_claim_and_never_the_public(client, editor):
    claimreview_import(data=FEED.read_bytes())
    claimreview_import(data=json.dumps(REVIEW))
    matching = PublishedClaimFactory(text="صادرات نفت ایران در فروردین دو برابر شد")
    unrelated = ClaimFactory(text="مسابقهٔ فوتبال فردا برگزار می‌شود")
    client.force_login(editor)
    page = client.get(f"/review/claims/{matching.pk}/").content.decode()
    assert "بررسی‌شده به دست" in page and "راستی‌آزمای نمونه" in page and "گمراه‌کننده" in page
    assert "1021-oil-exports" in page
    assert "نیمه‌درست" not in page  # the unrelated review is not offered
    assert "بررسی‌شده به دست" not in client.get(f"/review/claims/{unrelated.pk}/").content.decode()

    client.logout()
    public = client.get(matching.get_absolute_url(), follow=True).content.decode()
    assert "راستی‌آزمای نمونه" not in public and "گمراه‌کننده" not in public
    assert "1021-oil-exports" not in public


def test_desk_search_and_upload(client, editor):
    client.force_login(editor)
    upload = io.BytesIO(FEED.read_bytes())
    upload.name = "feed.json"
    response = client.post("/review/fact-checks/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert ExternalReview.objects.count() == 2
    # Spelling variants (ZWNJ, Arabic letters) find the same review.
    for q in ("صادرات نفت", "صادرات  نفت", "وزير نفت"):
        body = client.get("/review/fact-checks/", {"q": q}).content.decode()
        assert "1021-oil-exports" in body, q
        assert "1022-vaccine" not in body, q
    for q in ("همهٔ استان‌ها", "همه استانها"):
        assert "1022-vaccine" in client.get("/review/fact-checks/", {"q": q}).content.decode(), q


def test_a_desk_url_import_is_fetched_by_a_task(client, editor, http_server, eager):
    url = http_server.add("/checks/77", _page([REVIEW]))
    client.force_login(editor)
    client.post("/review/fact-checks/import/", {"url": url})
    assert ExternalReview.objects.filter(url=REVIEW["url"]).exists()
    bad = client.post("/review/fact-checks/import/", {"url": "javascript:alert(1)"}, follow=True)
    assert "http" in bad.content.decode()
