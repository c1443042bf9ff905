"""Fetching pages and polling feeds against a local HTTP server (never the internet)."""

from __future__ import annotations

import threading
from html import escape

import pytest

from claims.models import Article, ArticleState, Feed, FeedEntry, Source
from claims.services.articles import article_ingest
from claims.services.errors import InputTooLarge, InvalidInput
from claims.services.feeds import feed_add, feed_poll, html_to_text
from claims.services.fetch import FetchFailed, FetchTransient, fetch, fetch_article

from .helpers import article_page, gold_texts, rss_feed

pytestmark = pytest.mark.django_db


# --- fetch ------------------------------------------------------------------------


def test_fetch_article_extracts_main_text_with_a_clear_user_agent(http_server, settings):
    gold = gold_texts(2)[1]["text"]
    url = http_server.add("/news/1", article_page("عنوان آزمایشی", gold))
    page = fetch_article(url=url)
    assert page.title == "عنوان آزمایشی"
    assert gold.split("\n")[0][:40] in page.text
    assert "tracker" not in page.text and "صفحهٔ اصلی" not in page.text
    assert page.published_at is not None and page.published_at.tzinfo is not None
    assert http_server.hits("/news/1")[0]["user-agent"] == settings.FETCH_USER_AGENT


def test_ingest_by_url_fetches_once_and_dedupes_by_url(http_server):
    url = http_server.add("/news/2", article_page("خبر", gold_texts(3)[2]["text"]))
    article, created = article_ingest(url=url)
    again, created_again = article_ingest(url=url)
    assert created and not created_again and again.pk == article.pk
    assert article.origin == Article.Origin.URL and article.url == url
    assert len(http_server.hits("/news/2")) == 1


def test_fetch_size_limit(http_server, settings):
    settings.FETCH_MAX_BYTES = 10_000
    url = http_server.add("/big", "<p>" + "خبر " * 20_000 + "</p>")
    with pytest.raises(InputTooLarge):
        fetch(url)

    def chunked(handler):  # no Content-Length: the limit must hold while reading
        return 200, {"Content-Type": "text/html", "Content-Length": ""}, b"x" * 50_000

    http_server.routes["/big-unsized"] = chunked
    with pytest.raises(InputTooLarge):
        fetch(http_server.url("/big-unsized"))


def test_fetch_timeout_is_transient(http_server, settings):
    settings.FETCH_TIMEOUT_SECONDS = 1
    release = threading.Event()

    def slow(handler):  # answers only once the test is over
        release.wait(120)
        return 200, {"Content-Type": "text/html"}, b"<p>late</p>"

    http_server.routes["/slow"] = slow
    try:
        # The server holds its answer until the test ends, so returning at all means the
        # fetch gave up on its own timeout (without one it would get the 200 after 120 s).
        with pytest.raises(FetchTransient):
            fetch(http_server.url("/slow"))
    finally:
        release.set()


def test_redirect_loop_and_statuses(http_server):
    http_server.add("/a", "", status=302, headers={"Location": "/b"})
    http_server.add("/b", "", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchFailed) as info:
        fetch(http_server.url("/a"))
    assert not isinstance(info.value, FetchTransient)
    assert "تغییر مسیر" in info.value.message
    with pytest.raises(FetchTransient):
        fetch(http_server.add("/down", "oops", status=500))
    with pytest.raises(FetchFailed):
        fetch(http_server.add("/missing", "no", status=404))
    http_server.add("/moved", "", status=301, headers={"Location": "/final"})
    http_server.add("/final", "<p>ok</p>")
    assert fetch(http_server.url("/moved")).url.endswith("/final")


def test_private_addresses_are_refused(settings):
    settings.FETCH_ALLOWED_HOSTS = []
    with pytest.raises(FetchFailed):
        fetch("http://127.0.0.1:9/secret")
    with pytest.raises(InvalidInput):
        fetch("file:///etc/passwd")


def test_binary_page_is_refused(http_server):
    url = http_server.add("/file.pdf", b"%PDF-1.7\x00\x01\x02", content_type="application/pdf")
    with pytest.raises(InvalidInput):
        fetch_article(url=url)


# --- feeds --------------------------------------------------------------------------


@pytest.fixture
def persian_feed(http_server, registry):
    rows = gold_texts(6)[1:6]
    items = []
    for n, row in enumerate(rows):
        paragraphs = row["text"].split("\n")
        link = http_server.url(f"/news/{n}")
        http_server.add(f"/news/{n}", article_page(paragraphs[0][:60], row["text"]))
        if n == 0:
            # A teaser: the full text is on the page.
            description = f"<p>{escape(paragraphs[0][:120])}…</p>"
        else:
            description = "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "<script>alert('x')</script>"
        items.append({"title": paragraphs[0][:70], "link": link, "description": description, "guid": n})
    body = rss_feed(items)

    def serve(handler):
        etag, modified = '"v1"', "Sat, 02 May 2026 05:00:00 GMT"
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        if handler.headers.get("If-Modified-Since") == modified:
            return 304, {"Last-Modified": modified}, b""
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", "Last-Modified": modified}
        if not getattr(serve, "no_etag", False):
            headers["ETag"] = etag
        return 200, headers, body.encode()

    http_server.routes["/rss"] = serve
    publisher = Source.objects.get(slug="centcom")
    feed, _ = feed_add(url=http_server.url("/rss"), publisher=publisher)
    return feed, rows


def test_feed_poll_ingests_each_item_once(
    persian_feed, http_server, eager, django_capture_on_commit_callbacks
):
    feed, rows = persian_feed
    with django_capture_on_commit_callbacks(execute=True):
        result = feed_poll(feed_id=feed.pk)
    assert result.error == "" and result.new == len(rows)
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_modified == "Sat, 02 May 2026 05:00:00 GMT"
    assert feed.last_polled_at is not None and feed.last_error == ""
    assert feed.title == "خبرگزاری نمونه - سیاسی"
    articles = Article.objects.filter(feed=feed)
    assert articles.count() == len(rows) == FeedEntry.objects.filter(feed=feed).count()
    for article in articles:
        assert article.origin == Article.Origin.FEED and article.publisher.slug == "centcom"
        assert article.published_at is not None and article.url.startswith(http_server.base)
        assert "alert(" not in article.text
        assert article.state == ArticleState.DONE
    teaser = articles.get(url=http_server.url("/news/0"))
    assert len(teaser.text) > 200, "a teaser item takes the text of its page"

    # Second poll: the server answers 304 to the ETag; nothing new either way.
    again = feed_poll(feed_id=feed.pk)
    assert again.not_modified and again.new == 0
    assert http_server.hits("/rss")[-1]["if-none-match"] == '"v1"'
    # Last-Modified alone also makes the poll conditional.
    Feed.objects.filter(pk=feed.pk).update(etag="")
    assert feed_poll(feed_id=feed.pk).not_modified
    assert http_server.hits("/rss")[-1]["if-modified-since"] == "Sat, 02 May 2026 05:00:00 GMT"
    # Without either, the items are seen and skipped, not ingested twice.
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    third = feed_poll(feed_id=feed.pk)
    assert third.new == 0 and third.seen == len(rows) and not third.not_modified
    assert Article.objects.filter(feed=feed).count() == len(rows)


def test_atom_feed(http_server):
    text = gold_texts(8)[7]["text"]
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>نمونهٔ اتم</title><id>urn:x</id><updated>2026-05-02T05:00:00Z</updated>"
        "<entry><title>خبر اتم</title><id>urn:entry:1</id><updated>2026-05-02T05:00:00Z</updated>"
        f"<link href='{http_server.url('/atom/1')}'/><content type='html'>{escape(escape(text))}</content>"
        "</entry></feed>"
    )
    http_server.add("/atom", atom, content_type="application/atom+xml")
    feed, _ = feed_add(url=http_server.url("/atom"))
    result = feed_poll(feed_id=feed.pk)
    assert result.new == 1 and result.error == ""
    assert FeedEntry.objects.get(feed=feed).guid == "urn:entry:1"


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda s: s.add("/f", "boom", status=500, content_type="text/plain"), "500"),
        (lambda s: s.add("/f", "<<<not xml at all &&& ]]>", content_type="application/xml"), "RSS/Atom"),
        (lambda s: s.add("/f", "", status=302, headers={"Location": "/f"}), "تغییر مسیر"),
        (lambda s: s.add("/f", "<html><body><p>just a page</p></body></html>"), "RSS/Atom"),
    ],
    ids=["http-500", "garbage-xml", "redirect-loop", "html-not-feed"],
)
def test_broken_feeds_record_a_clear_error_and_write_nothing(http_server, setup, expected):
    setup(http_server)
    feed, _ = feed_add(url=http_server.url("/f"))
    good, _ = article_ingest(text="خبر پیشین که نباید از دست برود: سخنگو گفت همه چیز آرام است.")
    result = feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert expected in result.error and expected in feed.last_error
    assert feed.last_polled_at is not None
    assert not FeedEntry.objects.exists()
    assert list(Article.objects.values_list("pk", flat=True)) == [good.pk]


def test_empty_item_is_remembered_and_not_retried(http_server):
    http_server.add(
        "/rss",
        rss_feed([{"title": "خالی", "link": http_server.url("/nothing"), "description": "  "}]),
        content_type="application/rss+xml",
    )
    http_server.add("/nothing", "<html><body></body></html>")
    feed, _ = feed_add(url=http_server.url("/rss"))
    first = feed_poll(feed_id=feed.pk)
    assert first.failed == 1 and "خالی" in first.error
    assert FeedEntry.objects.filter(feed=feed, article__isnull=True).count() == 1
    second = feed_poll(feed_id=feed.pk)
    assert second.failed == 0 and second.seen == 1


def test_html_to_text_drops_scripts_and_keeps_paragraphs():
    text = html_to_text("<p>یک &amp; دو</p><script>alert(1)</script><p>سه<br>چهار</p>")
    assert text.splitlines() == ["یک & دو", "سه", "چهار"]
    assert "alert" not in text


def test_setup_schedules_is_idempotent():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("setup_schedules", "--feed-minutes", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tasks = {t.task: t for t in PeriodicTask.objects.all()}
    assert set(tasks) == {"claims.poll_all_feeds", "claims.requeue_stale_articles"}
    assert tasks["claims.poll_all_feeds"].interval.every == 3


def test_feeds_command_adds_lists_and_polls(http_server, registry):
    import io

    from django.core.management import call_command

    rows = gold_texts(3)[1:3]
    items = [
        {"title": f"خبر {n}", "link": http_server.url(f"/n/{n}"), "description": row["text"]}
        for n, row in enumerate(rows)
    ]
    http_server.add("/rss", rss_feed(items), content_type="application/rss+xml")
    out = io.StringIO()
    call_command("feeds", "add", http_server.url("/rss"), "--publisher", "خبرگزاری تسنیم", stdout=out)
    call_command("feeds", "poll", stdout=out, stderr=io.StringIO())
    call_command("feeds", "list", stdout=out)
    text = out.getvalue()
    assert "added: #" in text and "new 2, duplicate 0" in text and "[active]" in text
    assert Feed.objects.get().publisher.slug == "tasnim-news-agency"
    assert Article.objects.filter(origin=Article.Origin.FEED).count() == 2
