"""The client's address for lockouts and throttles: REMOTE_ADDR unless a proxy is trusted."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from claims.clientip import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "proxies", "remote", "forwarded", "expected"),
    [
        (0, [], "203.0.113.1", None, "203.0.113.1"),
        (0, [], "203.0.113.1", "1.2.3.4", "203.0.113.1"),  # no proxy configured: header ignored
        (1, [], "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, [], "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # spoofed left part ignored
        (2, [], "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, [], "10.0.0.2", None, "10.0.0.2"),
        (0, ["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (0, ["10.0.0.0/8"], "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not via the proxy
        (0, ["10.0.0.0/8"], "10.0.0.2", "garbage, 198.51.100.7", "198.51.100.7"),
        (0, ["10.0.0.0/8"], "10.0.0.2", "[2001:db8::1]:4711", "2001:db8::1"),
        (0, ["10.0.0.0/8"], "10.0.0.2", "198.51.100.7:5555", "198.51.100.7"),
    ],
)
def test_client_ip(settings, count, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote, forwarded)) == expected
