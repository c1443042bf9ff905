"""A control character in an address, a query string or a form body is a 400 on every page,
anonymous or not, before any view or query runs (it was a 500: PostgreSQL refuses NUL)."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import Article

pytestmark = pytest.mark.django_db

TEXT = "سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد و نتیجه به زودی اعلام می‌شود."


@pytest.fixture
def client():
    # Report a 500 as a status instead of raising it, as a real server would answer.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        "/?outlet=%00",
        "/?source=%00",
        "/?q=%00",
        "/?page=%00",
        "/claims/?rating=%00",
        "/claims/?%00=1",
        "/sources/%00/",
        "/sources/a%00b/",
        "/feeds/sources/%00/",
        "/feeds/sources/%00/atom/",
        "/claims/x%00-1/",
        "/?q=%1b%5b31m",
        "/sitemap.xml?p=%00",
        "/accounts/login/?next=%00",
    ],
)
def test_anonymous_pages_answer_400_not_500(client, path):
    response = client.get(path)
    assert response.status_code == 400, (path, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/review/?q=%00",
        "/review/?publisher=%00",
        "/review/claims/?q=%00",
        "/review/sources/?q=%00",
        "/review/search/claims/?q=%00",
        "/review/search/sources/?q=a%00",
    ],
)
def test_desk_query_strings_answer_400(client, editor, path):
    client.force_login(editor)
    assert client.get(path).status_code == 400


def test_desk_query_string_with_nul_is_400_before_login_too(client):
    # Not a redirect to the login page that carries the NUL along.
    assert client.get("/review/?q=%00").status_code == 400


def test_ordinary_queries_still_work(client, editor):
    assert client.get("/?q=%D8%B3%D8%AE%D9%86%DA%AF%D9%88").status_code == 200
    assert client.get("/claims/?q=a%09b").status_code == 200  # a tab is harmless
    client.force_login(editor)
    assert client.get("/review/?q=%D8%AE%D8%A8%D8%B1").status_code == 200


def test_form_body_with_nul_is_refused_and_nothing_stored(client, editor):
    client.force_login(editor)
    response = client.post("/review/ingest/", {"text": TEXT + "\x00", "title": "عنوان"})
    assert response.status_code == 400
    response = client.post("/review/ingest/", {"text": TEXT, "title": "عنوان\x00"})
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_raw_png_bytes_as_a_form_body_are_refused(client, editor):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    client.force_login(editor)
    for content_type in ("application/x-www-form-urlencoded", "text/plain", "image/png"):
        response = client.generic("POST", "/review/ingest/", png, content_type=content_type)
        assert 400 <= response.status_code < 500, (content_type, response.status_code)
    # The same bytes as the text field of a multipart form (as a browser would send a paste).
    response = client.post("/review/ingest/", {"text": png.decode("latin-1"), "title": ""})
    assert 400 <= response.status_code < 500
    assert not Article.objects.exists()


def test_desk_paste_of_binary_without_nul_is_a_persian_form_error(client, editor):
    client.force_login(editor)
    binary = bytes(range(1, 32)).decode("latin-1") * 20 + TEXT
    response = client.post("/review/ingest/", {"text": binary})
    assert response.status_code == 422
    assert "متن نیست" in response.content.decode()
    assert not Article.objects.exists()
