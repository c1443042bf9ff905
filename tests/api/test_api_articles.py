"""POST /api/v1/articles/: a partner submits an article into the ingestion pipeline."""

from __future__ import annotations

from claims.models import Article

TEXT = "سخنگوی وزارت خارجه گفت که دور تازهٔ گفتگوها هفتهٔ آینده در مسقط برگزار می‌شود."


def test_submit_answers_202_with_id_and_status_url(api, keys, world):
    client = api(keys.submit)
    response = client.post(
        "/api/v1/articles/",
        {
            "text": TEXT,
            "title": "گفتگوها در مسقط",
            "url": "https://outlet.example/news/1",
            "publisher": "tasnim",
            "published_at": "2026-03-01T08:30:00+03:30",
        },
    )
    assert response.status_code == 202, response.content
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert article.origin == Article.Origin.API
    assert article.publisher == world.outlet
    assert article.text == TEXT
    assert body["duplicate"] is False and body["state"] == "queued"
    assert body["published_at"] == "2026-03-01T05:00:00Z"
    assert body["status_url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert response["Location"] == body["status_url"]
    status = client.get(body["status_url"])
    assert status.status_code == 200 and status.json()["id"] == article.pk


def test_duplicate_returns_the_existing_article(api, keys):
    client = api(keys.submit)
    first = client.post("/api/v1/articles/", {"text": TEXT}).json()
    # The same text with Arabic letter forms and no ZWNJ is the same article.
    again = client.post("/api/v1/articles/", {"text": TEXT.replace("ی", "ي").replace("\u200c", "")})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["duplicate"] is True
    assert Article.objects.count() == 1


def test_duplicate_by_url(api, keys, world):
    response = api(keys.submit).post("/api/v1/articles/", {"url": world.article.url, "title": "x"})
    assert response.status_code == 200
    assert response.json()["id"] == world.article.pk


def test_submit_validation(api, keys):
    client = api(keys.submit)
    for body, field in [
        ({}, "non_field_errors"),
        ({"text": "   "}, "text"),
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"text": TEXT, "published_at": "last week"}, "published_at"),
        ({"text": TEXT, "title": "x" * 501}, "title"),
    ]:
        response = client.post("/api/v1/articles/", body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["error"]["details"], (body, response.json())


def test_an_unknown_publisher_is_404(api, keys):
    # A well-formed slug that names no source: the record referred to does not exist.
    response = api(keys.submit).post("/api/v1/articles/", {"text": TEXT, "publisher": "unknown-outlet"})
    assert response.status_code == 404 and "unknown-outlet" in response.json()["error"]["message"]


def test_binary_text_is_refused_by_the_ingest_service(api, keys):
    response = api(keys.submit).post("/api/v1/articles/", {"text": "\x00\x01\x02" * 50})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_status_of_unknown_article_is_404(api, keys):
    assert api(keys.submit).get("/api/v1/articles/999999/").status_code == 404


def test_an_unfetchable_url_is_accepted_then_failed_with_the_reason(
    api, keys, monkeypatch, eager, django_capture_on_commit_callbacks
):
    """The page is fetched after the answer (202), so a dead or slow site shows up
    in the article's status, never as a long request."""
    from claims.services import fetch

    def failing(*, url):
        raise fetch.FetchFailed("not found", details={"url": url})

    def slow(*, url):
        raise fetch.FetchTransient("timeout", details={"url": url})

    client = api(keys.submit)
    for fetcher, url, error in [
        (failing, "https://gone.example/a", "not found"),
        (slow, "https://slow.example/a", "timeout"),
    ]:
        monkeypatch.setattr(fetch, "fetch_article", fetcher)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/articles/", {"url": url})
        assert response.status_code == 202 and response.json()["state"] == "fetching"
        status = client.get(response.json()["status_url"]).json()
        assert (status["state"], status["error"]) == ("failed", error)


def test_status_is_visible_only_to_partners_that_submitted_the_article(api, keys, world):
    from claims.services.partners import api_key_create, partner_create

    other = partner_create(name="Outlet Two")
    other_key = api_key_create(partner=other, scopes=["submit"])[1]
    mine = api(keys.submit).post("/api/v1/articles/", {"text": TEXT}).json()
    # Another partner cannot read it, nor an article that came from a feed or the desk.
    assert api(other_key).get(f"/api/v1/articles/{mine['id']}/").status_code == 404
    assert api(keys.submit).get(f"/api/v1/articles/{world.article.pk}/").status_code == 404
    # Sending the same text does not reveal the first partner's article: the answer
    # looks like a new one, under an id of its own (tests/api/test_duplicate_oracle.py).
    again = api(other_key).post("/api/v1/articles/", {"text": TEXT})
    assert again.status_code == 202 and again.json()["id"] != mine["id"]
    assert api(other_key).get(f"/api/v1/articles/{mine['id']}/").status_code == 404
    assert api(other_key).get(again.json()["status_url"]).status_code == 200
    assert api(keys.submit).get(f"/api/v1/articles/{mine['id']}/").status_code == 200
