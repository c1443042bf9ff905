"""Outgoing HTTP that can only reach the public internet (the SSRF guard).

Every fetch the product makes for someone else's URL (pages, feeds, uploads'
URLs, webhooks) goes through ``guarded_session()``. Its connections resolve the
host themselves, refuse it unless *every* address it resolves to is public
(``ipaddress.is_global``, after unwrapping IPv4-mapped, 6to4, Teredo and NAT64
forms), and then connect to one of exactly those addresses: there is no second
lookup for a rebinding DNS server to answer differently. TLS still verifies the
certificate against the host name (SNI), and the Host header is the URL's.

The guard is always on, whatever DEBUG says. ``FETCH_ALLOWED_HOSTS`` names the
only exceptions (a test server on 127.0.0.1, a local development feed); a host
is matched by its name as written in the URL, lower-cased, without a trailing
dot. ``url_refusal()`` is the cheap early check the doors run before they queue
anything: literal addresses in every spelling (``2130706433``, ``0x7f000001``,
``[::ffff:127.0.0.1]``) and ``localhost`` names are refused at once; names that
need DNS are checked when the connection is made."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address that is not on the public internet."""

    def __init__(self, message: str, *, host: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.host = host


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address itself and any IPv4 address it carries inside."""
    found: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            found.append(ip.sixtofour)
        if ip.teredo is not None:
            found.extend(ip.teredo)
        if ip in _NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(ip: IPAddress) -> bool:
    return all(part.is_global and not part.is_multicast for part in _embedded(ip))


def host_key(host: str) -> str:
    return host.strip().strip("[]").lower().rstrip(".")


def allowed_hosts(extra: tuple[str, ...] = ()) -> frozenset[str]:
    named = list(getattr(settings, "FETCH_ALLOWED_HOSTS", ()) or ()) + list(extra)
    return frozenset(host_key(h) for h in named if h.strip())


def literal_address(host: str) -> IPAddress | None:
    """The address a host name denotes without DNS, in any spelling the C library
    accepts (``2130706433``, ``0x7f000001``, ``0177.1``, ``127.1``), or None."""
    key = host_key(host)
    try:
        return ipaddress.ip_address(key.split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(key))
    except (OSError, ValueError):
        return None


def url_refusal(url: str, *, extra_allowed: tuple[str, ...] = ()) -> str | None:
    """Why ``url`` may not be fetched, judged without DNS; None when it may be tried."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "نشانی درست نیست."
    if parts.scheme not in ("http", "https") or not host:
        return "نشانی باید با http یا https آغاز شود."
    if parts.username or parts.password:
        return "نشانی نباید نام کاربری یا گذرواژه داشته باشد."
    key = host_key(host)
    if key in allowed_hosts(extra_allowed):
        return None
    if key == "localhost" or key.endswith(".localhost") or ("." not in key and literal_address(key) is None):
        return f"نشانی {host} به شبکهٔ داخلی اشاره می‌کند و دریافت نمی‌شود."
    literal = literal_address(key)
    if literal is not None and not is_public(literal):
        return f"نشانی {host} به شبکهٔ داخلی اشاره می‌کند و دریافت نمی‌شود."
    return None


def vetted_addresses(host: str, port: int, *, extra_allowed: tuple[str, ...] = ()) -> list[str]:
    """Resolve ``host`` once; every address must be public (or the host allowed by name)."""
    key = host_key(host)
    infos = socket.getaddrinfo(key, port, type=socket.SOCK_STREAM)
    allowed = key in allowed_hosts(extra_allowed)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%")[0]
        if not allowed and not is_public(ipaddress.ip_address(address)):
            raise AddressRefused(
                f"نشانی {host} به شبکهٔ داخلی ({address}) اشاره می‌کند و دریافت نمی‌شود.", host=host
            )
        if address not in addresses:
            addresses.append(address)
    return addresses


class _PinnedConnectionMixin:
    """Connect to an address vetted by this connection's own lookup, never by name."""

    extra_allowed: tuple[str, ...] = ()

    def _new_conn(self) -> socket.socket:
        addresses = vetted_addresses(self._dns_host, self.port, extra_allowed=self.extra_allowed)
        error: OSError | None = None
        for address in addresses:
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")


def _pool_classes(extra_allowed: tuple[str, ...]) -> dict[str, type]:
    attrs = {"extra_allowed": extra_allowed}
    http_conn = type("GuardedHTTPConnection", (_PinnedConnectionMixin, HTTPConnection), attrs)
    https_conn = type("GuardedHTTPSConnection", (_PinnedConnectionMixin, HTTPSConnection), attrs)
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(HTTPAdapter):
    def __init__(self, *, extra_allowed: tuple[str, ...] = (), **kwargs) -> None:
        self._pool_classes = _pool_classes(tuple(extra_allowed))
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise AddressRefused("دریافت از راه پراکسی پشتیبانی نمی‌شود.")


def guarded_session(*, extra_allowed: tuple[str, ...] = ()) -> requests.Session:
    """A requests session whose every connection passes the guard. No proxies or
    .netrc from the environment; redirects are the caller's to follow (and check)."""
    session = requests.Session()
    session.trust_env = False
    adapter = GuardedAdapter(extra_allowed=extra_allowed)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
