"""Wire copies: an article that copies or lightly rewrites one already held.

Persian news is relayed: an agency publishes, other sites copy the story whole or
rewrite its lead. Each article's text is reduced to the words a copy keeps and cut
into word shingles (``claims.services.copy_match``); a MinHash signature of HASHES
values estimates the Jaccard similarity of two shingle sets, and LSH (BANDS bands of
ROWS values) finds the articles sharing a band through a B-tree
(``ArticleBand.band``), so finding the candidates costs the same at 1k or 1M
articles. The candidates whose estimate reaches LIKELY are then measured exactly on
their texts, and the one holding most of the new article is its original when
``copy_match.is_copy`` says so. The copy keeps its own URL, outlet and time; its
candidates that the original already carries become copies of the original's
statements instead of a second set to review (what it adds stays in the queue).

With BANDS=30, ROWS=2 two articles share a band with probability
1 - (1 - s**2)**30: 0.9994 at s=0.45 (a light rewrite), 0.94 at s=0.3, 0.26 at s=0.1
and 0.07 at s=0.05 (stories in one agency's template, then rejected by the exact
measure). The former 20 bands of 3 found a light rewrite at s=0.45 only 84% of the time.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import struct
from array import array
from collections import OrderedDict
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import NamedTuple

from django.db import connection, transaction

from claims.models import Article, ArticleBand, Attribution, ReviewState
from claims.services import copy_match
from claims.services.minhash import int_array

logger = logging.getLogger(__name__)

BANDS = 30
ROWS = 2
HASHES = BANDS * ROWS
# Candidates whose estimated similarity reaches this are measured on their texts (a copy
# sharing SAME_STORY of its shingles with an original twice its size has a Jaccard
# similarity of 0.2; an original longer still is found only by luck of the bands).
LIKELY = 0.2
MIN_SHINGLES = copy_match.MIN_SHINGLES
MAX_CANDIDATES = 20
_MASK = (1 << 63) - 1
_SALTS = tuple(f"factcheck-copy{n:02d}".encode()[:16] for n in range((HASHES + 15) // 16))
_UNPACK = struct.Struct(f"<{len(_SALTS) * 16}I")


def shingles(text: str) -> frozenset[str]:
    return copy_match.fingerprint(text).shingles


def _hashes(shingle: str) -> tuple[int, ...]:
    data = shingle.encode("utf-8")
    digest = b"".join(hashlib.blake2b(data, digest_size=64, salt=salt).digest() for salt in _SALTS)
    return _UNPACK.unpack(digest)[:HASHES]


def signature(text: str) -> list[int]:
    """The MinHash signature of the text's shingles; [] for a text too short to compare."""
    return minhash(shingles(text))


def minhash(grams: frozenset[str]) -> list[int]:
    if len(grams) < MIN_SHINGLES:
        return []
    return list(map(min, zip(*(_hashes(g) for g in grams), strict=True)))


def bands(values: list[int], count: int = BANDS, rows: int = ROWS) -> list[int]:
    out = []
    for band in range(count if values else 0):
        row = values[band * rows : (band + 1) * rows]
        mixed = band
        for value in row:
            mixed = (mixed * 0x100000001B3) ^ value
        out.append(mixed & _MASK)
    return out


def estimated_similarity(a: list[int], b: list[int]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


class Original(NamedTuple):
    article: Article
    overlap: copy_match.Overlap
    fingerprint: copy_match.Fingerprint

    @property
    def rank(self) -> tuple[float, int]:
        """Most of the new article held, then the earliest."""
        return self.overlap.containment, -self.article.pk


def find_original(
    article: Article,
    values: list[int],
    fingerprint: copy_match.Fingerprint | None = None,
    signatures: Mapping[int, list[int]] | None = None,
    ranked: list[tuple[int, list[int], str]] | None = None,
) -> Original | None:
    """The earlier-held article (not itself a copy) this one copies, if any.
    ``signatures``: those of articles indexed in this transaction but not written yet;
    ``ranked``: the candidates' lookup (``_ranked_signatures``), when the caller made it."""
    if not values:
        return None
    if ranked is None:
        ranked = _ranked_signatures(article.pk, bands(values))
    signatures = signatures or {}
    likely = [
        pk
        for pk, theirs, _hash in ranked
        if estimated_similarity(values, signatures.get(pk, theirs)) >= LIKELY
    ]
    hashes = {pk: digest for pk, _theirs, digest in ranked}
    return closest_original(fingerprint or copy_match.fingerprint(article.text), likely, hashes=hashes)


def _ranked_signatures(article_id: int, band_values: list[int]) -> list[tuple[int, list[int], str]]:
    """(id, signature, content hash) of the earlier originals sharing most bands with an
    article, at most MAX_CANDIDATES, counted over at most MAX_CANDIDATES * BANDS band rows."""
    if connection.vendor == "postgresql":
        b, a = ArticleBand._meta.db_table, Article._meta.db_table
        with connection.cursor() as cursor:  # one round trip for the lookup and the signatures
            cursor.execute(
                "SELECT t.article_id, a.shingle_signature, a.content_hash FROM ("  # noqa: S608
                "SELECT h.article_id, COUNT(*) AS n FROM ("
                f"SELECT b.article_id FROM {b} b JOIN {a} o ON o.id = b.article_id "
                "WHERE b.band = ANY(%s::bigint[]) AND o.copy_of_id IS NULL AND b.article_id <> %s "
                "LIMIT %s) AS h GROUP BY h.article_id ORDER BY n DESC, h.article_id LIMIT %s"
                f") AS t JOIN {a} a ON a.id = t.article_id WHERE a.id < %s",
                [int_array(band_values), article_id, MAX_CANDIDATES * BANDS, MAX_CANDIDATES, article_id],
            )
            # A JSON column: the driver may hand over its text, as the ORM reads it.
            return [
                (pk, json.loads(signature) if isinstance(signature, str) else list(signature or []), digest)
                for pk, signature, digest in cursor.fetchall()
            ]
    shared = (
        ArticleBand.objects.filter(band__in=band_values, article__copy_of__isnull=True)
        .exclude(article_id=article_id)
        .values_list("article_id", flat=True)
    )
    counts: dict[int, int] = {}
    for pk in shared[: MAX_CANDIDATES * BANDS]:
        counts[pk] = counts.get(pk, 0) + 1
    ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))[:MAX_CANDIDATES]
    candidates = Article.objects.filter(pk__in=ranked, pk__lt=article_id)
    return list(candidates.values_list("id", "shingle_signature", "content_hash"))


def closest_original(
    new: copy_match.Fingerprint, candidate_ids: list[int], *, hashes: Mapping[int, str] | None = None
) -> Original | None:
    """Of a few likely originals (at most MAX_CANDIDATES), the one holding most of the new
    article, measured exactly on their texts, when it is a copy of it. ``hashes``: the
    candidates' content hashes when the caller read them already."""
    best: tuple[tuple[float, int], _Held, copy_match.Overlap] | None = None
    mine: set[int] | None = None
    for held in _held_articles(candidate_ids[:MAX_CANDIDATES], hashes or {}):
        if mine is None:
            mine = {hash(shingle) for shingle in new.shingles}
        shared = sum(1 for value in held.shingles if value in mine)
        overlap = copy_match.overlap(new, shared, held.size, held.numbers)
        rank = (overlap.containment, -held.article_id)
        if copy_match.is_copy(new, overlap) and (best is None or rank > best[0]):
            best = (rank, held, overlap)
    if best is None:
        return None
    _, held, overlap = best
    return Original(Article(id=held.article_id, text=held.text), overlap, _held_fingerprint(held.text))


class _Held:
    """An original as copies are measured against it: of its text's fingerprint, what
    ``copy_match.compare`` reads (its shingles, kept as their hashes in an array: a
    tenth of the memory of the strings; two shingles alike in all 64 bits of their
    hash are beyond the comparison's care), and its text."""

    __slots__ = ("article_id", "content_hash", "numbers", "shingles", "size", "text")

    def __init__(self, article_id: int, content_hash: str, text: str) -> None:
        self.article_id, self.content_hash, self.text = article_id, content_hash, text
        fingerprint = copy_match.fingerprint(text)
        self.shingles = array("q", {hash(shingle) for shingle in fingerprint.shingles})
        self.size = len(fingerprint.shingles)
        self.numbers = fingerprint.numbers


# Originals measured lately, by id: the copies of one story come close together and
# each is measured against the same few originals, so a worker keeps what the
# measure needs of them rather than reading and cutting up their texts again (a few
# kB an original, its text the most of it: a day or two of wire stories in 10-30 MB).
# An entry is used only while the article's content hash is the one it was made from.
HELD_CACHE_SIZE = 2048
_held_cache: OrderedDict[int, _Held] = OrderedDict()


def _held_articles(ids: list[int], hashes: Mapping[int, str]) -> list[_Held]:
    """The originals ``ids`` (those that exist) as ``_Held``, from the cache when their
    content hash is known and unchanged; the others' texts in one query."""
    if not ids:
        return []
    known = {pk: hashes[pk] for pk in ids if pk in hashes}
    if len(known) < len(ids):
        rest = [pk for pk in ids if pk not in known]
        known.update(Article.objects.filter(pk__in=rest).values_list("id", "content_hash"))
    found: dict[int, _Held] = {}
    missing = []
    for pk, digest in known.items():
        held = _held_cache.get(pk)
        if held is not None and held.content_hash == digest:
            _held_cache.move_to_end(pk)
            found[pk] = held
        else:
            missing.append(pk)
    if missing:
        rows = Article.objects.filter(pk__in=missing).values_list("id", "content_hash", "text")
        for pk, digest, text in rows:
            found[pk] = _held_cache[pk] = _Held(pk, digest, text)
        while len(_held_cache) > HELD_CACHE_SIZE:
            _held_cache.popitem(last=False)
    return [found[pk] for pk in ids if pk in found]


@lru_cache(maxsize=64)
def _held_fingerprint(text: str) -> copy_match.Fingerprint:
    """The whole fingerprint of an original found to be copied (its copy's spans are
    looked up in it): a small cache, as the copies of one story come together."""
    return copy_match.fingerprint(text)


@lru_cache(maxsize=64)
def _held_holder_of(text: str) -> copy_match.Holder:
    return copy_match.holder(text, _held_fingerprint(text))


def _held_holder(original: Original) -> copy_match.Holder:
    return _held_holder_of(original.article.text)


def _carried_candidates(
    article_id: int, original: Original, pending: list[tuple[int, str]] | None = None
) -> list[int]:
    """The copy's pending candidates (id, words; read here unless given) whose words the
    original already carries."""
    holder = _held_holder(original)
    if pending is None:
        rows = Attribution.objects.filter(article_id=article_id, review_state=ReviewState.PENDING)
        pending = list(rows.values_list("id", "content_text"))
    return [pk for pk, span in pending if holder.carries(span)]


@transaction.atomic
def article_copies_index(*, article_id: int) -> Article | None:
    """Index an extracted article and, when it copies one already held, link it as a
    copy and turn the pending candidates the original carries into copy appearances.
    Idempotent."""
    article = (
        Article.objects.select_for_update().filter(pk=article_id).only("id", "text", "copy_of_id").first()
    )
    if article is None:
        return None
    if ArticleBand.objects.filter(article_id=article_id).exists() or article.copy_of_id:
        return article
    fields = _index(article)
    if fields:
        Article.objects.filter(pk=article_id).update(**fields)
    return article


@transaction.atomic
def articles_copies_index(*, article_ids: list[int], carried: list[int] | None = None) -> list[Article]:
    """``article_copies_index`` for a batch, in one transaction, in id order: an article
    is compared with the batch's earlier ones as with any held before it. With
    ``carried``, the pending candidates the copies' originals carry are put there for
    the caller to mark (``articles_statements_assign`` writes the mark with the
    statement, one update of each row instead of two), not marked here."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    articles = list(
        Article.objects.select_for_update()
        .filter(pk__in=ids)
        .only("id", "text", "copy_of_id", "content_hash")
        .order_by("pk")
    )
    indexed = set(ArticleBand.objects.filter(article_id__in=ids).values_list("article_id", flat=True))
    todo = [a for a in articles if a.pk not in indexed and not a.copy_of_id]
    pending: dict[int, list[tuple[int, str]]] = {a.pk: [] for a in todo}
    rows = Attribution.objects.filter(article_id__in=list(pending), review_state=ReviewState.PENDING)
    for pk, article_id, span in rows.order_by("id").values_list("id", "article_id", "content_text"):
        pending[article_id].append((pk, span))
    written: dict[int, dict] = {}
    signatures: dict[int, list[int]] = {}
    found: list[int] = []  # no later article of the batch reads these: one update for all
    lookups = _BatchLookups(todo) if connection.vendor == "postgresql" else None
    for article in todo:
        fields = _index(
            article,
            signatures=signatures,
            pending=pending[article.pk],
            carried=found,
            lookups=lookups,
        )
        if fields:
            written[article.pk] = fields
            signatures[article.pk] = fields["shingle_signature"]
    if lookups is not None:
        lookups.write_bands()
    if carried is None:
        mark_copies(found)
    else:
        carried += found
    _write_index_fields(written)
    return articles


def _index(
    article: Article,
    *,
    signatures: Mapping[int, list[int]] | None = None,
    pending: list[tuple[int, str]] | None = None,
    carried: list[int] | None = None,
    lookups: _BatchLookups | None = None,
) -> dict | None:
    """Compare an article with those held; store its bands (an original) or mark the
    candidates its original carries (a copy; into ``carried`` when given, for the
    caller to mark). Returns the article's fields to write. With ``lookups`` (a
    batch), the candidates come from it and an original's bands go to it."""
    article_id = article.pk
    if lookups is not None:
        new, values = lookups.prepared[article_id]
    else:
        new = copy_match.fingerprint(article.text)
        values = minhash(new.shingles)
    if not values:
        return None
    ranked = lookups.ranked(article, signatures or {}) if lookups is not None else None
    original = find_original(article, values, new, signatures, ranked)
    fields = {"shingle_signature": values}
    if original is not None:
        score = original.overlap.containment
        fields.update(copy_of_id=original.article.pk, copy_similarity=round(score, 3))
        found = _carried_candidates(article_id, original, pending)
        if carried is None:
            mark_copies(found)
        else:
            carried += found
        logger.info("article %s is a copy of %s (%.2f)", article_id, original.article.pk, score)
    elif lookups is not None:
        lookups.original(article, values)
    else:
        ArticleBand.objects.bulk_create(
            [ArticleBand(article_id=article_id, band=band) for band in bands(values)], ignore_conflicts=True
        )
    article.copy_of_id = fields.get("copy_of_id")
    return fields


class _BatchLookups:
    """A batch's candidate lookups (PostgreSQL): the originals held before the batch
    ranked for every article in one statement, the batch's own originals counted in
    as each is indexed, and their bands written in one statement at the end.

    An article gets what ``_ranked_signatures`` would have given it one at a time:
    the originals sharing most bands with it among those held before the batch and
    the batch's earlier ones (the first MAX_CANDIDATES by bands shared, then id), of
    those the ones older than it."""

    def __init__(self, articles: list[Article]) -> None:
        self.prepared: dict[int, tuple[copy_match.Fingerprint, list[int]]] = {}
        for article in articles:
            new = copy_match.fingerprint(article.text)
            self.prepared[article.pk] = (new, minhash(new.shingles))
        self.bands = {pk: bands(values) for pk, (_, values) in self.prepared.items() if values}
        self.held = _held_ranked(self.bands)
        self.originals: list[tuple[int, frozenset[int], str]] = []  # the batch's, in order

    def ranked(
        self, article: Article, signatures: Mapping[int, list[int]]
    ) -> list[tuple[int, list[int], str]]:
        mine = set(self.bands[article.pk])
        pool = {pk: (n, signature, digest) for pk, n, signature, digest in self.held.get(article.pk, ())}
        for pk, theirs, digest in self.originals:
            shared = len(mine & theirs)
            if shared:
                pool[pk] = (shared, signatures[pk], digest)
        top = heapq.nsmallest(MAX_CANDIDATES, ((-n, pk) for pk, (n, _, _) in pool.items()))
        return [(pk, pool[pk][1], pool[pk][2]) for _, pk in top if pk < article.pk]

    def original(self, article: Article, values: list[int]) -> None:
        self.originals.append((article.pk, frozenset(bands(values)), article.content_hash))

    def write_bands(self) -> None:
        rows = [(pk, band) for pk, theirs, _ in self.originals for band in theirs]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ArticleBand._meta.db_table} (article_id, band) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
                [int_array(pk for pk, _ in rows), int_array(band for _, band in rows)],
            )


def _held_ranked(wanted: Mapping[int, list[int]]) -> dict[int, list[tuple[int, int, list[int], str]]]:
    """Per article (id: its band values), (id, bands shared, signature, content hash) of
    the originals held that share most bands with it, at most MAX_CANDIDATES, each
    counted over at most MAX_CANDIDATES * BANDS band rows: ``_ranked_signatures``'
    lookup for many articles in one statement, without its last step (only the
    articles older than the one asking), which comes once the batch's own are in."""
    if not wanted:
        return {}
    selves = [pk for pk in wanted for _ in wanted[pk]]
    values = [band for pk in wanted for band in wanted[pk]]
    b, a = ArticleBand._meta.db_table, Article._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH w AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS w(self, band)) "  # noqa: S608
            "SELECT s.self, t.article_id, t.n, a.shingle_signature, a.content_hash "
            "FROM (SELECT DISTINCT self FROM w) AS s CROSS JOIN LATERAL ("
            "SELECT h.article_id, COUNT(*) AS n FROM ("
            f"SELECT b.article_id FROM {b} b JOIN {a} o ON o.id = b.article_id "
            "WHERE b.band = ANY(ARRAY(SELECT w.band FROM w WHERE w.self = s.self)) "
            "AND o.copy_of_id IS NULL AND b.article_id <> s.self "
            "LIMIT %s) AS h GROUP BY h.article_id ORDER BY n DESC, h.article_id LIMIT %s"
            f") AS t JOIN {a} a ON a.id = t.article_id",
            [int_array(selves), int_array(values), MAX_CANDIDATES * BANDS, MAX_CANDIDATES],
        )
        found: dict[int, list[tuple[int, int, list[int], str]]] = {}
        for self_id, pk, n, signature, digest in cursor.fetchall():
            signature = json.loads(signature) if isinstance(signature, str) else list(signature or [])
            found.setdefault(self_id, []).append((pk, n, signature, digest))
        return found


def mark_copies(attribution_ids: Collection[int]) -> None:
    """Pending candidates a copy's original carries become copy appearances."""
    if attribution_ids:
        Attribution.objects.filter(pk__in=attribution_ids, review_state=ReviewState.PENDING).update(
            review_state=ReviewState.COPY
        )


def _write_index_fields(written: Mapping[int, dict]) -> None:
    """The signatures, and the copies' originals, of a batch's articles (one statement
    on PostgreSQL for the originals and one for the copies)."""
    originals = {pk: f for pk, f in written.items() if "copy_of_id" not in f}
    copies = {pk: f for pk, f in written.items() if "copy_of_id" in f}
    if connection.vendor != "postgresql":
        for pk, fields in written.items():
            Article.objects.filter(pk=pk).update(**fields)
        return
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        if originals:
            values = ", ".join(["(%s::bigint, %s::jsonb)"] * len(originals))
            cursor.execute(
                f"UPDATE {table} SET shingle_signature = v.signature "  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, signature) WHERE {table}.id = v.id",
                [x for pk, f in originals.items() for x in (pk, json.dumps(f["shingle_signature"]))],
            )
        if copies:
            values = ", ".join(["(%s::bigint, %s::jsonb, %s::bigint, %s::double precision)"] * len(copies))
            cursor.execute(
                f"UPDATE {table} SET shingle_signature = v.signature, copy_of_id = v.copy_of, "  # noqa: S608
                f"copy_similarity = v.similarity FROM (VALUES {values}) "
                f"AS v(id, signature, copy_of, similarity) WHERE {table}.id = v.id",
                [
                    x
                    for pk, f in copies.items()
                    for x in (pk, json.dumps(f["shingle_signature"]), f["copy_of_id"], f["copy_similarity"])
                ],
            )


def articles_copies_reindex(*, batch_size: int = 500) -> int:
    """Give every indexed original (an article not a copy, with a signature) the signature
    and bands of the current comparison, after ``copy_match`` or the bands changed: its
    copies yet to come are then found. Copies stay copies. Reads in id order in batches,
    each article in a short transaction of its own; idempotent. Returns the count."""
    done, last_id = 0, 0
    while True:
        ids = list(
            Article.objects.filter(pk__gt=last_id, copy_of__isnull=True)
            .exclude(shingle_signature=[])
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        last_id = ids[-1]
        done += sum(_reindex(article_id) for article_id in ids)


@transaction.atomic
def _reindex(article_id: int) -> bool:
    article = (
        Article.objects.select_for_update()
        .filter(pk=article_id, copy_of__isnull=True)
        .only("id", "text")
        .first()
    )
    if article is None:
        return False
    values = signature(article.text)
    ArticleBand.objects.filter(article_id=article_id).delete()
    ArticleBand.objects.bulk_create(
        [ArticleBand(article_id=article_id, band=band) for band in bands(values)], ignore_conflicts=True
    )
    Article.objects.filter(pk=article_id).update(shingle_signature=values)
    return True
