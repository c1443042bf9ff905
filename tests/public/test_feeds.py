"""RSS, Atom and the sitemap, parsed as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils.encoding import iri_to_uri

pytestmark = pytest.mark.django_db

SITE = "http://testserver"  # the test client's host: with SITE_URL empty, links follow the request
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own server's output in a test


def test_rss_feed(client, demo):
    response = client.get("/feeds/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = xml(response.content)
    channel = root.find("channel")
    assert channel.findtext("language") == "fa"
    assert channel.findtext("link") == SITE + "/"
    items = channel.findall("item")
    assert [i.findtext("link") for i in items] == [
        iri_to_uri(SITE + demo.corrected_claim.get_absolute_url()),
        iri_to_uri(SITE + demo.false_claim.get_absolute_url()),
    ]
    titles = [i.findtext("title") for i in items]
    assert titles == [
        f"اصلاحیه — گمراه‌کننده: {demo.corrected_claim.text}",
        f"نادرست: {demo.false_claim.text}",
    ]
    assert items[1].findtext("category") == "نادرست"
    assert demo.false_claim.rationale in items[1].findtext("description")
    assert items[1].findtext("pubDate")


def test_atom_feed(client, demo):
    response = client.get("/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = xml(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.feed.language == "fa"
    assert {e.link for e in parsed.entries} == {
        iri_to_uri(SITE + demo.corrected_claim.get_absolute_url()),
        iri_to_uri(SITE + demo.false_claim.get_absolute_url()),
    }
    authors = {e.title: e.author for e in parsed.entries}
    assert authors[f"نادرست: {demo.false_claim.text}"] == demo.centcom.name_fa


def test_source_feeds(client, demo):
    rss = xml(client.get("/feeds/sources/centcom/").content)
    links = [i.findtext("link") for i in rss.find("channel").findall("item")]
    assert links == [iri_to_uri(SITE + demo.false_claim.get_absolute_url())]
    assert rss.find("channel").findtext("link") == SITE + "/sources/centcom/"
    atom = feedparser.parse(client.get("/feeds/sources/lloyd-austin/atom/").content)
    assert not atom.bozo
    assert [e.link for e in atom.entries] == [iri_to_uri(SITE + demo.corrected_claim.get_absolute_url())]
    empty = xml(client.get("/feeds/sources/ali-larijani/").content)
    assert empty.find("channel").findall("item") == []


def test_sitemap(client, demo):
    response = client.get("/sitemap.xml")
    root = xml(response.content)
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert SITE + "/" in locs and SITE + "/claims/" in locs
    assert iri_to_uri(SITE + demo.false_claim.get_absolute_url()) in locs
    assert iri_to_uri(SITE + demo.corrected_claim.get_absolute_url()) in locs
    assert SITE + "/sources/centcom/" in locs and SITE + "/sources/lloyd-austin/" in locs
    # No draft, no source without a public claim, only ASCII (escaped) addresses.
    assert not any(f"-{demo.draft.pk}/" in loc for loc in locs)
    assert SITE + "/sources/irgc/" not in locs
    assert all(loc.isascii() for loc in locs)
    assert len(locs) == 6
