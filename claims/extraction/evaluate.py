"""The gold sets' metric (see the guidelines): token-overlap F1 after
``normalize_key``; a prediction matches a gold attribution when content F1 >= 0.5
and the source agrees (F1 >= 0.5, or the gold head occurs in the predicted
source or its resolved name, or the predicted source occurs in the gold
source); pairs are made one to one, greedily by content F1; micro-averaged."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .normalize import normalize_key

_LINE_BREAK = re.compile("[\n\r\u2028\u2029\x0b\x0c\x85]")


def flatten(text: str) -> str:
    """The text with every line break replaced by a space (offsets kept), as
    web text arrives when its layout is lost."""
    return _LINE_BREAK.sub(" ", text)


def token_f1(a: str, b: str) -> float:
    ta = normalize_key(a).split()
    tb = normalize_key(b).split()
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if common == 0:
        return 0.0
    p = common / len(ta)
    r = common / len(tb)
    return 2 * p * r / (p + r)


def _contains(hay: str, needle: str) -> bool:
    needle = normalize_key(needle)
    return bool(needle) and needle in normalize_key(hay)


def source_ok(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    ps = pred.get("source") or ""
    gs = gold.get("source") or ""
    if token_f1(ps, gs) >= 0.5:
        return True
    head = gold.get("source_head") or ""
    if head and (_contains(ps, head) or _contains(pred.get("source_resolved") or "", head)):
        return True
    return _contains(gs, ps)


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    matched_content: int = 0
    docs: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def prf(m: int, p: int, g: int) -> tuple[float, float, float]:
        pr = m / p if p else 0.0
        rc = m / g if g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return pr, rc, f

    @property
    def full(self) -> tuple[float, float, float]:
        return self.prf(self.matched, self.predicted, self.gold)

    @property
    def content_only(self) -> tuple[float, float, float]:
        return self.prf(self.matched_content, self.predicted, self.gold)


def _pair(preds: list[dict], golds: list[dict], use_source: bool) -> list[tuple[int, int, float]]:
    cands = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            f = token_f1(p.get("content") or "", g.get("content") or "")
            if f >= 0.5 and (not use_source or source_ok(p, g)):
                cands.append((f, i, j))
    cands.sort(key=lambda x: -x[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for f, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j, f))
    return pairs


def score_doc(preds: list[dict], golds: list[dict]) -> tuple[list, list]:
    return _pair(preds, golds, True), _pair(preds, golds, False)


def evaluate_docs(docs: list[dict[str, Any]], extract_fn=None, *, flat: bool = False) -> Score:
    """Score ``extract_fn`` (the extractor by default) on gold documents; with
    ``flat`` on each text with its line breaks replaced by spaces."""
    if extract_fn is None:
        from . import extract as extract_fn
    sc = Score()
    for d in docs:
        pub = d.get("published")
        pub_d = dt.date.fromisoformat(pub) if pub else None
        text = flatten(d["text"]) if flat else d["text"]
        preds = [a.to_dict() for a in extract_fn(text, published=pub_d)]
        golds = d.get("attributions") or []
        full, content = score_doc(preds, golds)
        sc.predicted += len(preds)
        sc.gold += len(golds)
        sc.matched += len(full)
        sc.matched_content += len(content)
        mp = {i for i, _, _ in full}
        mg = {j for _, j, _ in full}
        sc.docs.append(
            {
                "id": d.get("id"),
                "predicted": len(preds),
                "gold": len(golds),
                "matched": len(full),
                "false_positives": [preds[i] for i in range(len(preds)) if i not in mp],
                "misses": [golds[j] for j in range(len(golds)) if j not in mg],
            }
        )
    return sc


def read_jsonl(path: str) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out
