"""One document through the rule families: per sentence, frames, embedded
cues, verb clauses, headline colons, nominal cues, document statements and
their candidates, in a fixed order (the order decides ties in the pipeline's
de-duplication)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Container
from functools import partial

from ..lexicon import Lexicon
from ..text import Doc
from .common import Base, Cand
from .coordination import CoordinationMixin
from .documents import DocumentsMixin, rare_cues
from .frames import FramesMixin
from .glue import glue, repair_span
from .layout import refine
from .nominal import NominalMixin, nominal_starts
from .speech import SpeechMixin
from .subjects import SubjectsMixin
from .verbs import VerbsMixin

_COLON_OR_BAR = re.compile("[:|]")


class SentenceRules(
    SpeechMixin,
    DocumentsMixin,
    NominalMixin,
    CoordinationMixin,
    VerbsMixin,
    FramesMixin,
    SubjectsMixin,
    Base,
):
    """Applies the rules to one document."""

    def sentence(
        self, ss: int, se: int, verbs: list[tuple[int, int]], frames, embeds, nominal: bool = True
    ) -> list[Cand]:
        out: list[Cand] = []
        # 1. frames at clause starts; 2. embedded cues; 3. verbs and their subjects
        fr = self.frames_in(ss, se, frames)
        em = self.embeds_in(ss, se, embeds, verbs)
        vinfo = self.verb_clauses(ss, se, verbs, frames, fr, em)
        # a headline colon 'X: ...' at the sentence start
        head = self.headline(ss, se, verbs, fr)
        if head is not None:
            out.append(head)
        if nominal:
            # (only where a nominal cue, a document statement or an agent was found)
            out.extend(self.nominal_cues(ss, se))
            out.extend(self.passive_cues(ss, se))
            if "خبر از" in self.t[ss:se]:
                out.extend(self.khabar_az(ss, se))
        cuts_for = partial(self.cuts_for, vinfo)
        emitted_for_frame = self.verb_cands(ss, se, vinfo, fr, cuts_for, out)
        if vinfo and "را" in self.t[ss:se]:
            out.extend(self.coordination_cands(ss, se, vinfo))
        out.extend(self.loose_embeds(ss, em, fr))
        self.relay_headline(head, out)
        out.extend(self.frame_cands(se, fr, emitted_for_frame, cuts_for))
        return out


def find_all(doc: Doc, lex: Lexicon, names: Container[str] | None = None) -> list[Cand]:
    """Every candidate in the document. ``names`` (space-free name keys, the
    registry's) lets a source cut a word that ran into the next one."""
    t = doc.t
    verbs = [m.span() for m in lex.verb_re.finditer(t)]
    frames = [m.span() for m in lex.frame_re.finditer(t)]
    embeds = [m.span() for m in lex.embedded_re.finditer(t)]
    refine(doc, lex, verbs, frames)
    # the rarer cues are searched only in documents that hold their key word
    amade, agent = rare_cues(t)
    nominals = sorted(nominal_starts(t) + [m.start() for m in amade + agent])
    rules = SentenceRules(doc, lex)
    rules.amade, rules.agent = amade, agent
    rules.cue_starts = sorted([a for a, _ in verbs] + [a for a, _ in frames] + [a for a, _ in embeds])
    out: list[Cand] = []
    out.extend(rules.nominal_headlines())
    # only the sentences that hold a cue, a nominal cue or an early colon
    sents = doc.sentences
    starts = [a for a, _ in sents]
    todo = {bisect_right(starts, p) - 1 for p in rules.cue_starts}
    todo.update(bisect_right(starts, p) - 1 for p in nominals)
    for m in _COLON_OR_BAR.finditer(t):
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < min(sents[k][1], sents[k][0] + 120):
            todo.add(k)
    vstarts = [a for a, _ in verbs]
    fstarts = [a for a, _ in frames]
    estarts = [a for a, _ in embeds]
    for k in sorted(todo):
        if k < 0:
            continue
        ss, se = sents[k]
        vi, fi, ei = bisect_left(vstarts, ss), bisect_left(fstarts, ss), bisect_left(estarts, ss)
        vj, fj, ej = vi, fi, ei
        while vj < len(verbs) and verbs[vj][1] <= se:
            vj += 1
        while fj < len(frames) and frames[fj][1] <= se:
            fj += 1
        while ej < len(embeds) and embeds[ej][1] <= se:
            ej += 1
        n = bisect_left(nominals, ss)
        has_nominal = n < len(nominals) and nominals[n] < se
        if vj == vi and fj == fi and ej == ei and not has_nominal:
            head_zone = t[ss : min(se, ss + 120)]
            if ":" not in head_zone and "|" not in head_zone:
                continue
        # embedded cues overlap frames ('با تاکید بر اینکه' is not 'بر اساس')
        out.extend(rules.sentence(ss, se, verbs[vi:vj], frames[fi:fj], embeds[ei:ej], has_nominal))
    g = glue(lex)
    for c in out:
        # a bullet or emoji glued to the source ('🔹وزرای خارجه عرب') is not part of it
        a, b = c.src
        while a < b and (unicodedata.category(t[a]) == "So" or t[a] in "•▪►"):
            a += 1
        if a < b:
            c.src = (a, b)
        # nor half of a word glued to it or split by a stray space
        src = repair_span(t, c.src, g, names)
        if src != c.src:
            if src[1] < c.src[1] and c.src[1] <= c.content[0] <= c.src[1] + 3:
                # the content began right after the source: it takes the rest
                c.content = (rules.skip_space(src[1], c.content[1]), c.content[1])
            c.src = src
        if c.via is not None:
            c.via = repair_span(t, c.via, g, names)
    return out
