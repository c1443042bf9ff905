"""Registry names written in a document's text, for the sources a span alone
cannot settle (pure Python).

A pronoun whose antecedent no attribution names (``«شهاب الدین دیلاوار» سخنگوی
هیأت طالبان ... او گفت``), an office whose holder the data does not give for the
date but the article writes beside its title (``ناصر کنعانی سخنگوی جدید وزارت
خارجه``), a report anaphor (``این گزارش``, ``درین گزارش``) whose report was named
earlier (``گزارش تازه یوناما``): each reads the document's own text.

Only the stretch of text a question needs is read, when it is asked: the words
before a pronoun, the few words around each place an office's title is written,
the sentence of an earlier report. A worker resolves thousands of articles, and
reading each whole one as registry keys would cost more than extracting it. (The
letters are put in key form once per document, on the first question: a few
``str.replace`` calls, with offsets unchanged.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from .names import FORMER
from .normalize import DIGITS, INVISIBLE, LETTERS
from .registry_data import KINDS

if TYPE_CHECKING:
    from .registry import Entry, Registry

_INVISIBLE = re.compile(INVISIBLE)
_NOT_LETTERS = re.compile(r"[\s\W_]+")
_JOINER = "\u200c"


def _text_table() -> list[int]:
    """One pass that keeps offsets: Persian letters and ASCII digits for their
    variants, lower-case Latin, and every invisible character (ZWNJ, diacritics,
    tatweel, direction marks) as a ZWNJ, dropped from each word after. A list
    indexed by code point, so that str.translate finds each character without a
    failed dict lookup for every letter that stays as it is."""
    table = list(range(0x10000))
    for k, v in {**LETTERS, **DIGITS}.items():
        table[ord(k)] = ord(v)
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = c + 32
    for c in (*range(0x0600, 0x0700), *range(0x2000, 0x2070), 0xFEFF):
        if _INVISIBLE.match(chr(c)):
            table[c] = ord(_JOINER)
    return table


_TEXT_TABLE = _text_table()
# The characters the table changes, and what each becomes (none becomes another of them)
_KEY_MAP = {chr(c): chr(v) for c, v in enumerate(_TEXT_TABLE) if c != v}
assert not set(_KEY_MAP.values()) & set(_KEY_MAP)
_KEY_CHARS = re.compile("[" + "".join(re.escape(c) for c in _KEY_MAP) + "]")


def _to_keys(text: str) -> str:
    """``text.translate(_TEXT_TABLE)``, done as one search for the characters it
    changes and a C-speed ``str.replace`` for each one present: several times faster
    on Persian text, where few characters change, than a lookup for every one."""
    for c in set(_KEY_CHARS.findall(text)):
        text = text.replace(c, _KEY_MAP[c])
    return text


# A word as normalize_key reads it: letters and digits, joined across invisible characters.
_WORD = re.compile(r"(?:[^\W_]|\u200c)+")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
# What may stand between a name and its title in apposition: 'X، سخنگوی ...', '«X» سخنگوی ...'.
_APPOSED = re.compile(r"[\s\u200c،,«»\"'()\-–]*")
_ANY_KIND = frozenset(KINDS)
# How far back a pronoun looks for a name, and how far around a title for its holder.
PRONOUN_REACH = 700
APPOSITION_REACH = 120
REPORT_REACH = 400
# Between the letters of a written form in running text: spaces, ZWNJ, diacritics,
# and a word that keeps a title's meaning ('سخنگوی جدید وزارت خارجه').
_SPACE = rf"(?:\s|{INVISIBLE})"
GAP = rf"{_SPACE}*"
TITLE_GAP = rf"{_SPACE}*(?:(?:جدید|کنونی|فعلی|تازه){_SPACE}+)?"
_LETTER_FORMS: dict[str, str] = {}
for _variant, _letter in LETTERS.items():
    _LETTER_FORMS[_letter] = _LETTER_FORMS.get(_letter, _letter) + _variant


def written_pattern(keys: Iterable[str], gap: str = GAP) -> re.Pattern[str]:
    """A pattern finding any of ``keys`` (space-free registry keys) as raw text
    writes it: letter forms, spaces, ZWNJ and diacritics as they come (and what
    ``gap`` allows between two letters)."""

    def one(key: str) -> str:
        return gap.join(
            f"[{re.escape(_LETTER_FORMS[c])}]" if c in _LETTER_FORMS else re.escape(c) for c in key
        )

    alternatives = sorted(set(keys), key=len, reverse=True)
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(one(k) for k in alternatives)})(?![^\W_])", re.IGNORECASE)


class Document:
    """One document's text, read as registry keys where a question needs it."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self._key: str | None = None
        self._written: dict[str, set[str]] = {}
        # the text read as keys, made once when first needed
        self._translated: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text)

    def __contains__(self, key: object) -> bool:
        """Whether a key (a space-free name) is written in the document."""
        return isinstance(key, str) and key in self.key

    @property
    def key(self) -> str:
        """The document's space-free key: its letters and digits as keys, run together."""
        if self._key is None:
            self._key = _NOT_LETTERS.sub("", self._keys().replace(_JOINER, ""))
        return self._key

    def positions(self, key: str) -> list[int]:
        """Every offset in ``self.key`` where ``key`` is written (overlaps too)."""
        text = self.key
        out = []
        i = text.find(key)
        while i >= 0:
            out.append(i)
            i = text.find(key, i + 1)
        return out

    # reading

    def _keys(self) -> str:
        """The text through the key table (one character for each of the text's)."""
        if self._translated is None:
            self._translated = _to_keys(self.text)
        return self._translated

    def words(self, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, key) of the words of ``text[lo:hi]``, offsets into the text;
        a word the window cuts into at its start is left out."""
        hi = len(self.text) if hi is None else min(hi, len(self.text))
        if hi < 0:
            hi = max(0, len(self.text) + hi)  # as a slice reads it
        lo = max(0, lo)
        out: list[tuple[int, int, str]] = []
        if lo >= hi:
            return out
        seg = self._keys()
        joiner = _JOINER
        matches = _WORD.finditer(seg, lo, hi)
        if lo > 0 and _WORD.match(seg, lo - 1, lo):
            # the window opens inside a word: that word is not one of its own
            first = next(matches, None)
            if first is not None and first.start() != lo:
                matches = chain((first,), matches)
        append = out.append
        for m in matches:
            key = m.group()
            if joiner not in key:
                append((*m.span(), key))
                continue
            start, end = m.span()
            word = key.rstrip(joiner)  # a ZWNJ (or a diacritic) after the word is not part of it
            key = word.replace(joiner, "")
            if key:
                append((start, end - (len(m.group()) - len(word)), key))
        return out

    def mentions(self, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, Entry]]:
        """(start, end, entry) of every registry name written in ``text[lo:hi]``."""
        words = self.words(lo, hi)
        found = self.registry.mentions([w[2] for w in words])
        return [(words[i][0], words[j - 1][1], e) for i, j, e in found]

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence (or line) holding offset ``pos``, at most
        ``REPORT_REACH`` characters either side."""
        lo = max(0, pos - REPORT_REACH)
        before = [m.end() for m in _SENTENCE_END.finditer(self.text, lo, pos)]
        after = _SENTENCE_END.search(self.text, pos, pos + REPORT_REACH)
        end = after.start() if after else min(len(self.text), pos + REPORT_REACH)
        return (before[-1] if before else lo), end

    # questions

    def written_with(self, office: str) -> set[str]:
        """People written in apposition with a title of ``office`` (``X، سخنگوی ...``,
        ``سخنگوی ... X``), unless a word like ``سابق`` makes it a former one."""
        if office in self._written:
            return self._written[office]
        pattern = self.registry.written_pattern(office)
        out: set[str] = set()
        self._written[office] = out
        if pattern is None:
            return out
        for found in pattern.finditer(self.text):
            s, e = found.span()
            ms = self.mentions(s - APPOSITION_REACH, e + APPOSITION_REACH)
            title = next((m for m in ms if m[2].slug == office and m[0] <= s < m[1]), None)
            if title is None:
                continue  # the title is part of a longer name here
            e = max(e, title[1])
            after = self.words(e, e + 30)
            if after and after[0][2] in FORMER:
                continue
            for ms_, me, entry in ms:
                if entry.kind != "person":
                    continue
                gap = self.text[me:s] if me <= s else self.text[e:ms_]
                if _APPOSED.fullmatch(gap):
                    out.add(entry.slug)
        return out

    def named_before(self, pos: int, kinds: frozenset[str] = frozenset({"person", "office"})) -> Entry | None:
        """The nearest entry of ``kinds`` written before ``pos`` (within reach)."""
        words = self.words(pos - PRONOUN_REACH, pos)
        return self.registry.last_named([w[2] for w in words], kinds)

    def report_of(self, pos: int, noun: str) -> Entry | None:
        """Whose report (``noun``: گزارش, بیانیه ...) an anaphor at ``pos`` means:
        the entry written right after an earlier ``noun`` (``گزارش تازه یوناما``),
        else the nearest one named before it in that sentence (``دادسرای ... طی
        اطلاعیه‌ای``, ``گوتریش ... در گزارش تازه خود``); the latest such ``noun`` first."""
        for found in reversed(list(_noun_pattern(noun).finditer(self.text, 0, pos))):
            ws, we = found.span()
            lo, hi = self.sentence(ws)
            next_words = self.words(we, hi)[:4]
            reach = next_words[-1][1] if next_words else we
            after = [m for m in self.mentions(we, hi) if m[0] < reach]
            if after:
                return after[0][2]
            within = self.registry.last_named([w[2] for w in self.words(lo, ws)], _ANY_KIND)
            if within is not None:
                return within
        return None


@lru_cache(maxsize=64)
def _noun_pattern(noun: str) -> re.Pattern[str]:
    """The noun as written, with an indefinite or plural ending (``اطلاعیه‌ای``)."""
    body = written_pattern([noun]).pattern.removesuffix("(?![^\\W_])")
    return re.compile(rf"{body}(?:{GAP}(?:ای|ی|ها|های))?(?![^\W_])", re.IGNORECASE)
