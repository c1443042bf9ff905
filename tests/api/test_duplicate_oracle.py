"""A duplicate submission tells a partner about an article only when that partner sent
it in itself or the article is public; otherwise the answer looks like a new one."""

from __future__ import annotations

import pytest

from claims import models as m
from claims.services.partners import api_key_create, partner_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = "سخنگوی وزارت خارجه روز دوشنبه گفت که دور تازهٔ گفت‌وگوها هفتهٔ آینده در مسقط برگزار می‌شود."
FRESH = "وزیر نیرو گفت که ذخیرهٔ آب سدهای تهران به کمترین اندازهٔ ده سال گذشته رسیده است."


@pytest.fixture
def other_key(db):
    return api_key_create(partner=partner_create(name="Outlet Two"), scopes=["submit"])[1]


def _shape(body: dict) -> dict:
    return {k: body[k] for k in ("state", "duplicate", "error", "extracted_at")}


def test_a_desk_article_is_not_revealed_to_a_partner(api, keys):
    held = ArticleFactory(text=TEXT, title="عنوان داخلی تحریریه", url="https://intranet.example/admin/")
    client = api(keys.submit)
    hidden = client.post("/api/v1/articles/", {"text": TEXT, "title": "عنوان من"})
    new = client.post("/api/v1/articles/", {"text": FRESH, "title": "عنوان من"})
    assert hidden.status_code == new.status_code == 202
    body = hidden.json()
    assert (
        _shape(body)
        == _shape(new.json())
        == {"state": "queued", "duplicate": False, "error": "", "extracted_at": None}
    )
    # Its own id, from the same sequence as a new article's, never the held one's.
    assert (
        body["id"] != held.pk
        and body["id"] > held.pk
        and not m.Article.objects.filter(pk=body["id"]).exists()
    )
    assert body["title"] == "عنوان من" and body["url"] is None
    text = hidden.content.decode()
    assert "عنوان داخلی تحریریه" not in text and "intranet.example" not in text
    # Its status address answers this partner, with the same masked view ...
    status = client.get(body["status_url"])
    assert status.status_code == 200 and status.json()["id"] == body["id"]
    assert status.json()["title"] == "عنوان من"
    assert "عنوان داخلی تحریریه" not in status.content.decode()
    # ... and the held article's own id stays unknown to it.
    assert client.get(f"/api/v1/articles/{held.pk}/").status_code == 404
    # Sending it again is a duplicate of what this partner sent, still under its alias.
    again = client.post("/api/v1/articles/", {"text": TEXT})
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["duplicate"] is True
    assert m.Article.objects.filter(content_hash=held.content_hash).count() == 1  # nothing stored twice


def test_a_url_the_desk_holds_is_not_revealed(api, keys):
    held = ArticleFactory(text=TEXT, title="صفحهٔ ورود مدیریت", url="https://news.example/a/1")
    response = api(keys.submit).post("/api/v1/articles/", {"url": held.url})
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "fetching" and body["duplicate"] is False and body["id"] != held.pk
    assert "صفحهٔ ورود مدیریت" not in response.content.decode()


def test_another_partners_article_is_not_revealed(api, keys, other_key):
    mine = api(keys.submit).post("/api/v1/articles/", {"text": TEXT, "title": "عنوان یک"}).json()
    theirs = api(other_key).post("/api/v1/articles/", {"text": TEXT})
    assert theirs.status_code == 202 and theirs.json()["id"] != mine["id"]
    assert "عنوان یک" not in theirs.content.decode()
    assert api(other_key).get(f"/api/v1/articles/{mine['id']}/").status_code == 404
    # The first partner still sees its own article as it was.
    assert api(keys.submit).get(f"/api/v1/articles/{mine['id']}/").json()["title"] == "عنوان یک"


def test_own_and_public_articles_are_reported_as_duplicates(api, keys, world):
    client = api(keys.submit)
    first = client.post("/api/v1/articles/", {"text": TEXT}).json()
    again = client.post("/api/v1/articles/", {"text": TEXT})
    assert again.status_code == 200 and again.json() == {**first, "duplicate": True}
    # world.article is the source of a published claim: public, so reported as it is.
    public = client.post("/api/v1/articles/", {"url": world.article.url})
    assert public.status_code == 200
    assert public.json()["id"] == world.article.pk and public.json()["duplicate"] is True
