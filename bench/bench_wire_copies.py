"""Wire copies on real Persian news: copies and light rewrites found on two outlets, and
different stories by one agency on one subject (tests/data/wire-copies, see its README).

    python bench/bench_wire_copies.py

For every labelled pair (an original and the article that came after it) prints the
exact measures of ``claims.services.copy_match`` (Jaccard, the share of the new article
found in the original, whether their figures agree), the MinHash estimate and whether
the two share an LSH band (how ``claims.services.copies`` finds the candidate), the
decision, and the former decision (MinHash estimate >= 0.6 over plain word shingles).
Then the same for every two texts of one outlet that tell different stories, and for
every two texts of different stories at all; precision and recall of the copies, and a
sweep of SAME_STORY.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.base")

import django  # noqa: E402

django.setup()

from claims.extraction.normalize import normalize_key  # noqa: E402
from claims.services import copies, copy_match  # noqa: E402

DATA = ROOT / "tests" / "data" / "wire-copies"
FORMER_THRESHOLD = 0.6
SWEEP = [round(0.30 + 0.05 * n, 2) for n in range(11)]
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Text:
    file: str
    outlet: str
    agency: str
    story: str
    body: str


@dataclass
class Pair:
    original: Text
    new: Text
    label: str
    kind: str


def load() -> tuple[dict[str, Text], list[Pair]]:
    texts = {}
    for line in (DATA / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = (DATA / row["file"]).read_text(encoding="utf-8")
        texts[row["file"]] = Text(row["file"], row["outlet"], row["agency"], row["story"], body)
    labelled = []
    for line in (DATA / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labelled.append(Pair(texts[row["original"]], texts[row["new"]], row["label"], row["kind"]))
    return texts, labelled


def former_shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(normalize_key(text))
    return frozenset(" ".join(words[i : i + 3]) for i in range(max(0, len(words) - 2)))


@dataclass
class Measure:
    jaccard: float
    containment: float
    numbers_agree: bool
    estimate: float
    shares_band: bool
    copy: bool
    former_estimate: float
    former_copy: bool


_cache: dict[str, tuple] = {}


def prints(text: Text) -> tuple:
    if text.file not in _cache:
        fp = copy_match.fingerprint(text.body)
        values = copies.minhash(fp.shingles)
        former = copies.minhash(former_shingles(text.body))
        _cache[text.file] = (fp, values, set(copies.bands(values)), former)
    return _cache[text.file]


def measure(pair: Pair, same_story: float = copy_match.SAME_STORY) -> Measure:
    new_fp, new_values, new_bands, new_former = prints(pair.new)
    old_fp, old_values, old_bands, old_former = prints(pair.original)
    overlap = copy_match.compare(new_fp, old_fp)
    estimate = copies.estimated_similarity(new_values, old_values)
    shares = bool(new_bands & old_bands)
    decided = (
        shares
        and estimate >= copies.LIKELY
        and len(new_fp.shingles) >= copy_match.MIN_SHINGLES
        and overlap.numbers_agree
        and overlap.containment >= same_story
    )
    former = copies.estimated_similarity(new_former, old_former)
    return Measure(
        overlap.jaccard,
        overlap.containment,
        overlap.numbers_agree,
        estimate,
        shares,
        decided,
        former,
        former >= FORMER_THRESHOLD,
    )


def shares(pair: Pair, count: int, rows: int) -> bool:
    new_values, old_values = prints(pair.new)[1], prints(pair.original)[1]
    return bool(set(copies.bands(new_values, count, rows)) & set(copies.bands(old_values, count, rows)))


def precision_recall(pairs: list[Pair], decide) -> tuple[float, float, int, int, int]:
    tp = fp = fn = 0
    for pair in pairs:
        said = decide(pair)
        if said and pair.label == "copy":
            tp += 1
        elif said:
            fp += 1
        elif pair.label == "copy":
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def line(pair: Pair) -> str:
    m = measure(pair)
    name = f"{Path(pair.original.file).stem} -> {Path(pair.new.file).stem}"
    flags = ["yes" if flag else "no" for flag in (m.numbers_agree, m.shares_band, m.copy, m.former_copy)]
    return (
        f"  {name:<62}{m.jaccard:6.2f}{m.containment:6.2f}{flags[0]:>6}"
        f"{m.estimate:6.2f}{flags[1]:>6}{flags[2]:>6}   {m.former_estimate:4.2f} {flags[3]}"
    )


def main() -> int:
    texts, labelled = load()
    outlets = {t.outlet for t in texts.values()}
    print(f"{len(texts)} texts from {len(outlets)} outlets; {len(labelled)} labelled pairs")
    columns = "".join(f"{h:>6}" for h in ("J", "C", "num", "est", "band", "copy"))
    header = f"  {'original -> new':<62}{columns}   former"
    print("\nlabelled pairs (C: share of the new article found in the original; former: estimate, decision)")
    print(header)
    for pair in labelled:
        print(f"{line(pair)}   [{pair.label}: {pair.kind}]")

    labelled_keys = {(p.original.file, p.new.file) for p in labelled}
    same_agency, others = [], []
    for a, b in itertools.permutations(texts.values(), 2):
        if a.story == b.story or (a.file, b.file) in labelled_keys:
            continue
        one_outlet = a.agency == b.agency
        pair = Pair(a, b, "not_copy", "same outlet, another story" if one_outlet else "another story")
        (same_agency if one_outlet else others).append(pair)
    print(f"\ndifferent stories by one outlet ({len(same_agency)} ordered pairs), the closest:")
    print(header)
    for pair in sorted(same_agency, key=lambda p: -measure(p).containment)[:5]:
        print(line(pair))
    highest = max(measure(p).containment for p in others)
    print(f"different stories by different outlets: {len(others)} ordered pairs, highest C {highest:.2f}")

    everything = labelled + same_agency + others
    print("\nprecision / recall of `copy` over all pairs:")
    for name, decide in (
        ("copy_match (chosen)", lambda p: measure(p).copy),
        (f"former (estimate >= {FORMER_THRESHOLD})", lambda p: measure(p).former_copy),
    ):
        precision, recall, tp, fp, fn = precision_recall(everything, decide)
        print(f"  {name:<28} precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    print("\nsweep of SAME_STORY, the candidate found (with the numbers rule | without it):")
    for threshold in SWEEP:
        cells = []
        for numbers in (True, False):

            def decide(p, t=threshold, n=numbers):
                m = measure(p)
                return m.containment >= t and (m.numbers_agree or not n)

            precision, recall, tp, fp, fn = precision_recall(everything, decide)
            cells.append(f"P {precision:.3f} R {recall:.3f} (fp {fp}, fn {fn})")
        mark = " <" if threshold == copy_match.SAME_STORY else ""
        print(f"  {threshold:4.2f}  {cells[0]}  |  {cells[1]}{mark}")

    print("\nLSH: ordered pairs sharing a band (copies found | other pairs measured further):")
    for count, rows in ((copies.BANDS, copies.ROWS), (20, 3)):
        found = sum(shares(p, count, rows) for p in everything if p.label == "copy")
        spurious = sum(shares(p, count, rows) for p in everything if p.label != "copy")
        total = sum(p.label == "copy" for p in everything)
        chosen = " (chosen)" if (count, rows) == (copies.BANDS, copies.ROWS) else " (former)"
        others_count = len(everything) - total
        print(f"  {count} bands of {rows}{chosen}: {found} of {total} copies | {spurious} of {others_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
