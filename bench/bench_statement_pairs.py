"""Precision and recall of statement grouping on real Persian news: the labelled pair set.

Reads tests/data/statement-pairs (appearances of statements on real news pages, labelled
by reading; see its README) and runs, for every pair, the decision
``claims.services.statements`` makes when an appearance meets a held statement: the
speaker identity (resolved through the shipped registry as extraction resolves it), the
relay window, and ``statement_match.statement_score`` against the threshold.

    python bench/bench_statement_pairs.py [--errors]

Prints the set (pairs, labels, outlets), then precision and recall of ``same``:
- over the pairs whose two appearances are in different articles: the relays, the
  statement as other outlets or later articles carry it (the target: precision >= 0.95
  at recall >= 0.85);
- over all pairs, with the headline-and-body pairs of one article (a headline often
  says in four words what the body quotes at length);
then a sweep of the threshold for the score and, for comparison, for the former score
(trigram Jaccard, as pg_trgm computes it), and the chosen threshold.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench import pairset  # noqa: E402
from claims.services.statement_match import RELAY_WINDOW, SAME_STATEMENT, statement_score  # noqa: E402

TARGET_PRECISION = 0.95
TARGET_RECALL = 0.85
SWEEP = [round(0.30 + 0.05 * n, 2) for n in range(11)]


def row(label: str, result: pairset.Result) -> str:
    return (
        f"  {label:<28} precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"(tp {result.tp}, fp {result.fp}, fn {result.fn})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list the pairs decided wrongly")
    args = parser.parse_args()
    started = time.perf_counter()
    appearances, pairs = pairset.load()
    pairset.identities()
    facts = pairset.summary(appearances, pairs)
    print(
        f"{facts['pairs']} pairs of {facts['appearances']} appearances ({facts['statements']} statements, "
        f"{facts['speakers']} speakers, {facts['outlets']} outlets): {facts['labels']}; "
        f"{facts['same_across_articles']} of the `same` pairs are in different articles"
    )
    relays = [p for p in pairs if not p.same_article]
    print(f"\nchosen: statement_score >= {SAME_STATEMENT}, relay window {RELAY_WINDOW.days} days")
    chosen_relays = pairset.measure(relays, pairset.decide)
    print(row("different articles", chosen_relays))
    print(row("all pairs", pairset.measure(pairs, pairset.decide)))
    same = [p for p in pairs if p.label == "same"]
    lost = sum(1 for p in same if not pairset.same_speaker(p))
    print(f"  `same` pairs whose speakers resolve to two identities: {lost} of {len(same)}")

    print("\nsweep (different articles | all pairs):")
    print(f"  {'threshold':>9}  {'statement_score':^31}  {'trigram Jaccard (former)':^31}")
    for threshold in SWEEP:
        cells = []
        for score in (statement_score, pairset.trigram_jaccard):
            results = [
                pairset.measure(group, lambda p, t=threshold, s=score: pairset.decide(p, t, s))
                for group in (relays, pairs)
            ]
            cells.append("  ".join(f"P {r.precision:.3f} R {r.recall:.3f}" for r in results))
        mark = " <" if threshold == SAME_STATEMENT else ""
        print(f"  {threshold:>9.2f}  {cells[0]}  |  {cells[1]}{mark}")

    met = chosen_relays.precision >= TARGET_PRECISION and chosen_relays.recall >= TARGET_RECALL
    print(
        f"\ntarget precision >= {TARGET_PRECISION} at recall >= {TARGET_RECALL} on the relays: "
        f"{'met' if met else 'NOT met'} ({time.perf_counter() - started:.1f} s)"
    )
    if args.errors:
        print("\npairs decided wrongly at the chosen threshold:")
        for p in pairs:
            if pairset.decide(p) != (p.label == "same"):
                score = statement_score(p.a.key, p.b.key)
                speaker = "same" if pairset.same_speaker(p) else "DIFF"
                where = " (one article)" if p.same_article else ""
                print(f"  {p.id} {p.label:<23} score {score:.2f} speaker {speaker}{where}")
                print(f"    {p.a.content[:90]}\n    {p.b.content[:90]}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
