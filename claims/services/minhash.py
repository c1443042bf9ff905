"""MinHash and LSH bands over ``pg_trgm``-style trigram sets (pure Python, no Django).

The Jaccard similarity of two trigram sets is exactly ``pg_trgm``'s
``similarity``. MinHash estimates it: for each of HASHES salted hash functions,
the smallest hash over a key's trigrams; two keys agree on one of them with
probability equal to their Jaccard similarity. LSH groups the values in BANDS
bands of ROWS; two keys share at least one band with probability
``1 - (1 - s**ROWS) ** BANDS``: at s = 0.3 (the match threshold) 0.98, at 0.4
0.999, at an unrelated pair's 0.05 about 0.1 — and candidates are ranked by how
many bands they share, then scored exactly, so a chance collision costs little.

A band is an exact value, so finding the keys that share one is a B-tree lookup
on any database, whatever the corpus size: a bounded candidate list with no
similarity computed over a table.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable
from functools import lru_cache

BANDS = 40
ROWS = 2
HASHES = BANDS * ROWS
# blake2b gives 64 bytes (16 x 32-bit values) per call; one salted call per 16 hashes.
_SALTS = tuple(f"factcheck-lsh{n:02d}".encode()[:16] for n in range((HASHES + 15) // 16))
_UNPACK = struct.Struct(f"<{len(_SALTS) * 16}I")
_MASK = (1 << 63) - 1
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def trigrams(text: str) -> frozenset[str]:
    """The trigram set ``pg_trgm`` builds: lower-cased words of letters and digits,
    each padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers (``'{1,2,3}'``), for a ``%s::bigint[]``
    parameter: psycopg adapts a list element by element in Python, which for the
    thousands of band values of a batch costs more than the query."""
    return "{" + ",".join(map(str, values)) + "}"


def jaccard(a: str, b: str) -> float:
    """``pg_trgm``'s ``similarity(a, b)``: shared trigrams over all distinct trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


@lru_cache(maxsize=16384)
def _gram_hashes(gram: str) -> tuple[int, ...]:
    data = gram.encode("utf-8")
    digest = b"".join(hashlib.blake2b(data, digest_size=64, salt=salt).digest() for salt in _SALTS)
    return _UNPACK.unpack(digest)[:HASHES]


def signature(text: str) -> list[int]:
    """The MinHash signature (HASHES values) of ``text``'s trigrams; [] for none."""
    grams = trigrams(text)
    if not grams:
        return []
    return list(map(min, zip(*(_gram_hashes(g) for g in grams), strict=True)))


def bands(text: str) -> list[int]:
    """The LSH band values of ``text`` (BANDS signed 63-bit integers, one per band,
    the band's number mixed in so equal values in different bands differ)."""
    return list(_bands(text))


@lru_cache(maxsize=4096)
def _bands(text: str) -> tuple[int, ...]:
    # Cached: an appearance's wording is looked up by matching and by statements in turn.
    values = signature(text)
    if not values:
        return ()
    out = []
    for band in range(BANDS):
        first, second = values[band * ROWS], values[band * ROWS + 1]
        mixed = (band * 0x9E3779B97F4A7C15) ^ (first << 31) ^ second
        out.append(mixed & _MASK)
    return tuple(out)
