"""Abuse limits on the partner API: failed key attempts are throttled per client
address (in the API's error shape, with Retry-After), and the address comes from a
trusted proxy only when one is configured."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.django_db


def _away_from_the_window_edge(period: int) -> None:
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.1)


@pytest.fixture
def client_at(api):
    def get(key: str, address: str, forwarded: str | None = None):
        client = api(key)
        extra = {"REMOTE_ADDR": address}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client.client.get(
            "/api/v1/ratings/", headers={"authorization": f"Bearer {key}"} if key else {}, **extra
        )

    return get


def test_failed_keys_are_throttled_per_address(client_at, keys, settings):
    settings.API_FAILED_KEY_RATE = "5/hour"
    _away_from_the_window_edge(3600)
    wrong = [keys.wrong, keys.revoked, keys.expired, "fc_ZZZZZZZZ_" + "y" * 43, keys.wrong]
    assert [client_at(key, "203.0.113.7").status_code for key in wrong] == [401] * 5
    blocked = client_at(keys.wrong, "203.0.113.7")
    assert blocked.status_code == 429
    retry_after = int(blocked["Retry-After"])
    assert 1 <= retry_after <= 3600
    assert blocked.json()["error"] == {
        "code": "throttled",
        "message": f"Rate limit exceeded. Retry in {retry_after} seconds.",
        "details": {"retry_after": retry_after},
    }
    # While blocked, a right key from that address is refused too: guessing cannot
    # tell a hit from a miss.
    assert client_at(keys.read, "203.0.113.7").status_code == 429
    # Other addresses, and the partner's own servers, are not affected.
    assert client_at(keys.read, "198.51.100.20").status_code == 200
    assert client_at(keys.wrong, "198.51.100.20").status_code == 401


def test_requests_without_a_key_are_not_counted_as_failures(client_at, keys, settings):
    settings.API_FAILED_KEY_RATE = "2/hour"
    _away_from_the_window_edge(3600)
    for _ in range(5):
        assert client_at("", "203.0.113.8").status_code == 401
    assert client_at(keys.read, "203.0.113.8").status_code == 200


def test_a_forged_forwarded_header_does_not_escape_the_limit(client_at, keys, settings):
    """Without a trusted proxy X-Forwarded-For is the client's own words: ignored."""
    settings.API_FAILED_KEY_RATE = "3/hour"
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = []
    _away_from_the_window_edge(3600)
    statuses = [client_at(keys.wrong, "203.0.113.9", forwarded=f"10.0.0.{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client_at, keys, settings):
    settings.API_FAILED_KEY_RATE = "3/hour"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    _away_from_the_window_edge(3600)
    proxy = "10.0.0.2"
    attacker = [client_at(keys.wrong, proxy, forwarded="203.0.113.50").status_code for _ in range(4)]
    assert attacker == [401, 401, 401, 429]
    # A partner behind the same proxy is not locked out by the attacker.
    assert client_at(keys.read, proxy, forwarded="198.51.100.60").status_code == 200
    # The attacker cannot pick a fresh address by prepending one: the proxy appended
    # the real one last, and that is the one counted.
    assert client_at(keys.wrong, proxy, forwarded="192.0.2.1, 203.0.113.50").status_code == 429
