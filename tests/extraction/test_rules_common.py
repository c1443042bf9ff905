"""The span helpers every rule family uses (rules/common.py)."""

from __future__ import annotations

from claims.extraction import extract
from claims.extraction.rules.common import _k

from .rules_helpers import engine


def test_words_are_clipped_to_the_range() -> None:
    r = engine("سنتکام اعلام کرد که دو موشک رهگیری شد.")
    ws = r.words(2, r.t.index("کرد") + 2)
    assert [r.t[a:b] for a, b in ws] == ["تکام", "اعلام", "کر"]
    assert r.words(5, 5) == []


def test_separator_outside_quotations_only() -> None:
    r = engine("او گفت «الف، ب» و سپس، پایان")
    comma = r.next_sep(0, len(r.t))
    assert r.t[comma] == "،" and comma > r.t.index("»")
    assert r.next_sep(0, r.t.index("»")) == -1


def test_strip_span_and_connectors() -> None:
    r = engine("، و همچنین وزیر گفت. ")
    s, e = r.strip_span(0, len(r.t))
    assert r.t[s:e] == "و همچنین وزیر گفت"
    assert r.t[r.strip_connectors(s, e) :].startswith("وزیر")


def test_clause_end_at_semicolon_and_contrast() -> None:
    r = engine("الف ب ج؛ د ه")
    assert r.t[: r.clause_end(0, len(r.t), [])] == "الف ب ج"
    r = engine("الف ب ج، اما د ه")
    assert r.t[: r.clause_end(0, len(r.t), [])] == "الف ب ج"
    assert r.clause_end(0, len(r.t), [], semicolon=False) == len(r.t)


def test_kind_follows_quote_marks() -> None:
    r = engine("او گفت «این» درست است")
    assert r.kind_of(0, len(r.t)) == "mixed"
    assert r.kind_of(0, 6) == "indirect"


def test_key_drops_spaces() -> None:
    assert _k("می گوید", 0, 7) == "میگوید"


def test_offsets_map_back_to_raw_text() -> None:
    text = "سخنگوی\u200cدولت گفت\u200c که یارانه\u200cها قطع نمی\u200cشود."
    a = extract(text)[0]
    assert text[a.source_start : a.source_end] == a.source
    assert text[a.content_start : a.content_end] == a.content
