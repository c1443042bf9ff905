"""Shared fixtures: users in their roles, and access to the real services.

A test that needs PostgreSQL, Redis or a worker asks for the matching fixture.
Under CI=true a missing service fails the test; elsewhere it is skipped with
the reason."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _service_missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_postgres(settings):
    if not settings.IS_POSTGRES:
        _service_missing("needs PostgreSQL: set DATABASE_URL (make test under CI=true does)")
    if not _port_open("127.0.0.1", 5432):
        _service_missing("PostgreSQL is not answering on 127.0.0.1:5432")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        _service_missing("needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    if not _port_open("127.0.0.1", 6379):
        _service_missing("Redis is not answering on 127.0.0.1:6379")
    return url


def _user(django_user_model, username: str, group: str | None, **extra):
    from django.contrib.auth.models import Group

    from claims.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return _user(django_user_model, "editor1", "editor")


@pytest.fixture
def senior(db, django_user_model):
    return _user(django_user_model, "senior1", "senior_editor")


@pytest.fixture
def admin_user(db, django_user_model):
    return _user(django_user_model, "admin1", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def plain_user(db, django_user_model):
    """Logged in, but in no role."""
    return _user(django_user_model, "nobody1", None)


@pytest.fixture
def registry(db):
    """The shipped sources.json, loaded (the registry/*.json files are loaded where a test needs them)."""
    from claims.extraction.registry import SOURCES_FILE
    from claims.services.registry import registry_load

    registry_load(paths=[SOURCES_FILE])


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with empty caches, so a page cached by one test is never served to another."""
    from django.core.cache import cache

    from claims.cache import clear_local_layer

    cache.clear()
    clear_local_layer()
    yield
    cache.clear()
    clear_local_layer()


def _drop_celery_conf_overrides() -> None:
    # A value assigned to app.conf directly shadows Django's settings for good;
    # without it, Celery reads the (fixture-overridable) Django settings live.
    from factcheck.celery import app

    for key in ("task_always_eager", "task_eager_propagates"):
        with contextlib.suppress(KeyError):
            del app.conf.changes[key]


@pytest.fixture
def eager(settings):
    """Run Celery tasks in-process even when a broker is configured (CI sets one)."""
    _drop_celery_conf_overrides()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    yield settings
    _drop_celery_conf_overrides()


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, driven by Playwright's sync API) for the whole
    session. Playwright's sync API runs an event loop in this thread, so a second
    ``sync_playwright()`` opened while this one lives would fail: every browser test
    takes its contexts from this fixture."""
    if not Path(CHROMIUM).exists():
        message = f"chromium not found at {CHROMIUM} (make chromium installs it)"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing browser is a failure)")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        if IN_CI:
            pytest.fail("the playwright package is not installed")
        pytest.skip("the playwright package is not installed")
    # The live server and the tests' own ORM calls are synchronous and safe beside the loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
