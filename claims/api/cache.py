"""Cached API responses and key identities: a shared cache (Redis in production) with a small
per-process layer in front, so a hot request costs no network round trip.

Responses are invalidated as a whole by a *generation*: a write that changes what the API shows
(``verdict_changed``, and saves of claims, evidence, sources and linked appearances) starts a
new one, so every entry built before it is stale at once. Entries carry the generation read
*before* their data was, so an entry built from data older than a write never matches, even
when it is stored after the write.

Each process re-reads the shared generations at most every API_CACHE_LOCAL_SECONDS (0.5 s by
default). The process that made the change switches at once; other processes follow within
that interval. Key identities work the same way with their own generation, which changes
whenever a key or a partner is saved, so a revocation reaches every process within it too.

With the local-memory cache (no REDIS_URL, i.e. development) each process has its own shared
cache as well; ``runserver`` is one process, so that is exact there.

If the shared cache is down, answers come from the database (``X-Cache: off``) and keys are
checked there; a change made during the outage can't reach entries stored before it, so after
the outage those may be served until they expire (API_CACHE_SECONDS, 60 s by default)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

logger = logging.getLogger("claims.api")

RESPONSE_GENERATION_KEY = "api:v1:gen"
KEY_GENERATION_KEY = "api:v1:keygen"


def api_cache_seconds() -> int:
    return int(getattr(settings, "API_CACHE_SECONDS", 60))


def _local_seconds() -> float:
    return float(getattr(settings, "API_CACHE_LOCAL_SECONDS", 0.5))


class _Layer:
    """One process's view: the last generations read, and bounded LRUs of entries."""

    MAX_RESPONSES = 512
    MAX_KEYS = 1024

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.responses: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self.keys: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        self.generations: dict[str, str] = {}
        self.read_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.responses.clear()
            self.keys.clear()
            self.generations = {}
            self.read_at = 0.0

    @staticmethod
    def _get(store: OrderedDict, key: str):
        entry = store.get(key)
        if entry is not None:
            store.move_to_end(key)
        return entry

    @staticmethod
    def _put(store: OrderedDict, key: str, entry, limit: int) -> None:
        store[key] = entry
        store.move_to_end(key)
        while len(store) > limit:
            store.popitem(last=False)


_layer = _Layer()
_last_warning = [0.0]


class CacheUnavailable(Exception):
    """The shared cache (Redis) did not answer."""


def shared(operation: Callable[[], Any]) -> Any:
    """Run one shared-cache operation; turn any failure into CacheUnavailable, logged at most
    once a minute. Callers degrade: no caching, the database, an open throttle. An outage
    of the cache must slow the API down, not take it down."""
    try:
        return operation()
    except Exception as exc:
        now = time.monotonic()
        if now - _last_warning[0] > 60:
            _last_warning[0] = now
            logger.warning("API cache unavailable (%s: %s); serving without it", type(exc).__name__, exc)
        raise CacheUnavailable from exc


def clear_local() -> None:
    """Forget this process's layer (tests that clear the shared cache call this too)."""
    _layer.clear()
    from claims.api import auth

    auth.reset_local_state()


def _generation(name: str) -> str:
    now = time.monotonic()
    with _layer.lock:
        fresh = now - _layer.read_at < _local_seconds()
        if fresh and name in _layer.generations:
            return _layer.generations[name]
    found = shared(lambda: cache.get_many([RESPONSE_GENERATION_KEY, KEY_GENERATION_KEY]))
    for key in (RESPONSE_GENERATION_KEY, KEY_GENERATION_KEY):
        if key not in found:
            # A lost generation (eviction, fresh cache) must not revive old entries.
            shared(lambda key=key: cache.add(key, uuid.uuid4().hex, None))
            found[key] = shared(lambda key=key: cache.get(key))
    with _layer.lock:
        _layer.generations = dict(found)
        _layer.read_at = now
        return found[name]


def _bump(name: str) -> None:
    generation = uuid.uuid4().hex
    with _layer.lock:
        _layer.generations[name] = generation
    shared(lambda: cache.set(name, generation, None))


def bump_generation() -> None:
    """Make every cached response stale (here at once, elsewhere within the local interval)."""
    _bump(RESPONSE_GENERATION_KEY)


def _entry_key(path: str, query: str) -> str:
    digest = hashlib.sha256(f"{path}?{query}".encode()).hexdigest()[:40]
    return f"api:v1:resp:{digest}"


def cached_json(path: str, query: str, build: Callable[[], bytes]) -> HttpResponse:
    """The response for ``path?query``: from the cache if current, else ``build()`` and store it."""
    key = _entry_key(path, query)
    try:
        generation = _generation(RESPONSE_GENERATION_KEY)
    except CacheUnavailable:
        # Without the shared generation no entry can be trusted: answer from the database.
        response = HttpResponse(build(), content_type="application/json")
        response["X-Cache"] = "off"
        return response
    with _layer.lock:
        entry = _layer._get(_layer.responses, key)
    hit = "hit"
    if entry is None or entry[0] != generation:
        try:
            entry = shared(lambda: cache.get(key))
        except CacheUnavailable:
            entry = None
        if entry is None or entry[0] != generation:
            entry, hit = (generation, build()), "miss"
            with contextlib.suppress(CacheUnavailable):
                shared(lambda: cache.set(key, entry, api_cache_seconds()))
        with _layer.lock:
            _layer._put(_layer.responses, key, entry, _layer.MAX_RESPONSES)
    response = HttpResponse(entry[1], content_type="application/json")
    response["X-Cache"] = hit
    return response


# --- key identities ---------------------------------------------------------------


def _key_entry(key_hash: str) -> str:
    return f"api:key:{key_hash}"


_MISSING = object()


def cached_identity(key_hash: str, load: Callable[[], Any]) -> Any:
    """The identity for a key hash: local layer, shared cache, then ``load()`` (the database).
    Unknown keys (``load()`` returns None) are not cached, so guesses can't fill the cache."""
    try:
        generation = _generation(KEY_GENERATION_KEY)
    except CacheUnavailable:
        return load()  # a revocation elsewhere is only visible in the database now
    with _layer.lock:
        entry = _layer._get(_layer.keys, key_hash)
    if entry is not None and entry[0] == generation:
        return entry[1]
    try:
        value = shared(lambda: cache.get(_key_entry(key_hash), _MISSING))
    except CacheUnavailable:
        return load()
    if value is _MISSING:
        value = load()
        if value is None:
            return None
        try:
            shared(lambda: cache.set(_key_entry(key_hash), value, 300))
        except CacheUnavailable:
            return value
    with _layer.lock:
        _layer._put(_layer.keys, key_hash, (generation, value), _layer.MAX_KEYS)
    return value


def forget_identity(key_hash: str) -> None:
    """A key or its partner changed: drop it here and, within the interval, everywhere."""
    with _layer.lock:
        _layer.keys.pop(key_hash, None)
    try:
        shared(lambda: cache.delete(_key_entry(key_hash)))
        _bump(KEY_GENERATION_KEY)
    except CacheUnavailable:
        logger.error("could not announce a change of API key %s… to other processes", key_hash[:8])
