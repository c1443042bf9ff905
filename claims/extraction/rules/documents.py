"""Document statements and agent passives: ``در (این) بیانیه X آمده است``,
``در این اطلاعیه تاکید شده است``, ``از سوی X اعلام شد که ...``, ``این خبر
توسط X تکذیب شد`` and nominal denial headlines (``تکذیب X از سوی Y``).
"""

from __future__ import annotations

import re

from .common import _NW, Cand

# 'در (ادامه) این گزارش آمده است: ...', 'در بیانیه وزارت خارجه آمده است که ...',
# 'در این اطلاعیه تاکید شده است که ...'
_DOC_HEADS = (
    "گزارش|بیانیه|اطلاعیه|نامه|پیام|یادداشت|توییت|توئیت|پست|ابلاغیه|اعلامیه|"
    "گزارشی|بیانیهای|اطلاعیهای|نامهای|پیامی|یادداشتی|توییتی|توئیتی|پستی|اعلامیهای"
)
_AMADE = re.compile(
    r"(?<![\w])(?:در |(?=درین ))(?:(?:ادامه|ادامه ی|بخشی از|بخش دیگری از|قسمتی از|متن) )?"
    r"(?P<x>(?:(?P<det>این|آن|درین) )?(?P<h>" + _DOC_HEADS + r")(?P<rest>(?: " + _NW + r"){0,6}?))"
    # 'در بیانیه‌ای که پس از نشست در سایت اوپک منتشر شد، آمده بود', 'در بیانیه
    # وزارت خارجه، که دیروز منتشر شد، آمده است', 'در گزارشی که X منتشر کرد آمده است'
    r"(?P<rel>[،,]? که [^\n.!?؟«»:؛،,]{3,140}?[،,]?)?"
    # 'در این بیانیه بر حمایت از ... تاکید شده است'
    r"(?: بر (?P<bar>[^\n.!?؟:؛]{3,200}?)[،,]?(?= تاکید))? "
    r"(?P<v>(?:آمده|(?:اعلام|تاکید|تصریح|ذکر|گفته|ادعا) ?شده?)(?: ?است| ?بود)?)(?![\w])"
)
# the issuer in a document's relative clause: 'گزارشی که X منتشر کرد'
_ISSUED = re.compile(r"(?:منتشر|صادر) ?(?:کرد|کردند|کرده|کرده است|کرده اند|نمود|نمودند)$")
_AGENT_KEY = re.compile(r"(?:سوی|طرف|جانب|توسط) ")
# a nominal headline on a line of its own: 'تکذیب X از سوی Y' ('تایید' is often an approval)
_NOMINAL_HEADLINE = re.compile(
    r"(?m)^[ \t]*(?P<cue>تکذیب) (?P<c>[^\n:«»]{3,120}?) (?:به نقل از|بنقل از|از سوی|از طرف|توسط) "
    r"(?P<x>[^\n،,.:؛!?؟«»]{2,60}?)[ \t.]*$"
)
_AMADE_KEYS = (
    "آمده",
    *(p + sp + "شد" for p in ("اعلام", "تاکید", "تصریح", "ذکر", "گفته", "ادعا") for sp in ("", " ")),
)
# indefinite document heads ('گزارشی', 'بیانیه‌ای'): with no issuer they name no one
_INDEFINITE = re.compile(r"(?:ی|ای)$")
# a passive with its agent: 'از سوی وزارت بهداشت اعلام شد که ...'
_AGENT_PASSIVE = re.compile(
    r"(?<![\w])(?P<by>از سوی|از طرف|از جانب|توسط) (?P<x>" + _NW + r"(?: " + _NW + r"){0,7}?) "
    r"(?P<v>(?:اعلام|تایید|تکذیب|گزارش|اظهار|تاکید) ?(?:شد|شده|گردید|گردیده|می ?شود|می ?گردد)"
    r"(?: ?است| ?بود)?)(?![\w])"
)


class DocumentsMixin:
    """Statements of documents and passives with an agent."""

    def passive_cues(self, ss: int, se: int) -> list[Cand]:
        """'در این گزارش آمده است ...', 'در بیانیه X آمده است ...' and passives
        with an agent, 'از سوی X اعلام شد که ...'."""
        t = self.t
        lex = self.lex
        out: list[Cand] = []
        for m in self.in_sentence(self.amade, ss, se):
            rest = self.words(m.start("rest"), m.end("rest")) if m.group("rest") else []
            rest_words = [t[a:b] for a, b in rest]
            src = None
            while rest and rest_words[0] in lex.doc_modifiers:
                rest, rest_words = rest[1:], rest_words[1:]
            if rest and "که" not in rest_words and rest_words[0] not in lex.stop_words:
                # the issuer, up to a preposition or time word: 'بیانیه سپاه در روز ...'
                keep = []
                for w, word in zip(rest, rest_words, strict=True):
                    if word in lex.stop_words:
                        break
                    keep.append(w)
                cand = (keep[0][0], keep[-1][1])
                if self.valid_source(cand):
                    src = cand
            if src is None and m.group("det"):
                src = (m.start("det"), m.end("h"))
            if src is None and m.group("rel"):
                rel = self.strip_span(m.start("rel"), m.end("rel"))
                issuer = None
                iss = _ISSUED.search(t, rel[0], rel[1])
                if iss is not None:
                    # 'در گزارشی که دیده‌بان حقوق بشر منتشر کرد، آمده است': the issuer
                    issuer = self.find_subject(self.skip_ke(rel[0], iss.start()), iss.start())
                if issuer is not None and self.valid_source(issuer):
                    src = issuer
                else:
                    # the document with its relative clause: 'بیانیه‌ای که ... منتشر شد'
                    src = self.strip_span(m.start("h"), m.end("rel"))
            if src is None and not m.group("rest") and not _INDEFINITE.search(m.group("h")):
                src = (m.start("h"), m.end("h"))  # 'در گزارش آمده': the report in hand
            if src is None:
                continue
            if m.group("bar"):
                c0, c1 = self.strip_span(m.start("bar"), m.end("bar"))
                got = ((c0, c1), self.kind_of(c0, c1)) if self.n_words(c0, c1) >= 2 else None
            else:
                got = self.after_cue(m.end(), se)
            if got is None:
                continue
            (c0, c1), kind = got
            rule = "frame" if src[0] in (m.start("det"), m.start("h")) and src[1] == m.end("h") else "amade"
            out.append(Cand(src, (m.start(), m.end()), (c0, c1), kind, None, rule, False, 0.7))
        for m in self.in_sentence(self.agent, ss, se):
            ws = self.words(m.start("x"), m.end("x"))
            if (
                not ws
                or t[ws[0][0] : ws[0][1]] in lex.stop_words
                or t[ws[0][0] : ws[0][1]] in lex.doc_modifiers
            ):
                continue
            src = (m.start("x"), m.end("x"))
            if not self.valid_source(src):
                continue
            got = self.after_cue(m.end(), se)
            if got is None and t[m.start("v") : m.end("v")].startswith("تکذیب"):
                # 'این ادعا از سوی X تکذیب شد': the subject is what was denied
                j = m.start()
                while j > ss and not (t[j - 1] in "،,:؛;\n" and self.top_level(j - 1)):
                    if t.startswith(" که ", j - 4):
                        break  # '... که چنین اظهاری از سوی X تکذیب می‌شود'
                    j -= 1
                c0, c1 = self.strip_span(self.strip_connectors(j, m.start()), m.start())
                if self.n_words(c0, c1) >= 2:
                    got = (c0, c1), self.kind_of(c0, c1)
            if got is None:
                continue
            (c0, c1), kind = got
            out.append(Cand(src, (m.start(), m.end()), (c0, c1), kind, None, "agent", False, 0.7))
        return out

    def nominal_headlines(self) -> list[Cand]:
        """A nominal denial headline on its own line: 'تکذیب X از سوی Y'."""
        t = self.t
        out: list[Cand] = []
        if "تکذیب" in t:
            ms = list(_NOMINAL_HEADLINE.finditer(t))
            if not ms and self.doc.sentences:
                # the headline as the first sentence when the line breaks are gone
                m = _NOMINAL_HEADLINE.fullmatch(t, *self.doc.sentences[0])
                ms = [m] if m else []
            for m in ms:
                x = self.strip_span(m.start("x"), m.end("x"))
                c = self.strip_span(m.start("c"), m.end("c"))
                if 1 <= self.n_words(*x, 7) <= 6 and self.valid_source(x) and self.n_words(*c) >= 2:
                    out.append(Cand(x, m.span("cue"), c, self.kind_of(*c), None, "nominal", False, 0.6))
        return out


def rare_cues(t: str) -> tuple[list[re.Match], list[re.Match]]:
    """Matches of the document-statement and agent-passive patterns, found
    from their key words ('آمده', 'سوی', 'توسط' ...) so that the whole text is
    scanned only by fast literal searches."""
    amade: list[re.Match] = []
    keys: list[int] = []
    for key in _AMADE_KEYS:
        i = t.find(key)
        while i >= 0:
            keys.append(i)
            i = t.find(key, i + len(key))
    for i in sorted(keys):
        for m in _AMADE.finditer(t, max(0, i - 160), min(len(t), i + 20)):
            if m.start("v") == i and (not amade or amade[-1].start() != m.start()):
                amade.append(m)
    agent: list[re.Match] = []
    for k in _AGENT_KEY.finditer(t):
        m = _AGENT_PASSIVE.match(t, k.start() - 3) or _AGENT_PASSIVE.match(t, k.start())
        if m is not None and (not agent or agent[-1].start() != m.start()):
            agent.append(m)
    return amade, agent
