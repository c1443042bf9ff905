"""Helpers shared by the ingestion tests: the gold texts and bounded waits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
GOLD = SHARED / "gold"


def gold_texts(limit: int | None = None) -> list[dict]:
    """Texts of the shipped gold files (heldout, reserve, seed), or a skip when the
    shared folder is not beside the repository."""
    rows: list[dict] = []
    for name in ("seed.jsonl", "heldout-texts.jsonl", "reserve-texts.jsonl"):
        path = GOLD / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    if not rows:
        pytest.skip(f"gold texts not found under {GOLD}")
    return rows[:limit] if limit else rows


def wait_for(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.25) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass (bounded waits only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
