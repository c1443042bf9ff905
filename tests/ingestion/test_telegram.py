"""Telegram channels in: Desktop exports and public preview pages served locally."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Feed, FeedEntry, Source, SourceAlias
from claims.services.feeds import feed_poll
from claims.services.telegram import (
    TelegramFileInvalid,
    channel_add,
    flatten_text,
    parse_preview,
    telegram_export_import,
)

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).resolve().parents[1] / "data" / "telegram" / "channel-export.json"


def _export() -> dict:
    return json.loads(EXPORT.read_text(encoding="utf-8"))


def _expected(export: dict) -> dict[str, int]:
    """What the fixture holds, counted from the file itself."""
    service = sum(1 for m in export["messages"] if m["type"] == "service")
    with_text = [m for m in export["messages"] if m["type"] == "message" and flatten_text(m["text"]).strip()]
    return {
        "service": service,
        "with_text": len(with_text),
        "no_text": len(export["messages"]) - service - len(with_text),
        "forwarded": sum(1 for m in with_text if m.get("forwarded_from")),
    }


@pytest.fixture
def channel_source(db):
    source = Source.objects.create(kind="media_group", name_fa="اخبار آزمایشی", slug="akhbar-test")
    SourceAlias.objects.create(source=source, text="اخبار آزمایشی")
    isna = Source.objects.create(kind="news_agency", name_fa="خبرگزاری ایسنا", slug="isna-test")
    SourceAlias.objects.create(source=isna, text="خبرگزاری ایسنا")
    return source


def test_the_fixture_is_a_desktop_export_with_every_kind_of_message():
    export = _export()
    messages = export["messages"]
    assert len(messages) >= 200
    assert {"name", "type", "id", "messages"} <= set(export)
    assert any(m.get("forwarded_from") for m in messages)
    assert any(isinstance(m.get("text"), list) for m in messages)  # formatting entities
    assert any(m.get("edited") for m in messages)
    assert any(m.get("photo") and not m["text"] for m in messages)  # album photos without caption
    assert any(m["type"] == "service" for m in messages)


def test_an_export_imports_with_the_right_counts_and_again_adds_nothing(channel_source, eager):
    export = _export()
    expected = _expected(export)
    out = io.StringIO()
    call_command("telegram_import", str(EXPORT), "--channel", "akhbar_test", stdout=out, stderr=io.StringIO())
    summary = out.getvalue()
    assert f"posts: {expected['with_text']}  new: {expected['with_text']}" in summary, summary
    assert f"skipped (service messages): {expected['service']}" in summary
    assert f"skipped (no text): {expected['no_text']}" in summary
    articles = Article.objects.filter(url__startswith="https://t.me/akhbar_test/")
    assert articles.count() == expected["with_text"]
    assert set(articles.values_list("publisher_id", flat=True)) == {channel_source.pk}
    assert articles.exclude(relayed_from_name="").count() == expected["forwarded"]
    assert articles.filter(relayed_from__slug="isna-test").exists()

    again = io.StringIO()
    call_command(
        "telegram_import", str(EXPORT), "--channel", "akhbar_test", stdout=again, stderr=io.StringIO()
    )
    assert f"new: 0  duplicate: {expected['with_text']}" in again.getvalue()
    assert Article.objects.count() == expected["with_text"]


def test_a_post_keeps_its_link_date_and_flattened_text(channel_source, eager):
    export = _export()
    formatted = next(m for m in export["messages"] if isinstance(m.get("text"), list))
    telegram_export_import(data=EXPORT.read_bytes(), channel="akhbar_test")
    article = Article.objects.get(url=f"https://t.me/akhbar_test/{formatted['id']}")
    flat = "".join(p if isinstance(p, str) else p["text"] for p in formatted["text"])
    assert article.text == flat
    # Every entity's text is at the same place in the article as in the post.
    position = 0
    for part in formatted["text_entities"]:
        assert article.text[position : position + len(part["text"])] == part["text"]
        position += len(part["text"])
    assert int(article.published_at.timestamp()) == int(formatted["date_unixtime"])
    # The edited post is there once, in its exported (last) form.
    edited = next(m for m in export["messages"] if m.get("edited"))
    assert Article.objects.filter(url=f"https://t.me/akhbar_test/{edited['id']}").count() == 1


def test_without_a_channel_name_posts_link_to_the_channel_id(channel_source, eager):
    export = _export()
    result = telegram_export_import(data=EXPORT.read_bytes())
    assert result.new > 0
    assert Article.objects.filter(url__startswith=f"https://t.me/c/{export['id']}/").count() == result.new


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"name": "x", "messages": [\n{"id": 1,\n"type": "message" "text": ""}]}', "سطر 3"),
        (b"\xff\xfe not utf-8", "UTF-8"),
        (b'["not", "an", "export"]', "messages"),
        (b'{"name": "x"}', "messages"),
        (b"[" * 50_000 + b"]" * 50_000, "تودرتو"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(data, message, db):
    with pytest.raises(TelegramFileInvalid) as error:
        telegram_export_import(data=data, channel="akhbar_test")
    assert message in error.value.message
    assert Article.objects.count() == 0


def test_a_bad_post_is_named_and_the_others_are_imported(channel_source, eager, tmp_path):
    export = {
        "name": "اخبار آزمایشی",
        "type": "public_channel",
        "id": 77,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2024-03-01T10:00:00",
                "text": "سخنگوی دولت گفت: «جلسه فردا است.»",
            },
            {"id": 2, "type": "message", "date": "2024-03-01T10:05:00", "text": ["a", 5]},
            {"id": "three", "type": "message", "text": "x"},
            {"id": 4, "type": "message", "date": "not a date", "text": "وزیر نفت گفت تولید بالا رفت."},
            {
                "id": 5,
                "type": "message",
                "date": "2024-03-01T10:15:00",
                "text": "وزیر بهداشت گفت واکسن رسید.",
            },
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 posts"):
        call_command(
            "telegram_import", str(path), "--channel", "akhbar_test", stdout=io.StringIO(), stderr=err
        )
    assert "پست 2" in err.getvalue() and "پست 4" in err.getvalue() and "پیام شمارهٔ 3" in err.getvalue()
    assert set(Article.objects.values_list("url", flat=True)) == {
        "https://t.me/akhbar_test/1",
        "https://t.me/akhbar_test/5",
    }


# --- preview pages ------------------------------------------------------------------


def preview_page(channel: str, posts: list[dict], *, older: int | None) -> str:
    """A page in the structure of https://t.me/s/<channel>."""
    blocks = []
    for post in posts:
        forwarded = (
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/irna/1">'
            f'<span dir="auto">{post["forwarded"]}</span></a></div>'
            if post.get("forwarded")
            else ""
        )
        service = " service_message" if post.get("service") else ""
        text = (
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{post["html"]}</div>'
            if post.get("html")
            else ""
        )
        link = f"https://t.me/{channel}"
        owner = (
            f'<a class="tgme_widget_message_owner_name" href="{link}">'
            '<span dir="auto">اخبار آزمایشی</span></a>'
        )
        date = (
            f'<a class="tgme_widget_message_date" href="{link}/{post["id"]}">'
            f'<time datetime="{post["time"]}" class="time">10:00</time></a>'
        )
        blocks.append(
            f"""<div class="tgme_widget_message_wrap js-widget_message_wrap">
  <div class="tgme_widget_message text_not_supported_wrap js-widget_message{service}"
       data-post="{channel}/{post["id"]}" data-view="eyJjIjotMTAwfQ">
    <div class="tgme_widget_message_user">
      <a href="{link}"><i class="tgme_widget_message_user_photo"></i></a>
    </div>
    <div class="tgme_widget_message_bubble">
      <div class="tgme_widget_message_author accent_color">{owner}</div>
      {forwarded}
      {text}
      <div class="tgme_widget_message_footer compact js-message_footer">
        <div class="tgme_widget_message_info short js-message_info">
          <span class="tgme_widget_message_views">12.4K</span>
          <span class="tgme_widget_message_meta">{date}</span>
        </div>
      </div>
    </div>
  </div>
</div>"""
        )
    prev = f'<link rel="prev" href="/s/{channel}?before={older}">' if older else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>اخبار آزمایشی – Telegram</title>
<meta property="og:title" content="اخبار آزمایشی">
{prev}
</head><body class="widget_frame_base tgme_webpreview">
<main class="tgme_main"><section class="tgme_channel_history js-message_history">
{"".join(blocks)}
</section></main></body></html>"""


def _posts(first: int, last: int) -> list[dict]:
    return [
        {
            "id": n,
            "time": f"2024-03-{1 + n % 27:02d}T10:{n % 60:02d}:00+00:00",
            "html": f"سخنگوی وزارت خارجه گفت:<br/>«گفتگوها <b>ادامه</b> دارد.» شمارهٔ {n}",
        }
        for n in range(first, last + 1)
    ]


def test_a_preview_page_is_read_post_by_post():
    posts = [
        *_posts(10, 11),
        {"id": 12, "time": "2024-03-02T10:00:00+00:00", "html": "", "service": True},
        {"id": 13, "time": "2024-03-02T10:00:00+00:00", "html": "خبر بازنشر شده", "forwarded": "ایرنا"},
        {"id": 14, "time": "2024-03-02T10:00:00+00:00"},  # a photo without caption
    ]
    page = parse_preview(preview_page("akhbar_test", posts, older=10), channel="akhbar_test", page_url="x")
    assert [p.post_id for p in page.posts] == [10, 11, 13]
    assert page.posts[0].text == "سخنگوی وزارت خارجه گفت:\n«گفتگوها ادامه دارد.» شمارهٔ 10"
    assert page.posts[2].forwarded_from == "ایرنا"
    assert page.older == 10 and page.title == "اخبار آزمایشی"


def test_a_channel_is_polled_across_two_pages_and_a_new_post_is_taken_once(
    http_server, settings, channel_source, eager
):
    settings.TELEGRAM_PREVIEW_BASE_URL = http_server.url("/s/")
    settings.TELEGRAM_PAGE_DELAY_SECONDS = 0
    newest = _posts(21, 40)
    http_server.add("/s/akhbar_test", preview_page("akhbar_test", newest, older=21))
    http_server.add("/s/akhbar_test?before=21", preview_page("akhbar_test", _posts(5, 20), older=5))
    http_server.add("/s/akhbar_test?before=5", preview_page("akhbar_test", [], older=None))
    feed, created = channel_add(channel="@akhbar_test")
    assert created and feed.kind == Feed.Kind.TELEGRAM
    assert feed.publisher is None  # the registry does not know the name "akhbar_test"

    first = feed_poll(feed_id=feed.pk)
    assert first.error == "" and first.new == 36, first
    # ... but it knows the channel's title, which the page gives.
    feed.refresh_from_db()
    assert feed.publisher == channel_source
    assert set(Article.objects.values_list("publisher_id", flat=True)) == {channel_source.pk}
    urls = set(Article.objects.values_list("url", flat=True))
    assert urls == {f"https://t.me/akhbar_test/{n}" for n in range(5, 41)}

    http_server.add("/s/akhbar_test", preview_page("akhbar_test", _posts(22, 41), older=22))
    second = feed_poll(feed_id=feed.pk)
    assert (second.new, second.error) == (1, ""), second
    assert Article.objects.count() == 37
    assert FeedEntry.objects.filter(feed=feed).count() == 37
    # The second poll stopped at the first page: every post there but one was seen.
    assert len(http_server.hits("/s/akhbar_test?before=22")) == 0


def test_a_channel_error_is_recorded_and_the_next_poll_goes_on(http_server, settings, channel_source, eager):
    settings.TELEGRAM_PREVIEW_BASE_URL = http_server.url("/s/")
    settings.TELEGRAM_PAGE_DELAY_SECONDS = 0
    http_server.add("/s/akhbar_test", "unavailable", status=404, content_type="text/plain")
    feed, _ = channel_add(channel="akhbar_test")
    result = feed_poll(feed_id=feed.pk)
    assert result.new == 0 and "404" in result.error
    feed.refresh_from_db()
    assert "404" in feed.last_error and feed.last_polled_at is not None
    http_server.add("/s/akhbar_test", preview_page("akhbar_test", _posts(1, 3), older=None))
    assert feed_poll(feed_id=feed.pk).new == 3
    feed.refresh_from_db()
    assert feed.last_error == ""


@pytest.mark.parametrize("name", ["ab", "with space", "https://example.org/x", "a" * 40, "1abc"])
def test_a_bad_channel_name_is_refused(name, db):
    from claims.services.errors import InvalidInput

    with pytest.raises(InvalidInput):
        channel_add(channel=name)
