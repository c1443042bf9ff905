"""Bad feed items and bad feed addresses: each item's error is recorded, the poll goes on,
and the feed keeps working at the next poll."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Feed, FeedEntry
from claims.services.errors import InvalidInput
from claims.services.feeds import feed_add, feed_poll

from .helpers import gold_texts

pytestmark = pytest.mark.django_db


def _item(guid: str, title: str, text: str, link: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid isPermaLink='false'>{guid}</guid>"
        "<pubDate>Sat, 02 May 2026 05:00:00 GMT</pubDate>"
        f"<description><![CDATA[{text}]]></description></item>"
    )


def _feed(items: list[str]) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>خوراک</title>"
        "<link>http://127.0.0.1/</link><description>x</description>" + "".join(items) + "</channel></rss>"
    )


def test_a_nul_in_a_guid_is_that_items_error_and_the_poll_goes_on(http_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    texts = [r["text"] for r in gold_texts(4)[1:4]]
    items = [
        _item("good-1", "خبر یک", texts[0], http_server.url("/n/1")),
        _item("bad&#0;guid", "خبر بد", texts[1], http_server.url("/n/2")),
        _item("good-3", "خبر سه", texts[2], http_server.url("/n/3")),
        _item("bad-text", "خبر دودویی", "متن\x01\x02\x03\x04\x05\x06\x07\x08" * 40, http_server.url("/n/4")),
    ]
    http_server.add("/rss", _feed(items), content_type="application/rss+xml")
    feed, _ = feed_add(url=http_server.url("/rss"))
    result = feed_poll(feed_id=feed.pk)
    assert result.new == 2 and result.failed == 2
    feed.refresh_from_db()
    assert "guid" in feed.last_error and "bad-text" in feed.last_error
    assert set(Article.objects.values_list("title", flat=True)) == {"خبر یک", "خبر سه"}
    assert FeedEntry.objects.filter(feed=feed).count() == 4
    # The next poll is not blocked: the bad items are remembered, seen, and not retried.
    again = feed_poll(feed_id=feed.pk)
    assert again.failed == 0 and again.seen == 4 and again.error == ""
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_an_unexpected_failure_in_one_item_does_not_end_the_poll(http_server, settings, monkeypatch):
    from claims.services import feeds

    settings.CELERY_TASK_ALWAYS_EAGER = True
    texts = [r["text"] for r in gold_texts(3)[1:3]]
    items = [
        _item("boom", "خبر انفجار", texts[0], http_server.url("/n/1")),
        _item("fine", "خبر سالم", texts[1], http_server.url("/n/2")),
    ]
    http_server.add("/rss", _feed(items), content_type="application/rss+xml")
    feed, _ = feed_add(url=http_server.url("/rss"))
    real = feeds._ingest_entry

    def flaky(feed, entry, result):
        if entry.get("id") == "boom":
            raise ValueError("an unforeseen problem")
        return real(feed, entry, result)

    monkeypatch.setattr(feeds, "_ingest_entry", flaky)
    result = feed_poll(feed_id=feed.pk)
    assert result.new == 1 and result.failed == 1 and "an unforeseen problem" in result.error
    feed.refresh_from_db()
    assert "boom" in feed.last_error


def test_feed_add_refuses_a_5000_character_url():
    url = "https://feeds.example/" + "a" * 5000
    with pytest.raises(InvalidInput) as raised:
        feed_add(url=url)
    assert "2,000" in raised.value.message
    with pytest.raises(InvalidInput):
        feed_add(url="https://feeds.example/\x00rss")
    assert not Feed.objects.exists()


def test_feeds_add_command_gives_a_clean_error_for_a_long_url():
    with pytest.raises(CommandError) as raised:
        call_command("feeds", "add", "https://feeds.example/" + "a" * 5000, stdout=io.StringIO())
    assert "2,000" in str(raised.value)
    assert not Feed.objects.exists()
