"""The desk as an editor and a senior editor use it, in headless Chromium.

Starting from the seed article (extracted in-process by the real pipeline), the
editor sees the 14 candidates highlighted, accepts one as a new claim, links
another to it, fixes a source, dismisses one, adds evidence, rates and submits;
the editor cannot publish; the senior editor publishes and the public page shows
the verdict. Screenshots go to artifacts/screenshots/desk-*.png (git-ignored)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest

from claims import models as m
from tests.review.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[3] / "claims" / "data" / "demo" / "seed_article.json"


@pytest.fixture
def seed_article(settings, registry) -> m.Article:
    """The seed article through the real ingest service, extracted in-process."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from claims.services.articles import article_ingest

    data = json.loads(SEED.read_text(encoding="utf-8"))
    published = dt.datetime.fromisoformat(data["published"]).replace(hour=9, tzinfo=dt.UTC)
    article, _ = article_ingest(text=data["text"], title=data["title"], published_at=published, origin="ui")
    article.refresh_from_db()
    assert article.state == "done", article.error
    return article


def card(page, attribution: m.Attribution):
    return page.locator(f"#cand-{attribution.pk}")


def test_editor_to_senior_editor_to_public_page(page, live_server, shot, seed_article, editor, senior):
    candidates = list(seed_article.attributions.order_by("content_start", "id"))
    assert len(candidates) == 14
    first, second = candidates[0], candidates[1]
    # a source the registry did not resolve ("رسانه‌های نزدیک ..."), else the last candidate
    unknown = next((a for a in candidates[2:] if a.source_id is None), candidates[-1])
    # the extractor's weakest pick in the seed: a headline link read as a statement
    rest = [a for a in candidates if a not in (first, second, unknown)]
    to_dismiss = next((a for a in rest if a.cue_text.strip() == ":"), rest[-1])

    # a little company in the inbox: two more articles and one that failed
    from tests.review.conftest import build_article

    build_article(
        3, title="گزارش دوم: واکنش‌ها به حمله", published_at=seed_article.published_at - dt.timedelta(days=1)
    )
    build_article(
        2, title="گزارش سوم: بیانیهٔ سنتکام", published_at=seed_article.published_at - dt.timedelta(days=2)
    )
    m.Article.objects.create(
        text="…",
        title="خبری که استخراجش ناموفق بود",
        content_hash="failed-demo",
        state="failed",
        error="متن خبر هیچ واژه‌ای ندارد.",
    )

    # --- the editor: inbox -> article ------------------------------------------
    login(page, live_server, "editor1", "pw-editor1")
    page.goto(f"{live_server.url}/review/")
    row = page.locator("#inbox-list a", has_text="حملهٔ هوایی آمریکا")
    assert row.count() == 1
    shot(page, "inbox")
    row.click()
    page.wait_for_selector("#article-body")
    assert page.locator("#cand-list .cand").count() == 14
    highlighted = page.evaluate(
        "() => new Set([...document.querySelectorAll('#article-body mark[data-a]')]"
        ".flatMap(m => m.dataset.a.split(' '))).size"
    )
    assert highlighted == 14
    # the text in the page is the stored text, verbatim
    assert page.locator("#article-body").inner_text().replace("\r", "") == seed_article.text
    # every candidate has its source, cue and content highlighted (each its own style)
    parts = page.evaluate(
        """() => {
            const seen = {};
            for (const m of document.querySelectorAll('#article-body mark[data-a]')) {
                for (const id of m.dataset.a.split(' ')) {
                    seen[id] = seen[id] || [];
                    for (const c of m.classList) if (c.startsWith('hl-')) seen[id].push(c);
                }
            }
            return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...new Set(v)].sort()]));
        }"""
    )
    for a in candidates:
        assert {"hl-source", "hl-cue", "hl-content"} <= set(parts[str(a.pk)]), a.pk

    # --- accept the first candidate as a new claim, by keyboard ----------------
    page.keyboard.press("j")
    assert "current" in (card(page, first).get_attribute("class") or "")
    assert page.locator("#article-body mark.current").count() >= 2
    page.keyboard.press("a")
    textarea = card(page, first).locator("textarea[name=text]")
    textarea.fill("ارتش آمریکا مواضع شبه‌نظامیان مورد حمایت ایران در عراق را هدف حملهٔ هوایی قرار داد.")
    textarea.press("Control+Enter")  # the keyboard way to send it
    page.wait_for_selector(f"#cand-{first.pk}.state-accepted")
    assert "پذیرفته ۱" in page.locator("#cand-counts").inner_text()
    first.refresh_from_db()
    claim = first.claim
    assert claim is not None

    # --- link the second candidate to that claim (search by number) ------------
    card(page, second).click()
    page.keyboard.press("l")
    search = card(page, second).locator("input[type=search]").first
    search.fill(f"#{claim.pk}")
    card(page, second).locator(".results form button", has_text="پیوند").first.click()
    page.wait_for_selector(f"#cand-{second.pk}.state-accepted")
    second.refresh_from_db()
    assert second.claim_id == claim.pk

    # --- fix an unknown source by picking from the registry --------------------
    card(page, unknown).scroll_into_view_if_needed()
    card(page, unknown).locator("summary", has_text="اصلاح منبع").click()
    card(page, unknown).locator("input[type=search]").nth(1).fill("سپاه پاسداران")
    card(page, unknown).locator(".results form", has_text="سپاه پاسداران انقلاب اسلامی").locator(
        "button"
    ).click()
    page.wait_for_selector(f"#cand-{unknown.pk} .pill.edited")
    unknown.refresh_from_db()
    assert unknown.source.name_fa == "سپاه پاسداران انقلاب اسلامی" and unknown.edited

    # --- dismiss one with a reason ---------------------------------------------
    card(page, to_dismiss).click()
    page.keyboard.press("d")
    card(page, to_dismiss).locator("select[name=reason]").select_option("wrong_extraction")
    card(page, to_dismiss).locator("button", has_text="رد کردن").click()
    page.wait_for_selector(f"#cand-{to_dismiss.pk}.state-dismissed")
    to_dismiss.refresh_from_db()
    assert to_dismiss.review_state == "dismissed" and to_dismiss.dismiss_reason
    # the dismissed candidate is no longer highlighted in the text
    assert page.locator(f"#article-body mark[data-a~='{to_dismiss.pk}']").count() == 0
    page.evaluate("window.scrollTo(0, 0)")
    card(page, second).click()
    shot(page, "article", full_page=False)

    # --- claim workspace: evidence, rating, submit ------------------------------
    card(page, first).locator(".linked a").click()
    page.wait_for_selector("h1.claim-text")
    assert page.locator(".appearance").count() == 2
    page.fill("#ev-url", "https://www.centcom.mil/MEDIA/STATEMENTS/")
    page.fill("#ev-title", "بیانیهٔ سنتکام")
    page.fill("#ev-note", "بیانیهٔ رسمی دربارهٔ حملهٔ ۴ بهمن")
    page.locator("button", has_text="افزودن شاهد").click()
    page.wait_for_selector("ul.evidence a:has-text('بیانیهٔ سنتکام')")
    page.locator("label.rating-option", has_text="درست").first.locator("input").check()
    page.fill("#rationale", "بیانیه‌های رسمی پنتاگون و سنتکام حمله را تأیید می‌کنند.")
    page.locator("button", has_text="ثبت داوری").click()
    page.wait_for_selector("[data-status=rated]")
    page.locator("button[data-action=submit]").click()
    page.wait_for_selector("[data-status=submitted]")
    assert page.locator(".pill.submitted").count() == 1
    shot(page, "claim")
    # after boosted page swaps the shortcuts are bound exactly once: "?" opens the help
    page.keyboard.press("Shift+Slash")
    assert page.locator("dialog#help").is_visible()
    page.keyboard.press("Escape")

    # --- the editor cannot publish: no button, and the server refuses ----------
    assert page.locator("[data-action=publish]").count() == 0
    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}});
            return r.status;
        }""",
        f"/review/claims/{claim.pk}/publish/",
    )
    assert status == 403
    claim.refresh_from_db()
    assert claim.status == "submitted"

    # --- the senior editor publishes --------------------------------------------
    page.locator("header.site-header button", has_text="خروج").click()
    page.wait_for_url(f"{live_server.url}/")  # logged out before the next login starts
    login(page, live_server, "senior1", "pw-senior1")
    page.goto(f"{live_server.url}/review/claims/{claim.pk}/")
    page.locator("[data-action=publish]").click()
    # publishing asks first, showing what the public will see
    page.wait_for_selector("[data-preview=publish]")
    assert "بیانیه‌های رسمی پنتاگون و سنتکام حمله را تأیید می‌کنند." in page.inner_text(
        "[data-preview=publish]"
    )
    assert "بیانیهٔ سنتکام" in page.inner_text("[data-preview=publish]")
    assert "حملهٔ ۴ بهمن" not in page.inner_text("[data-preview=publish]")  # the internal note
    shot(page, "publish-confirm")
    claim.refresh_from_db()
    assert claim.status == "submitted"
    page.locator("button[data-action=confirm-publish]").click()
    page.wait_for_selector("[data-status=published]")
    claim.refresh_from_db()
    assert claim.status == "published" and claim.rating == "true"

    # --- the public page ----------------------------------------------------------
    response = page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    assert response.status == 200
    assert "ارتش آمریکا مواضع شبه‌نظامیان" in page.content()
    shot(page, "public")


def test_help_overlay_and_span_correction_by_selection(page, live_server, shot, editor, settings):
    from tests.review.conftest import build_article

    article = build_article(3)
    target = article.attributions.order_by("content_start").first()
    login(page, live_server, "editor1", "pw-editor1")
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    page.keyboard.press("Shift+Slash")
    assert page.locator("dialog#help").is_visible()
    assert page.locator("dialog#help kbd", has_text="D").count() == 1
    page.keyboard.press("Escape")
    assert not page.locator("dialog#help").is_visible()

    # select "ارتش آمریکا" in the article text with the mouse's equivalent: a DOM range
    page.keyboard.press("j")
    page.keyboard.press("e")
    page.wait_for_selector(f"#cand-{target.pk} details.span-edit[open]")
    wanted = "ارتش آمریکا"
    page.evaluate(
        """(wanted) => {
            const body = document.getElementById('article-body');
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const i = node.data.indexOf(wanted);
                if (i !== -1) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + wanted.length);
                    const sel = window.getSelection();
                    sel.removeAllRanges();
                    sel.addRange(range);
                    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('text not found');
        }""",
        wanted,
    )
    form = page.locator(f"#cand-{target.pk} form.span-form")
    # the selection is read just after mouseup (a zero-delay timer), so wait for it
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent.includes(text)",
        arg=[f"#cand-{target.pk} .selection-preview", wanted],
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    page.wait_for_selector(f"#cand-{target.pk} .pill.edited")
    target.refresh_from_db()
    assert target.content_text == wanted
    assert article.text[target.content_start : target.content_end] == wanted


def test_tablet_width_stacks_the_panes(page, live_server, shot, editor):
    from tests.review.conftest import build_article

    article = build_article(4)
    page.set_viewport_size({"width": 820, "height": 1180})
    login(page, live_server, "editor1", "pw-editor1")
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    text_box = page.locator(".article-pane").bounding_box()
    list_box = page.locator(".candidates-pane").bounding_box()
    assert list_box["y"] >= text_box["y"] + text_box["height"] - 1  # candidates below the text
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 820, "no horizontal scrolling on a tablet"
    shot(page, "article-tablet", full_page=False)
    assert re.search(r"[۰-۹]", page.locator(".cand").first.inner_text())


def test_inbox_filters_in_place(page, live_server, editor):
    from tests.factories import SourceFactory
    from tests.review.conftest import build_article

    isna = SourceFactory(name_fa="ایسنا", kind="news_agency")
    build_article(1, title="خبر ایسنا", publisher=isna)
    build_article(1, title="خبر دیگر")
    login(page, live_server, "editor1", "pw-editor1")
    rows = "() => document.querySelectorAll('#inbox-list tbody tr').length"
    assert page.evaluate(rows) == 2
    page.select_option("select[name=publisher]", str(isna.pk))
    # Function form: a bare expression would be evaluated as a string, which the CSP refuses.
    count_is = "(n) => document.querySelectorAll('#inbox-list tbody tr').length === n"
    page.wait_for_function(count_is, arg=1)
    page.wait_for_url(lambda url: "publisher=" in url)
    assert page.url.count("publisher=") == 1  # pushed to the address bar, once
    page.fill("#f-q", "دیگر")
    page.wait_for_function(count_is, arg=0)
    assert "خبری با این پالایه‌ها نیست." in page.locator("#inbox-list").inner_text()


def test_upload_shows_progress_until_done(page, live_server, editor, eager, tmp_path, shot):
    """The page only watches: a worker (played here by the test, a few rows at a
    time, then the real task) reads the upload while the page polls."""
    from unittest import mock

    from claims import tasks
    from claims.services import ingest_jobs as ingest_svc

    rows = [f'{{"text": "سخنگوی شمارهٔ {i} گفت که خبر {i} درست است.", "title": "خبر {i}"}}' for i in range(25)]
    upload = tmp_path / "batch.jsonl"
    upload.write_text("\n".join([*rows, "{bad json"]), encoding="utf-8")
    login(page, live_server, "editor1", "pw-editor1")
    page.goto(f"{live_server.url}/review/ingest/")
    page.set_input_files("input[type=file]", str(upload))
    with mock.patch.object(ingest_svc, "ingest_job_enqueue") as enqueue:  # queued, not yet taken by a worker
        page.locator("button", has_text="بارگذاری").click()
        page.wait_for_url("**/review/ingest/jobs/*/")
    job = m.IngestJob.objects.get()
    enqueue.assert_called_once_with(job_id=job.pk)
    assert (job.processed, job.state) == (0, "running")
    assert "پس‌زمینه" in page.locator("#job-progress").text_content()
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the page polls itself; record what it showed on the way
        seen.add(page.locator("#job-progress progress").get_attribute("value"))
        if page.locator("#job-progress[data-finished='1']").count():
            break
        job.refresh_from_db()
        if job.processed < 15:
            shown = page.locator("#job-progress progress").get_attribute("value")
            ingest_svc.ingest_job_process(job_id=job.pk, max_rows=5)
            page.wait_for_function(  # the next poll shows the new count
                "v => document.querySelector('#job-progress progress').getAttribute('value') !== v", arg=shown
            )
        elif job.state == "running":
            tasks.process_ingest_job.apply(args=(job.pk,)).get()
        page.wait_for_timeout(100)
    assert page.locator("#job-progress progress").get_attribute("value") == "100"
    assert len(seen) > 2, f"progress moved through several values, saw {sorted(seen)}"
    assert page.locator("#job-progress").get_attribute("hx-trigger") is None, "polling stopped"
    job.refresh_from_db()
    assert (job.total, job.new, job.failed, job.state) == (26, 25, 1, "done")
    assert "سطر ۲۶" in page.locator("#job-progress details").text_content()  # the bad row, reported
    shot(page, "upload", full_page=False)
