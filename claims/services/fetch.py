"""Fetching pages and feeds over HTTP, politely and defensively.

Every request carries the project's User-Agent, a connect/read timeout and an
overall deadline, reads at most ``FETCH_MAX_BYTES``, and follows at most
``MAX_REDIRECTS`` redirects by hand (so a loop ends with a clear error and every
hop is checked). Connections go through the SSRF guard (claims/services/safehttp.py),
always on: a submitted URL, or a redirect, cannot reach the newsroom's own network.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

from claims.services.errors import ApplicationError, InputTooLarge, InvalidInput
from claims.services.safehttp import AddressRefused, guarded_session, url_refusal

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class FetchFailed(ApplicationError):
    """The page or feed could not be fetched, and asking again will not help."""

    code = "fetch_failed"
    status = 502


class FetchTransient(FetchFailed):
    """A timeout, a refused connection or a 5xx/429 answer: worth retrying later."""

    code = "fetch_unavailable"
    status = 503


@dataclass
class FetchResult:
    url: str
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Page:
    url: str
    text: str
    title: str = ""
    published_at: dt.datetime | None = None


class FetchRefused(FetchFailed):
    """The URL points at an address the guard refuses (loopback, private, link-local ...)."""

    code = "address_refused"
    status = 422


def check_fetch_url(url: str) -> str:
    """The doors' early check, before anything is queued: scheme, and no internal
    address written into the URL. Names that need DNS are checked on connection."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"نشانی باید با http یا https آغاز شود: {url}", details={"url": url})
    problem = url_refusal(url)
    if problem:
        raise FetchRefused(problem, details={"url": url})
    return url


def fetch(
    url: str, *, headers: dict[str, str] | None = None, accept_not_modified: bool = False
) -> FetchResult:
    """GET ``url`` within the limits; return the final answer (2xx, or 304 when asked)."""
    limit = int(settings.FETCH_MAX_BYTES)
    timeout = float(settings.FETCH_TIMEOUT_SECONDS)
    deadline = time.monotonic() + timeout * 2
    request_headers = {"User-Agent": settings.FETCH_USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    request_headers.update(headers or {})
    seen: list[str] = []
    current = url
    with guarded_session() as session:
        while True:
            check_fetch_url(current)
            if current in seen or len(seen) > MAX_REDIRECTS:
                raise FetchFailed(
                    f"دریافت {url} در چرخهٔ تغییر مسیر گیر کرد ({len(seen)} تغییر مسیر).",
                    details={"url": url, "redirects": seen},
                )
            seen.append(current)
            try:
                response = session.get(
                    current, headers=request_headers, timeout=timeout, stream=True, allow_redirects=False
                )
            except AddressRefused as exc:
                raise FetchRefused(exc.message, details={"url": current}) from exc
            except requests.Timeout as exc:
                raise FetchTransient(f"دریافت {current} پس از {timeout:g} ثانیه پاسخی نداد.") from exc
            except requests.ConnectionError as exc:
                raise FetchTransient(f"اتصال به {current} برقرار نشد: {exc}") from exc
            except requests.RequestException as exc:
                raise FetchFailed(f"دریافت {current} ناموفق بود: {exc}") from exc
            with response:
                if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"{current} تغییر مسیر داد اما نشانی تازه‌ای نداد.")
                    current = urljoin(current, location)
                    continue
                answer = FetchResult(
                    url=current,
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                )
                if response.status_code == 304 and accept_not_modified:
                    return answer
                if response.status_code == 429 or response.status_code >= 500:
                    raise FetchTransient(
                        f"{current} پاسخ HTTP {response.status_code} داد.",
                        details={"url": current, "status": response.status_code},
                    )
                if response.status_code >= 400 or response.status_code < 200:
                    raise FetchFailed(
                        f"{current} پاسخ HTTP {response.status_code} داد.",
                        details={"url": current, "status": response.status_code},
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise InputTooLarge(
                        f"{current} {int(declared):,} بایت است و از سقف {limit:,} بایت بیشتر است."
                    )
                body = bytearray()
                try:
                    for chunk in response.iter_content(_CHUNK):
                        body += chunk
                        if len(body) > limit:
                            raise InputTooLarge(f"{current} از سقف {limit:,} بایت بزرگ‌تر است.")
                        if time.monotonic() > deadline:
                            raise FetchTransient(f"دریافت {current} بیش از اندازه طول کشید.")
                except requests.RequestException as exc:
                    raise FetchTransient(f"دریافت {current} نیمه‌کاره ماند: {exc}") from exc
                answer.content = bytes(body)
                return answer


def _html_to_page(result: FetchResult) -> Page:
    import trafilatura

    document = trafilatura.bare_extraction(
        result.content, url=result.url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise InvalidInput(f"در {result.url} متن خبری پیدا نشد.", details={"url": result.url})
    title = (getattr(document, "title", None) or "").strip()
    published = None
    raw_date = getattr(document, "date", None)
    if raw_date:
        try:
            published = dt.datetime.fromisoformat(str(raw_date))
        except ValueError:
            published = None
        if published is not None and published.tzinfo is None:
            published = published.replace(tzinfo=dt.UTC)
    return Page(url=result.url, text=text, title=title, published_at=published)


def fetch_article(*, url: str) -> Page:
    """Fetch a news page and return its main text (trafilatura), title and date."""
    result = fetch(url)
    kind = result.content_type
    if kind in ("text/plain", "text/markdown"):
        from claims.services.articles import decode_text_bytes

        return Page(url=result.url, text=decode_text_bytes(result.content, name=result.url))
    if kind and "html" not in kind and "xml" not in kind:
        raise InvalidInput(f"{url} صفحهٔ وب نیست (نوع {kind}).", details={"url": url, "type": kind})
    return _html_to_page(result)
