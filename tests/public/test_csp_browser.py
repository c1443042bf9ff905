"""Every public and desk page, and the API's Swagger UI and ReDoc, in headless
Chromium under the site's strict Content-Security-Policy: no violation anywhere,
and each page did render (so a page blocked whole would not pass unseen)."""

from __future__ import annotations

import os

import pytest

from tests.browser_csp import watch_csp

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fa-IR")
    yield context
    context.close()


def _visit(page, url: str, ready: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    page.locator(ready).first.wait_for(state="visible")


def test_no_csp_violation_on_any_page(live_server, demo, context):
    from tests.review.conftest import build_article

    violations = watch_csp(context)
    outside: list[str] = []
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "blob:" + live_server.url))
            else outside.append(request.url)
        ),
    )
    base = live_server.url
    job_article = build_article(n_candidates=2)
    public = [
        ("/", ".claim-card"),
        ("/claims/", ".claim-card"),
        ("/claims/?q=موشک", ".claim-card"),
        (demo.false_claim.get_absolute_url(), "h1.claim-text"),
        (demo.corrected_claim.get_absolute_url(), "h1.claim-text"),
        (f"/sources/{demo.centcom.slug}/", "h1"),
        ("/accounts/login/", "#id_username"),
        ("/no-such-page/", ".error-page"),
        ("/api/docs/", ".swagger-ui .info"),
        ("/api/redoc/", "[role=search], .api-info, h1"),
    ]
    for path, ready in public:
        _visit(page, base + path, ready)

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "senior1")
    page.fill("#id_password", "pw-senior1")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/review/**")
    desk = [
        ("/review/", "main"),
        (f"/review/articles/{job_article.pk}/", "main"),
        (f"/review/articles/{demo.article.pk}/", "main"),
        ("/review/claims/", "main"),
        (f"/review/claims/{demo.false_claim.pk}/", "main"),
        (f"/review/claims/{demo.draft.pk}/", "main"),
        ("/review/sources/", "main"),
        ("/review/sources/new/", "main"),
        (f"/review/sources/{demo.centcom.pk}/", "main"),
        (f"/review/sources/{demo.centcom.pk}/edit/", "main"),
        ("/review/sources/unknown/", "main"),
        ("/review/ingest/", "main"),
    ]
    for path, ready in desk:
        _visit(page, base + path, ready)
    # The keyboard help overlay and an htmx swap run the desk's scripts.
    _visit(page, f"{base}/review/articles/{job_article.pk}/", "main")
    page.keyboard.press("?")
    page.wait_for_load_state("networkidle")
    page.close()
    assert violations == [], "\n".join(violations)
    assert outside == [], outside
