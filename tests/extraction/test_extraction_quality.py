"""Regression guard on the labelled sets, with the guidelines' metric.

Floors sit a little below the measured figures (full F1: seed 1.000, dev
0.961, dev2 0.969, dev3 0.950 with precision 0.964), so a change that loses
quality fails here; and every dev file scores nearly as well with its line
breaks replaced by spaces (web text that lost its layout) as published.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from claims.extraction.evaluate import Score, evaluate_docs, read_jsonl, token_f1

GOLD = Path("/work/shared/gold")
pytestmark = pytest.mark.skipif(not (GOLD / "dev.jsonl").exists(), reason="gold files not present")

DEV_FILES = ("dev", "dev2", "dev3")
#: (F1, precision) floors per file, as published
FLOORS = {"seed": (0.99, 0.99), "dev": (0.95, 0.94), "dev2": (0.955, 0.95), "dev3": (0.935, 0.95)}
#: the most F1 a file may lose when its line breaks are gone (the issue's bound)
MAX_FLAT_LOSS = {"dev": 0.02, "dev2": 0.02, "dev3": 0.02}


@cache
def _score(name: str, flat: bool) -> Score:
    return evaluate_docs(read_jsonl(str(GOLD / f"{name}.jsonl")), flat=flat)


def test_seed_plus_dev_floor() -> None:
    docs = read_jsonl(str(GOLD / "seed.jsonl")) + read_jsonl(str(GOLD / "dev.jsonl"))
    sc = evaluate_docs(docs)
    p, r, f = sc.full
    assert f >= 0.94, (p, r, f)
    assert p >= 0.94, (p, r, f)
    assert sc.content_only[2] >= f


@pytest.mark.parametrize("name", ["seed", *DEV_FILES])
def test_floor_per_file(name: str) -> None:
    p, r, f = _score(name, False).full
    f_floor, p_floor = FLOORS[name]
    assert f >= f_floor, (name, p, r, f)
    assert p >= p_floor, (name, p, r, f)


@pytest.mark.parametrize("name", DEV_FILES)
def test_flattened_text_loses_little(name: str) -> None:
    orig = _score(name, False).full[2]
    flat = _score(name, True).full[2]
    assert orig - flat <= MAX_FLAT_LOSS[name], (name, orig, flat)


def test_token_f1_uses_guideline_normalisation() -> None:
    assert token_f1("حزب‌الله گفت.", "حزبالله  گفت") == 1.0
    assert token_f1("۱۷ موشک", "17 موشک") == 1.0
    assert token_f1("يك", "یک") == 1.0
    assert token_f1("", "x") == 0.0
