"""Every page of the site, as every role, on a desktop and a phone, in headless Chromium.

The pages come from the URL patterns (tests/review/browser/site_pages.py) over
a desk with one of everything (world.py): a new page that is neither walked nor
listed as "not a page" fails here. On each page, at 1366x900 and at 390x844
(a touch screen), as the reader (anonymous), an editor, a senior editor and an
admin, where that role may see it:

- the answer has the expected status and the page is not wider than the screen;
- no console error, no uncaught script error, no failed request, and no request
  to any host but the server (fonts, scripts and styles are all local);
- axe-core (vendored, tests/review/browser/vendor/axe-core) finds no critical
  and no serious violation;
- a screenshot goes to artifacts/screenshots/pages/ (git-ignored).

One browser; one context per role and width, reused for all its pages."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.review.browser.conftest import BROWSER_TIMEOUT_MS, SCREENSHOTS
from tests.review.browser.site_pages import (
    ADMIN,
    EDITOR,
    NOT_PAGE_PREFIXES,
    NOT_PAGES,
    READER,
    ROLES,
    SENIOR,
    desk_pages,
    every_page,
    is_action,
    public_pages,
    url_names,
)
from tests.review.browser.world import build_world

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = SCREENSHOTS / "pages"
VIEWPORTS = {
    "1366": {"viewport": {"width": 1366, "height": 900}},
    # A phone: touch, no hover, so the shortcut badges must be hidden too.
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# axe with preload off: preloading copies the page's style sheets into inline
# <style> elements, which this site's Content-Security-Policy (rightly) refuses.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"], preload: false});
  return result.violations
    .filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const classes = (el) => typeof el.className === "string" ? el.className.trim().split(/\\s+/).join(".") : "";
  const name = (el) =>
    el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (classes(el) ? "." + classes(el) : "");
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) wide.push(name(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
}"""

pytestmark = [pytest.mark.browser]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _context(browser, live_server, width: str, user):
    context = browser.new_context(locale="fa-IR", **VIEWPORTS[width])
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


class Visitor:
    """One page of a context, recording what each visit shows."""

    def __init__(self, context, live_server) -> None:
        self.page = context.new_page()
        self.page.set_default_timeout(BROWSER_TIMEOUT_MS)
        self.server = urlsplit(live_server.url).netloc
        self.events: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.events.append(f"script error: {exc}"))
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        self.document = ""
        self.seconds: dict[str, float] = {"load": 0.0, "checks": 0.0, "axe": 0.0, "screenshot": 0.0}

    def _lap(self, phase: str, since: float) -> float:
        now = time.monotonic()
        self.seconds[phase] += now - since
        return now

    def _console(self, message) -> None:
        # A failed request is reported (with its address) by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.events.append(f"console error: {message.text[:300]}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server:
            self.events.append(f"request to another host: {request.url[:200]}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.url != self.document:
            self.events.append(f"{response.status} for {response.url[:200]}")

    def visit(self, page, role: str, width: str, live_server) -> list[str]:
        self.events.clear()
        self.document = live_server.url + page.url
        lap = time.monotonic()
        response = self.page.goto(self.document)
        lap = self._lap("load", lap)
        problems = []
        status = response.status if response else None
        if status != page.status:
            problems.append(f"status {status}, expected {page.status}")
        landed = urlsplit(self.page.url)
        if landed.path.startswith(("/accounts/login/", "/admin/login/")) and not page.url.startswith(
            ("/accounts/login/", "/admin/login/")
        ):
            problems.append(f"sent to the login page ({self.page.url})")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        overflow = self.page.evaluate(OVERFLOW)
        if overflow:
            problems.append(f"wider than the screen: {json.dumps(overflow, ensure_ascii=False)}")
        if width == "390" and self.page.locator("kbd:visible").count():
            problems.append("keyboard shortcut badges show on a touch screen")
        lap = self._lap("checks", lap)
        for v in self.page.evaluate(AXE_RUN):
            problems.append(f"axe {v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}")
        lap = self._lap("axe", lap)
        problems += self.events
        shot = SHOTS / f"{role}-{width}-{_slug(page.name)}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        self._lap("screenshot", lap)
        return [f"{page.name} {page.url} as {role} at {width}: {p}" for p in problems]


@pytest.mark.django_db(transaction=True)
def test_every_page_as_every_role_at_both_widths(
    browser, live_server, settings, registry, editor, senior, admin_user
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    world = build_world(editor=editor, senior=senior, admin_user=admin_user)
    pages, uncovered = every_page(world)
    assert not uncovered, "URL patterns neither walked nor listed in NOT_PAGES (site_pages.py): " + ", ".join(
        uncovered
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.*"):
        old.unlink()
    users = {READER: None, EDITOR: editor, SENIOR: senior, ADMIN: admin_user}
    started = time.monotonic()
    failures: list[str] = []
    visits: dict[tuple[str, str], int] = {}
    seconds = {"load": 0.0, "checks": 0.0, "axe": 0.0, "screenshot": 0.0}
    for role in ROLES:
        for width in VIEWPORTS:
            context = _context(browser, live_server, width, users[role])
            try:
                visitor = Visitor(context, live_server)
                for page in pages:
                    if role in page.roles:
                        failures += visitor.visit(page, role, width, live_server)
                        visits[(role, width)] = visits.get((role, width), 0) + 1
                for phase, spent in visitor.seconds.items():
                    seconds[phase] += spent
            finally:
                context.close()
    summary = (
        f"{len(pages)} pages; visits per role and width: "
        + ", ".join(f"{r}@{w}={n}" for (r, w), n in visits.items())
        + f"; {sum(visits.values())} visits in {time.monotonic() - started:.0f} s ("
        + ", ".join(f"{phase} {spent:.0f} s" for phase, spent in seconds.items())
        + ")"
    )
    (SHOTS / "summary.txt").write_text(summary + "\n" + "\n".join(failures) + "\n", encoding="utf-8")
    print(summary)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_every_url_pattern_outside_the_admin_is_walked_or_has_a_reason():
    """Without a browser or a database: the desk and public patterns against the
    walk's lists (the admin's pages depend on its objects; the walk checks those)."""
    stub = SimpleNamespace(pk=1, name_fa="نام", get_absolute_url=lambda: "/claims/x-1/")
    world = SimpleNamespace(
        article=stub, published=stub, corrected=stub, submitted=stub, rated=stub,
        person=SimpleNamespace(pk=1, name_fa="نام", get_absolute_url=lambda: "/sources/x/"),
        office=stub, statement=stub, job=stub,
    )  # fmt: skip
    walked = {p.name.split("~", 1)[0] for p in desk_pages(world) + public_pages(world)}
    missing = [
        name
        for name, (_route, pattern) in url_names().items()
        if not name.startswith("admin:")
        and name not in walked
        and name not in NOT_PAGES
        and name.split(":", 1)[0] not in NOT_PAGE_PREFIXES
        and not is_action(pattern)
    ]
    assert missing == [], f"give these a page in site_pages.py or a reason in NOT_PAGES: {missing}"
    assert not set(NOT_PAGES) & walked
