"""After a decision on a pending candidate the cursor moves on to the next pending one."""

from __future__ import annotations

import pytest

from tests.review.browser.conftest import login
from tests.review.conftest import build_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accepting_moves_the_cursor_to_the_next_pending_candidate(page, live_server, editor):
    article = build_article(4)
    first, second, third, _ = list(article.attributions.order_by("content_start"))
    login(page, live_server, "editor1", "pw-editor1")
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    page.keyboard.press("j")
    assert "current" in (page.locator(f"#cand-{first.pk}").get_attribute("class") or "")
    page.keyboard.press("a")
    page.locator(f"#cand-{first.pk} textarea[name=text]").press("Control+Enter")
    page.wait_for_selector(f"#cand-{first.pk}.state-accepted")
    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'cand-{second.pk}'")
    assert "current" in (page.locator(f"#cand-{second.pk}").get_attribute("class") or "")
    assert "current" not in (page.locator(f"#cand-{first.pk}").get_attribute("class") or "")

    # A dismissal moves it on too, past the candidates already decided.
    page.keyboard.press("d")
    page.locator(f"#cand-{second.pk} select[name=reason]").select_option("not_claim")
    page.locator(f"#cand-{second.pk} button.danger").click()
    page.wait_for_selector(f"#cand-{second.pk}.state-dismissed")
    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'cand-{third.pk}'")
