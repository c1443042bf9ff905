"""Nominal cues: a statement named by a noun, ``اعلام/ادعای/سخنان X مبنی بر
(اینکه) Y``, ``X خبری منتشر کرد مبنی بر اینکه Y``, the headline ``تاکید X بر
Y`` and the split compound ``X خبر از Y داد``.
"""

from __future__ import annotations

import re

from .common import _RA, Cand

# 'اعلام X مبنی بر Y' / 'ادعای X مبنی بر Y' / 'سخنان X مبنی بر اینکه Y' with X a
# short name; 'اعلام X درباره Y' (what was announced); 'تاکید X بر Y' in a
# headline. ('ادعای X درباره Y' names a topic, not the claim.)
_NOMINAL = re.compile(
    r"(?<![\w])(?P<cue>اعلام|ادعای|ادعاهای|اظهارات|سخنان|گفته ?های|تاکید) "
    r"(?P<x>«[^»\n]{2,40}»|[^\s،,:؛«»]+(?: [^\s،,:؛«»]+){0,2}?) "
    r"(?P<p>مبنی ?بر|درباره|بر)(?![\w])"
)
# 'X خبری / بیانیه‌ای / اطلاعیه‌ای منتشر کرد مبنی بر اینکه Y'
_PUBLISHED = re.compile(
    r"(?<![\w])(?P<cue>(?:خبری|بیانیه ?ای|اطلاعیه ?ای|گزارشی|نامه ?ای|پیامی|مطلبی) "
    r"(?:را )?(?:منتشر|صادر) ?(?:کرد|کردند|کرده|کرده اند|کرده است|نمود|نمودند))"
    r" (?P<p>مبنی ?بر)(?![\w])"
)
_STOP = re.compile(r"[.!?؟](?=\s)|\n")
_NOMINAL_KEYS = ("اعلام", "ادعا", "اظهارات", "سخنان", "گفته", "تاکید")
_PUBLISHED_KEYS = ("خبری", "بیانیه", "اطلاعیه", "گزارشی", "نامه", "پیامی", "مطلبی")
# a leading 'اینکه' of the content is not part of it
_THAT = re.compile(r"(?:این ?که|آن ?که)(?![\w])[\s؛;:،,]*")
# 'تاکید X بر Y' (a headline: 'تاکید حزب‌الله بر ضرورت مقابله ...'); not an
# adverb of emphasis ('تاکید دوباره بر')
_EMPHASIS = frozenset(
    ["دوباره", "مجدد", "ویژه", "فراوان", "زیاد", "زیادی", "جدی", "همیشگی", "مکرر", "خاص", "بسیار"]
)
# possessive clitics written apart ('تأکید شان بر ...'): not a source
_CLITICS = frozenset(["شان", "اش", "ش", "مان", "تان", "ایشان"])
# the split compound 'X خبر از Y داد' (= 'X از Y خبر داد')
_KHABAR_AZ = re.compile(
    r"(?<![\w])(?P<cue>خبر) از (?P<c>[^\n.،,:؛!?؟]{3,160}?) "
    r"(?P<v>(?:داد|دادند|داده|میدهد|میدهند|می دهد|می دهند)(?: ?است| ?اند| ?بود| ?بودند)?)(?![\w])"
)


def _at_keys(t: str, keys: tuple[str, ...], pat: re.Pattern) -> list[int]:
    """Starts of ``pat`` found from its key words with ``str.find`` (faster
    than a regex scan of the whole text for a rare pattern)."""
    out = []
    for key in keys:
        i = t.find(key)
        while i >= 0:
            if (i == 0 or not t[i - 1].isalnum()) and pat.match(t, i):
                out.append(i)
            i = t.find(key, i + len(key))
    return out


def nominal_starts(t: str) -> list[int]:
    """Where nominal cues start in the matching view (found once per document)."""
    out = _at_keys(t, _NOMINAL_KEYS, _NOMINAL)
    if "مبنی" in t:
        out += _at_keys(t, _PUBLISHED_KEYS, _PUBLISHED)
    i = t.find("خبر از")
    while i >= 0:
        if _KHABAR_AZ.match(t, i):
            out.append(i)
        i = t.find("خبر از", i + 6)
    return out


class NominalMixin:
    """Statements named by a noun."""

    def mabni_content(self, i: int, se: int) -> tuple[int, int] | None:
        """The clause after 'مبنی بر' (without a leading 'اینکه'), up to its end."""
        t = self.t
        cs = self.skip_space(i, se)
        m = _THAT.match(t, cs, se)
        if m:
            cs = self.skip_space(m.end(), se)
        c = self.next_sep(cs, se)
        ce = c if c >= 0 else se
        stop = _STOP.search(t, cs, ce)
        if stop is not None:
            ce = stop.start()
        # '... مبنی بر Y را تکذیب کرد': a noun phrase in an object ends at 'را'
        # (a clause, 'مبنی بر اینکه ...', has objects of its own)
        ra = _RA.search(t, cs, ce) if m is None else None
        if ra is not None:
            ce = ra.start()
        c0, c1 = self.strip_span(cs, ce)
        return (c0, c1) if self.n_words(c0, c1) >= 2 else None

    def nominal_cues(self, ss: int, se: int) -> list[Cand]:
        """'پس از اعلام «دونالد ترامپ» مبنی بر Y، ...', 'ادعای X مبنی بر Y را
        تکذیب کرد' (X's claim, inside the object of a denial), 'X خبری منتشر
        کرد مبنی بر اینکه Y'."""
        t = self.t
        lex = self.lex
        out: list[Cand] = []
        for m in _NOMINAL.finditer(t, ss, se):
            if m.group("p") == "بر" and (m.group("cue") != "تاکید" or not self.top_level(m.start())):
                continue
            if m.group("p") == "درباره" and m.group("cue") != "اعلام":
                continue
            x = self.strip_span(m.start("x"), m.end("x"))
            xs = self.words(*x)
            if not xs or t[xs[0][0] : xs[0][1]] in lex.stop_words or not self.valid_source(x):
                continue
            if t[xs[0][0] : xs[0][1]] in _CLITICS:
                continue
            if m.group("p") == "بر" and any(t[a:b] in _EMPHASIS for a, b in xs):
                continue
            if not (self.speakerish(x, 0, 0) or t[x[0]] == "«" or len(xs) <= 3):
                continue
            c = self.mabni_content(m.end(), se)
            if c is not None:
                out.append(Cand(x, m.span("cue"), c, self.kind_of(*c), None, "nominal", False, 0.6))
        if "منتشر" in t[ss:se] or "صادر" in t[ss:se]:
            for m in _PUBLISHED.finditer(t, ss, se):
                q = self.doc.quote_at(m.start())
                lo = ss if q is None else self.doc.sentence_start_in_quote(q, m.start())
                subj = self.find_subject(lo, m.start())
                if subj is None or not self.valid_source(subj) or subj[1] > m.start():
                    continue
                c = self.mabni_content(m.end(), se)
                if c is not None:
                    out.append(Cand(subj, m.span("cue"), c, self.kind_of(*c), None, "nominal", False, 0.65))
        return out

    def khabar_az(self, ss: int, se: int) -> list[Cand]:
        """The split compound 'X خبر از Y داد'."""
        t = self.t
        out: list[Cand] = []
        if "خبر از" in t[ss:se]:
            for m in _KHABAR_AZ.finditer(t, ss, se):
                subj = self.find_subject(ss, m.start())
                if subj is None or not self.valid_source(subj) or subj[1] > m.start():
                    continue
                if self.words(subj[1], m.start()) and not self.speakerish(subj, 0, 0):
                    continue
                c0, c1 = self.strip_span(m.start("c"), m.end("c"))
                if 2 <= self.n_words(c0, c1, 21) <= 20 and not _RA.search(t, c0, c1):
                    kd = self.kind_of(c0, c1)
                    out.append(Cand(subj, m.span("cue"), (c0, c1), kd, None, "az", False, 0.7))
        return out
