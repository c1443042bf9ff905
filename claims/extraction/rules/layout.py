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

import os
import re

from ..lexicon import Lexicon
from ..text import Doc, match_form
from .common import _NAQL

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
# stems of modal and auxiliary verbs: what follows them is their own clause
_MODAL_STEMS = ("خواست", "خواه", "توانست", "توان")
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
# a form that hazm's word list holds as a word of its own ('خرید', 'نشست',
# 'دست') is not taken for a verb, except the light verbs
_NOUN_COUNT = 1_000
_LIGHT = frozenset(["کرد", "شد", "داد", "نمود", "گرفت", "بود", "زد", "یافت", "کردند", "شدند", "دادند"])
# a headline glued to the first sentence ends within this many words
_HEADLINE_WORDS = 30


def _hazm_data(name: str) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("hazm")
    if not spec or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "data", name)


def _verb_stems() -> list[tuple[str, str]]:
    path = _hazm_data("verbs.dat")
    out: list[tuple[str, str]] = []
    if path is None:
        return out
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                past, _, present = line.strip().partition("#")
                out.append((match_form(past), match_form(present)))
    except OSError:
        return []
    return out


def _common_nouns(forms: set[str]) -> set[str]:
    """The forms that hazm's word list counts as common words of their own
    ('نشست', 'نخست', 'دست'): not taken for verbs."""
    nouns: set[str] = set()
    path = _hazm_data("words.dat")
    try:
        with open(path or "", encoding="utf-8") as fh:
            for line in fh:
                w, _, rest = line.partition("\t")
                if w in forms:
                    count = rest.partition("\t")[0]
                    if count.isdigit() and int(count) >= _NOUN_COUNT and w not in _LIGHT:
                        nouns.add(w)
    except OSError:
        pass
    return nouns


class VerbForms:
    """Finite verb forms of hazm's verb list in the matching form (no ZWNJ):
    ``third`` (third person, every tense; what ends a headline), ``past``
    (third-person past and perfect: the reporter's narration) and
    ``personal`` (first and second person: a speaker's own words)."""

    def __init__(self) -> None:
        third: set[str] = {"است", "نیست", "هست", "اند", "باشد", "نباشد", "باشند", "نباشند"}
        past3: set[str] = set()
        personal: set[str] = {"هستم", "هستیم", "هستید", "هستی", "نیستم", "نیستیم", "نیستید", "ام", "ایم"}
        for past, present in _verb_stems():
            modal = past.startswith(_MODAL_STEMS) or present.startswith(_MODAL_STEMS)
            pres = [present, present + "ی"] if present.endswith(("ا", "و")) else [present]
            for neg in ("", "ن"):
                if past:
                    for p in (past, "می" + past):
                        past3.add(neg + p)
                        past3.add(neg + p + "ند")
                        for end in ("م", "یم", "ید", "ی"):
                            personal.add(neg + p + end)
                    past3.add(neg + past + "هاند")
                    past3.add(neg + past + "هاست")
                    for end in ("ام", "ایم", "اید", "ای"):
                        personal.add(neg + past + "ه" + end)
                for r in pres:
                    for p in ("می" + r, r):
                        third.add(neg + p + "د")
                        third.add(neg + p + "ند")
                        for end in ("م", "یم", "ید"):
                            personal.add(neg + p + end)
            if modal:
                past3 -= {past, past + "ند"}
        third |= past3
        forms = third | personal
        nouns = _common_nouns({f for f in forms if len(f) >= 2})
        self.third = frozenset(
            f for f in third if len(f) >= 2 and f not in nouns and not f.startswith(_MODAL_FORMS)
        )
        self.past = frozenset(f for f in past3 if len(f) >= 2 and f not in nouns)
        # 'میگوید' is third person singular before it is second person plural
        self.personal = frozenset(f for f in personal - third if len(f) >= 3 and f not in nouns)


_FORMS: VerbForms | None = None
_MODAL_FORMS = ("خواه", "میخواه", "نمیخواه", "میتوان", "نمیتوان", "توان", "نتوان")


def verb_forms() -> VerbForms:
    """The verb forms, built once per process."""
    global _FORMS
    if _FORMS is None:
        _FORMS = VerbForms()
    return _FORMS


def finite_forms() -> frozenset[str]:
    """Third-person finite forms (see ``VerbForms``)."""
    return verb_forms().third


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
        ws = [m.span() for m in _WORD.finditer(t, ss, se)]
        if len(ws) < 6:
            return []
        out: list[int] = []
        last = 0  # index of the first word of the current piece
        ke_open = False
        for i, (a, b) in enumerate(ws):
            word = t[a:b]
            if word == "که":
                ke_open = True
            gap = t[ws[i - 1][1] : a] if i else ""
            if i and any(c in gap for c in "،,:؛;"):
                ke_open = word == "که"
            if i - last < 3 or len(ws) - i < 3:
                continue
            if self.doc.quote_at(a) is not None:
                continue
            prev = t[ws[i - 1][0] : ws[i - 1][1]]
            plain_gap = gap.strip() == ""
            if not plain_gap:
                continue
            if not self._is_finite(prev) or a in self.verb_starts:
                continue
            if ws[i - 1][1] in self.verb_ends and not any(t[x:y] == "را" for x, y in ws[last : i - 1]):
                # a reporting verb takes what follows, unless its 'را' object came before it
                continue
            if any(t[x:y] in _TAKES_CLAUSE for x, y in ws[max(0, i - 4) : i - 1]):
                continue
            if a in self.frame_starts:
                # a frame glued to the clause before it ('به نقل از' relays inside a clause)
                if not _NAQL.match(t, a):
                    out.append(a)
                    last = i
                    ke_open = False
                continue
            if (
                first
                and not out
                and i <= _HEADLINE_WORDS
                and not ke_open
                and word not in _CONTINUES
                and not self._is_finite(word)
                and not word[0].isdigit()
            ):
                out.append(a)
                last = i
                ke_open = False
                continue
        return out


def refine(doc: Doc, lex: Lexicon, verbs: list[tuple[int, int]], frames: list[tuple[int, int]]) -> None:
    """Add the shape-found cuts to ``doc.sentences`` (in place)."""
    br = None
    out: list[tuple[int, int]] = []
    changed = False
    for n, (ss, se) in enumerate(doc.sentences):
        if se - ss < 30:
            out.append((ss, se))
            continue
        if br is None:
            br = Breaks(doc, lex, verbs, frames)
        cuts = br.cuts(ss, se, n == 0)
        if not cuts:
            out.append((ss, se))
            continue
        changed = True
        s = ss
        for c in cuts:
            e = c
            while e > s and doc.t[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e))
            s = c
        out.append((s, se))
    if changed:
        doc.sentences = out
