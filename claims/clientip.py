"""The client's address, the same for login lockouts (axes) and the API's throttles.

Without a configured proxy it is ``REMOTE_ADDR``: an ``X-Forwarded-For`` header is
then only something the client wrote, and trusting it would let anyone pick the
address they are counted under (or lock someone else out). Behind reverse proxies
set either ``TRUSTED_PROXY_COUNT`` (each proxy appends one entry) or
``TRUSTED_PROXIES`` (their addresses or networks); the client is then the first
address, from the right of the chain, that is not one of those proxies."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 - an address to count under, never bound
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not count and not networks:
        return remote
    if networks and not _trusted(remote, networks):
        return remote  # it did not come through our proxy: its header proves nothing
    forwarded = [_address(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in forwarded if a] + [remote]
    if networks:
        for address in reversed(chain):
            if not _trusted(address, networks):
                return address
        return chain[0]
    # REMOTE_ADDR is the last proxy; each of the ``count`` proxies appended one entry.
    index = len(chain) - 1 - count
    return chain[index] if index >= 0 else chain[0]
