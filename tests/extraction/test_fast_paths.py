"""The faster forms of a few tests give what the plain forms give."""

from __future__ import annotations

import itertools
import re

from claims.extraction.mentions import _TEXT_TABLE, _to_keys
from claims.extraction.text import WordSet

_RUNS = re.compile(r"[^\W\d_]+")


def test_word_set_agrees_with_listing_the_words() -> None:
    words = frozenset({"ده", "دهم", "صد", "a", "ab", "x y"})
    found = WordSet(words)
    alphabet = ["د", "ه", "م", "a", "b", " ", "1", "_", "،"]
    for n in range(6):
        for chars in itertools.product(alphabet, repeat=n):
            t = "".join(chars)
            for s in range(n + 1):
                for e in range(s, n + 2):
                    listed = not words.isdisjoint(_RUNS.findall(t, s, e))
                    assert found.in_range(t, s, e) == listed, (t, s, e)


def test_word_set_without_words_finds_nothing() -> None:
    assert not WordSet(frozenset({"x y", "1"})).in_range("x y 1", 0, 5)


def test_keys_by_replace_agree_with_the_table() -> None:
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert _to_keys(every) == every.translate(_TEXT_TABLE)
    text = "ســلام\u200cها ي ك ۱۲٣ ABC \u064bا"
    assert _to_keys(text) == text.translate(_TEXT_TABLE)
