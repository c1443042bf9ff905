"""The text layer: a matching view of the raw text with an offset map back to it,
quotation regions and a sentence splitter.

The matching view ``t`` is built in two passes that both run in C:
1. zero-width characters (ZWNJ included), bidi controls, BOM, tatweel and
   diacritics are removed; the positions removed are kept as break points so
   any index into ``t`` maps back to the raw text with one bisect;
2. a one-to-one ``str.translate`` maps Arabic letter variants to Persian ones,
   Arabic-Indic and Persian digits to ASCII, curly quotes to guillemets and odd
   spaces to a plain space, so lengths do not change.

Dropping the ZWNJ is how lost non-joiners are repaired for matching: ``می‌گوید``,
``میگوید`` and (with the lexicon's optional spaces) ``می گوید`` all match the
same pattern, as do ``بیانیه‌ای`` and ``بیانیهای``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .normalize import DIGITS, INVISIBLE, LETTERS

_DROP = re.compile(INVISIBLE + "+")

# The key's letter and digit tables, plus the quote, space and punctuation
# forms that matching folds without changing lengths.
_MAP = {
    **LETTERS,
    **DIGITS,
    "\u201c": "«",
    "\u201d": "»",
    "\u201e": "«",
    "\u00ab": "«",
    "\u00bb": "»",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\t": " ",
    "\r": " ",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u066c": ",",
    "\u060c": "،",
    "\u061b": "؛",
    "\u066b": ".",
}
_TABLE = str.maketrans(_MAP)
_PAIRS = tuple(_MAP.items())


def _translate(s: str) -> str:
    """``s.translate(_TABLE)``, done as a chain of C-speed ``str.replace``
    calls for the characters present: several times faster on Persian text
    than ``str.translate`` with a non-ASCII table."""
    for a, b in _PAIRS:
        if a in s:
            s = s.replace(a, b)
    return s


def match_form(s: str) -> str:
    """The matching form of a short string (lexicon entries, aliases)."""
    return _translate(_DROP.sub("", s))


# Longest quotation that protects sentence ends inside it.
MAX_QUOTE = 4000
# A sentence longer than this is cut at white space, so that rule work per
# sentence stays bounded on text without full stops.
MAX_SENTENCE = 4000

_QUOTE_CHARS = re.compile('[«»"]')
_INNER_STOP = re.compile(r"[.!?؟…؛]+\s+|\n")
_SENT_END = re.compile(r"[.!?؟…]*(?:\s|$)")
# (each branch opens with a literal, which lets 're' skip ahead quickly)
_BOUNDARY = re.compile(r'[.!?؟]+(?=[\s»"]|$)|…(?=[\s»"]|$)|[»"](?<=[.!?؟…][»"])(?=\s)|\n')
_WS = re.compile(r"\s")
_NEXT_WORD = re.compile(r"\s*(\w+)")
# words that continue a sentence after a closing quotation
_CONTINUES = frozenset(["و", "که", "را", "تا", "اما", "ولی", "یا", "به", "از", "در", "با"])


# A headline glued to the body when a feed drops the line break:
# '...حمله کردندحمله موشکی...'. A verb ending followed by three or more
# letters inside one word is a candidate; it is a break when the glued word is
# not a word and what follows the ending is one (hazm's word list).
_GLUE = re.compile(
    r"[کشد](?<!\w.)(?:(?<=ک)ردند|(?<=ش)دند|(?<=د)ادند|(?<=ک)رد|(?<=ش)د|(?<=د)اد)(?=[^\Wهنیاوم]\w{2,})"
)
_WORDCHARS = re.compile(r"\w+")
# derivational endings that hazm's list also holds as words: 'شدگان' is one word
_SUFFIXES = frozenset(["گان", "گانی", "گی", "گیها", "گار", "گاه", "گاهی"])
_VOCAB: frozenset[str] | None = None


def _vocab() -> frozenset[str]:
    global _VOCAB
    if _VOCAB is None:
        words: set[str] = set()
        try:
            import importlib.util
            import os

            spec = importlib.util.find_spec("hazm")
            if spec and spec.origin:
                path = os.path.join(os.path.dirname(spec.origin), "data", "words.dat")
                with open(path, encoding="utf-8") as fh:
                    first = "\n".join(line.partition("\t")[0] for line in fh)
                # the first column put in matching form at once
                words = {w.strip() for w in _translate(_DROP.sub("", first)).split("\n")}
                words.discard("")
        except OSError:
            pass
        _VOCAB = frozenset(words)
    return _VOCAB


def glued_breaks(t: str) -> list[int]:
    out = []
    for m in _GLUE.finditer(t):
        ws = m.start()
        we = _WORDCHARS.match(t, m.end())
        if we is None:
            continue
        vocab = _vocab()
        whole = t[ws : we.end()]
        rest = t[m.end() : we.end()]
        if whole not in vocab and rest in vocab and rest not in _SUFFIXES:
            out.append(m.end())
    return out


_LETTER_RUN = re.compile(r"[^\W\d_]+")


class WordSet:
    """A set of words, and whether a range of text holds one as a whole run of
    letters: ``not words.isdisjoint(re.findall(r"[^\\W\\d_]+", t[s:e]))`` (a run the
    range cuts into counts as cut), found by one search that stops at the first
    hit instead of listing every run."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        # (a word that is not a run of letters can never equal one)
        trie: dict = {}
        for w in words:
            if _LETTER_RUN.fullmatch(w):
                node = trie
                for ch in w:
                    node = node.setdefault(ch, {})
                node[""] = {}
        # each first letter is followed by the check that no letter precedes it: a
        # pattern that opens with a literal lets 're' skip ahead to where a word can start
        self._re = re.compile(_trie(trie, True) + r"(?![^\W\d_])") if trie else None

    def in_range(self, t: str, s: int, e: int) -> bool:
        if s >= e or self._re is None:
            return False
        if s > 0 and _LETTER_RUN.match(t, s - 1, s):
            # the range opens inside a run: its piece in the range is a run too
            m = _LETTER_RUN.match(t, s, e)
            if m is not None:
                if m.group() in self.words:
                    return True
                s = m.end()
        # (the search ends at e: a run the range cuts there is matched as cut)
        return self._re.search(t, s, e) is not None


def _trie(node: dict, first: bool = False) -> str:
    branches = []
    for ch in sorted(c for c in node if c):
        head = re.escape(ch) + (r"(?<![^\W\d_].)" if first else "")
        branches.append(head + _trie(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body


_CURLY = re.compile("[\u201c\u201d]")


def _curly_quotes(before: str, t: str) -> str:
    """Curly quotes typed the wrong way round (``”...”``, ``“...“``) opened
    or closed by their place: a mark after white space (or at the start, or
    after an opening bracket or colon) and before a letter opens a quotation,
    any other closes it."""
    chars = None
    n = len(t)
    for m in _CURLY.finditer(before):
        p = m.start()
        opens = (p == 0 or t[p - 1] in " \n(:[«") and p + 1 < n and not t[p + 1].isspace()
        want = "«" if opens else "»"
        if t[p] != want:
            if chars is None:
                chars = list(t)
            chars[p] = want
    return t if chars is None else "".join(chars)


class Doc:
    """Raw text, its matching view ``t`` and the maps between them."""

    __slots__ = ("_bp", "_cum", "_qstarts", "quotes", "raw", "sentences", "t")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        bp: list[int] = []
        cum: list[int] = []
        dropped = 0
        for m in _DROP.finditer(raw):
            s, e = m.span()
            bp.append(s - dropped)
            dropped += e - s
            cum.append(dropped)
        self._bp = bp
        self._cum = cum
        t = _DROP.sub("", raw) if bp else raw
        curly = "\u201d" in t or "\u201c" in t
        self.t = _translate(t)
        if curly:
            self.t = _curly_quotes(t, self.t)
        self.quotes = self._find_quotes()
        self._qstarts = [q[0] for q in self.quotes]
        self.sentences = self._split()

    # -- offsets ---------------------------------------------------------
    def raw_start(self, i: int) -> int:
        if not self._bp:
            return i
        k = bisect_right(self._bp, i) - 1
        return i + (self._cum[k] if k >= 0 else 0)

    def raw_end(self, i: int) -> int:
        if i <= 0:
            return 0
        return self.raw_start(i - 1) + 1

    def raw_span(self, s: int, e: int) -> tuple[int, int]:
        return self.raw_start(s), self.raw_end(e)

    # -- quotations -----------------------------------------------------
    def _find_quotes(self) -> list[tuple[int, int]]:
        """Outermost quotation regions as (open, close) indices in ``t``."""
        t = self.t
        out: list[tuple[int, int]] = []
        stack: list[int] = []
        dq: int | None = None
        # '«... میفرمایند: «...». ...' with no mark left for the outer
        # quotation: the mark that closed the inner one at a sentence end closed
        # both, unless the outer one is closed later
        pending: tuple[int, int] | None = None
        for m in _QUOTE_CHARS.finditer(t):
            p = m.start()
            c = t[p]
            if c == "«":
                if stack and p - stack[0] > MAX_QUOTE:
                    if pending is not None and pending[0] == stack[0]:
                        out.append(pending)
                    stack.clear()
                    pending = None
                stack.append(p)
            elif c == "»":
                if stack:
                    o = stack.pop()
                    if not stack and p - o <= MAX_QUOTE:
                        out.append((o, p))
                        pending = None
                    elif stack and pending is None and _SENT_END.match(t, p + 1):
                        pending = (stack[0], p)
            else:
                if stack:
                    continue
                if dq is None or p - dq > MAX_QUOTE:
                    dq = p
                else:
                    out.append((dq, p))
                    dq = None
        if stack and pending is not None and pending[0] == stack[0] and pending[1] - pending[0] <= MAX_QUOTE:
            out.append(pending)
        out.sort()
        merged: list[tuple[int, int]] = []
        for q in out:
            if merged and q[0] < merged[-1][1]:
                if q[1] > merged[-1][1]:
                    merged[-1] = (merged[-1][0], q[1])
                continue
            merged.append(q)
        return merged

    def quote_at(self, i: int) -> tuple[int, int] | None:
        """The quotation region strictly containing index ``i``, if any."""
        k = bisect_right(self._qstarts, i) - 1
        if k >= 0:
            q = self.quotes[k]
            if q[0] < i < q[1]:
                return q
        return None

    def quote_starting(self, i: int) -> tuple[int, int] | None:
        k = bisect_right(self._qstarts, i) - 1
        if k >= 0 and self.quotes[k][0] == i:
            return self.quotes[k]
        return None

    def quote_from(self, i: int) -> tuple[int, int] | None:
        """The quotation opening at ``i``: an outermost region, or one nested
        inside another quotation (found by balancing its marks)."""
        q = self.quote_starting(i)
        if q is not None or self.t[i : i + 1] != "«":
            return q
        outer = self.quote_at(i)
        if outer is None:
            return None
        depth = 0
        for m in _QUOTE_CHARS.finditer(self.t, i, outer[1]):
            c = m.group()
            if c == "«":
                depth += 1
            elif c == "»":
                depth -= 1
                if depth == 0:
                    return (i, m.start())
        # one mark closes both ('«... «...».')
        return (i, outer[1]) if self.t[outer[1]] == "»" else None

    def sentence_start_in_quote(self, q: tuple[int, int], i: int) -> int:
        """Where the sentence holding ``i`` starts inside the quotation ``q``."""
        start = q[0] + 1
        for m in _INNER_STOP.finditer(self.t, start, i):
            start = m.end()
        return start

    # -- sentences ------------------------------------------------------
    def _split(self) -> list[tuple[int, int]]:
        t = self.t
        n = len(t)
        cuts: list[int] = []
        quoted = bool(self.quotes)
        for m in _BOUNDARY.finditer(t):
            p = m.start()
            if quoted and self.quote_at(p) is not None:
                continue
            if t[p] == "\n":
                # A headline that ends in a colon runs on into the next line,
                # and so does a line that is only a colon.
                j = p - 1
                while j >= 0 and t[j] in " \n":
                    j -= 1
                if j >= 0 and t[j] in ":،,":
                    # ... and so does a line that stops on a comma: the sentence
                    # goes on after the break
                    continue
                k = p + 1
                while k < n and t[k] in " \n":
                    k += 1
                if k < n and t[k] == ":":
                    continue
                cuts.append(p)
            else:
                if t[p] in '»"':
                    # '«... است.» نتانیاهو افزود': the quotation closed a sentence
                    q = self.quote_at(p - 1)
                    if q is None or q[1] != p:
                        continue
                    nxt = _NEXT_WORD.match(t, p + 1)
                    if nxt is None or nxt.group(1) in _CONTINUES:
                        continue
                cuts.append(m.end())
        glued = glued_breaks(t)
        if glued:
            cuts = sorted(cuts + glued)
        sents: list[tuple[int, int]] = []
        s = 0
        for c in [*cuts, n]:
            if c <= s:
                continue
            self._add(sents, s, c)
            s = c
        return sents

    def _add(self, sents: list[tuple[int, int]], s: int, e: int) -> None:
        t = self.t
        while s < e and t[s].isspace():
            s += 1
        while e > s and t[e - 1].isspace():
            e -= 1
        if s >= e:
            return
        while e - s > MAX_SENTENCE:
            m = _WS.search(t, s + MAX_SENTENCE, min(e, s + MAX_SENTENCE + 200))
            cut = m.start() if m else s + MAX_SENTENCE
            sents.append((s, cut))
            s = cut
            while s < e and t[s].isspace():
                s += 1
        if s < e:
            sents.append((s, e))
