"""RSS and Atom feeds: polled with conditional GETs, each new item ingested once.

A poll never raises for a feed's own trouble (an HTTP 500, garbage XML, a
redirect loop, a timeout): the reason is written to ``Feed.last_error`` and the
next scheduled poll tries again. Items are remembered in ``FeedEntry`` by their
guid (or link), so an item is ingested once however often it reappears.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field

import feedparser
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from claims.models import Article, Feed, FeedEntry, Source
from claims.services.articles import article_ingest, extraction_batches
from claims.services.errors import ApplicationError, InvalidInput
from claims.services.fetch import FetchTransient, check_fetch_url, fetch, fetch_article
from claims.validation import FORBIDDEN_CONTROLS, line_problem

logger = logging.getLogger(__name__)

# An item whose own text is shorter than this is a teaser: its page is fetched.
FEED_MIN_ITEM_CHARS = 280
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section"}
_BLANKS = re.compile(r"\n\s*\n+")


@dataclass
class FeedPollResult:
    feed_id: int
    new: int = 0
    duplicate: int = 0
    seen: int = 0
    failed: int = 0
    not_modified: bool = False
    error: str = ""
    article_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment: scripts and styles dropped, blocks on
    their own lines, entities decoded. Plain text passes through unchanged."""
    if "<" not in markup:
        return markup.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises several unrelated types on broken markup
        return re.sub(r"<[^>]+>", " ", markup).strip()
    for node in root.xpath("//script|//style|//noscript"):
        node.drop_tree()
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag.lower() in _BLOCKS:
            node.tail = "\n" + (node.tail or "")
    text = root.text_content().replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _entry_time(entry) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)


def _entry_guid(entry) -> tuple[str, bool]:
    """The item's key in ``FeedEntry`` and whether the feed's own guid was usable.

    A guid that cannot be stored as it is (a NUL from ``&#0;`` was a 500 at the first query,
    which ended the poll and every later one) is kept by its hash, so the bad item is
    remembered and reported once, not met again at every poll."""
    guid = entry.get("id") or entry.get("guid") or entry.get("link")
    if guid:
        guid = str(guid)
        if len(guid) > 1000 or line_problem(guid):
            return "sha256:" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest(), False
        return guid, True
    body = (entry.get("title") or "") + "\n" + (entry.get("summary") or "")
    return "sha256:" + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(), True


def _entry_text(entry) -> str:
    parts = entry.get("content") or []
    best = max((p.get("value") or "" for p in parts), key=len, default="")
    if len(best) < len(entry.get("summary") or ""):
        best = entry.get("summary") or ""
    return html_to_text(best)


def _item_text(entry, link: str | None) -> str:
    """The entry's own text, or its page's when the entry only carries a teaser.

    A transient failure to fetch the page is raised (the item is tried again at
    the next poll); any other failure falls back to the teaser."""
    text = _entry_text(entry)
    if len(text) >= FEED_MIN_ITEM_CHARS or not link:
        return text
    try:
        page = fetch_article(url=link)
    except FetchTransient:
        if text:
            return text
        raise
    except ApplicationError:
        return text
    return page.text if len(page.text) > len(text) else text


def _ingest_entry(feed: Feed, entry, result: FeedPollResult) -> str | None:
    guid, usable = _entry_guid(entry)
    if FeedEntry.objects.filter(feed=feed, guid=guid).exists():
        result.seen += 1
        return None
    if not usable:
        with transaction.atomic():
            _, created = FeedEntry.objects.get_or_create(feed=feed, guid=guid)
        if not created:
            result.seen += 1
            return None
        result.failed += 1
        return f"{guid}: شناسهٔ (guid) این مورد نویسهٔ کنترلی دارد یا بیش از ۱۰۰۰ نویسه است؛ کنار گذاشته شد."
    link = (entry.get("link") or "").strip() or None
    if link is not None and (len(link) > 2000 or line_problem(link)):
        link = None  # an unusable link: the item's own text still counts
    title = FORBIDDEN_CONTROLS.sub("", html_to_text(entry.get("title") or ""))[:500]
    try:
        text = _item_text(entry, link)
    except ApplicationError as exc:
        result.failed += 1
        return f"{guid}: {exc.message}"
    try:
        with transaction.atomic():
            record = FeedEntry.objects.create(feed=feed, guid=guid)
            try:
                with transaction.atomic():
                    article, created = article_ingest(
                        text=text,
                        url=link,
                        title=title,
                        publisher=feed.publisher,
                        published_at=_entry_time(entry),
                        origin=Article.Origin.FEED,
                        feed=feed,
                    )
            except ApplicationError as exc:
                # Remembered without an article: an empty or oversized item is not
                # retried at every poll.
                result.failed += 1
                return f"{guid}: {exc.message}"
            record.article = article
            record.save(update_fields=["article"])
    except IntegrityError:
        result.seen += 1  # another poll of this feed took the item first
        return None
    if created:
        result.new += 1
        result.article_ids.append(article.pk)
    else:
        result.duplicate += 1
    return None


def _ingest_entry_safely(feed: Feed, entry, result: FeedPollResult) -> str | None:
    """One item's failure, whatever it is, is that item's error line: the poll goes on with
    the next item, and the feed's ``last_error`` says what went wrong."""
    try:
        return _ingest_entry(feed, entry, result)
    except (FetchTransient, OperationalError, InterfaceError):
        raise  # the whole poll is retried later
    except Exception as exc:
        logger.exception("feed %s: an item could not be ingested", feed.pk)
        result.failed += 1
        label = str(entry.get("id") or entry.get("link") or "?")[:200].encode("unicode_escape").decode()
        return f"{label}: {type(exc).__name__}: {str(exc)[:300]}"


def _record(feed_id: int, **fields) -> None:
    Feed.objects.filter(pk=feed_id).update(last_polled_at=timezone.now(), **fields)


def feed_poll(*, feed_id: int) -> FeedPollResult:
    """Poll one feed and ingest its new items. Not one transaction: each item is
    its own, so a failure halfway keeps the items already taken."""
    feed = Feed.objects.select_related("publisher").get(pk=feed_id)
    result = FeedPollResult(feed_id=feed.pk)
    if not feed.active:
        result.error = "feed is not active"
        return result
    if feed.kind == Feed.Kind.TELEGRAM:
        from claims.services.telegram import telegram_feed_poll

        telegram_feed_poll(feed=feed, result=result)
        return result
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        answer = fetch(feed.url, headers=headers, accept_not_modified=True)
    except ApplicationError as exc:
        result.error = exc.message
        _record(feed.pk, last_error=exc.message[:2000])
        return result
    if answer.status == 304:
        result.not_modified = True
        _record(feed.pk, last_error="")
        return result

    parsed = feedparser.parse(answer.content, response_headers={"content-location": answer.url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom structure"
        result.error = f"{feed.url} خوراک RSS/Atom معتبری نیست: {reason}"
        _record(feed.pk, last_error=result.error[:2000])
        return result

    with extraction_batches():  # the new items go to the workers a batch at a time
        errors = [e for e in (_ingest_entry_safely(feed, entry, result) for entry in parsed.entries) if e]
    result.error = "\n".join(errors)
    fields: dict = {
        "last_error": result.error[:2000],
        "etag": answer.headers.get("etag", "")[:300],
        "last_modified": answer.headers.get("last-modified", "")[:100],
    }
    if not feed.title and parsed.feed.get("title"):
        fields["title"] = html_to_text(parsed.feed["title"])[:300]
    _record(feed.pk, **fields)
    return result


@transaction.atomic
def feed_add(*, url: str, publisher: Source | None = None, title: str = "") -> tuple[Feed, bool]:
    """Register a feed (idempotent by URL)."""
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("نشانی خوراک باید با http یا https آغاز شود.")
    limit = Feed._meta.get_field("url").max_length
    if len(url) > limit:
        raise InvalidInput(f"نشانی خوراک {len(url):,} نویسه است؛ حداکثر {limit:,} نویسه پذیرفته می‌شود.")
    if line_problem(url):
        raise InvalidInput("نشانی خوراک نویسهٔ کنترلی یا جهت‌نما دارد.")
    title = FORBIDDEN_CONTROLS.sub("", title or "")
    check_fetch_url(url)
    return Feed.objects.get_or_create(url=url, defaults={"publisher": publisher, "title": title[:300]})
