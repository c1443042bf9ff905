"""Headless Chromium for the desk's browser tests (Debian's chromium, driven by
Playwright's Python API; `playwright install` is never needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_csp import watch_csp

# Playwright's sync API runs an event loop in this thread; the live server and
# the ORM calls made by the tests themselves are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
BROWSER_TIMEOUT_MS = 60_000


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fa-IR")
    violations = watch_csp(context)
    page = context.new_page()
    # Every wait (navigation, selector, function) may take this long on a loaded
    # 2-core machine before it counts as a failure.
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"desk-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/review/**")
