"""The labelled statement pairs (tests/data/statement-pairs) and the grouping decision run on them.

Shared by ``bench/bench_statement_pairs.py`` (the sweep) and the quality floor test
(``tests/ingestion/test_statement_pairs.py``). Pure Python: no database, no Django.

The decision for two appearances is the one ``claims.services.statements`` makes when an
appearance meets a held statement:

- the speaker identity: the speaker span resolved through the shipped source registry the
  way extraction resolves it (``claims.extraction.resolve.apply_registry``: a pronoun takes
  the antecedent the text names, an office its holder on the date), then
  ``statement_match.speaker_key`` (the registry entry, else the written name; a pronoun or
  an anonymous source never groups);
- the two appearances within ``RELAY_WINDOW`` of each other when both dates are known;
- ``statement_match.statement_score`` at or above the threshold.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from claims.extraction.model import Attribution
from claims.extraction.normalize import normalize_key
from claims.extraction.registry import default_registry
from claims.extraction.resolve import apply_registry
from claims.services import minhash
from claims.services.statement_match import (
    SAME_STATEMENT,
    Identity,
    speaker_key,
    statement_score,
    within_window,
)

PAIRS_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "statement-pairs"
LABELS = ("same", "different_same_speaker", "different_speaker")


@dataclass(frozen=True)
class Appearance:
    id: str
    outlet: str
    url: str
    date: dt.date | None
    speaker: str
    statement: str
    source: str
    source_head: str
    content: str
    text: str

    @property
    def host(self) -> str:
        return (urlparse(self.url).hostname or self.url).removeprefix("www.")

    @property
    def key(self) -> str:
        return normalize_key(self.content)


@dataclass(frozen=True)
class Pair:
    id: str
    a: Appearance
    b: Appearance
    label: str

    @property
    def same_article(self) -> bool:
        return self.a.url == self.b.url


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def load(directory: Path = PAIRS_DIR) -> tuple[dict[str, Appearance], list[Pair]]:
    appearances = {}
    for row in _read(directory / "appearances.jsonl"):
        date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
        appearances[row["id"]] = Appearance(
            id=row["id"],
            outlet=row["outlet"],
            url=row["url"],
            date=date,
            speaker=row["speaker"],
            statement=row["statement"],
            source=row["source"],
            source_head=row["source_head"],
            content=row["content"],
            text=row["text"],
        )
    pairs = [
        Pair(row["id"], appearances[row["a"]], appearances[row["b"]], row["label"])
        for row in _read(directory / "pairs.jsonl")
    ]
    return appearances, pairs


@cache
def _registry_ids() -> dict[str, int]:
    return {slug: n for n, slug in enumerate(sorted(default_registry().entries), start=1)}


def _resolved_name(appearance: Appearance) -> str:
    """The extractor reports a pronoun's or a title's antecedent as source_resolved; the
    labelled source_head is that name when the span itself does not carry it."""
    head = appearance.source_head
    return appearance.source if normalize_key(head) in normalize_key(appearance.source) else head


@cache
def identities() -> dict[str, Identity | None]:
    """The speaker identity the service would hold for each appearance.

    The appearances of one page are resolved together, as one document, the way
    extraction resolves an article (an office to the holder the page names, a pronoun to
    its antecedent); what stays open is looked up as ``attributions_resolve`` does
    (``Registry.resolve`` with the antecedent)."""
    appearances, _ = load()
    registry = default_registry()
    pages: dict[str, list[Appearance]] = {}
    for appearance in appearances.values():
        pages.setdefault(appearance.url, []).append(appearance)
    out: dict[str, Identity | None] = {}
    for group in pages.values():
        texts: list[str] = []
        for appearance in group:
            if appearance.text not in texts:
                texts.append(appearance.text)
        document = "\n".join(texts)
        rows = []
        for appearance in group:
            offset = sum(len(t) + 1 for t in texts[: texts.index(appearance.text)])
            start = offset + appearance.text.find(appearance.source)
            content_start = offset + appearance.text.find(appearance.content)
            rows.append(
                Attribution(
                    source=appearance.source,
                    source_start=start,
                    source_end=start + len(appearance.source),
                    source_resolved=_resolved_name(appearance),
                    cue="",
                    cue_start=start,
                    cue_end=start,
                    content=appearance.content,
                    content_start=content_start,
                    content_end=content_start + len(appearance.content),
                    kind="direct",
                )
            )
        date = next((a.date for a in group if a.date), None)
        resolved = apply_registry(rows, registry, published=date, text=document)
        by_span = {(r.source_start, r.content_start): r for r in resolved}
        for appearance, row in zip(group, rows, strict=True):
            found = by_span.get((row.source_start, row.content_start), row)
            slug = found.source_slug
            if slug is None:
                entry = registry.resolve(row.source, row.source_resolved, date).source
                slug = entry.slug if entry else None
            source_id = _registry_ids().get(slug) if slug else None
            out[appearance.id] = speaker_key(source_id, row.source_resolved or row.source)
    return out


def identity(appearance: Appearance) -> Identity | None:
    return identities()[appearance.id]


def same_speaker(pair: Pair) -> bool:
    ia, ib = identity(pair.a), identity(pair.b)
    return ia is not None and ia == ib


Score = Callable[[str, str], float]


def decide(pair: Pair, threshold: float = SAME_STATEMENT, score: Score | None = None) -> bool:
    """Whether the service would put the two appearances in one statement."""
    if not same_speaker(pair) or not within_window(pair.a.date, pair.b.date, pair.b.date):
        return False
    return (score or statement_score)(pair.a.key, pair.b.key) >= threshold


def trigram_jaccard(a: str, b: str) -> float:
    """The former score (pg_trgm's similarity), for comparison."""
    return minhash.jaccard(a, b)


@dataclass(frozen=True)
class Result:
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int


def measure(pairs: Iterable[Pair], decision: Callable[[Pair], bool]) -> Result:
    tp = fp = fn = 0
    for pair in pairs:
        said = decision(pair)
        if pair.label == "same":
            tp += said
            fn += not said
        else:
            fp += said
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Result(precision, recall, tp, fp, fn)


def summary(appearances: dict[str, Appearance], pairs: list[Pair]) -> dict:
    return {
        "appearances": len(appearances),
        "pairs": len(pairs),
        "labels": dict(Counter(p.label for p in pairs)),
        "outlets": len({a.host for a in appearances.values()}),
        "speakers": len({a.speaker for a in appearances.values()}),
        "statements": len({a.statement for a in appearances.values()}),
        "same_across_articles": sum(1 for p in pairs if p.label == "same" and not p.same_article),
    }
