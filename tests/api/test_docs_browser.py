"""The API docs in headless Chromium: Swagger UI and ReDoc render every operation of the
schema from this server's own assets, ask no other host for anything (ReDoc's page used to
load Google Fonts), run no inline script, and raise no error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _operation_ids(client) -> list[str]:
    schema = json.loads(client.get("/api/schema/?format=json").content)
    return [op["operationId"] for path in schema["paths"].values() for op in path.values()]


@pytest.mark.parametrize(
    ("address", "operation_selector"),
    [
        ("/api/docs/", ".opblock-summary-path"),
        ("/api/redoc/", "[data-section-id^='operation/']"),
    ],
    ids=["swagger", "redoc"],
)
def test_docs_render_every_operation_from_local_assets(
    live_server, client, browser, address, operation_selector
):
    expected = _operation_ids(client)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    own = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("data:", "blob:")) or urlsplit(request.url).netloc == own
            else elsewhere.append(request.url)
        ),
    )
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The site has no /favicon.ico yet (a same-host 404 Chromium asks for on its own); any
    # other console error counts.
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} {msg.location}")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )

    page.goto(live_server.url + address)
    page.wait_for_function(
        "([selector, count]) => document.querySelectorAll(selector).length >= count",
        arg=[operation_selector, len(expected)],
    )
    page.wait_for_load_state("networkidle")
    html = page.content()
    assert "Invalid reference token" not in html and "Something went wrong" not in html
    if address == "/api/redoc/":
        sections = page.eval_on_selector_all(
            operation_selector, "nodes => nodes.map(n => n.getAttribute('data-section-id'))"
        )
        assert {s.split("/", 1)[1] for s in sections} >= set(expected)
    else:
        assert page.locator(".opblock").count() == len(expected)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api-docs-{address.strip('/').replace('/', '-')}.png"))
    inline = page.eval_on_selector_all("script:not([src])", "nodes => nodes.map(n => n.textContent.trim())")
    context.close()
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"
    assert failed == [] and errors == [], (failed, errors)
    assert not [s for s in inline if s], "no inline script (the CSP allows only this server's files)"
