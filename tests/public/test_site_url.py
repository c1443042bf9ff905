"""Absolute links follow SITE_URL, or the host each request came to."""

from __future__ import annotations

import json
import re

import pytest
from django.utils.encoding import iri_to_uri

pytestmark = pytest.mark.django_db

HOSTS = ("fact.example", "news.example.org")


@pytest.fixture
def two_hosts(settings):
    settings.ALLOWED_HOSTS = [*HOSTS, "testserver"]
    settings.SITE_URL = ""


def _get(client, path: str, host: str) -> str:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (path, host)
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("host", HOSTS)
def test_every_absolute_link_names_the_requested_host(client, demo, two_hosts, host):
    claim = demo.false_claim
    base = f"http://{host}"
    html = _get(client, claim.get_absolute_url(), host)
    url = iri_to_uri(base + claim.get_absolute_url())
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["url"] == url
    assert f'href="{base}/claims/"' in _get(client, "/claims/", host)
    assert f"Sitemap: {base}/sitemap.xml" in _get(client, "/robots.txt", host)
    sitemap = _get(client, "/sitemap.xml", host)
    assert f"<loc>{url}</loc>" in sitemap
    feed = _get(client, "/feeds/", host)
    assert url in feed
    others = [h for h in HOSTS if h != host] + ["127.0.0.1:8000"]
    for page in (html, sitemap, feed):
        assert not any(other in page for other in others)


def test_a_configured_site_url_wins_over_the_request_host(client, demo, settings):
    settings.ALLOWED_HOSTS = [*HOSTS, "testserver"]
    settings.SITE_URL = "https://checks.example.net/"
    claim = demo.false_claim
    html = _get(client, claim.get_absolute_url(), HOSTS[0])
    url = iri_to_uri("https://checks.example.net" + claim.get_absolute_url())
    assert f'<link rel="canonical" href="{url}">' in html
    assert "Sitemap: https://checks.example.net/sitemap.xml" in _get(client, "/robots.txt", HOSTS[1])


def test_cached_pages_are_kept_per_host(client, demo, two_hosts):
    path = demo.false_claim.get_absolute_url()
    first = _get(client, path, HOSTS[0])
    second = _get(client, path, HOSTS[1])
    assert f"http://{HOSTS[0]}" in first and f"http://{HOSTS[1]}" in second
    assert HOSTS[0] not in second
