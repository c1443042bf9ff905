"""Headless Chromium opens the home, a claim and a source page of demo data built
with the services, checks what is visible and the JSON-LD, and saves screenshots
into artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.encoding import iri_to_uri

from tests.browser_csp import watch_csp

from .conftest import SECRETS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_registry(registry):
    """The browser tests run on the whole shipped registry."""


@pytest.fixture
def browser_page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="fa-IR")
    violations = watch_csp(context)
    page = context.new_page()
    page.set_default_timeout(60_000)  # every wait, long enough for a loaded 2-core machine
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def test_home_claim_and_source_pages(live_server, demo, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Home: the latest verdicts, newest first, right to left.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    cards = page.locator(".claim-card-text")
    assert cards.all_inner_texts() == [demo.corrected_claim.text, demo.false_claim.text]
    assert page.locator(".claim-card .badge").first.inner_text() == "گمراه‌کننده"
    body = page.locator("body").inner_text()
    assert not any(secret in body for secret in SECRETS)
    page.screenshot(path=str(SHOTS / "public-home.png"), full_page=True)

    # Search from the home page, insensitive to the Arabic kaf.
    page.fill("#id_q", "موشك")
    page.click(".filters button[type=submit]")
    page.wait_for_url(lambda url: "q=" in url)  # the results page, not the home still showing
    assert page.locator(".claim-card-text").all_inner_texts() == [demo.false_claim.text]

    # Claim page, reached by clicking through.
    page.click(f"text={demo.false_claim.text}")
    claim_url = iri_to_uri(live_server.url + demo.false_claim.get_absolute_url())
    page.wait_for_url(lambda url: url == claim_url)
    assert page.locator("h1.claim-text").inner_text() == demo.false_claim.text
    assert page.locator(".verdict .badge").inner_text() == "نادرست"
    assert page.locator(".verdict-explanation").is_visible()
    assert page.locator("mark.quote").inner_text() == "۱۷ موشک به سوی پایگاه شلیک شد"
    assert page.locator(".appearance .source-link").inner_text() == demo.centcom.name_fa
    assert "۲۶ فروردین ۱۴۰۳" in page.locator(".appearance figcaption").inner_text()
    assert page.locator(".evidence-link").get_attribute("href") == "https://example.org/evidence/1"
    assert page.locator('meta[property="og:title"]').get_attribute("content").startswith("نادرست: ")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == demo.false_claim.text
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["reviewRating"]["alternateName"] == "نادرست"
    assert data["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": demo.centcom.name_fa,
        "alternateName": demo.centcom.name_en,
    }
    assert data["itemReviewed"]["appearance"][0]["url"] == demo.article.url
    assert data["url"].endswith(iri_to_uri(demo.false_claim.get_absolute_url()))
    page.screenshot(path=str(SHOTS / "public-claim.png"), full_page=True)

    # The corrected claim shows its history with the old rating struck through.
    page.goto(live_server.url + iri_to_uri(demo.corrected_claim.get_absolute_url()))
    correction = page.locator(".timeline .correction")
    assert "عمدتاً درست" in correction.locator("s").inner_text()
    assert "پس از گزارش حملهٔ تازه داوری اصلاح شد." in correction.inner_text()
    page.screenshot(path=str(SHOTS / "public-claim-corrected.png"), full_page=True)

    # Source page: profile, track record chart (inline SVG, no script), recent claims.
    page.click(".appearance .source-link")
    page.wait_for_url(lambda url: url == live_server.url + "/sources/lloyd-austin/")
    assert page.locator("h1").inner_text() == demo.austin.name_fa
    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert chart.locator("rect").count() == 1
    assert chart.locator('g[data-rating="misleading"] .bar-count').text_content() == "۱"
    box = chart.locator("rect").bounding_box()
    assert box is not None and box["width"] > 100
    assert page.locator(".recent .claim-card-text").all_inner_texts() == [demo.corrected_claim.text]
    assert page.locator("script").count() == 0  # nothing on the public pages needs JavaScript
    page.screenshot(path=str(SHOTS / "public-source.png"), full_page=True)

    # A rated but unpublished claim is a 404 in the browser too.
    response = page.goto(live_server.url + iri_to_uri(demo.draft.get_absolute_url()))
    assert response is not None and response.status == 404
    assert errors == []
