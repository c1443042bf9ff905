"""Coordination that drops a light verb: ``X این خبر را تکذیب و از Y خبر
داد`` is two statements of X, a denial whose light verb ``کرد`` was left out
before ``و`` and the verb that ends the sentence; ``X بازداشت را تایید و آن
را Y خواند`` likewise, with the second verb's object after ``و``.
"""

from __future__ import annotations

import re

from .common import _RA, Cand, _k

_AND = " و "
_PREV = re.compile(r"(\w+)$")
# words that may stand between a 'را' object and its preverb ('را به شدت تکذیب و')
_MAX_GAP_WORDS = 2


class CoordinationMixin:
    """Preverbs whose light verb a coordination left out."""

    def dropped_light(self, ss: int, se: int) -> list[tuple[int, int, int]]:
        """(preverb start, preverb end, end of its 'و') for each 'را ... P و'
        in [ss, se), P a preverb of a compound that takes a 'را' object."""
        t = self.t
        out = []
        i = t.find(_AND, ss, se)
        while i >= 0:
            pm = _PREV.search(t, max(ss, i - 24), i)
            if pm is None or pm.group(1) not in self.lex.ra_preverbs:
                i = t.find(_AND, i + 1, se)
                continue
            ws = self.words(max(ss, i - 60), i)
            if ws:
                p = ws[-1]
                if p[1] == i and _k(t, *p) in self.lex.ra_preverbs and self.top_level(p[0]):
                    before = [t[a:b] for a, b in ws[-2 - _MAX_GAP_WORDS : -1]]
                    if "را" in before:
                        out.append((p[0], p[1], i + len(_AND) - 1))
            i = t.find(_AND, i + 1, se)
        return out

    def after_dropped(self, s: int, e: int) -> int:
        """After the last 'P و' of a dropped light verb in [s, e), or ``s``."""
        for _, _, end in reversed(self.dropped_light(s, e)):
            return end
        return s

    def coordination_cands(self, ss: int, se: int, vinfo: list[dict]) -> list[Cand]:
        """A statement for each preverb that lost its light verb, with the
        subject of the verb that ends the coordination."""
        t = self.t
        out: list[Cand] = []
        for ps, pe, and_end in self.dropped_light(ss, se):
            v = next((v for v in vinfo if v["cue"][0] >= and_end), None)
            if v is None or v["src"][1] > ps:
                continue
            ra = None
            for m in _RA.finditer(t, v["src"][1], ps):
                ra = m
            if ra is None:
                continue
            obj_s = v["src"][1]
            sep = self.next_sep(obj_s, ra.start())
            while sep >= 0:
                obj_s = sep + 1
                sep = self.next_sep(obj_s, ra.start())
            for w in self.words(obj_s, ra.start()):
                word = t[w[0] : w[1]]
                if word in self.lex.stop_words and word not in ("این", "آن", "از", "در", "به"):
                    obj_s = w[1]
                    continue
                break
            c0, c1 = self.strip_span(obj_s, ra.start())
            if self.n_words(c0, c1) >= 2 or (c1 > c0 and _k(t, c0, c1) in self.lex.anaphors):
                out.append(
                    Cand(v["src"], (ps, pe), (c0, c1), self.kind_of(c0, c1), None, "ra", v["inherited"], 0.7)
                )
        return out
