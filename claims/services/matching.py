"""Claim matching and numeric consistency.

Each new attribution is compared with existing claims (their editor-worded text)
and with attributions editors have already accepted into a claim. On PostgreSQL
the comparison is ``pg_trgm`` similarity on the normalised keys, served by the
GIN trigram indexes of migration 0002; on SQLite the same trigram similarity is
computed in Python (``trigram_similarity`` reproduces ``pg_trgm``'s rules).

When attributions matched to one claim give different quantities for the same
unit ("58 + 83 attacks" against "nearly 150 attacks"), a ``ConsistencyFlag`` is
raised for editors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q

from claims.models import Attribution, Claim, ClaimMatch, ConsistencyFlag, ReviewState

# pg_trgm's default similarity_threshold: what the % operator (and the index) uses.
MATCH_MIN_SCORE = 0.3
MATCH_LIMIT = 5
# Very short contents ("yes", one word) match everything; they are not matched.
MATCH_MIN_KEY_CHARS = 8
# Two totals within this relative distance are the same figure (rounding).
SAME_VALUE_TOLERANCE = 0.005

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def trigrams(text: str) -> frozenset[str]:
    """The trigram set ``pg_trgm`` builds: lower-cased words of letters and digits,
    each padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: str, b: str) -> float:
    """``pg_trgm``'s ``similarity(a, b)``: shared trigrams over all distinct trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


_PG_BATCH = """
WITH k AS (SELECT t.key, t.i FROM unnest(%s::text[]) WITH ORDINALITY AS t(key, i))
SELECT k.i, m.claim_id, m.score FROM k
CROSS JOIN LATERAL (
    SELECT c.id AS claim_id, similarity(c.text_key, k.key) AS score
    FROM {claim} c
    WHERE c.merged_into_id IS NULL AND c.text_key %% k.key
    ORDER BY score DESC LIMIT {limit}
) m
UNION ALL
SELECT k.i, m.claim_id, m.score FROM k
CROSS JOIN LATERAL (
    SELECT a.claim_id, similarity(a.content_key, k.key) AS score
    FROM {attribution} a JOIN {claim} c ON c.id = a.claim_id
    WHERE a.review_state = %s AND c.merged_into_id IS NULL AND a.content_key %% k.key
    ORDER BY score DESC LIMIT {seen_limit}
) m
"""


def _candidates_postgres(keys: list[str]) -> list[dict[int, float]]:
    """Scores for many keys in one round trip. ``%%`` is pg_trgm's similarity
    operator: it uses the GIN trigram indexes and pg_trgm.similarity_threshold."""
    sql = _PG_BATCH.format(
        claim=Claim._meta.db_table,
        attribution=Attribution._meta.db_table,
        limit=MATCH_LIMIT,
        seen_limit=MATCH_LIMIT * 4,
    )
    found: list[dict[int, float]] = [{} for _ in keys]
    with connection.cursor() as cursor:
        cursor.execute(sql, [keys, ReviewState.ACCEPTED.value])
        for position, claim_id, score in cursor.fetchall():
            scores = found[position - 1]
            scores[claim_id] = max(scores.get(claim_id, 0.0), float(score))
    return found


class _PythonIndex:
    """Every claim key and accepted attribution key, loaded once per batch."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, str]] = list(
            Claim.objects.filter(merged_into__isnull=True).exclude(text_key="").values_list("id", "text_key")
        )
        self.keys += list(
            Attribution.objects.filter(
                review_state=ReviewState.ACCEPTED, claim__isnull=False, claim__merged_into__isnull=True
            )
            .exclude(content_key="")
            .values_list("claim_id", "content_key")
        )

    def candidates(self, key: str) -> dict[int, float]:
        scores: dict[int, float] = {}
        for claim_id, other in self.keys:
            score = trigram_similarity(key, other)
            if score >= MATCH_MIN_SCORE:
                scores[claim_id] = max(scores.get(claim_id, 0.0), score)
        return scores


def _ranked(scores: dict[int, float]) -> list[tuple[int, float]]:
    ranked = sorted(
        ((cid, round(min(1.0, s), 4)) for cid, s in scores.items() if s >= MATCH_MIN_SCORE),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return ranked[:MATCH_LIMIT]


def claims_for_keys(keys: list[str]) -> list[list[tuple[int, float]]]:
    """For each normalised content key, (claim id, score) pairs, best first."""
    wanted = [i for i, key in enumerate(keys) if len(key) >= MATCH_MIN_KEY_CHARS]
    result: list[list[tuple[int, float]]] = [[] for _ in keys]
    if not wanted:
        return result
    if connection.vendor == "postgresql":
        scores = _candidates_postgres([keys[i] for i in wanted])
    else:
        index = _PythonIndex()
        scores = [index.candidates(keys[i]) if index.keys else {} for i in wanted]
    for i, found in zip(wanted, scores, strict=True):
        result[i] = _ranked(found)
    return result


@transaction.atomic(savepoint=False)
def attributions_match(*, attributions: Iterable[Attribution]) -> list[ClaimMatch]:
    """Write ``ClaimMatch`` suggestions for saved attributions and check the numbers
    of every claim they were matched to."""
    attributions = [a for a in attributions if a.pk is not None]
    matches: list[ClaimMatch] = []
    ranked = claims_for_keys([a.content_key for a in attributions])
    for attribution, candidates in zip(attributions, ranked, strict=True):
        for claim_id, score in candidates:
            matches.append(ClaimMatch(attribution=attribution, claim_id=claim_id, score=score))
    if not matches:
        return []
    ClaimMatch.objects.bulk_create(matches, ignore_conflicts=True)
    for claim_id in sorted({m.claim_id for m in matches}):
        claim_consistency_check(claim_id=claim_id)
    return matches


# --- numeric consistency -------------------------------------------------------


def _inside_a_date(quantity: dict, dates: list[dict]) -> bool:
    start, end = quantity.get("start"), quantity.get("end")
    if start is None or end is None:
        return False
    return any(d.get("start") is not None and d["start"] < end and start < d["end"] for d in dates)


def _by_unit(attribution: Attribution) -> dict[str, list[dict]]:
    """Quantities by unit, leaving out figures that are part of a date ("۳۰ دی")."""
    found: dict[str, list[dict]] = defaultdict(list)
    dates = attribution.dates or []
    for quantity in attribution.quantities or []:
        unit = (quantity.get("unit") or "").strip()
        if unit and isinstance(quantity.get("value"), int | float) and not _inside_a_date(quantity, dates):
            found[unit].append(quantity)
    return found


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_VALUE_TOLERANCE * max(abs(a), abs(b), 1.0)


def quantities_agree(first: list[dict], second: list[dict]) -> bool:
    """Two sets of figures for one unit agree when their totals match (58 + 83 and
    141), or when one side's single figure appears among the other side's figures
    (a breakdown and one of its parts)."""
    values_a = [float(q["value"]) for q in first]
    values_b = [float(q["value"]) for q in second]
    if _same(sum(values_a), sum(values_b)):
        return True
    if len(values_a) == 1 and any(_same(values_a[0], v) for v in values_b):
        return True
    return len(values_b) == 1 and any(_same(values_b[0], v) for v in values_a)


def _fmt_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _describe(first: Attribution, q1: list[dict], second: Attribution, q2: list[dict], unit: str) -> str:
    def side(attribution: Attribution, quantities: list[dict]) -> str:
        texts = " + ".join(q.get("text") or _fmt_number(q["value"]) for q in quantities)
        total = sum(float(q["value"]) for q in quantities)
        suffix = f" (جمع {_fmt_number(total)})" if len(quantities) > 1 else ""
        qualifier = next((q.get("qualifier") for q in quantities if q.get("qualifier")), None)
        hedge = f" [{qualifier}]" if qualifier else ""
        return f"«{attribution.source_text}» (خبر {attribution.article_id}): {texts}{suffix}{hedge}"

    return f"ناهمخوانی در شمار «{unit}»: {side(first, q1)} در برابر {side(second, q2)}."


@transaction.atomic
def claim_consistency_check(*, claim_id: int) -> list[ConsistencyFlag]:
    """Flag pairs of appearances of one claim that disagree on a quantity.

    Appearances are the attributions accepted into the claim and the pending ones
    matched to it. Existing flags are kept (the unique constraint makes a re-run
    a no-op), so resolving a flag is never undone by a later check."""
    members = list(
        Attribution.objects.filter(
            Q(claim_id=claim_id, review_state=ReviewState.ACCEPTED)
            | Q(matches__claim_id=claim_id, review_state=ReviewState.PENDING)
        )
        .distinct()
        .order_by("id")
        .only("id", "article_id", "source_text", "quantities", "dates")
    )
    units = [(a, _by_unit(a)) for a in members]
    flags: list[ConsistencyFlag] = []
    for i, (first, q_first) in enumerate(units):
        if not q_first:
            continue
        for second, q_second in units[i + 1 :]:
            if first.article_id == second.article_id:
                continue  # one report's own breakdown is not a contradiction
            for unit in sorted(set(q_first) & set(q_second)):
                if quantities_agree(q_first[unit], q_second[unit]):
                    continue
                flag, _ = ConsistencyFlag.objects.get_or_create(
                    claim_id=claim_id,
                    first=first,
                    second=second,
                    unit=unit[:100],
                    defaults={"description": _describe(first, q_first[unit], second, q_second[unit], unit)},
                )
                flags.append(flag)
    return flags
