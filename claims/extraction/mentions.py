"""Registry names written anywhere in a document, for the sources a span alone
cannot settle (pure Python).

A pronoun whose antecedent no attribution names (``«شهاب الدین دیلاوار» سخنگوی
هیأت طالبان ... او گفت``), an office whose holder the data does not give for the
date but the article writes beside its title (``ناصر کنعانی سخنگوی جدید وزارت
خارجه``), a report anaphor (``این گزارش``, ``درین گزارش``) whose report was named
earlier (``گزارش تازه یوناما``): each reads the document's own text.

The text is read only when one of them needs it, once per document: its words
as registry keys (letters, ZWNJ and diacritics as ``normalize_key`` makes them,
without its NFKC pass), with their offsets, and the registry's names among them.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from .normalize import DIGITS, INVISIBLE, LETTERS

if TYPE_CHECKING:
    from .registry import Entry, Registry

_INVISIBLE = re.compile(INVISIBLE)
_LETTERS = str.maketrans({**LETTERS, **DIGITS})
_NOT_LETTERS = re.compile(r"[\s\W_]+")
# A word as normalize_key reads it: letters and digits, joined across ZWNJ and diacritics.
_WORD = re.compile(rf"(?:[^\W_]|{INVISIBLE})+")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
# What may stand between a name and its title in apposition: 'X، سخنگوی ...', '«X» سخنگوی ...'.
_APPOSED = re.compile(r"[\s\u200c،,«»\"'()\-–]*")
# How far back a pronoun looks for a name in the text, in characters.
PRONOUN_REACH = 700


class Document:
    """One document's text, read as registry keys on demand."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self._key: str | None = None
        self._words: list[tuple[int, int, str]] | None = None
        self._mentions: list[tuple[int, int, Entry]] | None = None
        self._ends: list[int] | None = None

    def __bool__(self) -> bool:
        return bool(self.text)

    def __contains__(self, key: object) -> bool:
        """Whether a key (a space-free name) is written in the document."""
        if self._key is None:
            text = _INVISIBLE.sub("", self.text).translate(_LETTERS).lower()
            self._key = _NOT_LETTERS.sub("", text)
        return isinstance(key, str) and key in self._key

    # reading

    def words(self) -> list[tuple[int, int, str]]:
        """(start, end, key) of every word, offsets into the text."""
        if self._words is None:
            out = []
            for m in _WORD.finditer(self.text):
                key = _INVISIBLE.sub("", m.group()).translate(_LETTERS).lower()
                if key:
                    out.append((m.start(), m.end(), key))
            self._words = out
        return self._words

    def mentions(self) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of every registry name written in the text."""
        if self._mentions is None:
            words = self.words()
            found = self.registry.mentions([w[2] for w in words])
            self._mentions = [(words[i][0], words[j - 1][1], e) for i, j, e in found]
        return self._mentions

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence (or line) holding offset ``pos``."""
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        k = bisect.bisect_left(self._ends, pos)
        start = self._ends[k - 1] + 1 if k else 0
        end = self._ends[k] if k < len(self._ends) else len(self.text)
        return start, end

    # questions

    def written_with(self, office: str) -> set[str]:
        """People written in apposition with a title of ``office`` (``X، سخنگوی ...``,
        ``سخنگوی ... X``), unless a word like ``سابق`` makes it a former one."""
        from .registry import FORMER

        ms = self.mentions()
        out: set[str] = set()
        for k, (s, e, entry) in enumerate(ms):
            if entry.slug != office:
                continue
            after = self.text[e : e + 20].split()
            if after and _key(after[0]) in FORMER:
                continue
            for other in (ms[k - 1] if k else None, ms[k + 1] if k + 1 < len(ms) else None):
                if other is None or other[2].kind != "person":
                    continue
                gap = self.text[other[1] : s] if other[1] <= s else self.text[e : other[0]]
                if _APPOSED.fullmatch(gap):
                    out.add(other[2].slug)
        return out

    def named_before(self, pos: int, kinds: frozenset[str] = frozenset({"person", "office"})) -> Entry | None:
        """The nearest entry of ``kinds`` written before ``pos`` (within reach)."""
        for s, _, entry in reversed(self.mentions()):
            if s >= pos:
                continue
            if s < pos - PRONOUN_REACH:
                return None
            if entry.kind in kinds:
                return entry
        return None

    def report_of(self, pos: int, noun: str) -> Entry | None:
        """Whose report (``noun``: گزارش, بیانیه ...) an anaphor at ``pos`` means:
        the entry written right after an earlier ``noun`` (``گزارش تازه یوناما``),
        else the nearest one named before it in that sentence (``دادسرای ... طی
        اطلاعیه‌ای``, ``گوتریش ... در گزارش تازه خود``); the latest such ``noun`` first."""
        words = self.words()
        ms = self.mentions()
        for k in range(len(words) - 1, -1, -1):
            ws, we, key = words[k]
            if ws >= pos or not (key == noun or (key.startswith(noun) and len(key) - len(noun) <= 2)):
                continue
            lo, hi = self.sentence(ws)
            near = words[k + 4][1] if k + 4 < len(words) else len(self.text)
            after = [m for m in ms if we <= m[0] <= near and m[0] < hi]
            if after:
                return after[0][2]
            within = [m for m in ms if lo <= m[0] and m[1] <= ws]
            if within:
                return within[-1][2]
        return None


def _key(word: str) -> str:
    return _NOT_LETTERS.sub("", _INVISIBLE.sub("", word).translate(_LETTERS).lower())
