"""Reporting verbs and their content: the clause each verb heads, content after
the verb (``که`` clause, quotation, colon speech, bare clause) or before it
(``X را تکذیب کرد``, ``X را Y خواند``, ``از X خبر داد``, ``بر X تاکید کرد``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .common import (
    _BOUNDARY_WORDS,
    _CONF,
    _NAQL,
    _QMARK,
    _SUBORDINATE,
    _VERBLIKE,
    _WORD,
    Cand,
    _k,
)

_PREPOSITIONS = frozenset(["با", "به", "از", "در", "بر", "برای"])
# the words that can end the clause before a verb ('و' only after a verb)
_BOUNDARY_RE = re.compile(
    r"(?<![^\s،,:؛;«»\"()\[\].!?؟…/|])(?:"
    + "|".join(["و", *sorted(_BOUNDARY_WORDS)])
    + r")(?![^\s،,:؛;«»\"()\[\].!?؟…/|])"
)
# the two words right before a verb (the second touching it)
_LAST_TWO = re.compile(r"(?:([^\s،,:؛;«»\"()\[\].!?؟…/|]+)\s+)?([^\s،,:؛;«»\"()\[\].!?؟…/|]+) ?$")
_NOT_IN_WORD = frozenset('،,:؛;«»"()[].!?؟…/|')


def _in_word(c: str) -> bool:
    return not c.isspace() and c not in _NOT_IN_WORD


def last_two(t: str, lo: int, hi: int) -> tuple[str | None, str] | None:
    """``_LAST_TWO.search(t, lo, hi)`` as (group 1, group 2), read backwards from
    ``hi``: the search tries every start in the window, each running on to its end.
    The last word ends at ``hi``, or before one space, or before a final line break
    (with or without a space before it); the word before it is the one the white
    space before the last word follows, each cut at ``lo``."""
    if hi - lo < 1:
        return None
    c = t[hi - 1]
    if _in_word(c):
        q = hi
    elif c in " \n" and hi - 2 >= lo and _in_word(t[hi - 2]):
        q = hi - 1
    elif c == "\n" and hi - 3 >= lo and t[hi - 2] == " " and _in_word(t[hi - 3]):
        q = hi - 2
    else:
        return None
    b = q - 1
    while b > lo and _in_word(t[b - 1]):
        b -= 1
    if b > lo and t[b - 1].isspace():
        w = b - 1
        while w > lo and t[w - 1].isspace():
            w -= 1
        if w > lo and _in_word(t[w - 1]):
            a = w - 1
            while a > lo and _in_word(t[a - 1]):
                a -= 1
            return t[a:w], t[b:q]
    return None, t[b:q]


_WHILE = re.compile(r"(?<![\w])در ?حالی(?![\w])")
_DEMONSTRATIVE = re.compile(r"(?:این|آن|همین|همان)(?![\w])")
# 'به X گفت': the addressee right before the verb
_TO_OUTLET = re.compile(r"(?<![\w])به ((?:[^\s،,:]+ ?){1,4})$")
# conjunctions that open a clause of their own after a verb, not its content
_NOT_CONTENT = frozenset(["درحالیکه", "اما", "ولی", "زیرا", "هرچند", "اگرچه", "گرچه", "بنابراین"])
_NOT_CONTENT_JOINED = ("درحالیکه", "درحالی که", "حالآنکه", "چراکه")
# 'همان‌طور که X گفت، Y' / 'چنان‌که X اشاره کرد Y': Y is X's
_AS = ("همانطور", "همانگونه", "چنان", "آنطور", "آنگونه", "همانجور", "آنچنان")


class VerbsMixin:
    """Verb clauses, their subjects' relays and their content."""

    def verb_clauses(self, ss: int, se: int, verbs, frames, fr: list[dict], em: list[dict]) -> list[dict]:
        """Each reporting verb's clause: where it starts (after a frame, a
        quotation, the previous verb or a clause boundary) and its subject,
        found, inherited from a coordinated verb, or none (then dropped)."""
        t = self.t
        lex = self.lex

        def in_embedded(p: int) -> bool:
            return any(d["cue"][0] <= p < d["ce"] for d in em)

        # 3. verbs: the clause each heads, and its subject
        vinfo: list[dict] = []
        vends = {b for _, b in verbs}
        amade = self.in_sentence(self.amade, ss, se)
        for vs, ve in verbs:
            if any(a <= vs < b for a, b in frames) or any(d["cue"][0] <= vs < d["cue"][1] for d in em):
                continue
            emb_in = [d for d in em if d["cs"] <= vs < d["ce"]]
            info = lex.verb_info.get(_k(t, vs, ve))
            if info is None:
                continue
            if lex.excl_after_re.match(t, ve, min(se, ve + 12)):
                continue
            pm = last_two(t, max(ss, vs - 30), vs)
            if (
                pm is not None
                and pm[1] in lex.excl_before
                # 'با آن اعلام کرد': a demonstrative after a preposition is its object
                and pm[0] not in _PREPOSITIONS
            ):
                continue
            # the clause starts after a governing frame...
            L0 = ss
            for f in fr:
                if f["cue"][0] < vs and f["cs"] <= vs:
                    L0 = max(L0, f["cs"])
            q = self.doc.quote_at(vs)
            if q is not None:
                # nested speech: the clause starts in the quotation's sentence
                L0 = max(L0, self.doc.sentence_start_in_quote(q, vs))
            if emb_in:
                L0 = max(L0, emb_in[0]["cs"])
            # ...or after a document statement ('در این اطلاعیه آمده است X ... خبر داد')
            for m in amade:
                if m.end() <= vs:
                    L0 = max(L0, m.end())
            # ...or after the previous verb in this sentence
            prev_end = max([v["cue"][1] for v in vinfo if v["cue"][1] <= vs] or [L0])
            L = max(L0, prev_end)
            # the last clause boundary: 'و' after a verb, 'اما', 'ولی', 'که', ':' or '؛'
            bnd = None
            after_verb = -1
            for w in reversed([m.span() for m in _BOUNDARY_RE.finditer(t, L, vs)]):
                word = t[w[0] : w[1]]
                if self.doc.quote_at(w[0]) != q or in_embedded(w[0]):
                    continue
                if word == "و":
                    pw2 = self.words(max(ss, w[0] - 30), w[0])
                    # after a verb, or after a reporting verb's bare participle
                    # ('گفته و افزوده است که ...', 'دانسته و ... اعلام کرده است')
                    if pw2 and (_VERBLIKE.search(t[pw2[-1][0] : pw2[-1][1]]) or pw2[-1][1] in vends):
                        bnd = w
                        after_verb = pw2[-1][1]
                        break
                elif word in _BOUNDARY_WORDS:
                    bnd = w
                    break
            R = L if bnd is None else bnd[1]
            if bnd is not None and t[bnd[0] : bnd[1]] in _SUBORDINATE:
                # 'X که ...، گفت': a subordinate clause closed by a comma after its verb
                p = R
                while True:
                    c = self.next_sep(p, vs)
                    if c < 0:
                        break
                    pw3 = self.words(max(R, c - 30), c)
                    if pw3 and _VERBLIKE.search(t[pw3[-1][0] : pw3[-1][1]]):
                        R = c + 1
                        break
                    p = c + 1
            j = self.last_sep(R, vs, ":؛;", q)
            if j >= 0:
                R = j + 1
            # a finite verb ends a clause even with no stop after it (a
            # subheading or a headline whose line break was lost)
            R2 = self.after_finite(R, vs)
            # (a clause that opens with a verb, 'شنیدیم X ... اعلام کرده است',
            # is nested in the content before it, not cut from it)
            restart = R2 if R2 > R and self.n_words(R, R2) > 1 else None
            R = R2
            emb_here = [d for d in em if R <= d["cue"][0] < vs]
            subj_end = emb_here[0]["cue"][0] if emb_here else vs
            subj, fronted = self.subject_or_fronted(R, subj_end)
            if bnd is not None and t[bnd[0] : bnd[1]] == "که" and bnd[1] < R:
                # 'X که ... کرده بود، [در پاسخ به ...،] گفت': X is the subject
                # unless the main clause names its own at its start
                r0 = self.strip_connectors(self.skip_space(R, subj_end), subj_end)
                if subj is None or subj[0] > r0:
                    head, h_fronted = self.subject_or_fronted(L, bnd[0])
                    if head is not None and head[1] <= bnd[0] and self.names_speaker(head):
                        subj, fronted = head, h_fronted
            elif bnd is not None and t[bnd[0] : bnd[1]] == "که" and self.closed_by_verb(bnd[1], subj_end):
                # 'X که ... به سر می‌برد گفت': a relative clause closed by its own
                # verb stands between the subject and the cue
                head = self.find_subject(self.skip_ke(L, bnd[0]), bnd[0])
                if (
                    head is not None
                    and head[1] <= bnd[0]
                    and (subj is None or self.names_speaker(head))
                    and self.valid_source(head)
                ):
                    subj = head
            inherited = False
            if subj is not None and not self.valid_source(subj):
                if not self.ends_in_verb(subj):
                    continue  # 'تحقیقات تأیید کرد': not a speaker
                # '... که نخواست نامش فاش شود به سی‌ان‌ان گفت': a clause, not a subject
                subj = None
            if subj is None and emb_in:
                continue
            if subj is None:
                inherited = True
                stop = bnd[0] if bnd is not None else subj_end
                nested = self.find_subject(L, stop) if stop > L else None
                after_prev = self.skip_space(L, vs) if vinfo and L > L0 else L
                if nested is not None and after_prev < vs and t[after_prev] == ":":
                    # 'X گفت: A و افزود: B': colon speech, B is X's too
                    nested = None
                if nested is not None and vinfo and L > L0 and not self.speakerish(nested, vs, ve):
                    # 'X گفت A و افزود B': B is X's, unless A opens with a speaker
                    nested = None
                if nested is not None and t.count("«", *nested) > t.count("»", *nested):
                    # 'X مدعی شد ایران «...» و تاکید کرد': a quotation opens inside
                    # the phrase, so it is the previous content, not a subject
                    nested = None
                subj = nested
                if subj is None and vinfo and R > L0:
                    if bnd is None or t[bnd[0] : bnd[1]] in _SUBORDINATE:
                        # a verb inside the previous verb's content with no new
                        # clause of its own repeats that statement
                        continue
                    if after_verb in vends and all(v["cue"][1] != after_verb for v in vinfo):
                        # coordinated with a verb that has no speaker of its own
                        # (inside the previous content: '... که آن را X خوانده و
                        # ادعا کرده'): not a new statement of the last speaker
                        continue
                    subj = vinfo[-1]["src"]
                if subj is None and L0 < L:
                    subj = self.find_subject(L0, stop)
            if subj is None or not self.valid_source(subj) or subj[1] > vs:
                continue
            vinfo.append(
                {
                    "cue": (vs, ve),
                    "info": info,
                    "L0": L0,
                    "L": L,
                    "R": R,
                    "bnd": bnd,
                    "src": subj,
                    "inherited": inherited,
                    "emb": emb_here,
                    # speech nested in a quotation ends with it
                    "limit": emb_in[0]["ce"] if emb_in else (min(se, q[1]) if q is not None else se),
                    "src_start": subj[0],
                    "restart": restart,
                    "fronted": fronted,
                }
            )
        return vinfo

    def cuts_for(self, vinfo: list[dict], cs: int, is_frame: bool) -> list[int]:
        """Where a content starting at ``cs`` stops: before the 'و'/'اما' of
        a later clause whose speaker is not inside this content (for a
        frame, before any later speech clause)."""
        t = self.t
        for v in vinfo:
            r = v["restart"]
            if r is not None and r > cs and not v["inherited"]:
                # a clause that starts after a finite verb with no stop before it
                return [r]
            b = v["bnd"]
            if b is None or b[0] <= cs or t[b[0] : b[1]] in _SUBORDINATE:
                continue
            if is_frame or not (cs <= v["src"][0] < b[0]):
                return [b[0]]
        return []

    def verb_cands(
        self, ss: int, se: int, vinfo: list[dict], fr: list[dict], cuts_for, out: list[Cand]
    ) -> set[int]:
        """A candidate per verb clause with content (and the embedded cues that
        share its subject), appended to ``out``; returns the frames whose
        content a verb clause took."""
        t = self.t
        lex = self.lex
        emitted_for_frame: set[int] = set()
        for v in vinfo:
            vs, ve = v["cue"]
            subj = v["src"]
            inherited = v["inherited"]
            via = None
            src = subj
            after_subj = R = v["R"]
            if not inherited or v["L"] <= src[0] < vs:
                after_subj = src[1]
            # 'X به نقل از Y CUE'
            look = src[1] if src[1] < vs else R
            m = _NAQL.search(t, look, vs) if t.find("نقل", look, vs) >= 0 else None
            if m:
                ys = m.end()
                y = self.find_subject(ys, vs, allow_skip=False)
                if y is not None and self.valid_source(y):
                    via, src = subj, y
                    after_subj = y[1]
            # 'به X گفت' where X is an outlet
            if via is None:
                lo = max(after_subj, vs - 60)
                mm = _TO_OUTLET.search(t[lo:vs]) if t.find("به ", lo, vs) >= 0 else None
                if mm:
                    x = self.strip_span(lo + mm.start(1), vs)
                    xk = _k(t, *x)
                    if (
                        xk in lex.known_outlets
                        or xk.startswith(lex.media_heads)
                        or lex.anaphors.get(xk) == "outlet"
                    ):
                        via = x
            content = self.content_for(v, after_subj, ss, v["limit"], cuts_for)
            if content is None:
                continue
            (cs, ce), kind, rule = content
            if cs >= ce or self.n_words(cs, ce) < 2:
                continue
            if rule == "bare" and any(
                w is not v
                and not w["inherited"]
                and w["src"][0] == cs
                and self.opens_content(w["cue"][1], se)
                for w in vinfo
            ):
                # 'ناسا ... پاسخ می‌دهد سازمان فضایی آمریکا اعلام کرد که ...': what
                # follows is a statement of its own, not this verb's content
                continue
            # a frame that governs this clause becomes its 'via'
            for i, f in enumerate(fr):
                if f["cue"][0] < vs and f["cs"] <= src[0]:
                    if via is None:
                        via = f["src"]
                    at_start = self.strip_connectors(self.skip_space(f["cs"], se), se) >= subj[0]
                    coordinated = v["bnd"] is not None and t[v["bnd"][0] : v["bnd"][1]] not in _SUBORDINATE
                    if at_start and not coordinated:
                        emitted_for_frame.add(i)
            conf = _CONF.get(rule, 0.7) - (0.05 if inherited else 0.0)
            out.append(Cand(src, (vs, ve), (cs, ce), kind, via, rule, inherited, conf))
            # embedded cues that share this subject
            for d in v["emb"]:
                c0, c1 = self.strip_span(d["cs"], d["ce"])
                if self.n_words(c0, c1) >= 2:
                    kd = self.kind_of(c0, c1)
                    out.append(Cand(src, d["cue"], (c0, c1), kd, via, "embedded", inherited, 0.8))
                d["done"] = True
        return emitted_for_frame

    def while_clause(self, s: int, vs: int) -> bool:
        """Does 'در حالی' stand before the verb, so that its 'که' opens the
        correlative 'while' clause ('X در حالی ... گفت که ...')?"""
        m = _WHILE.search(self.t, s, vs)
        return m is not None and self.top_level(m.start())

    def skip_while(self, s: int, e: int) -> int:
        """After a leading 'در حالی' (the correlative's first half)."""
        m = _WHILE.match(self.t, self.skip_space(s, e), e)
        return self.skip_space(m.end(), e) if m else s

    def as_said(self, v: dict) -> bool:
        """Is the verb's clause 'همان‌طور که X گفت' ('as X said')?"""
        b = v["bnd"]
        if b is None or self.t[b[0] : b[1]] != "که":
            return False
        return _k(self.t, max(0, b[0] - 12), b[0]).endswith(_AS)

    def opens_content(self, i: int, se: int) -> bool:
        """Does a 'که' clause, a colon or a quotation follow position ``i``?"""
        t = self.t
        i = self.skip_space(i, se)
        return t.startswith(("که ", ":", "«"), i)

    def content_for(self, v: dict, after_subj: int, ss: int, se: int, cuts_for):
        t = self.t
        vs, ve = v["cue"]
        info = v["info"]
        frames_ = info.frames
        # content after the verb
        i = self.skip_space(ve, se)
        colon = False
        while i < se and t[i] in "،,:":
            colon = colon or t[i] == ":"
            i = self.skip_space(i + 1, se)
        if t.startswith("که", i) and (i + 2 >= se or not t[i + 2].isalnum()):
            i = self.skip_space(i + 2, se)
            ke = True
        else:
            ke = False
        after_ok = "after" in frames_
        cuts = cuts_for(i, False)
        if after_ok and i < se:
            q = self.doc.quote_from(i)
            if q is not None and q[1] < se + 1:
                rest_s = q[1] + 1
                ce = self.clause_end(rest_s, se, cuts, semicolon=False)
                # the paragraph ends the clause after a quotation
                rest = t[rest_s:ce].split("\n", 1)[0].strip(' .!؟?»"،,')
                if not rest:
                    return (q[0] + 1, q[1]), "direct", "quote"
                end = self.clause_end(i, se, cuts)
                c0, c1 = self.strip_span(i, end)
                return (c0, c1), "mixed", "quote"
            as_said = self.as_said(v)
            if as_said:
                # 'همان‌طور که X اشاره کرد، Y': Y is X's
                end = self.clause_end(i, se, cuts)
                c0, c1 = self.strip_span(i, end)
                return (c0, c1), self.kind_of(c0, c1), "bare"
            if info.quote_only and not colon:
                return None
            if info.future and not colon:
                return None
            first = _WORD.match(t, i)
            first_w = first.group() if first else ""
            b = v["bnd"]
            comma_after = t[ve:i].strip(" ") in ("،", ",")
            if b is not None and t[b[0] : b[1]] in _SUBORDINATE and t[b[0] : b[1]] != "که" and comma_after:
                # 'پس از آنکه او ... اعلام کرد، فوتبالیست ...': the comma closes the
                # subordinate clause and the main clause follows
                first_w = ""
            if (first_w in _NOT_CONTENT or _k(t, i, min(se, i + 12)).startswith(_NOT_CONTENT_JOINED)) and any(
                t[a:b] == "را" for a, b in self.words(after_subj, vs)
            ):
                first_w = ""  # 'X را اعلام کرد درحالی‌که ...': a clause of the writer's
            if ke and not colon and self.while_clause(after_subj, vs):
                # 'X در حالی این را گفت که ...': the 'که' clause is the writer's
                ke = False
                first_w = ""
            if colon or ke or (first_w and first_w not in ("و", "از")):
                end = self.clause_end(i, se, cuts, semicolon=not colon)
                if colon and not ke and end == se:
                    end = self.colon_run(se)
                c0, c1 = self.strip_span(i, end)
                if c1 > c0:
                    if colon and not ke:
                        kind = "mixed" if _QMARK.search(t, c0, c1) else "direct"
                        return (c0, c1), kind, "colon"
                    return (c0, c1), self.kind_of(c0, c1), "ke" if ke else "bare"
        if info.future:
            return None
        # a quotation that opens the sentence, then its speaker:
        # '«...»، وزیر خارجه در توییتی نوشت.'
        if "after" in frames_ and not t[i:se].strip(' .!؟?»"،,'):
            q0 = self.strip_connectors(self.skip_space(ss, vs), vs)
            q = self.doc.quote_starting(q0) if q0 < vs else None
            if q is not None and q[1] < vs and not self.words(q[1] + 1, v["src_start"]):
                return (q[0] + 1, q[1]), "direct", "quote"
            # '«... است.» سخنگوی ارتش گفت.': the quotation closed the sentence before
            k = bisect_right(self._sent_starts, ss) - 2
            if q is None and k >= 0 and not self.words(ss, v["src_start"]):
                ps, pe = self.doc.sentences[k]
                q = self.doc.quote_starting(ps)
                if q is not None and q[1] >= pe - 1:
                    return (q[0] + 1, q[1]), "direct", "quote"
        # content before the verb
        s0 = after_subj
        qv = self.doc.quote_at(vs)
        ws = [w for w in self.words(s0, vs) if self.doc.quote_at(w[0]) == qv]
        if not ws:
            return None
        if "az" in frames_:
            for w in ws:
                if t[w[0] : w[1]] == "از":
                    c0, c1 = self.strip_span(w[1], vs)
                    return (c0, c1), self.kind_of(c0, c1), "az"
        if "bar" in frames_:
            for w in ws:
                if t[w[0] : w[1]] == "بر":
                    c0, c1 = self.strip_span(w[1], vs)
                    return (c0, c1), self.kind_of(c0, c1), "az"
        if v["fronted"] is not None and ("ra" in frames_ or "ra_pred" in frames_):
            c0, c1 = v["fronted"]
            return (c0, c1), self.kind_of(c0, c1), "ra"
        if "ra" in frames_ or "ra_pred" in frames_:
            ra = [w for w in ws if t[w[0] : w[1]] == "را"]
            if not ra:
                return None
            r = ra[-1]
            if self.while_clause(s0, vs) and _DEMONSTRATIVE.match(t, self.skip_while(s0, r[0])):
                return None  # 'X در حالی این سخنان را مطرح می‌کند که ...': a backdrop
            if (
                info.claim_object
                and not any(n in t[s0 : r[0]].replace(" ", "") for n in self.lex.claim_nouns)
                and (v["inherited"] or not self.speakerish(v["src"], vs, ve))
            ):
                return None  # 'رد کرد' takes a claim, or any object after a speaker
            obj_s = s0
            sep = self.last_sep(s0, r[0], "،,", qv)
            if sep >= 0:
                obj_s = sep + 1
            # 'X را تایید و آن را Y خواند': the second object starts after 'و'
            obj_s = self.after_dropped(obj_s, r[0])
            obj_s = self.skip_while(obj_s, r[0])
            # leading time words belong to the clause, not the object
            for w in self.words(obj_s, r[0]):
                word = t[w[0] : w[1]]
                if (
                    word in self.lex.stop_words
                    and word not in ("این", "آن")
                    and word not in ("از", "در", "به")
                ):
                    obj_s = w[1]
                    continue
                break
            if "ra_pred" in frames_ and ("ra" not in frames_ or (r[1] < vs - 1 and self.words(r[1], vs))):
                c0, c1 = self.strip_span(obj_s, vs)
            else:
                c0, c1 = self.strip_span(obj_s, r[0])
            return (c0, c1), self.kind_of(c0, c1), "ra"
        return None
