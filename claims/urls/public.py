"""Public addresses: home, claim and source pages, lists, feeds, sitemap and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from claims.cache import public_cache, source_page_tags
from claims.feeds import LatestVerdictsAtom, LatestVerdictsRss, SourceVerdictsAtom, SourceVerdictsRss
from claims.sitemaps import SITEMAPS
from claims.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("claims/", public.claim_list, name="claim_list"),
    path("claims/<int:claim_id>/", public.claim_by_id, name="claim_by_id"),
    # Slugs are Persian (allow_unicode): anything up to the last "-<id>" is the slug;
    # a wrong or outdated slug redirects to the canonical address.
    re_path(r"^claims/(?P<slug>[^/]+)-(?P<claim_id>[0-9]+)/$", public.claim_detail, name="claim"),
    path("sources/<str:slug>/", public.source_detail, name="source"),
    path("feeds/", public_cache(LatestVerdictsRss()), name="feed_rss"),
    path("feeds/atom/", public_cache(LatestVerdictsAtom()), name="feed_atom"),
    path(
        "feeds/sources/<str:slug>/",
        public_cache(SourceVerdictsRss(), tags=source_page_tags),
        name="source_feed_rss",
    ),
    path(
        "feeds/sources/<str:slug>/atom/",
        public_cache(SourceVerdictsAtom(), tags=source_page_tags),
        name="source_feed_atom",
    ),
    path("sitemap.xml", public_cache(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public.robots_txt, name="robots"),
]
