"""Sentence ends found by shape, not by line breaks.

Web text often arrives with its line breaks gone: the headline runs into the
first sentence (``... دستگیر شد دادستان مرکز استان ... خبر داد``), a
frame opens with no punctuation before it (``... کمک می‌کند به گزارش فارس``).
The text layer's splitter cuts at stops and line breaks; this pass adds
the cuts that the line breaks used to make, from the words alone:

- after a finite verb (a form built from hazm's verb list) that is followed
  by a word that cannot continue its clause, when no ``که`` clause is open;
- before a frame (``به گزارش``, ``به نقل از`` ...) glued to a finite verb or
  standing in the document's opening words with no punctuation before it;
- in the document's first words, before a speaker that opens the clause of
  a reporting verb after a verbless headline
  (``ابراز امیدواری آمریکا ... ایران روزنامه لس‌آنجلس تایمز ... نوشت``).

On text that kept its line breaks these cuts fall where the breaks already
are, so the result is the same on both forms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

from ..lexicon import Lexicon, key
from ..text import Doc
from .common import _NAQL
from .forms import verb_forms

_WORD = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]+")
# words that continue the clause of the verb before them
_CONTINUES = frozenset(
    [
        "و",
        "که",
        "تا",
        "اما",
        "ولی",
        "یا",
        "چون",
        "زیرا",
        "را",
        "نیز",
        "هم",
        "است",
        "بود",
        "باشد",
        "شد",
        "شود",
        "اند",
        "به",
        "از",
        "با",
        "بر",
        "برای",
        "مگر",
        "بلکه",
        "چه",
        "نه",
        "هست",
        "بوده",
        "شده",
        "گردید",
        "چرا",
        "مبنی",
    ]
)
# words before a finite verb that give it a clause of its own after it
# ('موجب شد ...', 'قرار است ...') or make it an agentless speech passive
# ('گفته شده است ...', 'اعلام شد ...')
_TAKES_CLAUSE = frozenset(
    [
        "موجب",
        "باعث",
        "سبب",
        "قرار",
        "مقرر",
        "گفته",
        "اعلام",
        "گزارش",
        "ادعا",
        "عنوان",
        "نوشته",
        "تاکید",
        "اظهار",
        "آمده",
        "امیدوار",
        "ممکن",
        "نظر",
        "تصمیم",
        "توافق",
        "اجازه",
        "نشان",
        "لازم",
        "بهتر",
        "بعید",
        "احتمال",
        "معتقد",
        "مدعی",
        "باور",
        "فکر",
        "یقین",
    ]
)
# bullets and list marks (emoji, geometric shapes, dingbats)
_BULLET_CHARS = "\U0001f300-\U0001faff\u2022\u25a0-\u25ff\u2600-\u27bf\u2b50"
_BULLET_KEY = re.compile("[" + _BULLET_CHARS + "]")
_BULLET = re.compile(r"(?<=\s)[" + _BULLET_CHARS + "]")
# label lines of web pages, glued to the text when the line breaks are gone:
# 'کد خبر: 301740', 'انتشار: ۱۴۰۰/۰۸/۱۸ - 23:22', 'دسته‌بندی: ...'
_LABEL_LINE = re.compile(
    r"(?<=\s)(?:کد ?خبر|شناسه ?خبر|تاریخ ?انتشار|زمان ?انتشار|انتشار|دسته ?بندی|نام ?خبرنگار|برچسب ?ها"
    r"|بیشتر ?بخوانید|همچنین ?بخوانید|مطالب ?مرتبط|اخبار ?مرتبط|لینک ?کوتاه) ?: ?"
    r"(?P<value>[0-9][0-9/.:\- ]*(?=\s))?"
)
_COLON = re.compile(":")
# the key words of those label lines (looked for with str.find first)
_LABEL_KEYS = ("خبر", "انتشار", "بندی", "برچسب", "بخوانید", "مرتبط", "لینک")
# words that open a speaker phrase ('برخی از اهالی ...')
_PARTITIVE_OPENERS = frozenset(["برخی", "شماری", "تعدادی", "گروهی"])
# a headline glued to the first sentence ends within this many words
_HEADLINE_WORDS = 30


class Breaks:
    """Finds the extra sentence cuts of one document."""

    def __init__(self, doc: Doc, lex: Lexicon, verbs: list[tuple[int, int]], frames: list[tuple[int, int]]):
        self.doc = doc
        self.t = doc.t
        self.lex = lex
        self.verb_ends = {b for _, b in verbs}
        self.verb_starts = {a for a, _ in verbs}
        self.frame_starts = {a for a, _ in frames}
        forms = verb_forms()
        self.finite = forms.third
        self.personal = forms.personal

    def _is_finite(self, w: str) -> bool:
        return w in self.finite or w in self.personal

    def cuts(self, ss: int, se: int, first: bool) -> list[int]:
        t = self.t
        if se - ss < 30:
            return []
        if first and ss == self.doc.sentences[0][0]:
            # a headline that ends with the name the body opens with: '... به نقل
            # از عظیم ابراهیم‌پور عظیم ابراهیم‌پور، شایعه ... را تکذیب کرد'
            c = self._repeated_name(ss, se)
            if c is not None:
                return [c]
        # a quick look first: a bare finite verb inside the sentence (a verb with
        # punctuation after it is no candidate)
        toks = t[ss:se].split()[3:-2]
        if self.finite.isdisjoint(toks) and self.personal.isdisjoint(toks):
            return []
        ws = [m.span() for m in _WORD.finditer(t, ss, se)]
        n = len(ws)
        if n < 6:
            return []
        words = [t[a:b] for a, b in ws]
        third, personal = self.finite, self.personal
        # only the words after a finite verb can open a new sentence
        cand = [i for i in range(3, n - 2) if words[i - 1] in third or words[i - 1] in personal]
        if not cand:
            return []
        out: list[int] = []
        last = 0  # index of the first word of the current piece
        for i in cand:
            if i - last < 3:
                continue
            a = ws[i][0]
            if t[ws[i - 1][1] : a].strip() or self.doc.quote_at(a) is not None or a in self.verb_starts:
                continue
            if ws[i - 1][1] in self.verb_ends and "را" not in words[last : i - 1]:
                # a reporting verb takes what follows, unless its 'را' object came before it
                continue
            if self._label_follows(ws, words, i):
                # '... سخنگوی دولت شوم سپهر خلجی: ...': the next label line
                out.append(a)
                last = i
                continue
            if any(w in _TAKES_CLAUSE for w in words[max(0, i - 4) : i - 1]):
                continue
            if a in self.frame_starts:
                # a frame glued to the clause before it ('به نقل از' relays inside a clause)
                if not _NAQL.match(t, a):
                    out.append(a)
                    last = i
                continue
            word = words[i]
            if (
                first
                and not out
                and i <= _HEADLINE_WORDS
                and word not in _CONTINUES
                and word not in third
                and word not in personal
                and not word[0].isdigit()
                and not self._ke_open(ws, words, last, i)
            ):
                out.append(a)
                last = i
        if first and not out:
            c = self._nominal_headline_end(ws, words)
            if c is not None:
                out.append(c)
        return out

    def _repeated_name(self, ss: int, se: int) -> int | None:
        """Where the same two or three words (no stop words) follow each other
        in the document's opening words: the second copy opens the body."""
        t = self.t
        ws = [m.span() for m in islice(_WORD.finditer(t, ss, se), _HEADLINE_WORDS + 6)]
        words = [t[a:b] for a, b in ws]
        stops = self.lex.stop_words
        for k in (3, 2):
            for i in range(1, len(words) - 2 * k + 1):
                same = words[i] == words[i + k] and words[i : i + k] == words[i + k : i + 2 * k]
                if (
                    same
                    and not any(w in stops for w in words[i : i + k])
                    and not t[ws[i + k - 1][1] : ws[i + k][0]].strip()
                ):
                    return ws[i + k][0]
        return None

    def _label_follows(self, ws: list[tuple[int, int]], words: list[str], i: int) -> bool:
        """Do words ``i``.. form a short label ('X Y:') with no verb in it?"""
        t = self.t
        for k in range(i, min(i + 4, len(ws) - 1)):
            w = words[k]
            if w in self.finite or w in self.personal or w in _CONTINUES:
                return False
            gap = t[ws[k][1] : ws[k + 1][0]]
            if ":" in gap:
                return True
            if gap.strip():
                return False
        return False

    def _head_like(self, w: str) -> bool:
        lex = self.lex
        return (
            w in lex.org_heads
            or w in lex.person_titles
            or w in lex.known_outlets
            or w.startswith(lex.media_heads)
            or w in _PARTITIVE_OPENERS
        )

    def _nominal_headline_end(self, ws: list[tuple[int, int]], words: list[str]) -> int | None:
        """A verbless headline glued to the first sentence ends where a speaker
        opens the clause of the sentence's reporting verb:
        'ابراز امیدواری آمریکا ... ایران روزنامه لس‌آنجلس تایمز ... نوشت'."""
        t = self.t
        lex = self.lex
        vstart = next((k for k, (a, _) in enumerate(ws) if a in self.verb_starts), None)
        if vstart is None or vstart > _HEADLINE_WORDS + 12:
            return None
        body0 = 0
        for k in range(min(vstart, 6)):
            # a label headline 'رویترز: ...': the headline's words start after its colon
            if ":" in t[ws[k][1] : ws[k + 1][0]]:
                body0 = k + 1
                break
        for i in range(body0 + 5, min(vstart, _HEADLINE_WORDS)):
            w, prev = words[i], words[i - 1]
            if not self._head_like(w) or vstart - i > 10:
                continue
            if self._head_like(prev) or prev in lex.stop_words or prev in _CONTINUES:
                return None
            head = words[body0:i]
            if any(self._head_like(x) for x in head) or any(
                x in self.finite or x in self.personal for x in head
            ):
                return None
            if any(c in t[ws[body0][0] : ws[vstart][0]] for c in "،,:؛;«»"):
                return None
            return ws[i][0]
        return None

    def _ke_open(self, ws: list[tuple[int, int]], words: list[str], last: int, i: int) -> bool:
        """Is a 'که' clause open before word ``i`` (no comma or colon since)?"""
        t = self.t
        for k in range(i - 1, last - 1, -1):
            if words[k] == "که":
                return True
            if k and any(c in t[ws[k - 1][1] : ws[k][0]] for c in "،,:؛;"):
                return False
        return False


def _prev_word(t: str, lo: int, hi: int) -> str:
    r"""The last word of ``t[lo:hi]`` when only white space follows it, else "":
    what ``re.search(r"(\w+)\s*$", t[lo:hi])`` finds, read backwards from the end
    instead of tried at every position (``\w`` is ``isalnum`` or ``_``)."""
    e = hi
    while e > lo and t[e - 1].isspace():
        e -= 1
    s = e
    while s > lo and (t[s - 1].isalnum() or t[s - 1] == "_"):
        s -= 1
    return t[s:e]


_NEXT_SEP = re.compile(r"[،,\n.:؛]")
# the footer of an embedded tweet: '— name (@handle) January 24, 2020'
_TWEET_FOOTER = re.compile(r"\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}")


def _glued_frames(t: str, lex: Lexicon, frames: list[tuple[int, int]]) -> list[int]:
    """Frames that open a sentence with no punctuation before them: 'به
    گزارش X،' after a word that is not a connector or a preposition (a
    headline or a dateline whose line break was lost)."""
    out = []
    for fs, fe in frames:
        j = fs - 1
        while j >= 0 and t[j] == " ":
            j -= 1
        if j < 0 or not t[j].isalnum() or _NAQL.match(t, fs):
            continue
        prev = _prev_word(t, max(0, j - 40), j + 1)
        if prev in lex.stop_words or prev in _CONTINUES or prev in lex.excl_before:
            continue
        sep = _NEXT_SEP.search(t, fe, fe + 90)
        if sep is None or t[sep.start()] not in "،,":
            continue
        x = t[fe : sep.start()]
        if len(x.split()) > 8:
            continue
        if key(t[fs:fe]) not in lex.frame_open:
            xk = key(x)
            if not (xk in lex.known_outlets or xk.startswith(lex.media_heads)):
                continue
        out.append(fs)
    return out


def _headline_line(t: str, ss: int, se: int) -> bool:
    """Is the first sentence a short line of its own (a headline that kept its
    line break): nothing to cut in it."""
    return (se == len(t) or t[se] == "\n") and (ss == 0 or t[ss - 1] == "\n") and t.count(" ", ss, se) < 14


def _after_finite_verb(t: str, frames: list[tuple[int, int]]) -> list[int]:
    """Frames right after a finite verb with no punctuation between them
    ('... کمک می‌کند به گزارش فارس'): their sentence is looked at for cuts."""
    forms = verb_forms()
    out = []
    for fs, _ in frames:
        prev = _prev_word(t, max(0, fs - 40), fs)
        if prev and (prev in forms.third or prev in forms.personal):
            out.append(fs)
    return out


_END_MARKS = '.!?؟…:»"؛;'
_SHORT_LINE = 4


def _join_verb_lines(t: str, sents: list[tuple[int, int]], verb_starts: set[int]) -> list[tuple[int, int]]:
    """A line that opens with a reporting verb continues the line before it
    (a Persian sentence does not open with its verb): 'X، مدیرکل ...، به
    روزنامه آلمانی\nدی ولت\nگفت که ...' is one sentence, with the short lines
    between (a link or an emphasised name) when they end in no stop."""
    if not any(a in verb_starts for a, _ in sents[1:]):
        return sents
    out: list[tuple[int, int]] = []
    for a, b in sents:
        if a in verb_starts and out and "\n" in t[out[-1][1] : a]:
            k = len(out) - 1
            # short lines without a stop, up to the line that holds the subject
            while (
                k > 0
                and len(t[out[k][0] : out[k][1]].split()) <= _SHORT_LINE
                and t[out[k][1] - 1] not in _END_MARKS
            ):
                k -= 1
            if t[out[k][1] - 1] not in _END_MARKS:
                out[k:] = [(out[k][0], b)]
                continue
        out.append((a, b))
    return out


def _tweet_footers(t: str) -> list[int]:
    """Where the text resumes after an embedded tweet's footer."""
    if "(@" not in t:
        return []
    return [m.end() for m in _TWEET_FOOTER.finditer(t)]


def refine(doc: Doc, lex: Lexicon, verbs: list[tuple[int, int]], frames: list[tuple[int, int]]) -> None:
    """Add the shape-found cuts to ``doc.sentences`` (in place)."""
    t = doc.t
    sents = doc.sentences
    if not sents:
        return
    sents = doc.sentences = _join_verb_lines(t, sents, {a for a, _ in verbs})
    starts = [a for a, _ in sents]

    def index_of(positions) -> set[int]:
        out = set()
        for p in positions:
            k = bisect_right(starts, p) - 1
            if k >= 0 and p < sents[k][1]:
                out.add(k)
        return out

    # a bullet after white space opens a paragraph of its own
    bullets = [m.start() for m in _BULLET.finditer(t)] if _BULLET_KEY.search(t) else []
    labels: list[int] = []
    if ":" in t and any(k in t for k in _LABEL_KEYS):
        for m in _LABEL_LINE.finditer(t):
            labels.append(m.start())
            if m.group("value"):
                labels.append(m.end("value"))
    marks = sorted(bullets + labels + _glued_frames(t, lex, frames) + _tweet_footers(t))
    bullet_set = set(bullets)
    # the first sentence, label-shaped ones ('X: ...') and those holding a frame
    # (after the first sentence only a frame can open a sentence of its own)
    colons = [m.start() for m in _COLON.finditer(t)]
    shaped = {k for k in index_of(colons) if ":" in t[sents[k][0] : min(sents[k][1], sents[k][0] + 60)]}
    todo = sorted({0} | shaped | index_of(_after_finite_verb(t, frames)) | index_of(marks))
    br = None
    replaced: dict[int, list[tuple[int, int]]] = {}
    for n in todo:
        ss, se = sents[n]
        cuts: list[int] = []
        k = bisect_right(marks, ss)
        while k < len(marks) and marks[k] < se:
            b = marks[k]
            k += 1
            if b in bullet_set:
                j = b - 1
                while j > ss and t[j].isspace():
                    j -= 1
                # not the first line under a label ('X:\n🔹 ...'), not in a quotation
                if t[j] == ":" or doc.quote_at(b) is not None:
                    continue
            cuts.append(b)
        if se - ss >= 30 and not (n == 0 and n not in shaped and _headline_line(t, ss, se)):
            headline = n == 0 or n in shaped
            if br is None:
                br = Breaks(doc, lex, verbs, frames)
            cuts += br.cuts(ss, se, headline)
        cuts = sorted({c for c in cuts if ss < c < se})
        if not cuts:
            continue
        pieces = []
        s = ss
        for c in cuts:
            e = c
            while e > s and t[e - 1].isspace():
                e -= 1
            if e > s:
                pieces.append((s, e))
            s = c
        pieces.append((s, se))
        replaced[n] = pieces
    if replaced:
        out: list[tuple[int, int]] = []
        for n, sent in enumerate(sents):
            out.extend(replaced.get(n, (sent,)))
        doc.sentences = out
