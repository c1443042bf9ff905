"""Telegram channels in: Telegram Desktop exports and public channel preview pages.

Both ways make one article per post: the post's text with Telegram's formatting
entities flattened to plain text, its date, the channel as publisher (through the
registry), ``https://t.me/<channel>/<id>`` as URL, and for a forwarded post the
origin channel as its relay. The post's URL makes an import idempotent: a post
already held is a duplicate, however often it is imported or polled.

Exports (``result.json`` of "Export chat history" in machine-readable JSON):
service messages and posts without text (a photo of an album without caption, a
sticker) are skipped and counted; an edited post is exported once in its last
form; a post whose own fields are broken is refused with its id and the import
goes on with the next one.

Preview pages (``https://t.me/s/<channel>``, older posts with ``?before=<id>``):
polled like RSS feeds (a ``Feed`` of kind ``telegram``), each post once, with a
pause between pages and at most ``TELEGRAM_MAX_PAGES`` pages a poll.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Article, Feed, FeedEntry, Source
from claims.services.articles import article_ingest
from claims.services.errors import ApplicationError, InvalidInput
from claims.services.fetch import fetch

logger = logging.getLogger(__name__)

CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class TelegramFileInvalid(InvalidInput):
    """The file is not a Telegram Desktop export (reported with the line, when JSON breaks)."""


@dataclass(frozen=True)
class TelegramPost:
    channel: str  # the channel's public name, or "c/<id>" for a channel without one
    post_id: int
    text: str
    published_at: dt.datetime | None
    channel_title: str = ""
    forwarded_from: str = ""

    @property
    def url(self) -> str:
        return f"https://t.me/{self.channel}/{self.post_id}"


@dataclass
class TelegramImportResult:
    posts: int = 0
    new: int = 0
    duplicate: int = 0
    skipped_service: int = 0
    skipped_no_text: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


# --- flattening ------------------------------------------------------------------


def flatten_text(value) -> str:
    """The plain text of an export's ``text`` or ``text_entities`` value: a string, or
    a list of strings and ``{"type": ..., "text": ...}`` parts, concatenated. Telegram's
    entities (bold, links, mentions, hashtags ...) add no characters of their own, so
    a span of the post as Telegram shows it is the same span of the article."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise ValueError(f"text is {type(value).__name__}, not a string or a list of parts")
    pieces: list[str] = []
    for part in value:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict):
            text = part.get("text", "")
            if not isinstance(text, str):
                raise ValueError(f"a {part.get('type', 'text')} part holds {type(text).__name__}, not text")
            pieces.append(text)
        else:
            raise ValueError(f"a text part is {type(part).__name__}")
    return "".join(pieces)


def _parse_date(message: dict) -> dt.datetime | None:
    unix = message.get("date_unixtime")
    if isinstance(unix, str | int) and str(unix).isdigit():
        return dt.datetime.fromtimestamp(int(unix), tz=dt.UTC)
    raw = message.get("date")
    if not raw:
        return None
    if not isinstance(raw, str):
        raise ValueError("date is not text")
    parsed = dt.datetime.fromisoformat(raw)
    if timezone.is_naive(parsed):
        # Desktop writes the exporting computer's local time without a zone.
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


# --- exports ---------------------------------------------------------------------


def _load_export(data: bytes | str) -> dict:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise TelegramFileInvalid(f"پرونده UTF-8 معتبر نیست (بایت {exc.start}).") from exc
    try:
        export = json.loads(text)
    except RecursionError as exc:
        raise TelegramFileInvalid("ساختار JSON پرونده بیش از اندازه تودرتو است.") from exc
    except json.JSONDecodeError as exc:
        raise TelegramFileInvalid(
            f"JSON پرونده در سطر {exc.lineno}، ستون {exc.colno} خراب است: {exc.msg}"
        ) from exc
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise TelegramFileInvalid(
            "این پرونده خروجی JSON تلگرام دسکتاپ نیست: باید شیئی با فهرست «messages» باشد."
        )
    return export


def _channel_of(export: dict, channel: str | None) -> str:
    if channel:
        channel = channel.strip().lstrip("@")
        if not CHANNEL_NAME.match(channel):
            raise InvalidInput(f"نام کانال «{channel}» معتبر نیست (حروف لاتین، رقم و _، ۴ تا ۳۲ نویسه).")
        return channel
    chat_id = export.get("id")
    if isinstance(chat_id, int) and chat_id > 0:
        # Telegram's own link form for a channel known only by its id.
        return f"c/{chat_id}"
    raise InvalidInput("نام عمومی کانال در خروجی نیست؛ آن را با --channel بدهید.")


def export_posts(
    export: dict, *, channel: str | None = None, result: TelegramImportResult
) -> Iterator[TelegramPost]:
    """The posts of an export that carry text, in order; the rest counted in ``result``."""
    name = _channel_of(export, channel)
    title = export.get("name") if isinstance(export.get("name"), str) else ""
    seen: set[int] = set()
    albums: set[str] = set()
    for position, message in enumerate(export["messages"], start=1):
        if not isinstance(message, dict):
            result.failed += 1
            result.errors.append(f"پیام شمارهٔ {position}: شیء JSON نیست.")
            continue
        post_id = message.get("id")
        if not isinstance(post_id, int) or isinstance(post_id, bool) or post_id <= 0:
            result.failed += 1
            result.errors.append(f"پیام شمارهٔ {position}: شناسهٔ پست (id) عدد مثبت نیست.")
            continue
        if message.get("type") != "message":
            result.skipped_service += 1
            continue
        if post_id in seen:
            continue  # the same post twice in one file: once
        seen.add(post_id)
        try:
            entities = message.get("text_entities")
            text = flatten_text(entities if isinstance(entities, list) else message.get("text"))
            published = _parse_date(message)
        except ValueError as exc:
            result.failed += 1
            result.errors.append(f"پست {post_id}: {exc}")
            continue
        if not text.strip():
            result.skipped_no_text += 1
            continue
        album = message.get("media_group_id") or message.get("grouped_id")
        if album is not None:
            if str(album) in albums:
                result.skipped_no_text += 1  # a second caption in one album: the album counts once
                continue
            albums.add(str(album))
        forwarded = message.get("forwarded_from")
        yield TelegramPost(
            channel=name,
            post_id=post_id,
            text=text,
            published_at=published,
            channel_title=title,
            forwarded_from=forwarded.strip()[:300] if isinstance(forwarded, str) else "",
        )


def _source_named(name: str) -> Source | None:
    if not name:
        return None
    from claims.selectors.sources import source_for_name

    return source_for_name(name)


def _publisher(post: TelegramPost, cache: dict[str, Source | None]) -> Source | None:
    key = post.channel
    if key not in cache:
        cache[key] = _source_named(post.channel) or _source_named(post.channel_title)
    return cache[key]


def post_ingest(
    post: TelegramPost, *, publisher: Source | None, feed: Feed | None = None
) -> tuple[Article, bool]:
    """One post as one article (idempotent by its URL)."""
    origin = Article.Origin.FEED if feed is not None else Article.Origin.TEXT
    with transaction.atomic():
        article, created = article_ingest(
            text=post.text,
            url=post.url,
            title="",
            publisher=publisher,
            published_at=post.published_at,
            origin=origin,
            feed=feed,
        )
        if created and post.forwarded_from:
            Article.objects.filter(pk=article.pk).update(
                relayed_from_name=post.forwarded_from, relayed_from=_source_named(post.forwarded_from)
            )
    return article, created


def telegram_export_import(
    *, data: bytes | str, channel: str | None = None, progress=None
) -> TelegramImportResult:
    """Import a Telegram Desktop channel export. Each post is its own transaction, so a
    failure half way keeps what was taken; importing the same file again adds nothing."""
    export = _load_export(data)
    result = TelegramImportResult()
    publishers: dict[str, Source | None] = {}
    for post in export_posts(export, channel=channel, result=result):
        result.posts += 1
        try:
            article, created = post_ingest(post, publisher=_publisher(post, publishers))
        except ApplicationError as exc:
            result.failed += 1
            result.errors.append(f"پست {post.post_id}: {exc.message}")
        else:
            if created:
                result.new += 1
                result.article_ids.append(article.pk)
            else:
                result.duplicate += 1
        if progress is not None:
            progress(result)
    return result


# --- public preview pages ------------------------------------------------------------


def preview_url(channel: str, *, before: int | None = None) -> str:
    base = settings.TELEGRAM_PREVIEW_BASE_URL.rstrip("/") + "/"
    return f"{base}{channel}" + (f"?before={before}" if before else "")


def channel_from_url(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PreviewPage:
    posts: list[TelegramPost]
    older: int | None  # the ?before= id of the next older page, if any
    title: str = ""


def _element_text(node) -> str:
    """Text of a message body: <br> as a line break, every inline element's text as it is."""
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return node.text_content().replace("\xa0", " ").strip()


def parse_preview(html: str | bytes, *, channel: str, page_url: str) -> PreviewPage:
    """The posts of one ``t.me/s/<channel>`` page, oldest first, and the link to older posts."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception as exc:  # lxml raises several unrelated types on broken markup
        raise InvalidInput(f"صفحهٔ پیش‌نمایش کانال {channel} خوانده نشد: {exc}") from exc
    title_nodes = root.xpath('//meta[@property="og:title"]/@content')
    title = title_nodes[0].strip() if title_nodes else ""
    posts: list[TelegramPost] = []
    messages = '//div[contains(concat(" ", normalize-space(@class), " "), " tgme_widget_message ")]'
    for message in root.xpath(messages):
        ref = message.get("data-post") or ""
        name, _, number = ref.rpartition("/")
        if not number.isdigit() or (name and name.lower() != channel.lower()):
            continue
        if "service_message" in (message.get("class") or ""):
            continue
        bodies = message.xpath('.//div[contains(@class, "tgme_widget_message_text")]')
        text = _element_text(bodies[0]) if bodies else ""
        if not text:
            continue
        stamps = message.xpath('.//a[contains(@class, "tgme_widget_message_date")]//time/@datetime')
        published = None
        if stamps:
            try:
                published = dt.datetime.fromisoformat(stamps[0])
            except ValueError:
                published = None
        forwarded = message.xpath('.//*[contains(@class, "tgme_widget_message_forwarded_from_name")]')
        posts.append(
            TelegramPost(
                channel=channel,
                post_id=int(number),
                text=text,
                published_at=published,
                channel_title=title,
                forwarded_from=forwarded[0].text_content().strip()[:300] if forwarded else "",
            )
        )
    older = None
    for href in root.xpath('//link[@rel="prev"]/@href'):
        before = re.search(r"[?&]before=(\d+)", urljoin(page_url, href))
        if before:
            older = int(before.group(1))
            break
    posts.sort(key=lambda p: p.post_id)
    return PreviewPage(posts=posts, older=older, title=title)


@transaction.atomic
def channel_add(*, channel: str, publisher: Source | None = None) -> tuple[Feed, bool]:
    """Watch a public channel through its preview pages (idempotent)."""
    channel = (channel or "").strip().lstrip("@")
    if channel.startswith(("http://", "https://")):
        channel = channel_from_url(channel)
    if not CHANNEL_NAME.match(channel):
        raise InvalidInput(f"نام کانال «{channel}» معتبر نیست (حروف لاتین، رقم و _، ۴ تا ۳۲ نویسه).")
    if publisher is None:
        publisher = _source_named(channel)
    return Feed.objects.get_or_create(
        url=preview_url(channel),
        defaults={"kind": Feed.Kind.TELEGRAM, "publisher": publisher, "title": channel},
    )


def _seen_ids(feed: Feed, ids: Iterable[int]) -> set[int]:
    guids = [str(i) for i in ids]
    held = FeedEntry.objects.filter(feed=feed, guid__in=guids).values_list("guid", flat=True)
    return {int(guid) for guid in held}


def channel_poll(*, feed: Feed, result) -> None:
    """Ingest the channel's posts not seen yet, newest page first, following older pages
    until a page reaches posts already held (or the page limit). Fills ``result``
    (a ``FeedPollResult``); raises ``ApplicationError`` for a page that cannot be read."""
    channel = channel_from_url(feed.url)
    before: int | None = None
    pause = float(settings.TELEGRAM_PAGE_DELAY_SECONDS)
    for page_number in range(int(settings.TELEGRAM_MAX_PAGES)):
        if page_number:
            time.sleep(pause)  # polite to the server between pages
        url = preview_url(channel, before=before)
        answer = fetch(url, headers={"Accept": "text/html"})
        page = parse_preview(answer.content, channel=channel, page_url=answer.url)
        if feed.publisher is None and page.title:
            # The registry may know the channel by its title rather than its name.
            feed.publisher = _source_named(page.title)
            if feed.publisher is not None:
                Feed.objects.filter(pk=feed.pk).update(publisher=feed.publisher)
        seen = _seen_ids(feed, (p.post_id for p in page.posts))
        fresh = [p for p in page.posts if p.post_id not in seen]
        result.seen += len(page.posts) - len(fresh)
        for post in fresh:
            _ingest_post(feed, post, result)
        # A page that reaches posts already held ends the poll: older ones are held too.
        if seen or not fresh or page.older is None or (before is not None and page.older >= before):
            return
        before = page.older


def _ingest_post(feed: Feed, post: TelegramPost, result) -> None:
    try:
        with transaction.atomic():
            record = FeedEntry.objects.create(feed=feed, guid=str(post.post_id))
            try:
                with transaction.atomic():
                    article, created = post_ingest(post, publisher=feed.publisher, feed=feed)
            except ApplicationError as exc:
                result.failed += 1
                message = f"پست {post.post_id}: {exc.message}"
                result.error = "\n".join(filter(None, [result.error, message]))
                return
            record.article = article
            record.save(update_fields=["article"])
    except IntegrityError:
        result.seen += 1  # another poll took the post first
        return
    if created:
        result.new += 1
        result.article_ids.append(article.pk)
    else:
        result.duplicate += 1


def telegram_feed_poll(*, feed: Feed, result) -> None:
    """The feed poll of a channel: errors go to ``last_error`` as for RSS feeds."""
    try:
        channel_poll(feed=feed, result=result)
    except ApplicationError as exc:
        result.error = "\n".join(filter(None, [result.error, exc.message]))
    Feed.objects.filter(pk=feed.pk).update(last_polled_at=timezone.now(), last_error=result.error[:2000])
