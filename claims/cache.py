"""Public page cache and its invalidation when a verdict is published or corrected.

Rendered public pages (claim, source, lists, feeds, sitemap) are kept in the
Django cache under a key made of the path and the querystring. Every stored
page carries the *generation* it was rendered in; ``verdict_changed`` starts a
new generation, so every page rendered before the change is stale at once
(one cache write, no key scanning). A lookup reads the generation and the page
in one ``get_many`` (one round trip to Redis).

Only anonymous GET/HEAD requests answered with 200 are cached: editors see the
navigation of a logged-in user, and errors and redirects are cheap anyway.

Each process keeps the hottest pages in a small in-process layer in front of
the shared cache, and re-reads the shared generation at most every
PUBLIC_CACHE_LOCAL_SECONDS (default 0.5 s), so a hot page costs no network
round trip. The process that publishes or corrects a verdict switches to the
new generation at once; other processes follow within that half second.

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
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from claims.signals import verdict_changed
from claims.site import site_url

GENERATION_KEY = "public:generation"
PAGE_KEY_PREFIX = "public:page:"
# Headers worth keeping with a cached body (the rest are set per response by middleware).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def public_cache_key(request: HttpRequest) -> str:
    """The page key: the site address, path and querystring (parameters sorted, so
    ``?a=1&b=2`` and ``?b=2&a=1`` share an entry), hashed to keep keys short and
    safe. The site address is part of it because pages carry absolute links to it
    (claims.site): one deployment served under two hosts keeps a page per host."""
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
    raw = f"{site_url()}{request.path}?{query}"
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_generation() -> str:
    return uuid.uuid4().hex


class _LocalLayer:
    """The per-process layer: a bounded LRU of pages and the last generation read."""

    MAX_PAGES = 256

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[str, bytes, list[tuple[str, str]]]] = OrderedDict()
        self.generation: str | None = None
        self.read_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.generation, self.read_at = None, 0.0

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


_local = _LocalLayer()


def clear_local_layer() -> None:
    """Forget this process's layer (tests that clear the shared cache call this too)."""
    _local.clear()


def _local_seconds() -> float:
    return float(getattr(settings, "PUBLIC_CACHE_LOCAL_SECONDS", 0.5))


def current_generation() -> str:
    now = time.monotonic()
    if _local.generation is not None and now - _local.read_at < _local_seconds():
        return _local.generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A lost generation (eviction, fresh cache) must not revive old pages.
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    _local.generation, _local.read_at = generation, now
    return generation


def invalidate_public_cache(**_kwargs) -> None:
    """Make every cached public page stale (in this process at once, elsewhere
    within PUBLIC_CACHE_LOCAL_SECONDS)."""
    generation = _new_generation()
    cache.set(GENERATION_KEY, generation, timeout=None)
    _local.generation, _local.read_at = generation, time.monotonic()


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # no session, so no logged-in user: skip loading the lazy user
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the public cache, rendering and storing it on a miss."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = public_cache_key(request)
        generation = current_generation()
        entry = _local.get(key)
        if entry is None or entry[0] != generation:
            entry = cache.get(key)
            if entry is not None and entry[0] == generation:
                _local.put(key, entry)
        if entry is not None and entry[0] == generation:
            _generation, body, headers = entry
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
            entry = (generation, response.content, headers)
            cache.set(key, entry, timeout=settings.PUBLIC_CACHE_SECONDS)
            _local.put(key, entry)
            response["X-Public-Cache"] = "miss"
        return response

    return wrapper


def _on_verdict_changed(sender, claim_id: int | None = None, event: str | None = None, **kwargs) -> None:
    invalidate_public_cache()


def _on_public_record_saved(sender, instance, **kwargs) -> None:
    # Sources are public profiles; evidence shows on claim pages. Both change
    # rarely, so a new generation costs little and keeps pages honest.
    if sender.__name__ == "Evidence":
        claim = getattr(instance, "claim", None)
        if claim is None or not claim.is_public:
            return
    invalidate_public_cache()


verdict_changed.connect(_on_verdict_changed, dispatch_uid="claims.cache.verdict_changed")
for _model in ("Source", "Evidence"):
    post_save.connect(
        _on_public_record_saved, sender=f"claims.{_model}", dispatch_uid=f"claims.cache.{_model}"
    )
    post_delete.connect(
        _on_public_record_saved, sender=f"claims.{_model}", dispatch_uid=f"claims.cache.{_model}.delete"
    )
