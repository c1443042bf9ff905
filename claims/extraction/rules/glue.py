"""Words run together or split by a stray space, at the edges of a source.

Web text loses spaces and zero-width non-joiners: in ``بانک مرکزینرخ تورم``
the space between ``بانک مرکزی`` and ``نرخ`` is gone, and in ``اعلام کر د
سخنگوی`` a stray space split ``کرد``. A source span must not take in half of
such a word, and its offsets must stay exact, so the span is cut inside the
glued word rather than the text being rewritten.

A cut needs two kinds of evidence. hazm's word list (read once per process)
says that the second half is a word of its own (three letters or more, not an
inflection such as ``یان`` or ``ها``). And what precedes the cut is a name the
registry knows (its space-free alias keys: ``بانکمرکزی``), or the second half
cannot belong to a name (a preposition, a time word, a verb form, an event or
claim noun from the lexicon). A word the list or the lexicon knows is never
cut, nor one whose second half makes names (``دولت‌آبادی``, ``حزب‌الله``).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping

from ..lexicon import Lexicon
from ..text import _vocab
from .forms import verb_forms

# inflections stripped (longest first) to find a known stem
_SUFFIXES = (
    "هایشان",
    "هایمان",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "یان",
    "گان",
    "ان",
    "ات",
    "ای",
    "یی",
    "ی",
    "اش",
    "شان",
    "ش",
    "مان",
    "تان",
    "م",
    "ت",
)
_SUFFIX_SET = frozenset(_SUFFIXES)
_LONGEST_SUFFIX = max(map(len, _SUFFIXES))
_PREFIXES = ("نمی", "می", "ن", "ب")
# second halves that make names and compounds, not a second word
_NAME_ENDS = ("ال", "آباد", "زاده", "پور", "نژاد", "نیا", "راد", "وند", "مند", "فر", "دوست", "خواه", "پرست")
_MIN_SECOND = 3
_ONE_LETTER_WORDS = frozenset(["و", "ب"])
# two-letter words that lose their space most often
_GLUED_FUNCTION_WORDS = frozenset(["در", "از", "به", "با", "بر", "تا", "را", "که"])
_MAX_FRAGMENT = 2


class Glue:
    """Known words, and where a source's edge word was glued or split."""

    def __init__(self, lex: Lexicon) -> None:
        self.vocab = _vocab()
        self._known: dict[str, bool] = {}
        # (the same names recur across a worker's articles)
        self._cuts: dict[int, tuple[object, dict[tuple[str, str], int | None]]] = {}
        forms = verb_forms()
        self.verbs = forms.third | forms.personal | forms.past
        self.entities = lex.person_titles | lex.org_heads | lex.known_outlets | frozenset(lex.media_heads)
        # words that cannot continue a name: they open the clause after it
        # (third person only: a name can end like 'بودی', 'زاید')
        self.clause_words = (
            lex.stop_words
            | lex.object_heads
            | frozenset(f for f in forms.third if len(f) >= 4)
            | frozenset(lex.claim_nouns)
            | lex.ra_preverbs
        )

    def known(self, w: str) -> bool:
        """Is ``w`` a word: in hazm's list, a verb form, a lexicon entry, or
        one of those with an inflection or a verb prefix? (Remembered.)"""
        hit = self._known.get(w)
        if hit is None:
            if len(self._known) > 100_000:
                self._known.clear()
            hit = self._known[w] = self._is_known(w)
        return hit

    def _is_known(self, w: str) -> bool:
        if w in self.vocab or w in self.verbs or w in self.entities:
            return True
        vocab = self.vocab
        for p in ("", *_PREFIXES):
            if p and not w.startswith(p):
                continue
            stem = w[len(p) :]
            if p and stem in vocab:
                return True
            for k in range(1, min(_LONGEST_SUFFIX, len(stem) - 2) + 1):
                if stem[-k:] in _SUFFIX_SET and stem[:-k] in vocab:
                    return True
        return False

    def _second(self, b: str) -> bool:
        return len(b) >= _MIN_SECOND and b not in _SUFFIXES and not b.startswith(_NAME_ENDS) and self.known(b)

    def _glued_pair(self, a: str, b: str) -> bool:
        """A preposition glued after a word ('خارجهدر'), or a word that cannot
        continue a name glued after a known one."""
        if len(a) < 3 or a.startswith("ال") or (a not in self.vocab and a not in self.entities):
            return False
        if b in _GLUED_FUNCTION_WORDS:
            return len(a) >= 3
        return self._second(b) and b in self.clause_words

    def cut_in(self, prefix: str, w: str, names: Container[str] | None) -> int | None:
        """Where in the word ``w`` (after the space-free ``prefix`` of the span)
        a name ends that the next word was glued to, or None."""
        if len(w) < 5 or not w.isalpha() or self.known(w):
            return None
        # a cache per name table; holding the table keeps its id from being reused
        table = self._cuts.get(id(names))
        if table is None or table[0] is not names:
            if len(self._cuts) >= 4:
                self._cuts.clear()
            table = self._cuts[id(names)] = (names, {})
        cache = table[1]
        key = (prefix, w)
        hit = cache.get(key, -1)
        if hit != -1:
            return hit
        best = None
        for i in range(2, len(w) - 1):
            a, b = w[:i], w[i:]
            if names is not None and prefix + a in names and self._second(b):
                best = i  # the longest registry name
            elif self._glued_pair(a, b):
                best = i
        if len(cache) > 50_000:
            cache.clear()
        cache[key] = best
        return best

    def start_in(self, w: str) -> int | None:
        """Where a source starts inside its first word, glued to a verb or a
        preposition before it ('کردسخنگوی')."""
        if len(w) < 2 + _MIN_SECOND or not w.isalpha() or self.known(w):
            return None
        for i in range(2, len(w) - _MIN_SECOND + 1):
            a, b = w[:i], w[i:]
            if (a in self.verbs or a in self.clause_words) and self._second(b) and b not in self.clause_words:
                return i
        return None

    def fragment(self, w: str, other: str, other_first: bool) -> bool:
        """Is ``w`` (one or two letters) a piece a stray space split off the
        word ``other`` next to it ('کر د', 'ن رخ')?"""
        if len(w) > _MAX_FRAGMENT or not other or w in _ONE_LETTER_WORDS or (len(w) > 1 and w in self.vocab):
            return False
        joined = other + w if other_first else w + other
        # a single letter is no word; two letters are a piece only beside a non-word
        return self.known(joined) and (len(w) == 1 or not self.known(other))


_GLUE: Glue | None = None


def glue(lex: Lexicon) -> Glue:
    """The segmenter, built once per process."""
    global _GLUE
    if _GLUE is None:
        _GLUE = Glue(lex)
    return _GLUE


def _words(t: str, a: int, b: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(t, a, b)]


def repair_span(t: str, span: tuple[int, int], g: Glue, names: Container[str] | None) -> tuple[int, int]:
    """The span without the halves of glued or split words at its edges."""
    a, b = span
    ws = _words(t, a, b)
    if not ws:
        return span
    # a first word glued to the verb or preposition before it, or a piece of
    # the word before the span ('... کر د سخنگوی وزارت')
    # (only a word of one or two letters can be such a piece: the word before is
    # looked for then)
    if len(ws) > 1 and ws[0][1] - ws[0][0] <= _MAX_FRAGMENT:
        prev = _PREV.search(t, max(0, a - 40), a)
        if prev is not None and g.fragment(t[ws[0][0] : ws[0][1]], prev.group(1), True):
            ws = ws[1:]
            a = ws[0][0]
    i = g.start_in(t[ws[0][0] : ws[0][1]])
    if i is not None:
        a = ws[0][0] + i
        ws[0] = (a, ws[0][1])
    # a name that ran into the next word: 'بانک مرکزینرخ'
    prefix = ""
    for x, y in ws:
        w = t[x:y]
        i = g.cut_in(prefix, w, names)
        if i is not None:
            return (a, x + i)
        prefix += w
    # a last word that is a piece of the word after the span ('ن رخ')
    if len(ws) > 1 and ws[-1][1] - ws[-1][0] <= _MAX_FRAGMENT:
        nxt = _NEXT.match(t, b)
        if nxt is not None and g.fragment(t[ws[-1][0] : ws[-1][1]], nxt.group(1), False):
            b = ws[-2][1]
    return (a, b)


_WORD = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]+")
_PREV = re.compile(r"([^\s،,:؛;«»\"()\[\].!?؟…/|]+)\s+$")
_NEXT = re.compile(r"\s+([^\s،,:؛;«»\"()\[\].!?؟…/|]+)")


def compact_names(aliases: Mapping[str, object] | None, registry_keys: Container[str] | None):
    """The space-free name keys to cut glued words at: the registry's index
    and the caller's alias table (made space-free once per table)."""
    if not aliases:
        return registry_keys
    key = id(aliases)
    hit = _ALIAS_CACHE.get(key)
    if hit is None or hit[0] is not aliases:
        if len(_ALIAS_CACHE) > 8:
            _ALIAS_CACHE.clear()
        hit = (aliases, frozenset(k.replace(" ", "") for k in aliases))
        _ALIAS_CACHE[key] = hit
    if registry_keys is None:
        return hit[1]
    both = _BOTH_CACHE.get((key, id(registry_keys)))
    if both is None or both.a is not hit[1] or both.b is not registry_keys:
        if len(_BOTH_CACHE) > 8:
            _BOTH_CACHE.clear()
        both = _BOTH_CACHE[(key, id(registry_keys))] = _Both(hit[1], registry_keys)
    return both


class _Both:
    __slots__ = ("a", "b")

    def __init__(self, a: Container[str], b: Container[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, k: object) -> bool:
        return k in self.a or k in self.b


_ALIAS_CACHE: dict[int, tuple[Mapping[str, object], frozenset[str]]] = {}
# (kept, so that the name table of a call is one object while it is in use)
_BOTH_CACHE: dict[tuple[int, int], _Both] = {}
