"""Who-is-speaking measurement on the gold files: the right registry entry per
matched attribution, against hand-checked speaker labels.

``data/speakers.jsonl`` gives, for every gold attribution (file, doc, index), the
registry slug of its speaker: the entry its ``source_head`` names, resolved at the
document's date (the person, not the office, when the person is named or known),
checked by hand; a speaker the registry lacks has a slug no entry has yet, or
null when no entry could ever fit (``دو دیپلمات آگاه``).

    python -m tests.registry.speakers     # prints the figures and the misses
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from claims.extraction import extract
from claims.extraction.evaluate import read_jsonl, score_doc
from claims.extraction.names import _countries
from claims.extraction.normalize import normalize_key
from claims.extraction.registry import Registry, default_registry

GOLD = Path(os.environ.get("GOLD_DIR", "/work/shared/gold"))
LABELS = Path(__file__).parent / "data" / "speakers.jsonl"
FILES = ("seed", "dev", "dev2", "dev3")


@dataclass
class Figures:
    gold: int = 0
    gold_known: int = 0  # gold attributions whose speaker is in the registry
    matched_known: int = 0  # ... and matched by a prediction
    right: int = 0  # ... whose prediction names the right entry
    right_of_all: int = 0  # gold attributions (matched) resolved to the right entry
    matched: int = 0  # gold attributions the extractor found (matched by a prediction)
    contradictions: list[tuple[str, str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def known_rate(self) -> float:
        return self.right / self.matched_known if self.matched_known else 1.0

    @property
    def extracted_rate(self) -> float:
        """Of the gold attributions the extractor found, the share resolved right:
        resolution's own part, apart from extraction recall."""
        return self.right_of_all / self.matched if self.matched else 1.0

    @property
    def all_rate(self) -> float:
        return self.right_of_all / self.gold if self.gold else 1.0


def labels() -> dict[tuple[str, int], str | None]:
    out = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out[(r["doc"], r["i"])] = r["entry"]
    return out


def contradicts(registry: Registry, slug: str, span: str) -> bool:
    """The span names countries, and none of them is the linked entry's."""
    entry = registry.entries[slug]
    if not entry.country:
        return False
    _, qualifiers, longest = _countries()
    tokens = normalize_key(span).split()
    named = {
        qualifiers[tuple(tokens[i:j])]
        for i in range(len(tokens))
        for j in range(i + 1, min(len(tokens), i + longest) + 1)
        if tuple(tokens[i:j]) in qualifiers
    }
    return bool(named) and entry.country not in named


def measure(files: tuple[str, ...] = FILES, registry: Registry | None = None) -> Figures:
    registry = registry or default_registry()
    want = labels()
    fig = Figures()
    for name in files:
        for d in read_jsonl(str(GOLD / f"{name}.jsonl")):
            pub = dt.date.fromisoformat(d["published"]) if d.get("published") else None
            preds = [a.to_dict() for a in extract(d["text"], published=pub, registry=registry)]
            golds = d.get("attributions") or []
            for p in preds:
                if p["source_slug"] and contradicts(registry, p["source_slug"], p["source"]):
                    fig.contradictions.append((d["id"], p["source"], p["source_slug"]))
            pairs = {j: preds[i] for i, j, _ in score_doc(preds, golds)[0]}
            for j, g in enumerate(golds):
                fig.gold += 1
                slug = want.get((d["id"], j))
                known = slug is not None and slug in registry.entries
                if slug is not None and not known:
                    fig.missing[f"{g['source_head']} ({slug})"] = (
                        fig.missing.get(f"{g['source_head']} ({slug})", 0) + 1
                    )
                p = pairs.get(j)
                fig.matched += p is not None
                if known:
                    fig.gold_known += 1
                if p is None or not known:
                    continue
                fig.matched_known += 1
                if p["source_slug"] == slug:
                    fig.right += 1
                    fig.right_of_all += 1
                else:
                    fig.wrong.append((d["id"], g["source"], slug, p["source_slug"]))
    return fig


def main() -> None:
    registry = default_registry()
    print(f"registry: {len(registry)} entries")
    for files in (("seed", "dev", "dev2", "dev3"), ("dev3",)):
        fig = measure(files, registry)
        print(
            f"{'+'.join(files)}: gold {fig.gold}, speaker in registry {fig.gold_known}, "
            f"matched {fig.matched_known}, right entry {fig.right} ({fig.known_rate:.1%}); "
            f"right of the extracted {fig.right_of_all}/{fig.matched} ({fig.extracted_rate:.1%}); "
            f"right of all gold {fig.right_of_all}/{fig.gold} ({fig.all_rate:.1%}); "
            f"qualifier contradictions {len(fig.contradictions)}"
        )
        for w in fig.wrong:
            print("   wrong:", w)
        for c in fig.contradictions:
            print("   contradiction:", c)
        if files == ("dev3",):
            for k, n in sorted(fig.missing.items(), key=lambda x: -x[1]):
                print(f"   missing: {k} x{n}")


if __name__ == "__main__":
    main()
