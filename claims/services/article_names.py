"""Names for articles: the title and the publisher an editor can tell them apart by.

At ingest an article that came without a title gets its headline from its own
text (``claims.extraction.headline``), and one without a publisher gets the
outlet its text credits (``به گزارش ایسنا،``) or, failing that, the outlet its
URL's host belongs to (``claims/data/outlet-domains.json``, slugs of the
registry). Only registered outlets (news agencies and media) are ever chosen,
and an editor's title or publisher is never replaced. ``articles_name_backfill``
does the same for articles stored before this existed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from claims.cache import invalidate_public_cache
from claims.extraction.headline import credit_names, headline, outlet_name_forms, url_host
from claims.extraction.normalize import normalize_key
from claims.models import Article, Attribution, Source, SourceAlias, SourceKind
from claims.models.claims import PUBLIC_STATUSES
from claims.services.errors import InvalidInput, require_perm
from claims.validation import FORBIDDEN_CONTROLS

OUTLET_KINDS = (SourceKind.NEWS_AGENCY, SourceKind.MEDIA_GROUP)
DOMAINS_FILE = Path(__file__).resolve().parent.parent / "data" / "outlet-domains.json"
TITLE_MAX = 500


@lru_cache(maxsize=1)
def outlet_domains() -> dict[str, str]:
    """host[/path prefix] -> registry slug, from the shipped data file."""
    with DOMAINS_FILE.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {str(k).lower(): str(v) for k, v in data.get("domains", {}).items()}


def _domain_slugs(url: str | None) -> list[str]:
    """Slugs for the URL's host, the most specific first: ``bbc.com/persian``
    before ``bbc.com``, ``en.irna.ir`` before ``irna.ir``."""
    host, path = url_host(url)
    if not host:
        return []
    domains = outlet_domains()
    keys: list[str] = []
    labels = host.split(".")
    for i in range(len(labels) - 1):
        suffix = ".".join(labels[i:])
        segments = [s for s in path.split("/") if s]
        for n in range(min(len(segments), 2), 0, -1):
            keys.append(f"{suffix}/{'/'.join(segments[:n])}".lower())
        keys.append(suffix)
    return [domains[k] for k in keys if k in domains]


def publisher_from_text(text: str) -> Source | None:
    """The registered outlet the text credits itself to, or None (one query)."""
    names = [form for name in credit_names(text) for form in outlet_name_forms(name)]
    keys = [k for k in dict.fromkeys(normalize_key(n) for n in names) if k]
    if not keys:
        return None
    rows = SourceAlias.objects.filter(key__in=keys, source__kind__in=OUTLET_KINDS).select_related("source")
    by_key: dict[str, Source] = {}
    for alias in rows:
        by_key.setdefault(alias.key, alias.source)
    for key in keys:
        if key in by_key:
            return by_key[key]
    return None


def publisher_from_url(url: str | None) -> Source | None:
    slugs = _domain_slugs(url)
    if not slugs:
        return None
    found = {s.slug: s for s in Source.objects.filter(slug__in=slugs)}
    return next((found[s] for s in slugs if s in found), None)


def infer_publisher(*, text: str, url: str | None = None) -> Source | None:
    """The text's own credit line first (a syndicated copy names its origin),
    then the host it was fetched from."""
    return publisher_from_text(text) or publisher_from_url(url)


def infer_title(text: str) -> str:
    return headline(text)[:TITLE_MAX]


@dataclass(frozen=True)
class BackfillResult:
    seen: int = 0
    titled: int = 0
    published: int = 0


def articles_name_backfill(*, batch_size: int = 500, dry_run: bool = False) -> BackfillResult:
    """Give every stored article without a title its headline, and every one
    without a publisher its inferred outlet. Idempotent; reads in id order in
    batches, so memory stays flat on a large table."""
    seen = titled = published = 0
    last_id = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last_id)
            .filter(_missing_names())
            .only("id", "text", "title", "url", "publisher_id")
            .order_by("pk")[:batch_size]
        )
        if not rows:
            break
        last_id = rows[-1].pk
        changed: list[Article] = []
        for article in rows:
            seen += 1
            dirty = False
            if not article.title.strip():
                article.title = infer_title(article.text)
                article.search_key = Article.search_key_for(title=article.title, text=article.text)
                titled += bool(article.title)
                dirty = dirty or bool(article.title)
            if article.publisher_id is None:
                outlet = infer_publisher(text=article.text, url=article.url)
                if outlet is not None:
                    article.publisher_id = outlet.pk
                    published += 1
                    dirty = True
            if dirty:
                changed.append(article)
        if changed and not dry_run:
            with transaction.atomic():
                Article.objects.bulk_update(changed, ["title", "search_key", "publisher"])
    return BackfillResult(seen=seen, titled=titled, published=published)


def _missing_names():
    from django.db.models import Q

    return Q(title="") | Q(publisher__isnull=True)


# --- An editor's correction -------------------------------------------------------

RENAME_PERMISSION = "claims.change_article"
PUBLISH_PERMISSION = "claims.publish_claim"


def _clean_title(title: object) -> str:
    if not isinstance(title, str):
        raise InvalidInput("عنوان خبر باید متن باشد.", details={"field": "title"})
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("عنوان خبر خالی است.", details={"field": "title"})
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            f"عنوان خبر از {TITLE_MAX} نویسه بلندتر است.", details={"field": "title", "max": TITLE_MAX}
        )
    if FORBIDDEN_CONTROLS.search(title):
        raise InvalidInput("عنوان خبر نویسهٔ کنترلی دارد.", details={"field": "title"})
    return title


@transaction.atomic
def article_names_set(*, article: Article, title: str, publisher: Source | None, actor) -> Article:
    """An editor's title and publisher for ``article`` (replacing inferred or
    earlier ones). The publisher must be an outlet of the registry, or None for
    "not known". An article quoted on a published claim shows on its public
    page: only a senior editor may rename it, and the public pages are refreshed
    when the change commits."""
    require_perm(actor, RENAME_PERMISSION, "شما اجازهٔ ویرایش خبر را ندارید.")
    title = _clean_title(title)
    if publisher is not None and publisher.kind not in OUTLET_KINDS:
        raise InvalidInput(
            "ناشر باید خبرگزاری یا رسانه‌ای از فهرست منابع باشد.", details={"field": "publisher"}
        )
    article = Article.objects.select_for_update().get(pk=article.pk)
    public = Attribution.objects.filter(article=article, claim__status__in=PUBLIC_STATUSES).exists()
    if public:
        require_perm(
            actor,
            PUBLISH_PERMISSION,
            "این خبر در ادعایی منتشرشده نقل شده است؛ عنوان و ناشر آن را تنها دبیر ارشد تغییر می‌دهد.",
        )
    if article.title == title and article.publisher_id == (publisher.pk if publisher else None):
        return article
    article.title = title
    article.publisher = publisher
    article.search_key = Article.search_key_for(title=title, text=article.text)
    article.save(update_fields=["title", "publisher", "search_key"])
    if public:
        transaction.on_commit(invalidate_public_cache)
    return article
