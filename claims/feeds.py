"""RSS and Atom feeds of published and corrected verdicts, overall and per source.

Item links are absolute addresses on claims.site.site_url() (the canonical
site), whatever host the feed was fetched from."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from claims.claimreview import claim_url
from claims.models import Claim, Rating, Source
from claims.models.claims import RATING_EXPLANATIONS
from claims.selectors.public import public_source, public_verdict_feed
from claims.site import site_url

FEED_ITEMS = 50


def _site(path: str) -> str:
    return site_url() + path


class LatestVerdictsRss(Feed):
    feed_type = Rss201rev2Feed
    language = "fa"

    def title(self) -> str:
        return f"{settings.FACTCHECK_ORG_NAME}: تازه‌ترین راستی‌آزمایی‌ها"

    def description(self) -> str:
        return "ادعاهای راستی‌آزمایی‌شده و اصلاحیه‌های داوری، تازه‌ترین در آغاز."

    def link(self) -> str:
        return _site("/")

    def feed_url(self) -> str:
        return _site("/feeds/" if self.feed_type is Rss201rev2Feed else "/feeds/atom/")

    def items(self):
        return public_verdict_feed(limit=FEED_ITEMS)

    def item_title(self, claim: Claim) -> str:
        label = Rating(claim.rating).label
        prefix = "اصلاحیه — " if claim.status == "corrected" else ""
        return f"{prefix}{label}: {claim.text}"

    def item_description(self, claim: Claim) -> str:
        # Plain text: the feed generator escapes it, so no markup from a claim survives.
        rating = Rating(claim.rating)
        return f"{rating.label} — {RATING_EXPLANATIONS[rating]}\n\n{claim.rationale}"

    def item_link(self, claim: Claim) -> str:
        return claim_url(claim)

    def item_guid(self, claim: Claim) -> str:
        return claim_url(claim)

    def item_pubdate(self, claim: Claim) -> dt.datetime | None:
        return claim.published_at

    def item_updateddate(self, claim: Claim) -> dt.datetime | None:
        return getattr(claim, "verdict_at", None) or claim.published_at

    def item_author_name(self, claim: Claim) -> str | None:
        # the source of its earliest appearance that names one
        return claim.card_sources[0].name_fa if claim.card_sources else None

    def item_categories(self, claim: Claim) -> list[str]:
        return [str(Rating(claim.rating).label)]


class LatestVerdictsAtom(LatestVerdictsRss):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


class SourceVerdictsRss(LatestVerdictsRss):
    def get_object(self, request: HttpRequest, slug: str) -> Source:
        source = public_source(slug)
        if source is None:
            raise Http404("منبع پیدا نشد.")
        return source

    def title(self, obj: Source) -> str:
        return f"{settings.FACTCHECK_ORG_NAME}: راستی‌آزمایی ادعاهای {obj.name_fa}"

    def description(self, obj: Source) -> str:
        return f"ادعاهای راستی‌آزمایی‌شدهٔ {obj.name_fa}، تازه‌ترین در آغاز."

    def link(self, obj: Source) -> str:
        return _site(obj.get_absolute_url())

    def feed_url(self, obj: Source) -> str:
        suffix = "" if self.feed_type is Rss201rev2Feed else "atom/"
        return _site(f"/feeds/sources/{obj.slug}/{suffix}")

    def items(self, obj: Source):
        return public_verdict_feed(obj, limit=FEED_ITEMS)


class SourceVerdictsAtom(SourceVerdictsRss):
    feed_type = Atom1Feed

    def subtitle(self, obj: Source) -> str:
        return self.description(obj)
