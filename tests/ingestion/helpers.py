"""Helpers shared by the ingestion tests: the gold texts and bounded waits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
GOLD = SHARED / "gold"


def gold_texts(limit: int | None = None) -> list[dict]:
    """Texts of the shipped gold files (heldout, reserve, seed), or a skip when the
    shared folder is not beside the repository."""
    rows: list[dict] = []
    for name in ("seed.jsonl", "heldout-texts.jsonl", "reserve-texts.jsonl"):
        path = GOLD / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    if not rows:
        pytest.skip(f"gold texts not found under {GOLD}")
    return rows[:limit] if limit else rows


def wait_for(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.25) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass (bounded waits only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def article_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (
        "<!doctype html><html lang='fa' dir='rtl'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>"
        "<meta property='article:published_time' content='2026-05-02T08:30:00+03:30'>"
        "<script>window.tracker = {id: 1}; document.write('<b>ad</b>')</script></head><body>"
        "<nav><a href='/'>صفحهٔ اصلی</a> | <a href='/politics'>سیاسی</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "<footer>© خبرگزاری نمونه</footer></body></html>"
    )


def rss_feed(items: list[dict], *, title: str = "خبرگزاری نمونه - سیاسی") -> str:
    entries = []
    for n, item in enumerate(items):
        entries.append(
            "<item>"
            f"<title>{escape(item['title'])}</title>"
            f"<link>{escape(item['link'])}</link>"
            f"<guid isPermaLink='false'>news-{item.get('guid', n)}</guid>"
            f"<pubDate>{item.get('pubDate', 'Sat, 02 May 2026 05:00:00 GMT')}</pubDate>"
            f"<description><![CDATA[{item['description']}]]></description>"
            "</item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'><channel>"
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        "<description>آخرین اخبار</description><language>fa-IR</language>"
        + "".join(entries)
        + "</channel></rss>"
    )
