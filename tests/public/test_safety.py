"""Nothing unpublished is reachable: every public URL, including feeds and the sitemap."""

from __future__ import annotations

import pytest
from django.utils.encoding import iri_to_uri

from claims.models import ClaimStatus
from claims.services.claims import claim_create, claim_transition

from .conftest import SECRETS

pytestmark = pytest.mark.django_db


def public_urls(demo) -> list[str]:
    """Every public address the demo data has (pages, filters, search, feeds, sitemap)."""
    sources = ["centcom", "lloyd-austin", "tasnim-news-agency", "irgc", "ali-larijani"]
    return [
        "/",
        "/claims/",
        "/?q=گفت",
        "/claims/?q=مذاکرات",
        "/claims/?rating=true",
        "/claims/?outlet=tasnim-news-agency",
        demo.false_claim.get_absolute_url(),
        demo.corrected_claim.get_absolute_url(),
        *(f"/sources/{slug}/" for slug in sources),
        "/feeds/",
        "/feeds/atom/",
        *(f"/feeds/sources/{slug}/" for slug in sources),
        *(f"/feeds/sources/{slug}/atom/" for slug in sources),
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_no_public_url_shows_anything_unpublished(client, demo):
    draft_url = demo.draft.get_absolute_url()
    for url in public_urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        assert draft_url not in body and iri_to_uri(draft_url) not in body, url
        assert f"-{demo.draft.pk}/" not in body, url


def test_unpublished_claims_are_404_at_every_address(client, demo, senior):
    rated = demo.draft
    assert rated.status == ClaimStatus.RATED
    new = claim_create(text="ادعای تازه", actor=senior)
    dismissed = claim_create(text="ادعای کنارگذاشته", actor=senior)
    claim_transition(claim=dismissed, to_status=ClaimStatus.DISMISSED, note="تکراری", actor=senior)
    for claim in (rated, new, dismissed):
        assert client.get(claim.get_absolute_url()).status_code == 404
        assert client.get(f"/claims/{claim.pk}/").status_code == 404
        assert client.get(f"/claims/other-slug-{claim.pk}/").status_code == 404


def test_source_candidates_have_no_page(client, demo):
    assert client.get(f"/sources/{demo.candidate.key}/").status_code == 404
    assert client.get(f"/sources/{demo.candidate.pk}/").status_code == 404
    assert client.get(f"/feeds/sources/{demo.candidate.key}/").status_code == 404
    assert client.get("/feeds/sources/no-such-source/atom/").status_code == 404


def test_source_with_only_dismissed_and_pending_appearances_lists_nothing(client, demo):
    html = client.get("/sources/irgc/").content.decode()
    assert demo.false_claim.text not in html
    assert "۰ ادعای راستی‌آزمایی‌شده" in html
    assert demo.false_claim.text not in client.get("/feeds/sources/irgc/").content.decode()
    # The filter by that source finds nothing either (it is not even offered).
    assert demo.false_claim.text not in client.get("/claims/?source=irgc").content.decode()


def test_search_never_matches_hidden_text(client, demo):
    for query in ("ردشده‌ای", "بررسی‌نشده‌ای", "پیش‌نویس", "مذاکرات متوقف"):
        html = client.get("/claims/", {"q": query}).content.decode()
        assert 'class="claim-card"' not in html, query


def test_editors_notes_stay_internal(client, demo):
    # The corrected claim carries an internal note event; only the correction note shows.
    html = client.get(demo.corrected_claim.get_absolute_url()).content.decode()
    assert "پس از گزارش حملهٔ تازه داوری اصلاح شد." in html
    assert html.count('class="correction"') == 1


def test_unsafe_methods_are_refused(client, demo):
    assert client.post("/").status_code == 405
    assert client.post(demo.false_claim.get_absolute_url()).status_code == 405


def test_every_public_route_is_covered_by_the_safety_test(demo):
    """A new public address must be added to public_urls(), so it is checked too."""
    from urllib.parse import unquote, urlsplit

    from django.urls import resolve

    from claims.urls.public import urlpatterns

    covered = {resolve(unquote(urlsplit(url).path)).url_name for url in public_urls(demo)}
    # /claims/<id>/ only redirects public claims (its 404s are checked above).
    routes = {pattern.name for pattern in urlpatterns} - {"claim_by_id"}
    assert routes <= covered, routes - covered
