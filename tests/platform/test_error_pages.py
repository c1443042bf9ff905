"""The product's Persian error pages (400, 403, 404, 500) in both DEBUG modes; the API
keeps its JSON error shape; the debug page, where it can still appear, hides secrets."""

from __future__ import annotations

import sys
import uuid
from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter

pytestmark = pytest.mark.django_db

HEADINGS = {
    400: "درخواست نادرست",
    403: "دسترسی ندارید",
    404: "صفحه پیدا نشد",
    500: "خطایی در سرور رخ داد",
}
# What Django's own pages say (the technical 404 lists every URL pattern).
DJANGO_PAGES = (
    "Using the URLconf",
    "Traceback",
    "Page not found",
    "Bad Request",
    "Server Error",
    "Forbidden",
)


def _assert_product_page(response, status: int) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    assert "vendor/vazirmatn/vazirmatn.css" in body
    assert "css/app.css" in body
    assert HEADINGS[status] in body
    assert "site-header" in body and "site-footer" in body  # the site's own layout
    for text in DJANGO_PAGES:
        assert text not in body, text
    return body


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_404_for_an_unknown_address(debug, client):
    _assert_product_page(client.get("/no-such-page/"), 404)


def test_404_raised_by_a_view(debug, client):
    _assert_product_page(client.get("/sources/no-such-source/"), 404)


def test_400_for_a_disallowed_host(debug, client):
    _assert_product_page(client.get("/", HTTP_HOST="attacker.example"), 400)


def test_403_for_an_account_without_a_role(debug, client, plain_user):
    client.force_login(plain_user)
    body = _assert_product_page(client.get("/review/"), 403)
    assert "هیچ نقشی" in body


def test_403_for_a_failed_csrf_check(debug, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    body = _assert_product_page(client.post("/review/ingest/", {"text": "x"}), 403)
    assert "فرم منقضی شده" in body


def test_500_for_an_unexpected_error(debug, caplog):
    client = Client(raise_request_exception=False)
    with mock.patch("claims.views.public.published_claims", side_effect=RuntimeError("boom-in-view")):
        response = client.get("/claims/5/")
    body = _assert_product_page(response, 500)
    assert "boom-in-view" not in body
    # The traceback goes to the log, where developers read it.
    assert any(r.exc_info and "boom-in-view" in str(r.exc_info[1]) for r in caplog.records)


def test_the_api_keeps_its_json_error_shape(debug, client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = client.get("/api/v1/claims/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_the_500_page_renders_without_the_database():
    from django.db import connection

    from claims.views.errors import server_error

    request = RequestFactory().get("/claims/")
    with mock.patch.object(connection, "cursor", side_effect=AssertionError("no query on the 500 page")):
        response = server_error(request)
    assert response.status_code == 500
    assert HEADINGS[500] in response.content.decode()


def _raise_inside(request):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return ExceptionReporter(request, *sys.exc_info()).get_traceback_html()


def test_the_debug_page_hides_connection_strings(settings):
    """With DJANGO_DEBUG=1 the technical page can still appear (an error inside a
    middleware); the reporter filter keeps every password out of it, from the
    settings and from request.META (which holds the environment under runserver)."""
    secrets = {name: f"{name.lower()}-{uuid.uuid4().hex}" for name in ("DB", "BROKER", "CACHE")}
    settings.DATABASE_URL = f"postgres://app:{secrets['DB']}@db.internal:5432/factcheck"
    settings.CELERY_BROKER_URL = f"redis://:{secrets['BROKER']}@redis.internal:6379/0"
    settings.REDIS_URL = f"redis://:{secrets['CACHE']}@redis.internal:6379/1"
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {"default": {"BACKEND": locmem, "LOCATION": settings.REDIS_URL}}
    settings.DEBUG = True
    environ = {
        "DATABASE_URL": settings.DATABASE_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.REDIS_URL,
    }
    html = _raise_inside(RequestFactory().get("/claims/", **environ))
    assert "boom" in html and "DATABASE_URL" in html  # it is the debug page, listing the names
    for secret in secrets.values():
        assert secret not in html
