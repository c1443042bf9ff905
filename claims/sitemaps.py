"""sitemap.xml: the home page, the claim list, every public claim and every
source with a public claim. Addresses are on claims.site.site_url()."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.utils.encoding import iri_to_uri

from claims.models import Claim, Source
from claims.selectors.claims import published_claims
from claims.selectors.public import sources_with_public_claims
from claims.site import site_url


class _SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc

    def location(self, item) -> str:
        # Claim slugs are Persian: the sitemap protocol wants escaped URLs.
        return iri_to_uri(item.get_absolute_url())


class StaticSitemap(_SiteSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self) -> list[str]:
        return ["/", "/claims/"]

    def location(self, item: str) -> str:
        return item


class ClaimSitemap(_SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return published_claims().only("id", "slug", "updated_at")

    def lastmod(self, claim: Claim):
        return claim.updated_at


class SourceSitemap(_SiteSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return sources_with_public_claims().only("id", "slug", "updated_at")

    def lastmod(self, source: Source):
        return source.updated_at


SITEMAPS = {"pages": StaticSitemap, "claims": ClaimSitemap, "sources": SourceSitemap}
