"""Frames and embedded cues: ``به گزارش X، ...``, ``بنابر اعلام X``, ``به نقل از``
relays, a frame after its clause, and ``با تاکید بر اینکه A`` clauses.
"""

from __future__ import annotations

from .common import _NAQL, _VERBLIKE, Cand, _k

# data nouns after a guarded frame need a named source: 'بر اساس آمار بانک مرکزی'
_DATA_NOUNS = ("آمار", "داده", "نتایج", "اطلاعات", "برآورد", "تخمین")


class FramesMixin:
    """Frames, their relays and embedded cues."""

    def frames_in(self, ss: int, se: int, frames: list[tuple[int, int]]) -> list[dict]:
        """Frames at clause starts (``به گزارش X، ...``): their source, where the
        governed content starts, an inner ``به نقل از`` relay, a frame placed
        after its clause, and whether the outlet is the writer itself."""
        t = self.t
        lex = self.lex
        fr: list[dict] = []
        for fs, fe in frames:
            b = fs - 1
            while b >= ss and t[b] == " ":
                b -= 1
            j = self.last_sep(ss, b + 1, "،,:؛;\n")
            seg0 = j + 1 if j >= 0 else ss
            if b >= ss and self.strip_connectors(self.skip_space(seg0, fs), fs) < fs:
                pre = t[self.skip_space(seg0, fs) : fs].strip()
                if pre and not (pre == "که" or pre.endswith(" که")):
                    continue
            fkey = _k(t, fs, fe)
            xs = self.skip_space(fe, se)
            comma = self.next_sep(xs, min(se, xs + 160))
            inner_via = None
            if comma >= 0 and self.n_words(xs, comma, 15) <= 14:
                xe = comma
                cs = comma + 1
                # one-word apposition: 'بنابر اعلام فرماندهی مرکزی ایالات متحده، سنتکام، در ...'
                c2 = self.next_sep(cs, min(se, cs + 40))
                if c2 >= 0:
                    seg = self.words(cs, c2)
                    after = self.words(c2 + 1, se)
                    seg_k = _k(t, cs, c2).strip("،,")
                    if (
                        len(seg) == 1
                        and t[seg[0][0] : seg[0][1]] not in lex.stop_words
                        and after
                        and t[after[0][0] : after[0][1]] in lex.stop_words
                    ) or (
                        # 'به گزارش خبرگزاری رسمی جمهوری اسلامی، ایرنا، وزیر گفت':
                        # an outlet described, then named
                        1 <= len(seg) <= 3
                        and _k(t, xs, comma).startswith(lex.media_heads)
                        and (seg_k in lex.known_outlets or len(seg) == 1)
                        and t[seg[0][0] : seg[0][1]] not in lex.stop_words
                        and after
                    ):
                        xe = c2
                        cs = c2 + 1
            else:
                ws = self.words(xs, se)
                take = []
                for i, w in enumerate(ws[:4]):
                    word = t[w[0] : w[1]]
                    if word in lex.stop_words and i > 0:
                        break
                    take.append(w)
                    if len(ws) > 1 and i == 0 and _k(t, ws[0][0], ws[1][1]) in lex.anaphors:
                        take.append(ws[1])
                        break
                    if i == 0 and not (
                        word in lex.person_titles
                        or word in lex.org_heads
                        or any(word.startswith(h) for h in lex.media_heads)
                    ):
                        break
                if not take:
                    continue
                xe = take[-1][1]
                cs = xe
            # nested 'به گزارش X به نقل از Y،'
            m = _NAQL.search(t, xs, xe)
            if m and m.start() > xs:
                inner_via = self.strip_span(xs, m.start())
                xs = self.skip_space(m.end(), xe)
            x = self.strip_span(xs, xe)
            if x[0] >= x[1]:
                continue
            if fkey not in lex.frame_open:
                xk = _k(t, *x)
                if not (
                    xk.startswith(lex.guarded_heads)
                    or xk in lex.known_outlets
                    or xk.startswith(lex.media_heads)
                    or xk in lex.anaphors
                ):
                    continue
                xw = [t[a:b] for a, b in self.words(*x)]
                if xw[0].startswith(_DATA_NOUNS) and all(w in lex.doc_modifiers for w in xw[1:]):
                    continue  # 'بر اساس آمارهای رسمی': data with no one behind it
            post = None
            if seg0 > ss and t[seg0 - 1] in "؛;،," and self.n_words(ss, seg0 - 1) >= 3:
                rest = self.words(xs, se)
                if rest and not _VERBLIKE.search(t[rest[-1][0] : rest[-1][1]]):
                    # a frame after the clause it governs: 'A؛ به گفته X، Y.'
                    x = self.strip_span(xs, se)
                    post = self.strip_span(self.strip_connectors(ss, seg0 - 1), seg0 - 1)
            if not self.valid_source(x) or t[x[0] : x[1]].split()[0] in lex.doc_modifiers:
                continue  # 'به بیان دیگر، ...', 'به تعبیر دیگر، ...': discourse markers
            xk = _k(t, *x)
            # 'به گزارش خبرنگار ما' or an agency's dateline at the top of its own
            # article: the outlet is the writer, not a source (it can still relay)
            own = xk.startswith(lex.own_report_heads) or (
                fs < self.lead_end and fkey.startswith("بهگزارش") and xk.startswith(lex.home_agencies)
            )
            fr.append({"cue": (fs, fe), "src": x, "cs": cs, "outer": inner_via, "post": post, "own": own})

        # a frame whose content opens with another frame relays it:
        # 'به گزارش فارس به نقل از X، بنابر اعلام Y، ...'
        for f in fr:
            c0 = self.strip_connectors(self.skip_space(f["cs"], se), se)
            for g in fr:
                if g is not f and g["cue"][0] == c0:
                    f["relay"] = True
                    if g["outer"] is None:
                        g["outer"] = f["src"]
        return fr

    def embeds_in(self, ss: int, se: int, embeds, verbs) -> list[dict]:
        """Embedded cues (``با تاکید بر اینکه A، ...``) and where their content ends."""
        t = self.t
        em: list[dict] = []
        for es_, ee in embeds:
            cs = self.skip_space(ee, se)
            stop = self.next_sep(cs, se)
            end = se
            if stop >= 0:
                end = stop
            np_cue = _k(t, es_, ee) in self.lex.embedded_np
            by_verb = False
            for v in verbs:
                if not cs < v[0] < end:
                    continue
                # the main verb ends the embedded clause once that clause has its
                # own verb ('با بیان اینکه ... آغاز شده است اعلام کرد'); a verb
                # right after a bare subject is inside it ('با یادآوری اینکه پسرش گفته بود')
                before = self.words(cs, v[0])
                if np_cue or (before and _VERBLIKE.search(t[before[-1][0] : before[-1][1]])) or not before:
                    end = v[0]
                    by_verb = True
                    break
            if np_cue and (not by_verb or self.n_words(cs, end, 9) > 8):
                continue  # 'ضمن تکذیب X' counts only before a reporting verb
            em.append({"cue": (es_, ee), "cs": cs, "ce": end})
        return em

    def loose_embeds(self, ss: int, em: list[dict], fr: list[dict]) -> list[Cand]:
        """Embedded cues not attached to a verb: their subject stands before them."""
        out: list[Cand] = []
        for d in em:
            if d.get("done"):
                continue
            L0 = ss
            for f in fr:
                if f["cue"][0] < d["cue"][0] and f["cs"] <= d["cue"][0]:
                    L0 = max(L0, f["cs"])
            subj = self.find_subject(L0, d["cue"][0])
            if subj is None or not self.valid_source(subj):
                continue
            c0, c1 = self.strip_span(d["cs"], d["ce"])
            if self.n_words(c0, c1) >= 2:
                out.append(
                    Cand(subj, d["cue"], (c0, c1), self.kind_of(c0, c1), None, "embedded", False, 0.75)
                )
        return out

    def frame_cands(self, se: int, fr: list[dict], emitted_for_frame: set[int], cuts_for) -> list[Cand]:
        """Frames with their own content (no inner speaker took it)."""
        out: list[Cand] = []
        for i, f in enumerate(fr):
            if i in emitted_for_frame or f["own"] or f.get("relay"):
                continue
            if f["post"] is not None:
                c0, c1 = f["post"]
                if self.n_words(c0, c1) >= 2:
                    kd = "according_to"
                    out.append(Cand(f["src"], f["cue"], (c0, c1), kd, f["outer"], "frame", False, 0.75))
                continue
            cs = f["cs"]
            ce = self.clause_end(cs, se, cuts_for(cs, True))
            # a verb whose explicit subject opens the content: the frame is a relay
            c0 = self.strip_connectors(self.skip_space(cs, ce), ce)
            c0, c1 = self.strip_span(c0, ce)
            if self.n_words(c0, c1) < 2:
                continue
            out.append(
                Cand(
                    f["src"],
                    f["cue"],
                    (c0, c1),
                    "according_to",
                    f["outer"],
                    "frame",
                    False,
                    0.82,
                )
            )
        return out
