"""Headless Chromium for the desk's browser tests (Debian's chromium, driven by
Playwright's Python API; `playwright install` is never needed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser_csp import watch_csp

# Playwright's sync API runs an event loop in this thread; the live server and
# the ORM calls made by the tests themselves are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
BROWSER_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"chromium not found at {CHROMIUM} (make chromium installs it)"
        if IN_CI:
            pytest.fail(message + " — CI=true: a missing browser is a failure")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        if IN_CI:
            pytest.fail("the playwright package is not installed")
        pytest.skip("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


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
