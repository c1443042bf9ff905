"""Claim matching and numeric consistency, at a cost that does not grow with the corpus.

Matching compares each new attribution with the *candidate index*
(``MatchKey``): one row per distinct normalised wording of a claim (its text
and each accepted appearance), never with the attribution table. Candidates come
from two bounded lookups, in two queries for a whole article:

1. the same speaker within MATCH_SPEAKER_WINDOW of the article's date (B-tree on
   ``source, seen_at``, at most MATCH_SPEAKER_LIMIT rows per probe), so a claim
   the same source made that week is never crowded out of the list;
2. the keys that share MinHash LSH bands with the new content (``MatchBand``,
   B-tree on ``band``; see ``claims.services.minhash``), ranked by the number of
   bands shared, at most MATCH_CANDIDATES per probe.

The candidates are then scored exactly with the trigram similarity ``pg_trgm``
computes (``trigram_similarity``); a claim is suggested at MATCH_MIN_SCORE or
more. The same code runs on PostgreSQL and on SQLite (the embedded default).

Consistency is incremental: each claim keeps its distinct sets of figures per
unit (``ClaimFigure``, at most MAX_FIGURES_PER_UNIT), and a new appearance is
compared with those, not with every member. A disagreement raises a
``ConsistencyFlag`` between the appearance that first gave the stored figures
and the new one; an appearance repeating stored figures adds nothing.

``article_match`` runs after the extraction transaction has committed (its own
short transaction, idempotent through ``Article.matched_at``); an article with
more than MATCH_MAX_PER_ARTICLE candidates has the rest left unmatched, counted
in ``Article.match_skipped`` and logged.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from django.db import connection, transaction
from django.utils import timezone

from claims.models import (
    Article,
    ArticleState,
    Attribution,
    Claim,
    ClaimFigure,
    ClaimMatch,
    ConsistencyFlag,
    MatchBand,
    MatchKey,
    ReviewState,
)
from claims.services import minhash

logger = logging.getLogger(__name__)

# pg_trgm's default similarity_threshold: what the % operator (and the index) uses.
MATCH_MIN_SCORE = 0.3
MATCH_LIMIT = 5
# Index rows each lookup may return per probe before they are scored exactly.
MATCH_CANDIDATES = 30
MATCH_SPEAKER_LIMIT = 20
MATCH_SPEAKER_WINDOW = dt.timedelta(days=14)
# Very short contents ("yes", one word) match everything; they are not matched.
MATCH_MIN_KEY_CHARS = 8
# An article with more candidates than this (a transcript, a list of quotes) has
# the rest left out of matching; the count is kept on the article.
MATCH_MAX_PER_ARTICLE = 200
# Distinct wordings kept per claim in the candidate index.
MAX_KEYS_PER_CLAIM = 64
# Distinct sets of figures kept per claim and unit.
MAX_FIGURES_PER_UNIT = 16
# Two totals within this relative distance are the same figure (rounding).
SAME_VALUE_TOLERANCE = 0.005


def trigrams(text: str) -> frozenset[str]:
    """The trigram set ``pg_trgm`` builds (see ``claims.services.minhash``)."""
    return minhash.trigrams(text)


def trigram_similarity(a: str, b: str) -> float:
    """``pg_trgm``'s ``similarity(a, b)``: shared trigrams over all distinct trigrams."""
    return minhash.jaccard(a, b)


# --- candidate generation -------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """What a new statement is looked up by: its normalised content, its speaker
    (a Source id, or None when unresolved) and when it was said."""

    key: str
    source_id: int | None
    at: dt.datetime


_Row = tuple[int, int, str]  # (index row id, claim id, key)


def _speaker_rows(probes: Sequence[Probe]) -> dict[int, list[_Row]]:
    """Per probe, the index rows of the same speaker within the time window, most
    recent first, at most MATCH_SPEAKER_LIMIT (one query for the batch: one bounded
    B-tree scan on ``source, seen_at`` per distinct speaker and date, so no probe's
    rows are crowded out by another's)."""
    asked = [(i, p) for i, p in enumerate(probes) if p.source_id is not None]
    if not asked:
        return {}
    windows = sorted({(p.source_id, p.at) for _, p in asked}, key=lambda w: (w[0], w[1]))
    if connection.vendor == "postgresql":
        fetched = _speaker_scans(windows)
    else:
        scans = [
            MatchKey.objects.filter(
                source_id=source_id,
                seen_at__range=(at - MATCH_SPEAKER_WINDOW, at + MATCH_SPEAKER_WINDOW),
                claim__merged_into__isnull=True,
            )
            .order_by("-seen_at", "-id")
            .values_list("id", "claim_id", "key", "source_id", "seen_at")[:MATCH_SPEAKER_LIMIT]
            for source_id, at in windows
        ]
        fetched = [row for scan in scans for row in scan]  # SQLite: no LIMIT inside a UNION's parts
    rows = sorted(fetched, key=lambda row: (row[4], row[0]), reverse=True)
    found: dict[int, list[_Row]] = {}
    for i, p in asked:
        low, high = p.at - MATCH_SPEAKER_WINDOW, p.at + MATCH_SPEAKER_WINDOW
        found[i] = list(
            dict.fromkeys(
                (pk, claim_id, key)
                for pk, claim_id, key, src, seen in rows
                if src == p.source_id and low <= seen <= high
            )
        )[:MATCH_SPEAKER_LIMIT]
    return found


def _speaker_scans(windows: list[tuple[int, dt.datetime]]) -> list[tuple]:
    """The windows' scans in one statement (PostgreSQL): a LATERAL subquery per
    window, each the bounded index scan the ORM's UNION of slices would run, with
    no SQL to build per window."""
    k, c = MatchKey._meta.db_table, Claim._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.claim_id, m.key, m.source_id, m.seen_at "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS w(source_id, low, high) "
            f"CROSS JOIN LATERAL (SELECT k.id, k.claim_id, k.key, k.source_id, k.seen_at FROM {k} k "
            f"JOIN {c} c ON c.id = k.claim_id WHERE k.source_id = w.source_id "
            "AND k.seen_at BETWEEN w.low AND w.high AND c.merged_into_id IS NULL "
            "ORDER BY k.seen_at DESC, k.id DESC LIMIT %s) AS m",
            [
                minhash.int_array(source_id for source_id, _ in windows),
                [at - MATCH_SPEAKER_WINDOW for _, at in windows],
                [at + MATCH_SPEAKER_WINDOW for _, at in windows],
                MATCH_SPEAKER_LIMIT,
            ],
        )
        return cursor.fetchall()


def _band_hits(wanted: set[int]) -> tuple[list[tuple[int, int]], dict[int, _Row]]:
    """(band, index row id) of the index rows holding any of the bands, and those rows
    (id, claim id, key) by id, on unmerged claims only."""
    if connection.vendor != "postgresql":
        hits = list(
            MatchBand.objects.filter(band__in=wanted, key__claim__merged_into__isnull=True).values_list(
                "band", "key_id", "key__claim_id", "key__key"
            )
        )
        return [(band, key_id) for band, key_id, _, _ in hits], {
            key_id: (key_id, claim_id, key) for _, key_id, claim_id, key in hits
        }
    # One array parameter rather than an IN list of thousands (a batch of articles), and
    # each row's key sent once, not once per band it shares.
    b, k, c = MatchBand._meta.db_table, MatchKey._meta.db_table, Claim._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH h AS (SELECT b.band, b.key_id FROM {b} b WHERE b.band = ANY(%s::bigint[])) "  # noqa: S608
            "SELECT h.band, h.key_id, NULL, NULL FROM h UNION ALL "
            f"SELECT NULL, k.id, k.claim_id, k.key FROM {k} k JOIN {c} c ON c.id = k.claim_id "
            "WHERE k.id IN (SELECT key_id FROM h) AND c.merged_into_id IS NULL",
            [minhash.int_array(sorted(wanted))],
        )
        rows = cursor.fetchall()
    keys = {key_id: (key_id, claim_id, key) for band, key_id, claim_id, key in rows if band is None}
    return [(band, key_id) for band, key_id, _, _ in rows if band is not None and key_id in keys], keys


def _band_rows(probe_bands: list[list[int]]) -> dict[int, list[_Row]]:
    """Per probe, the index rows sharing the most LSH bands with it, at most
    MATCH_CANDIDATES (one query for the batch; B-tree on ``band``)."""
    wanted = {band for bands in probe_bands for band in bands}
    if not wanted:
        return {}
    holders: dict[int, list[int]] = defaultdict(list)
    hits, keys = _band_hits(wanted)
    for band, key_id in hits:
        holders[band].append(key_id)
    found: dict[int, list[_Row]] = {}
    for i, bands in enumerate(probe_bands):
        shared = Counter(chain.from_iterable(holders[band] for band in bands if band in holders))
        # Most bands shared first, then the lower id: (-count, id) in ascending order.
        best = heapq.nsmallest(MATCH_CANDIDATES, ((-n, key_id) for key_id, n in shared.items()))
        found[i] = [keys[key_id] for _, key_id in best]
    return found


def candidate_keys(probes: Sequence[Probe]) -> list[list[_Row]]:
    """For each probe, the bounded candidate list from the index: (index row id,
    claim id, key) of the same speaker's recent rows and of the rows sharing the
    most LSH bands, on unmerged claims. Two queries for any batch (one without
    speakers). Reusable for any "is this the same statement" question;
    ``candidate_claims`` scores it."""
    speaker = _speaker_rows(probes)
    by_band = _band_rows([minhash.bands(p.key) for p in probes])
    result = []
    for i in range(len(probes)):
        chosen = {row[0]: row for row in (*speaker.get(i, ()), *by_band.get(i, ()))}
        result.append(list(chosen.values()))
    return result


def _ranked(scores: dict[int, float]) -> list[tuple[int, float]]:
    ranked = sorted(
        ((cid, round(min(1.0, s), 4)) for cid, s in scores.items() if s >= MATCH_MIN_SCORE),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return ranked[:MATCH_LIMIT]


def candidate_claims(probes: Sequence[Probe]) -> list[list[tuple[int, float]]]:
    """For each probe, (claim id, score) pairs, best first, at most MATCH_LIMIT:
    the candidate list scored exactly (trigram similarity, as ``pg_trgm``)."""
    wanted = [i for i, p in enumerate(probes) if len(p.key) >= MATCH_MIN_KEY_CHARS]
    result: list[list[tuple[int, float]]] = [[] for _ in probes]
    if not wanted:
        return result
    chosen = [probes[i] for i in wanted]
    for i, probe, candidates in zip(wanted, chosen, candidate_keys(chosen), strict=True):
        scores: dict[int, float] = {}
        for _pk, claim_id, key in candidates:
            score = trigram_similarity(probe.key, key)
            if score > scores.get(claim_id, 0.0):
                scores[claim_id] = score
        result[i] = _ranked(scores)
    return result


def claims_for_keys(keys: list[str]) -> list[list[tuple[int, float]]]:
    """``candidate_claims`` by content alone (no speaker, no date)."""
    now = timezone.now()
    return candidate_claims([Probe(key=k, source_id=None, at=now) for k in keys])


# --- the candidate index ----------------------------------------------------------


def _with_bands(keys: list[MatchKey]) -> None:
    """Store saved index rows' LSH bands."""
    MatchBand.objects.bulk_create(
        [MatchBand(key_id=row.pk, band=band) for row in keys for band in minhash.bands(row.key)],
        batch_size=2000,
    )


def claim_keys_refresh(*, claim_id: int) -> int:
    """Rebuild one claim's rows of the candidate index from its text and accepted
    appearances (and drop those of claims merged into it). Bounded by
    MAX_KEYS_PER_CLAIM; returns the number of rows written."""
    MatchKey.objects.filter(claim__merged_into_id=claim_id).delete()
    MatchKey.objects.filter(claim_id=claim_id).delete()
    claim = Claim.objects.filter(pk=claim_id).only("id", "text_key", "created_at", "merged_into_id").first()
    if claim is None or claim.merged_into_id:
        return 0
    rows = []
    seen: set[tuple[str, int | None]] = set()
    if claim.text_key:
        rows.append(MatchKey(claim_id=claim.pk, key=claim.text_key, source_id=None, seen_at=claim.created_at))
        seen.add((claim.text_key, None))
    appearances = (
        Attribution.objects.filter(claim_id=claim_id, review_state=ReviewState.ACCEPTED)
        .exclude(content_key="")
        .order_by("id")
        .values_list("content_key", "source_id", "article__sort_at")
    )
    for key, source_id, seen_at in appearances.iterator(chunk_size=500):
        if len(rows) >= MAX_KEYS_PER_CLAIM:
            break
        if (key, source_id) not in seen:
            seen.add((key, source_id))
            rows.append(MatchKey(claim_id=claim.pk, key=key, source_id=source_id, seen_at=seen_at))
    created = MatchKey.objects.bulk_create(rows)
    if any(row.pk is None for row in created):  # a backend that returns no ids
        created = list(MatchKey.objects.filter(claim_id=claim_id))
    _with_bands(created)
    return len(created)


def claim_key_add(*, claim: Claim, key: str, source_id: int | None, seen_at: dt.datetime) -> None:
    """Add one wording of ``claim`` to the candidate index (a no-op when present or
    when the claim already has MAX_KEYS_PER_CLAIM rows)."""
    if not key or MatchKey.objects.filter(claim=claim).count() >= MAX_KEYS_PER_CLAIM:
        return
    with transaction.atomic():
        row, created = MatchKey.objects.get_or_create(
            claim=claim, key=key, source_id=source_id, defaults={"seen_at": seen_at}
        )
        if created:
            _with_bands([row])


def appearance_added(*, claim: Claim, attribution: Attribution) -> list[ConsistencyFlag]:
    """An attribution was accepted into ``claim``: index its wording and check its
    figures against the claim's (a few queries, whatever the claim's size)."""
    article = Article.objects.only("id", "sort_at").get(pk=attribution.article_id)
    claim_key_add(
        claim=claim, key=attribution.content_key, source_id=attribution.source_id, seen_at=article.sort_at
    )
    return appearances_check(pairs=[(claim.pk, attribution)])


# --- matching ---------------------------------------------------------------------

_MATCH_COLUMNS = ("id", "article_id", "content_key", "source_id", "source_text", "quantities", "dates")


@transaction.atomic(savepoint=False)
def attributions_match(
    *, attributions: Iterable[Attribution], at: dt.datetime | None = None
) -> list[ClaimMatch]:
    """Write ``ClaimMatch`` suggestions for saved attributions (all from articles
    dated ``at``, default now) and check their figures against every claim they
    were matched to. A fixed number of queries for any batch."""
    when = at or timezone.now()
    return _match_dated([(a, when) for a in attributions])


def _match_dated(items: Sequence[tuple[Attribution, dt.datetime]]) -> list[ClaimMatch]:
    """``attributions_match`` for attributions each dated on its own (a batch of articles)."""
    items = [(a, at) for a, at in items if a.pk is not None]
    ranked = candidate_claims([Probe(a.content_key, a.source_id, at) for a, at in items])
    matches: list[ClaimMatch] = []
    pairs: list[tuple[int, Attribution]] = []
    for (attribution, _at), candidates in zip(items, ranked, strict=True):
        for claim_id, score in candidates:
            matches.append(ClaimMatch(attribution=attribution, claim_id=claim_id, score=score))
            pairs.append((claim_id, attribution))
    if not matches:
        return []
    ClaimMatch.objects.bulk_create(matches, ignore_conflicts=True)
    appearances_check(pairs=pairs)
    return matches


_ARTICLE_COLUMNS = ("id", "state", "matched_at", "match_skipped", "published_at", "ingested_at", "sort_at")


def _relaxed_commit() -> None:
    if connection.vendor == "postgresql":
        # Like the extraction's own writes, a match can always be redone: a
        # server crash in the next instant leaves ``matched_at`` empty, and the
        # stale-article task sends it again. No wait for the disk at commit.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _to_match(article_id: int, candidates: Iterable[Attribution]) -> tuple[list[Attribution], int]:
    """An article's pending candidates worth matching, capped; and how many the cap left out."""
    kept = [a for a in candidates if len(a.content_key) >= MATCH_MIN_KEY_CHARS]
    skipped = max(0, len(kept) - MATCH_MAX_PER_ARTICLE)
    if skipped:
        logger.warning(
            "article %s: %s candidates over the matching cap of %s were not matched",
            article_id,
            skipped,
            MATCH_MAX_PER_ARTICLE,
        )
    return kept[:MATCH_MAX_PER_ARTICLE], skipped


def article_match(*, article_id: int) -> Article | None:
    """Match an extracted article's pending candidates to claims, once per extraction.

    Its own transaction, after the extraction's has committed: matching never
    holds the article's extraction open, and a worker lost in between leaves
    ``matched_at`` empty for ``requeue_stale_articles`` to send again."""
    with transaction.atomic():
        _relaxed_commit()
        article = Article.objects.select_for_update().only(*_ARTICLE_COLUMNS).filter(pk=article_id).first()
        if article is None or article.state != ArticleState.DONE or article.matched_at is not None:
            return article
        candidates, skipped = _to_match(
            article_id,
            Attribution.objects.filter(article_id=article_id, review_state=ReviewState.PENDING)
            .only(*_MATCH_COLUMNS)
            .order_by("content_start", "id"),
        )
        attributions_match(attributions=candidates, at=article.sort_at)
        article.matched_at = timezone.now()
        article.match_skipped = skipped
        article.save(update_fields=["matched_at", "match_skipped"])
    return article


def articles_match(*, article_ids: Sequence[int]) -> list[Article]:
    """``article_match`` for a batch of articles, with the same suggestions and
    figures, in one transaction and a fixed number of queries for the batch."""
    if not article_ids:
        return []
    with transaction.atomic():
        _relaxed_commit()
        articles = list(
            Article.objects.select_for_update()
            .only(*_ARTICLE_COLUMNS)
            .filter(pk__in=list(article_ids))
            .order_by("pk")
        )
        todo = [a for a in articles if a.state == ArticleState.DONE and a.matched_at is None]
        if not todo:
            return articles
        by_article: dict[int, list[Attribution]] = defaultdict(list)
        for attribution in (
            Attribution.objects.filter(article_id__in=[a.pk for a in todo], review_state=ReviewState.PENDING)
            .only(*_MATCH_COLUMNS)
            .order_by("article_id", "content_start", "id")
        ):
            by_article[attribution.article_id].append(attribution)
        items: list[tuple[Attribution, dt.datetime]] = []
        now = timezone.now()
        for article in todo:
            candidates, article.match_skipped = _to_match(article.pk, by_article.get(article.pk, ()))
            items += [(a, article.sort_at) for a in candidates]
            article.matched_at = now
        _match_dated(items)
        for skipped in sorted({a.match_skipped for a in todo}):
            Article.objects.filter(pk__in=[a.pk for a in todo if a.match_skipped == skipped]).update(
                matched_at=now, match_skipped=skipped
            )
    return articles


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


def figure_signature(quantities: list[dict]) -> str:
    """Appearances with one signature give the same figures ("58|83")."""
    return "|".join(f"{float(q['value']):g}" for q in sorted(quantities, key=lambda q: float(q["value"])))[
        :200
    ]


def _fmt_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _side(source_text: str, article_id: int, quantities: list[dict]) -> str:
    texts = " + ".join(q.get("text") or _fmt_number(q["value"]) for q in quantities)
    total = sum(float(q["value"]) for q in quantities)
    suffix = f" (جمع {_fmt_number(total)})" if len(quantities) > 1 else ""
    qualifier = next((q.get("qualifier") for q in quantities if q.get("qualifier")), None)
    hedge = f" [{qualifier}]" if qualifier else ""
    return f"«{source_text}» (خبر {article_id}): {texts}{suffix}{hedge}"


@dataclass
class _Figure:
    signature: str
    quantities: list[dict]
    attribution_id: int
    article_id: int
    source_text: str
    valid: bool
    row_id: int | None = None


def _stored_figures(claim_ids: list[int]) -> dict[tuple[int, str], list[_Figure]]:
    """The claims' stored figures with the appearance behind each (one query). A
    figure whose appearance was dismissed or moved to another claim no longer counts."""
    figures: dict[tuple[int, str], list[_Figure]] = defaultdict(list)
    rows = (
        ClaimFigure.objects.filter(claim_id__in=claim_ids)
        .order_by("id")
        .values_list(
            "id",
            "claim_id",
            "unit",
            "signature",
            "values",
            "attribution_id",
            "attribution__article_id",
            "attribution__source_text",
            "attribution__review_state",
            "attribution__claim_id",
        )
    )
    for row_id, claim_id, unit, signature, values, att_id, article_id, source_text, state, owner in rows:
        valid = state != ReviewState.DISMISSED and owner in (None, claim_id)
        figures[(claim_id, unit)].append(
            _Figure(signature, values, att_id, article_id, source_text, valid, row_id=row_id)
        )
    return figures


def _compare(
    figures: dict[tuple[int, str], list[_Figure]], pairs: Iterable[tuple[int, Attribution]]
) -> tuple[list[ConsistencyFlag], list[ClaimFigure], list[ClaimFigure]]:
    """The new appearances against the figures in hand, in order; returns flags to
    raise and figure rows to create and to update (their appearance replaced)."""
    flags: list[ConsistencyFlag] = []
    created: list[ClaimFigure] = []
    updated: list[ClaimFigure] = []
    for claim_id, attribution in pairs:
        for unit, quantities in sorted(_by_unit(attribution).items()):
            unit = unit[:100]
            signature = figure_signature(quantities)
            known = figures[(claim_id, unit)]
            same = next((f for f in known if f.signature == signature), None)
            if same is not None and same.valid:
                continue  # these figures are in hand, and so are their disagreements
            for figure in known:
                if not figure.valid or figure.article_id == attribution.article_id:
                    continue  # one report's own breakdown is not a contradiction
                if quantities_agree(figure.quantities, quantities):
                    continue
                before = _side(figure.source_text, figure.article_id, figure.quantities)
                after = _side(attribution.source_text, attribution.article_id, quantities)
                description = f"ناهمخوانی در شمار «{unit}»: {before} در برابر {after}."
                flags.append(
                    ConsistencyFlag(
                        claim_id=claim_id,
                        first_id=figure.attribution_id,
                        second_id=attribution.pk,
                        unit=unit,
                        description=description,
                    )
                )
            stored = [_quantity_record(q) for q in quantities]
            entry = _Figure(
                signature, stored, attribution.pk, attribution.article_id, attribution.source_text, True
            )
            if same is not None:  # its appearance left the claim: this one stands for it now
                same.attribution_id, same.article_id, same.source_text, same.valid = (
                    attribution.pk,
                    attribution.article_id,
                    attribution.source_text,
                    True,
                )
                updated.append(ClaimFigure(pk=same.row_id, attribution_id=attribution.pk))
            elif len(known) < MAX_FIGURES_PER_UNIT:
                known.append(entry)
                created.append(
                    ClaimFigure(
                        claim_id=claim_id,
                        unit=unit,
                        signature=signature,
                        values=stored,
                        attribution_id=attribution.pk,
                    )
                )
            else:
                logger.info(
                    "claim %s: more than %s sets of figures for %s", claim_id, MAX_FIGURES_PER_UNIT, unit
                )
    return flags, created, updated


def _quantity_record(quantity: dict) -> dict:
    kept = {"value": quantity["value"], "text": quantity.get("text") or ""}
    if quantity.get("qualifier"):
        kept["qualifier"] = quantity["qualifier"]
    return kept


def _write(flags: list[ConsistencyFlag], created: list[ClaimFigure], updated: list[ClaimFigure]) -> None:
    if created:
        ClaimFigure.objects.bulk_create(created, ignore_conflicts=True)
    updated = [f for f in updated if f.pk is not None]
    if updated:
        ClaimFigure.objects.bulk_update(updated, ["attribution_id"])
    if flags:
        ConsistencyFlag.objects.bulk_create(flags, ignore_conflicts=True)


@transaction.atomic
def appearances_check(*, pairs: Sequence[tuple[int, Attribution]]) -> list[ConsistencyFlag]:
    """Check new appearances (claim id, attribution with ``quantities``, ``dates``,
    ``article_id`` and ``source_text``) against their claims' stored figures and
    store the figures they add. Three or four queries for any batch; claims that
    get new figures are locked, so two workers cannot both miss each other's."""
    pairs = [(cid, a) for cid, a in pairs if _by_unit(a)]
    if not pairs:
        return []
    claim_ids = sorted({cid for cid, _ in pairs})
    list(
        Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk", flat=True)
    )
    flags, created, updated = _compare(_stored_figures(claim_ids), pairs)
    _write(flags, created, updated)
    return flags


@transaction.atomic
def claim_consistency_check(*, claim_id: int) -> list[ConsistencyFlag]:
    """Rebuild one claim's candidate-index rows and stored figures from its members,
    raising a flag for every disagreement found (the desk calls this when it
    changes who belongs to the claim: accept, link, merge).

    Members are the attributions accepted into the claim and the pending ones
    matched to it, in id order; each is compared with the distinct figures before
    it, so the cost is linear in the members. Existing flags are kept (the unique
    constraint makes a re-run a no-op), so resolving a flag is never undone."""
    claim_keys_refresh(claim_id=claim_id)
    list(Claim.objects.select_for_update().filter(pk=claim_id).values_list("pk", flat=True))
    ClaimFigure.objects.filter(claim_id=claim_id).delete()
    accepted = Attribution.objects.filter(claim_id=claim_id, review_state=ReviewState.ACCEPTED)
    matched = Attribution.objects.filter(
        pk__in=ClaimMatch.objects.filter(claim_id=claim_id).values("attribution_id"),
        review_state=ReviewState.PENDING,
    )
    members = {a.pk: a for a in accepted.only(*_MATCH_COLUMNS)}
    members.update({a.pk: a for a in matched.only(*_MATCH_COLUMNS)})
    pairs = [(claim_id, members[pk]) for pk in sorted(members)]
    flags, created, updated = _compare(defaultdict(list), pairs)
    _write(flags, created, updated)
    return flags
