"""Partner authentication, scopes and per-key throttling: the one base class every API view uses.

Keys travel as ``Authorization: Bearer fc_XXXXXXXX_<secret>``. The lookup is by the SHA-256
of the key (a unique index), and the result is cached (Django cache) until the key or its
partner changes, so a request costs one cache read, not a query. A missing, wrong, revoked
or expired key answers 401; a key without the operation's scope answers 403. Failed key
attempts are counted per client address (claims/clientip.py): past API_FAILED_KEY_RATE,
that address gets 429 with Retry-After for every key, right or wrong, until the window
ends, so keys cannot be guessed at speed."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from claims.api.cache import CacheUnavailable, cached_identity, forget_identity, shared
from claims.api.errors import PayloadTooLarge
from claims.api.parsers import BoundedJSONParser
from claims.clientip import client_ip
from claims.selectors.api import api_key_principal
from claims.services.partners import api_key_hash, api_key_touch

TOUCH_INTERVAL_SECONDS = 60


@dataclass(frozen=True, slots=True)
class PartnerPrincipal:
    """Who is calling: a partner's key, as cached. ``request.user`` and ``request.auth``."""

    key_id: int
    prefix: str
    partner_id: int
    partner_name: str
    scopes: frozenset[str]
    expires_at: datetime | None
    revoked: bool
    partner_active: bool

    is_authenticated = True
    is_anonymous = False

    def usable(self, now: datetime) -> bool:
        return self.partner_active and not self.revoked and (self.expires_at is None or self.expires_at > now)


def forget_key(key_hash: str) -> None:
    forget_identity(key_hash)


def _load_principal(key_hash: str) -> PartnerPrincipal | None:
    row = api_key_principal(key_hash)
    if row is None:
        return None
    return PartnerPrincipal(
        key_id=row.pk,
        prefix=row.prefix,
        partner_id=row.partner_id,
        partner_name=row.partner.name,
        scopes=frozenset(row.scopes or ()),
        expires_at=row.expires_at,
        revoked=row.revoked_at is not None,
        partner_active=row.partner.active,
    )


def _principal(key_hash: str) -> PartnerPrincipal | None:
    return cached_identity(key_hash, lambda: _load_principal(key_hash))


# key id -> monotonic time of the last recorded use, per process; the shared cache
# then makes "at most once a minute" hold across processes too.
_last_touch: dict[int, float] = {}


def _touch(principal: PartnerPrincipal) -> None:
    now = time.monotonic()
    if now - _last_touch.get(principal.key_id, -1e9) < TOUCH_INTERVAL_SECONDS:
        return
    _last_touch[principal.key_id] = now
    try:
        first = shared(lambda: cache.add(f"api:touch:{principal.key_id}", 1, TOUCH_INTERVAL_SECONDS))
    except CacheUnavailable:
        first = True
    if first:
        api_key_touch(key_id=principal.key_id)


class FailedKeyLimit:
    """A fixed-window count of failed key attempts per client address, in the shared cache."""

    def __init__(self, request: Request) -> None:
        self.limit, self.period = parse_rate(getattr(settings, "API_FAILED_KEY_RATE", "20/min"))
        now = time.time()
        window = int(now // self.period)
        self.wait = max(1.0, (window + 1) * self.period - now)
        self.key = f"api:badkey:{client_ip(request)}:{window}"

    def _throttled(self) -> exceptions.Throttled:
        return exceptions.Throttled(wait=self.wait)

    def check(self) -> None:
        try:
            count = shared(lambda: cache.get(self.key, 0))
        except CacheUnavailable:
            return  # fail open: a cache outage must not lock every partner out
        if count >= self.limit:
            raise self._throttled()

    def failed(self, error: exceptions.AuthenticationFailed) -> exceptions.APIException:
        """Count one failure; the error to raise (429 once the limit is passed)."""
        try:
            count = shared(lambda: KeyRateThrottle._add(self.key, 1, self.period))
        except CacheUnavailable:
            return error
        return self._throttled() if count > self.limit else error


class APIKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, PartnerPrincipal] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        limit = FailedKeyLimit(request)
        limit.check()
        try:
            return self._authenticate(header)
        except exceptions.AuthenticationFailed as exc:
            raise limit.failed(exc) from None

    def _authenticate(self, header: str) -> tuple[PartnerPrincipal, PartnerPrincipal]:
        scheme, _, raw = header.partition(" ")
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw or " " in raw:
            raise exceptions.AuthenticationFailed("Use the header 'Authorization: Bearer <key>'.")
        if len(raw) > 200 or not raw.isascii():
            raise exceptions.AuthenticationFailed("Invalid API key.")
        principal = _principal(api_key_hash(raw))
        if principal is None:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        if not principal.usable(timezone.now()):
            if principal.revoked or not principal.partner_active:
                raise exceptions.AuthenticationFailed("This API key has been revoked.")
            raise exceptions.AuthenticationFailed("This API key has expired.")
        _touch(principal)
        return principal, principal

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class HasScope(BasePermission):
    """The view's ``required_scope`` must be among the key's scopes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        principal = request.auth
        if not isinstance(principal, PartnerPrincipal):
            raise exceptions.NotAuthenticated("An API key is required: 'Authorization: Bearer <key>'.")
        scope = getattr(view, "required_scope", "read")
        if scope not in principal.scopes:
            raise exceptions.PermissionDenied(f"This API key lacks the '{scope}' scope.")
        return True


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/min' -> (600, 60). Accepts s, sec, m, min, h, hour, d, day."""
    count, _, period = rate.partition("/")
    unit = period.strip().lower()
    seconds = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}.get(unit)
    if seconds is None:
        seconds = {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}[unit]
    return int(count), seconds


class _Window:
    """One key's counter for one window, as this process knows it."""

    __slots__ = ("local", "shared", "synced_at")

    def __init__(self) -> None:
        self.local = 0  # requests counted here and not yet added to the shared counter
        self.shared = 0  # the shared total at the last sync
        self.synced_at: float | None = None


_windows: dict[tuple[str, int, int], _Window] = {}
_windows_lock = threading.Lock()


def reset_local_state() -> None:
    with _windows_lock:
        _windows.clear()
    _last_touch.clear()


class KeyRateThrottle(BaseThrottle):
    """A fixed-window counter per key and scope, shared by all processes through the cache.

    Far below the limit a process adds its local count to the shared counter at most every
    API_CACHE_LOCAL_SECONDS, so most requests cost no round trip; from half the limit on it
    syncs on every request, so the limit itself is enforced exactly. (DRF's SimpleRateThrottle
    rewrites a list of every request's timestamp on each call, which at partner rates costs
    more than the response itself.)"""

    setting = "API_THROTTLE_RATE"
    scope = "read"

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        principal = request.auth
        if not isinstance(principal, PartnerPrincipal):
            return True
        limit, period = parse_rate(getattr(settings, self.setting))
        now = time.time()
        window = int(now // period)
        slot = (self.scope, principal.key_id, window)
        monotonic = time.monotonic()
        with _windows_lock:
            state = _windows.get(slot)
            if state is None:
                # A new window: drop this key's old ones.
                for old in [k for k in _windows if k[:2] == slot[:2]]:
                    del _windows[old]
                state = _windows[slot] = _Window()
            state.local += 1
            estimate = state.shared + state.local
            due = (
                state.synced_at is None
                or monotonic - state.synced_at >= float(getattr(settings, "API_CACHE_LOCAL_SECONDS", 0.5))
                or estimate * 2 >= limit
            )
            delta = state.local if due else 0
            if due:
                state.local = 0
        if due:
            try:
                total = shared(
                    lambda: self._add(f"api:thr:{self.scope}:{principal.key_id}:{window}", delta, period)
                )
            except CacheUnavailable:
                # Without the shared counter, count this process's requests only (fail open
                # across processes rather than refuse every partner).
                total = state.shared + delta
            with _windows_lock:
                state.shared, state.synced_at = total, monotonic
                estimate = state.shared + state.local
        if estimate > limit:
            self.wait_seconds = (window + 1) * period - now
            return False
        return True

    @staticmethod
    def _add(key: str, delta: int, period: int) -> int:
        try:
            return cache.incr(key, delta)
        except ValueError:
            if cache.add(key, delta, period + 1):
                return delta
            return cache.incr(key, delta)

    def wait(self) -> float | None:
        return math.ceil(self.wait_seconds) if self.wait_seconds is not None else None


class SubmitRateThrottle(KeyRateThrottle):
    setting = "API_SUBMIT_THROTTLE_RATE"
    scope = "submit"


class JSONOnlyNegotiation(BaseContentNegotiation):
    """The API speaks JSON only. ``?format=`` is the API's own parameter (``claimreview``),
    not DRF's renderer switch, and an odd Accept header still gets JSON rather than a 406."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type and request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PartnerAPIView(APIView):
    """Base for every partner endpoint: key auth, scope check, per-key throttle, JSON only."""

    required_scope = "read"
    authentication_classes = [APIKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [KeyRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [BoundedJSONParser]
    content_negotiation_class = JSONOnlyNegotiation

    def dispatch(self, request, *args, **kwargs):
        # The API speaks English (framework messages included) whatever the site's language.
        with translation.override("en"):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args, **kwargs) -> None:
        limit = getattr(settings, "API_MAX_BODY_BYTES", 2 * 1024 * 1024)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit} bytes.")
        super().initial(request, *args, **kwargs)
