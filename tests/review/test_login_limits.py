"""Password spraying is locked per address across user names; one person's
mistakes lock only that name from that address; behind a trusted proxy the
address is the client's, so an attacker there does not lock out the desk."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCKED = "ورود موقتاً بسته شد"


def _login(address: str, username: str, password: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/review/"


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 12
    return settings


def test_spraying_many_user_names_from_one_address_is_locked(limits, editor):
    # 3 tries on each of 4 names: never 5 on one name, so only the address limit can stop it.
    names = [f"user{n}" for n in range(3)] + ["editor1"]
    statuses = [_login("203.0.113.10", name, "Winter2026!").status_code for name in names for _ in range(3)]
    assert statuses == [200] * 11 + [429]  # the 12th failure from the address locks it
    locked = _login("203.0.113.10", "someone-else", "Winter2026!")
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    # The right password from that address is refused too, while the lock lasts...
    assert _login("203.0.113.10", "editor1", "pw-editor1").status_code == 429
    # ...but the editor logs in from their own address.
    assert _logged_in(_login("198.51.100.30", "editor1", "pw-editor1"))


def test_one_user_mistyping_locks_only_that_name_from_that_address(limits, editor, senior):
    for _ in range(5):
        _login("203.0.113.11", "editor1", "wrong")
    assert _login("203.0.113.11", "editor1", "pw-editor1").status_code == 429
    assert _logged_in(_login("203.0.113.11", "senior1", "pw-senior1"))
    assert _logged_in(_login("198.51.100.31", "editor1", "pw-editor1"))


def test_behind_a_trusted_proxy_an_attacker_does_not_lock_out_everyone(limits, editor):
    limits.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(12):
        _login("10.0.0.2", f"user{n}", "Winter2026!", forwarded="203.0.113.12")
    assert _login("10.0.0.2", "anyone", "x", forwarded="203.0.113.12").status_code == 429
    # Another reader through the same proxy: a different client address.
    assert _logged_in(_login("10.0.0.2", "editor1", "pw-editor1", forwarded="198.51.100.32"))


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(limits, editor):
    limits.TRUSTED_PROXIES = []
    limits.TRUSTED_PROXY_COUNT = 0
    for n in range(12):
        _login("203.0.113.13", f"user{n}", "x", forwarded=f"192.0.2.{n}")
    assert _login("203.0.113.13", "editor1", "pw-editor1", forwarded="192.0.2.99").status_code == 429
