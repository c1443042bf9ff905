"""A rule engine over one sentence written for the tests."""

from __future__ import annotations

from claims.extraction.lexicon import load
from claims.extraction.rules import SentenceRules
from claims.extraction.text import Doc


def engine(text: str) -> SentenceRules:
    return SentenceRules(Doc(text), load())


def span_of(r: SentenceRules, span: tuple[int, int] | None) -> str | None:
    return None if span is None else r.t[span[0] : span[1]]
