"""Partners and their API keys. A key is shown once, at creation; only its SHA-256 hash is kept.

A key reads ``fc_<8 characters>_<secret>``. The first part (``fc_`` and 8 characters) is the
visible prefix that admins see and search for; the hash of the whole key is what the API
looks up, through a unique index, on every request."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from claims.models import APIKey, Article, ArticleSubmission, Partner
from claims.services.errors import InvalidInput

KEY_PREFIX = "fc_"
_PREFIX_ALPHABET = string.ascii_letters + string.digits


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    cleaned = sorted({s.strip().lower() for s in scopes if s and s.strip()})
    unknown = [s for s in cleaned if s not in APIKey.SCOPES]
    if unknown or not cleaned:
        raise InvalidInput(
            f"Scopes must be a non-empty subset of {', '.join(APIKey.SCOPES)}.",
            details={"scopes": unknown or cleaned},
        )
    return cleaned


@transaction.atomic
def partner_create(*, name: str, contact_email: str = "") -> Partner:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A partner needs a name.")
    if Partner.objects.filter(name=name).exists():
        raise InvalidInput(f"A partner named {name!r} already exists.", details={"name": name})
    return Partner.objects.create(name=name, contact_email=contact_email.strip())


@transaction.atomic
def api_key_create(
    *,
    partner: Partner,
    scopes: Iterable[str],
    name: str = "",
    expires_at: datetime | None = None,
) -> tuple[APIKey, str]:
    """A new key for ``partner``. Returns the row and the raw key, which is never stored."""
    cleaned = _clean_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput("The expiry must be in the future.")
    while True:
        prefix = KEY_PREFIX + "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(8))
        if not APIKey.objects.filter(prefix=prefix).exists():
            break
    raw = f"{prefix}_{secrets.token_urlsafe(32)}"
    key = APIKey.objects.create(
        partner=partner,
        name=name.strip(),
        prefix=prefix,
        key_hash=api_key_hash(raw),
        scopes=cleaned,
        expires_at=expires_at,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: APIKey) -> APIKey:
    key = APIKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_touch(*, key_id: int, now: datetime | None = None) -> None:
    """Record use. One UPDATE, no read; callers limit it to about once a minute per key."""
    APIKey.objects.filter(pk=key_id).update(last_used_at=now or timezone.now())


def article_submission_record(*, partner_id: int, article: Article) -> None:
    """Remember that a partner sent this article in (again, for a duplicate), so that
    partner, and no other, may read its processing status."""
    ArticleSubmission.objects.get_or_create(partner_id=partner_id, article=article)


def _fresh_article_id() -> int:
    """An id from the articles' own sequence that no article will ever have: a row
    inserted and deleted (committed, so neither PostgreSQL nor SQLite hands it out again)."""
    placeholder = Article.objects.create(
        text="", content_hash="alias:" + secrets.token_hex(29), state="failed", origin="api"
    )
    Article.objects.filter(pk=placeholder.pk).delete()
    return placeholder.pk


def article_duplicate_submission(
    *, partner_id: int, article: Article, title: str = "", url: str = ""
) -> tuple[ArticleSubmission | None, bool]:
    """A partner sent in an article that is already held. Returns None when the partner
    may see it (it submitted it before, or the article is public): the answer is then
    the article itself. Otherwise the partner's masked submission, created on first
    use: the answer must not tell whether, or what, the desk holds. The flag says
    whether that masked submission is new (202) or a repeat (200, a duplicate of
    what this partner sent before)."""
    from claims.selectors.api import article_is_public

    existing = ArticleSubmission.objects.filter(partner_id=partner_id, article=article).first()
    if existing is not None:
        return (existing if existing.alias_id is not None else None), False
    if article_is_public(article.pk):
        article_submission_record(partner_id=partner_id, article=article)
        return None, False
    alias = _fresh_article_id()
    submission, created = ArticleSubmission.objects.get_or_create(
        partner_id=partner_id,
        article=article,
        defaults={"alias_id": alias, "sent_title": (title or "")[:500], "sent_url": (url or "")[:2000]},
    )
    return submission, created
