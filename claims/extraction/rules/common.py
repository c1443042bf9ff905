"""Shared pieces of the attribution rules: the candidate record, the word and
clause patterns every family uses, and the base class with the small span
helpers (words, separators, spaces, clause ends).

Everything works on the matching view ``doc.t`` (same indices as the offset
map in ``text.Doc``); spans are ``(start, end)`` pairs in that view.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice

from ..lexicon import Lexicon
from ..text import Doc

_WORD = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]+")
_VERBLIKE = re.compile(
    r"(?:د|ند|ست|اند|ده|شد|کرد|است|نیست|بود|داشت|گفت|رفت|یافت|گرفت|خواست|نوشت|پذیرفت|ساخت|شناخت|پرداخت)$"
)
_ALNUM = re.compile(r"[^\W_]")
_RA = re.compile(r"(?<![\w])را(?![\w])")
_DIGITS = re.compile(r"^[0-9]+$")

_BOUNDARY_WORDS = frozenset(
    ["که", "اما", "ولی", "لیکن", "ولیکن", "آنکه", "اینکه", "زیرا", "چون", "وقتی", "هنگامیکه", "درحالیکه"]
)
_SUBORDINATE = frozenset(["که", "آنکه", "اینکه", "زیرا", "چون", "وقتی", "هنگامیکه", "درحالیکه"])
# a new clause of the main subject: ', اما ...', 'و ضمن محکوم کردن ...'
_CONTRAST = re.compile(r"[،,] ?(?:اما|ولی|لیکن|ولیکن)(?![\w])| و ضمن (?=\w)")
_VERB_WORDS = frozenset(
    [
        "شود",
        "شد",
        "است",
        "بود",
        "باشد",
        "کرد",
        "کند",
        "کرده",
        "شده",
        "داشته",
        "دارد",
        "ندارد",
        "نیست",
        "هست",
        "گرفت",
        "گرفته",
        "بوده",
        "نشده",
        "نکرد",
        "نکرده",
        "نبوده",
    ]
)
_SEP_RES: dict[str, re.Pattern] = {}
_NAQL = re.compile(r"(?<![\w])(?:به|بع|ب) ?نقل ?از(?![\w])")
_QMARK = re.compile('[«»"]')
_NW = r"[^\s،,:؛;.!?؟«»\"]+"
_CONF = {"quote": 0.92, "ke": 0.88, "colon": 0.85, "bare": 0.75, "ra": 0.72, "az": 0.78}


@dataclass
class Cand:
    src: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    via: tuple[int, int] | None = None
    rule: str = ""
    inherited: bool = False
    conf: float = 0.7


def _k(t: str, s: int, e: int) -> str:
    return t[s:e].replace(" ", "")


class Base:
    """The document, its lexicon and the span helpers every rule family uses."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.t = doc.t
        self.lex = lex
        self.cue_starts: list[int] = []
        self._valid: dict[tuple[int, int], bool] = {}
        # does the text keep its line breaks (paragraphs can be told apart)?
        self.has_lines = "\n" in doc.t
        self.amade: list[re.Match] = []
        self.agent: list[re.Match] = []
        self._sent_starts = [a for a, _ in doc.sentences]
        # the lead: the first two sentences (headline and first paragraph's opening)
        self.lead_end = doc.sentences[min(1, len(doc.sentences) - 1)][1] if doc.sentences else 0

    # -- small helpers ----------------------------------------------------
    def words(self, s: int, e: int) -> list[tuple[int, int]]:
        """Word spans overlapping [s, e), clipped to it."""
        if s >= e:
            return []
        # (matching from s to e clips the words at both ends)
        return [m.span() for m in _WORD.finditer(self.t, s, e)]

    def n_words(self, s: int, e: int, cap: int = 3) -> int:
        """How many words [s, e) holds, counted up to ``cap`` (the rules only
        compare it with small thresholds: 'at least two words')."""
        if s >= e:
            return 0
        return len(list(islice(_WORD.finditer(self.t, s, e), cap)))

    def head_words(self, s: int, e: int, n: int) -> list[tuple[int, int]]:
        """The first ``n`` words of [s, e) (see ``words``)."""
        if s >= e:
            return []
        return [m.span() for m in islice(_WORD.finditer(self.t, s, e), n)]

    def top_level(self, i: int) -> bool:
        return self.doc.quote_at(i) is None

    def next_sep(self, s: int, e: int, chars: str = "،,") -> int:
        """First top-level separator among ``chars`` in [s, e), or -1."""
        pat = _SEP_RES.get(chars)
        if pat is None:
            pat = _SEP_RES[chars] = re.compile("[" + re.escape(chars) + '«"]')
        i = s
        while i < e:
            m = pat.search(self.t, i, e)
            if m is None:
                return -1
            i = m.start()
            c = self.t[i]
            if c == "«" or c == '"':
                q = self.doc.quote_starting(i)
                i = q[1] + 1 if q is not None else i + 1
                continue
            if self.top_level(i):
                return i
            i += 1
        return -1

    def last_sep(self, s: int, e: int, chars: str, level: tuple[int, int] | None = None) -> int:
        """Last position in [s, e) of one of ``chars`` in the quotation
        ``level`` (None: outside quotations), or -1."""
        t = self.t
        quote_at = self.doc.quote_at
        while e > s:
            p = max(t.rfind(c, s, e) for c in chars)
            if p < 0:
                return -1
            if quote_at(p) == level:
                return p
            e = p
        return -1

    def skip_space(self, i: int, e: int) -> int:
        t = self.t
        while i < e and t[i].isspace():
            i += 1
        return i

    def strip_span(self, s: int, e: int) -> tuple[int, int]:
        t = self.t
        while s < e and (t[s].isspace() or t[s] in "،,:؛;.-–—"):
            s += 1
        while e > s and (t[e - 1].isspace() or t[e - 1] in "،,:؛;.-–—!?؟"):
            e -= 1
        return s, e

    def strip_connectors(self, s: int, e: int) -> int:
        m = self.lex.connectors_re.match(self.t, s, e)
        if m and m.end() > s:
            return m.end()
        return s

    def valid_source(self, span: tuple[int, int]) -> bool:
        """Can the span be a source (see ``source_ok``)? Cached per document."""
        hit = self._valid.get(span)
        if hit is None:
            hit = self._valid[span] = self.source_ok(span)
        return hit

    def is_stop(self, w: tuple[int, int]) -> bool:
        return self.t[w[0] : w[1]] in self.lex.stop_words

    # -- clause ends ----------------------------------------------------
    def clause_end(self, s: int, e: int, cuts: list[int], semicolon: bool = True) -> int:
        end = e
        for c in cuts:
            if s < c < end:
                end = c
        if semicolon:
            p = self.next_sep(s, end, "؛;")
            if p >= 0:
                end = p
            for m in _CONTRAST.finditer(self.t, s, end):
                if self.top_level(m.start()):
                    end = m.start()
                    break
        return end

    def kind_of(self, s: int, e: int) -> str:
        return "mixed" if _QMARK.search(self.t, s, e) else "indirect"

    @staticmethod
    def in_sentence(ms: list[re.Match], ss: int, se: int) -> list[re.Match]:
        """The matches (sorted by start) that lie inside [ss, se)."""
        if not ms:
            return []
        i = bisect_left(ms, ss, key=lambda m: m.start())
        out = []
        while i < len(ms) and ms[i].start() < se:
            if ms[i].end() <= se:
                out.append(ms[i])
            i += 1
        return out
