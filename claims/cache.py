"""Public page cache and its invalidation by what changed.

Rendered public pages (claim, source, lists, feeds, sitemap) are kept in the
Django cache under a key made of the path and the querystring. Every page
depends on a few *tags*, each with a version in the cache:

- ``all``: everything public (the registry's names show on every page);
- ``lists``: the lists of verdicts (home, search, feeds, sitemap, filter options);
- ``claim:<id>``: one claim's page;
- ``source:<slug>``: one source's page and feeds.

A stored page carries the versions of its tags at the time it was rendered (read
*before* its data was); bumping a tag makes exactly the pages that depend on it
stale (one cache write each, no key scanning). Publishing or correcting claim 7
bumps ``lists``, ``claim:7`` and the tags of the sources quoted in it: the pages
of other claims and of other sources stay cached. A change to a source (its
names show on every page) bumps ``all``.

Only anonymous GET/HEAD requests answered with 200 are cached: editors see the
navigation of a logged-in user, and errors and redirects are cheap anyway.

Each process keeps the hottest pages in a small in-process layer in front of
the shared cache, and re-reads a tag's shared version at most every
PUBLIC_CACHE_LOCAL_SECONDS (default 0.5 s), so a hot page costs no network
round trip. The process that makes a change switches to the new versions at
once; other processes follow within that half second.

With the local-memory cache (no REDIS_URL) each process has its own cache, so
a change made in another process shows after PUBLIC_CACHE_SECONDS at most;
production runs with Redis, shared by all processes.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from claims.signals import verdict_changed
from claims.site import site_url

# The version of the ``all`` tag (the name it always had: one generation for everything).
GENERATION_KEY = "public:generation"
TAG_KEY_PREFIX = "public:tag:"
PAGE_KEY_PREFIX = "public:page:"
DATA_KEY_PREFIX = "public:data:"
ALL = "all"
LISTS = "lists"
# Headers worth keeping with a cached body (the rest are set per response by middleware).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def claim_tag(claim_id: int | str) -> str:
    return f"claim:{int(claim_id)}"


def source_tag(slug: str) -> str:
    return f"source:{slug}"


def _tag_key(tag: str) -> str:
    if tag == ALL:
        return GENERATION_KEY
    return TAG_KEY_PREFIX + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:32]


def public_cache_key(request: HttpRequest) -> str:
    """The page key: the site address, path and querystring (parameters sorted, so
    ``?a=1&b=2`` and ``?b=2&a=1`` share an entry), hashed to keep keys short and
    safe. The site address is part of it because pages carry absolute links to it
    (claims.site): one deployment served under two hosts keeps a page per host."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    raw = f"{site_url()}{request.path}?{query}"
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_version() -> str:
    return uuid.uuid4().hex


class _LocalLayer:
    """The per-process layer: a bounded LRU of pages and the tag versions last read."""

    MAX_PAGES = 256
    MAX_TAGS = 4096

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[tuple[str, ...], bytes, list[tuple[str, str]]]] = OrderedDict()
        self.tags: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.tags.clear()

    def get(self, key: str):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key: str, entry) -> None:
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.MAX_PAGES:
                self.pages.popitem(last=False)

    def version(self, tag: str, now: float, max_age: float) -> str | None:
        with self.lock:
            known = self.tags.get(tag)
            return known[0] if known is not None and now - known[1] < max_age else None

    def remember(self, versions: dict[str, str], now: float) -> None:
        with self.lock:
            for tag, version in versions.items():
                self.tags[tag] = (version, now)
                self.tags.move_to_end(tag)
            while len(self.tags) > self.MAX_TAGS:
                self.tags.popitem(last=False)


_local = _LocalLayer()


def clear_local_layer() -> None:
    """Forget this process's layer (tests that clear the shared cache call this too)."""
    _local.clear()


def _local_seconds() -> float:
    return float(getattr(settings, "PUBLIC_CACHE_LOCAL_SECONDS", 0.5))


def tag_versions(tags: tuple[str, ...]) -> tuple[str, ...]:
    """The current version of each tag: from this process when read within
    PUBLIC_CACHE_LOCAL_SECONDS, else from the shared cache (one round trip for all)."""
    now = time.monotonic()
    max_age = _local_seconds()
    versions = {tag: _local.version(tag, now, max_age) for tag in tags}
    missing = [tag for tag, version in versions.items() if version is None]
    if missing:
        found = cache.get_many([_tag_key(tag) for tag in missing])
        for tag in missing:
            version = found.get(_tag_key(tag))
            if version is None:
                # A lost version (eviction, fresh cache) must not revive old pages.
                cache.add(_tag_key(tag), _new_version(), timeout=None)
                version = cache.get(_tag_key(tag))
            versions[tag] = version
        _local.remember({tag: versions[tag] for tag in missing}, now)
    return tuple(versions[tag] for tag in tags)


def current_generation() -> str:
    """The version of ``all``."""
    return tag_versions((ALL,))[0]


def bump_tags(*tags: str) -> None:
    """Make every cached page that depends on one of ``tags`` stale (in this process at
    once, elsewhere within PUBLIC_CACHE_LOCAL_SECONDS)."""
    versions = {tag: _new_version() for tag in dict.fromkeys(tags)}
    if versions:
        cache.set_many({_tag_key(tag): version for tag, version in versions.items()}, timeout=None)
        _local.remember(versions, time.monotonic())


def invalidate_public_cache(**_kwargs) -> None:
    """Make every cached public page stale."""
    bump_tags(ALL)


def public_data(name: str, tags: tuple[str, ...], build: Callable[[], Any]) -> Any:
    """A value derived from public records (a list's filter options), kept in the cache
    under the versions of ``tags`` like a page, and built again once they change."""
    stamp = tag_versions((ALL, *tags))
    key = DATA_KEY_PREFIX + name
    entry = cache.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = build()
    cache.set(key, (stamp, value), timeout=settings.PUBLIC_CACHE_SECONDS)
    return value


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # no session, so no logged-in user: skip loading the lazy user
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _list_tags(request: HttpRequest, *args, **kwargs) -> tuple[str, ...]:
    return (LISTS,)


def public_cache(
    view: Callable[..., HttpResponse] | None = None,
    *,
    tags: Callable[..., tuple[str, ...]] = _list_tags,
):
    """Serve ``view`` from the public cache, rendering and storing it on a miss. ``tags``
    names what the page shows (from the view's arguments), besides ``all``; by default
    the lists. Usable as ``@public_cache`` or ``@public_cache(tags=...)``."""
    if view is None:
        return functools.partial(public_cache, tags=tags)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = public_cache_key(request)
        stamp = tag_versions((ALL, *tags(request, *args, **kwargs)))
        entry = _local.get(key)
        if entry is None or entry[0] != stamp:
            entry = cache.get(key)
            if entry is not None and entry[0] == stamp:
                _local.put(key, entry)
        if entry is not None and entry[0] == stamp:
            _stamp, body, headers = entry
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            response["X-Public-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
            entry = (stamp, response.content, headers)
            cache.set(key, entry, timeout=settings.PUBLIC_CACHE_SECONDS)
            _local.put(key, entry)
            response["X-Public-Cache"] = "miss"
        return response

    return wrapper


def claim_page_tags(request: HttpRequest, *args, claim_id: int | str = 0, **kwargs) -> tuple[str, ...]:
    return (claim_tag(claim_id),)


def source_page_tags(request: HttpRequest, *args, slug: str = "", **kwargs) -> tuple[str, ...]:
    return (source_tag(slug),)


def page_tags_of_claim(claim_id: int) -> list[str]:
    """What publishing or correcting a claim changes: its page, the lists, and the pages of
    the sources quoted in it."""
    from claims.models import Source
    from claims.selectors.public import PUBLIC_REVIEW_STATES

    slugs = (
        Source.objects.filter(
            attributions__claim_id=claim_id, attributions__review_state__in=PUBLIC_REVIEW_STATES
        )
        .values_list("slug", flat=True)
        .distinct()
    )
    return [LISTS, claim_tag(claim_id), *(source_tag(slug) for slug in slugs)]


def _on_verdict_changed(sender, claim_id: int | None = None, event: str | None = None, **kwargs) -> None:
    if claim_id is None:
        invalidate_public_cache()
        return
    bump_tags(*page_tags_of_claim(claim_id))


def _on_public_record_saved(sender, instance, **kwargs) -> None:
    if sender.__name__ == "Evidence":
        # Evidence shows on its claim's page only.
        claim = getattr(instance, "claim", None)
        if claim is not None and claim.is_public:
            bump_tags(claim_tag(claim.pk))
        return
    # Sources are public profiles whose names show on every page; they change rarely.
    invalidate_public_cache()


def public_claim_ids(*claim_ids: int | None) -> list[int]:
    """Which of these claims are public now (one query; none for no claim)."""
    from claims.models import Claim
    from claims.models.claims import PUBLIC_STATUSES

    ids = {cid for cid in claim_ids if cid is not None}
    if not ids:
        return []
    return list(Claim.objects.filter(pk__in=ids, status__in=PUBLIC_STATUSES).values_list("pk", flat=True))


def _before_appearance_saved(sender, instance, **kwargs) -> None:
    # The claim it was in: an appearance moved out of a public claim changes that page too.
    instance._claim_before = (
        sender.objects.filter(pk=instance.pk).values_list("claim_id", flat=True).first()
        if instance.pk
        else None
    )


def _on_appearance_saved(sender, instance, **kwargs) -> None:
    """An appearance accepted into, changed in or taken from a public claim changes that
    claim's page, its source's page and the lists' cards."""
    public = public_claim_ids(instance.claim_id, getattr(instance, "_claim_before", None))
    if not public:
        return
    tags = [LISTS, *(claim_tag(cid) for cid in public)]
    if instance.source_id is not None:
        from claims.models import Source

        slug = Source.objects.filter(pk=instance.source_id).values_list("slug", flat=True).first()
        if slug:
            tags.append(source_tag(slug))
    bump_tags(*tags)


def _before_claim_saved(sender, instance, **kwargs) -> None:
    instance._public_before = bool(instance.pk and public_claim_ids(instance.pk))


def _on_claim_saved(sender, instance, **kwargs) -> None:
    """A claim that is public, or was until this save (merged away, withdrawn), changes its
    page, the lists and its sources' pages. The desk's work on other claims changes none."""
    if instance.is_public or getattr(instance, "_public_before", False):
        bump_tags(*page_tags_of_claim(instance.pk))


verdict_changed.connect(_on_verdict_changed, dispatch_uid="claims.cache.verdict_changed")
for _model in ("Source", "Evidence"):
    post_save.connect(
        _on_public_record_saved, sender=f"claims.{_model}", dispatch_uid=f"claims.cache.{_model}"
    )
    post_delete.connect(
        _on_public_record_saved, sender=f"claims.{_model}", dispatch_uid=f"claims.cache.{_model}.delete"
    )
pre_save.connect(
    _before_appearance_saved, sender="claims.Attribution", dispatch_uid="claims.cache.Attribution.before"
)
post_save.connect(_on_appearance_saved, sender="claims.Attribution", dispatch_uid="claims.cache.Attribution")
pre_save.connect(_before_claim_saved, sender="claims.Claim", dispatch_uid="claims.cache.Claim.before")
post_save.connect(_on_claim_saved, sender="claims.Claim", dispatch_uid="claims.cache.Claim")
post_delete.connect(
    _on_appearance_saved, sender="claims.Attribution", dispatch_uid="claims.cache.Attribution.delete"
)
