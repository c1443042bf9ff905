"""Fact-checks from other organisations in: schema.org ClaimReview, wherever it is.

Read from JSON-LD inside an HTML page, from a JSON file (one ClaimReview, a list,
an ``ItemList``, a ``@graph`` or a schema.org ``DataFeed`` as fact-check markup
tools write them), or from an RSS/Atom feed whose items link to pages carrying the
markup. Each review is kept once by its URL (an import again updates it in place)
as an ``ExternalReview``: apart from the desk's own verdicts, never published.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from claims.extraction.normalize import normalize_key
from claims.models import ExternalReview
from claims.services.errors import ApplicationError, InvalidInput

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_LD = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
MAX_NESTING = 64


class ClaimReviewInvalid(InvalidInput):
    """The input holds no ClaimReview that can be read."""


@dataclass
class ClaimReviewImportResult:
    found: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


# --- finding the items ------------------------------------------------------------


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _walk(node: Any, depth: int = 0) -> Iterator[dict]:
    """Every ClaimReview object in a JSON-LD value, however it is wrapped."""
    if depth > MAX_NESTING:
        raise ClaimReviewInvalid("ساختار JSON-LD بیش از اندازه تودرتو است.")
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if "ClaimReview" in _types(node):
        yield node
        return
    for key in ("@graph", "itemListElement", "dataFeedElement", "item", "mainEntity", "hasPart"):
        if key in node:
            yield from _walk(node[key], depth + 1)


def _loads(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ClaimReviewInvalid(f"{where}: ساختار JSON بیش از اندازه تودرتو است.") from exc
    except json.JSONDecodeError as exc:
        raise ClaimReviewInvalid(
            f"{where}: JSON در سطر {exc.lineno}، ستون {exc.colno} خراب است: {exc.msg}"
        ) from exc


def items_in_html(html: str, *, where: str = "صفحه") -> list[dict]:
    found: list[dict] = []
    for number, block in enumerate(_JSON_LD.findall(html), start=1):
        try:
            found.extend(_walk(_loads(block.strip(), f"{where}، JSON-LD شمارهٔ {number}")))
        except ClaimReviewInvalid as exc:
            logger.info("unreadable JSON-LD block skipped: %s", exc.message)
    return found


def _is_feed(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith("<?xml") or "<rss" in head or "<feed" in head


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimReviewInvalid(f"ورودی UTF-8 معتبر نیست (بایت {exc.start}).") from exc


def claimreview_items(data: bytes | str, *, where: str = "ورودی", fetch_pages: bool = True) -> list[dict]:
    """The ClaimReview objects of a page, a JSON file or a feed (whose item pages are fetched)."""
    text = _decode(data)
    stripped = text.lstrip()
    if not stripped:
        raise ClaimReviewInvalid(f"{where} خالی است.")
    if stripped[0] in "[{":
        return list(_walk(_loads(stripped, where)))
    if _is_feed(stripped):
        return _items_in_feed(stripped, where=where, fetch_pages=fetch_pages)
    if "<" in stripped:
        return items_in_html(stripped, where=where)
    raise ClaimReviewInvalid(f"{where} نه صفحهٔ HTML است، نه JSON و نه خوراک RSS/Atom.")


def _items_in_feed(text: str, *, where: str, fetch_pages: bool) -> list[dict]:
    import feedparser

    from claims.services.fetch import fetch

    parsed = feedparser.parse(text)
    if not parsed.entries:
        raise ClaimReviewInvalid(f"{where}: خوراک هیچ موردی ندارد.")
    found: list[dict] = []
    for entry in parsed.entries[: int(settings.CLAIMREVIEW_FEED_MAX_ITEMS)]:
        for part in entry.get("content") or []:
            found.extend(items_in_html(part.get("value") or "", where=where))
        link = (entry.get("link") or "").strip()
        if fetch_pages and link.startswith(("http://", "https://")):
            try:
                page = fetch(link, headers={"Accept": "text/html"})
            except ApplicationError as exc:
                logger.info("feed item page not read: %s", exc.message)
                continue
            found.extend(items_in_html(page.content.decode("utf-8", "replace"), where=link))
    return found


# --- reading one item ------------------------------------------------------------


def _text(value: Any, limit: int) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("text") or ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), "")
        return _text(value, limit)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    return _CONTROL.sub("", str(value)).strip()[:limit]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _url(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    url = _text(value, 2000)
    return url if url.startswith(("http://", "https://")) and not any(c.isspace() for c in url) else ""


def _when(value: Any) -> dt.datetime | None:
    text = _text(value, 40)
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text[:10])
        moment = dt.datetime(day.year, day.month, day.day) if day else None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def review_fields(item: dict) -> dict:
    """The stored fields of one ClaimReview; raises ClaimReviewInvalid naming what is missing."""
    url = _url(item.get("url")) or _url(item.get("@id"))
    if not url:
        raise ClaimReviewInvalid("نشانی (url) بررسی نیست یا http/https نیست.")
    claim = _text(item.get("claimReviewed"), 5000)
    reviewed = item.get("itemReviewed") if isinstance(item.get("itemReviewed"), dict) else {}
    if not claim:
        claim = _text(reviewed.get("name") or reviewed.get("text"), 5000)
    if not claim:
        raise ClaimReviewInvalid(f"{url}: متن ادعا (claimReviewed) خالی است.")
    author = item.get("author")
    if isinstance(author, list):
        author = author[0] if author else {}
    publisher = _text(author, 300) or _text(item.get("publisher"), 300)
    if not publisher:
        raise ClaimReviewInvalid(f"{url}: راستی‌آزما (author) نام ندارد.")
    rating = item.get("reviewRating") if isinstance(item.get("reviewRating"), dict) else {}
    appearances = reviewed.get("appearance") or reviewed.get("firstAppearance") or []
    appearances = appearances if isinstance(appearances, list) else [appearances]
    language = _text(item.get("inLanguage"), 20) or _text(reviewed.get("inLanguage"), 20)
    claimant = _text(reviewed.get("author"), 300)
    return {
        "url": url,
        "publisher_name": publisher,
        "publisher_url": _url(author.get("url")) if isinstance(author, dict) else "",
        "claim_reviewed": claim,
        "claimant": claimant,
        "rating_name": _text(rating.get("alternateName") or rating.get("name"), 200),
        "rating_value": _number(rating.get("ratingValue")),
        "best_rating": _number(rating.get("bestRating")),
        "worst_rating": _number(rating.get("worstRating")),
        "date_published": _when(item.get("datePublished")),
        "language": language,
        "appearance_urls": [u for u in (_url(a) for a in appearances[:20]) if u],
        "search_key": normalize_key(f"{claim} {claimant}"),
    }


def _store(fields: dict, raw: dict, source_url: str, result: ClaimReviewImportResult) -> None:
    with transaction.atomic():
        current = ExternalReview.objects.select_for_update().filter(url=fields["url"]).first()
        if current is None:
            ExternalReview.objects.create(**fields, raw=raw, source_url=source_url[:2000])
            result.new += 1
            return
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            result.unchanged += 1
            return
        for key, value in {**changed, "raw": raw}.items():
            setattr(current, key, value)
        current.save()
        result.updated += 1


def claimreview_import(
    *, data: bytes | str, source_url: str = "", fetch_pages: bool = True
) -> ClaimReviewImportResult:
    """Import every ClaimReview in ``data``; an item that cannot be read is named in
    ``errors`` and the others go on. Raises ``ClaimReviewInvalid`` when there is none."""
    where = source_url or "ورودی"
    items = claimreview_items(data, where=where, fetch_pages=fetch_pages)
    if not items:
        raise ClaimReviewInvalid(f"{where}: هیچ ClaimReview ای پیدا نشد.")
    result = ClaimReviewImportResult(found=len(items))
    for number, item in enumerate(items, start=1):
        try:
            fields = review_fields(item)
            raw = json.loads(json.dumps(item, ensure_ascii=False).replace("\\u0000", ""))
            _store(fields, raw, source_url, result)
        except ApplicationError as exc:
            result.failed += 1
            result.errors.append(f"بررسی شمارهٔ {number}: {exc.message}")
    return result


def claimreview_import_url(*, url: str) -> ClaimReviewImportResult:
    """Fetch ``url`` (within the fetch limits and the private-address guard) and import it."""
    from claims.services.fetch import fetch

    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInput("نشانی باید با http یا https آغاز شود.")
    answer = fetch(
        url, headers={"Accept": "application/ld+json, application/json, text/html, application/xml"}
    )
    return claimreview_import(data=answer.content, source_url=answer.url)
