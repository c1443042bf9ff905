"""Cached API responses, invalidated as a whole when a verdict or what it shows changes.

Entries carry the generation number that was current *before* their data was read. A
write bumps the generation, so an entry computed from data older than the write no
longer matches, even if it is stored after the bump. One ``get_many`` per request reads
the generation and the entry together; responses are stored as rendered JSON bytes."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "api:v1:gen"


def api_cache_seconds() -> int:
    return int(getattr(settings, "API_CACHE_SECONDS", 60))


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _entry_key(path: str, query: str) -> str:
    digest = hashlib.sha256(f"{path}?{query}".encode()).hexdigest()[:40]
    return f"api:v1:resp:{digest}"


def cached_json(path: str, query: str, build: Callable[[], bytes]) -> HttpResponse:
    """The response for ``path?query``: from the cache if current, else ``build()`` and store it."""
    key = _entry_key(path, query)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        body, hit = entry[1], "hit"
    else:
        body, hit = build(), "miss"
        cache.set(key, (generation, body), api_cache_seconds())
    response = HttpResponse(body, content_type="application/json")
    response["X-Cache"] = hit
    return response
