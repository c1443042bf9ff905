"""Wire copies: an article that copies or lightly rewrites one already held.

Persian news is relayed: an agency publishes, other sites copy the story whole or
rewrite its lead. Each article's normalised text is cut into word shingles
(SHINGLE words each); a MinHash signature of HASHES values estimates the Jaccard
similarity of two shingle sets, and LSH (BANDS bands of ROWS values) finds the
articles sharing a band through a B-tree (``ArticleBand.band``), so finding the
candidates costs the same at 1k or 1M articles. A candidate whose estimated
similarity reaches COPY_THRESHOLD is the original; the copy keeps its own URL,
outlet and time, and its appearances become copies of the original's statements
instead of a second set of candidates to review.

With BANDS=20, ROWS=3 two articles share a band with probability
1 - (1 - s**3)**20: 0.999 at s=0.6, 0.93 at s=0.5, 0.42 at s=0.3 (then rejected
by the exact estimate), 0.02 at s=0.1.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct

from django.db import transaction

from claims.extraction.normalize import normalize_key
from claims.models import Article, ArticleBand, Attribution, ReviewState

logger = logging.getLogger(__name__)

SHINGLE = 3
BANDS = 20
ROWS = 3
HASHES = BANDS * ROWS
COPY_THRESHOLD = 0.6
# Shorter texts (a headline, a one-line post) are too little to call a copy.
MIN_SHINGLES = 12
MAX_CANDIDATES = 20
_WORD = re.compile(r"[^\W_]+")
_MASK = (1 << 63) - 1
_SALTS = tuple(f"factcheck-copy{n:02d}".encode()[:16] for n in range((HASHES + 15) // 16))
_UNPACK = struct.Struct(f"<{len(_SALTS) * 16}I")


def shingles(text: str) -> set[str]:
    words = _WORD.findall(normalize_key(text or ""))
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def _hashes(shingle: str) -> tuple[int, ...]:
    data = shingle.encode("utf-8")
    digest = b"".join(hashlib.blake2b(data, digest_size=64, salt=salt).digest() for salt in _SALTS)
    return _UNPACK.unpack(digest)[:HASHES]


def signature(text: str) -> list[int]:
    """The MinHash signature of the text's shingles; [] for a text too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return []
    return list(map(min, zip(*(_hashes(g) for g in grams), strict=True)))


def bands(values: list[int]) -> list[int]:
    out = []
    for band in range(BANDS if values else 0):
        row = values[band * ROWS : (band + 1) * ROWS]
        mixed = band
        for value in row:
            mixed = (mixed * 0x100000001B3) ^ value
        out.append(mixed & _MASK)
    return out


def estimated_similarity(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def find_original(article: Article, values: list[int]) -> tuple[Article, float] | None:
    """The earliest-held article (not itself a copy) this one copies, if any."""
    if not values:
        return None
    shared = (
        ArticleBand.objects.filter(band__in=bands(values), article__copy_of__isnull=True)
        .exclude(article_id=article.pk)
        .values_list("article_id", flat=True)
    )
    counts: dict[int, int] = {}
    for article_id in shared[: MAX_CANDIDATES * BANDS]:
        counts[article_id] = counts.get(article_id, 0) + 1
    ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))[:MAX_CANDIDATES]
    best: tuple[Article, float] | None = None
    for candidate in Article.objects.filter(pk__in=ranked, pk__lt=article.pk).only(
        "id", "shingle_signature", "copy_of_id"
    ):
        score = estimated_similarity(values, candidate.shingle_signature)
        if score >= COPY_THRESHOLD and (best is None or (score, -candidate.pk) > (best[1], -best[0].pk)):
            best = (candidate, score)
    return best


@transaction.atomic
def article_copies_index(*, article_id: int) -> Article | None:
    """Index an extracted article and, when it copies one already held, link it as a
    copy and turn its pending candidates into copy appearances. Idempotent."""
    article = (
        Article.objects.select_for_update().filter(pk=article_id).only("id", "text", "copy_of_id").first()
    )
    if article is None:
        return None
    if ArticleBand.objects.filter(article_id=article_id).exists() or article.copy_of_id:
        return article
    values = signature(article.text)
    if not values:
        return article
    original = find_original(article, values)
    fields = {"shingle_signature": values}
    if original is not None:
        fields.update(copy_of_id=original[0].pk, copy_similarity=round(original[1], 3))
        Attribution.objects.filter(article_id=article_id, review_state=ReviewState.PENDING).update(
            review_state=ReviewState.COPY
        )
        logger.info("article %s is a copy of %s (%.2f)", article_id, original[0].pk, original[1])
    else:
        ArticleBand.objects.bulk_create(
            [ArticleBand(article_id=article_id, band=band) for band in bands(values)], ignore_conflicts=True
        )
    Article.objects.filter(pk=article_id).update(**fields)
    return article
