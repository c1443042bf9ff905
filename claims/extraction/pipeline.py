"""From raw text to ``Attribution`` records: text layer, rules, resolution,
registry ids, quantities and dates."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Container, Mapping
from functools import lru_cache

from .dates import find_dates
from .lexicon import Lexicon, load
from .model import Attribution, DateMention, Quantity
from .numbers import find_quantities
from .resolve import Resolver, lookup, registry_candidates
from .rules import Cand, find_all
from .rules.glue import compact_names
from .text import Doc

_CLAIM_CUES = ("مدعی", "ادعا")


def _dedupe(cands: list[Cand]) -> list[Cand]:
    best: dict[tuple, Cand] = {}
    for c in cands:
        k = (c.content, c.src)
        o = best.get(k)
        if o is None or c.conf > o.conf:
            best[k] = c
    out = sorted(best.values(), key=lambda c: (c.cue[0], c.content[0]))
    # the same content from two rules with overlapping sources: keep one
    by_content: dict[tuple[int, int], list[Cand]] = {}
    final: list[Cand] = []
    for c in out:
        group = by_content.setdefault(c.content, [])
        if any(o.src[0] < c.src[1] and c.src[0] < o.src[1] for o in group):
            continue
        group.append(c)
        final.append(c)
    return final


def _hedged(t: str, c: Cand, lex: Lexicon) -> bool:
    sk = t[c.src[0] : c.src[1]].replace(" ", "").replace("«", "").replace("»", "")
    if _hedge_re(lex).search(sk):
        return True
    ck = t[c.cue[0] : c.cue[1]].replace(" ", "")
    if ck.startswith(_CLAIM_CUES):
        return True
    lo = max(0, c.src[0] - 40)
    window = t[lo : c.content[1]].replace(" ", "")
    return any(h in window for h in lex.hedge_phrases[:2])


def _hedge_re(lex: Lexicon) -> re.Pattern:
    """One search for all the hedged sources ('منبع آگاه', 'یک مقام' ...)."""
    return _hedge_pattern(lex.hedge_sources)


@lru_cache(maxsize=4)
def _hedge_pattern(sources: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(h) for h in sorted(sources, key=len, reverse=True)))


def run(
    text: str,
    *,
    published: dt.date | None,
    aliases: Mapping[str, int] | None,
    names: Container[str] | None = None,
) -> list[Attribution]:
    """Attributions in ``text``; ``names`` are space-free name keys (the
    registry's index) that sources may end on inside a glued word."""
    if not text or text.isspace():
        return []
    lex = load()
    doc = Doc(text)
    t = doc.t
    raw = doc.raw
    cands = _dedupe(find_all(doc, lex, compact_names(aliases, names)))
    if not cands:
        return []
    res = Resolver(lex)
    # mentions in reading order: sources, vias and frame sources
    events = []
    for c in cands:
        events.append((c.src[0], c, "src"))
        if c.via is not None:
            events.append((c.via[0], c, "via"))
    events.sort(key=lambda e: e[0])
    resolved: dict[int, str] = {}
    via_resolved: dict[int, str] = {}
    for pos, c, what in events:
        span = c.src if what == "src" else c.via
        txt = t[span[0] : span[1]]
        outlet = what == "via" or (c.rule == "frame" and "گزارش" in t[c.cue[0] : c.cue[1]])
        r = res.resolve(pos, txt)
        if what == "src":
            resolved[id(c)] = r
        else:
            via_resolved[id(c)] = r
        res.add(pos, txt, outlet_hint=outlet, resolved=r)

    # 'بر اساس این گزارش' with no outlet before it is the writer's own report,
    # unless the text names one ('روزنامه گاردین گزارشی منتشر کرد. در این گزارش ...')
    kept = []
    for c in cands:
        if (
            c.rule == "frame"
            and lex.anaphors.get(t[c.src[0] : c.src[1]].replace(" ", "")) == "outlet"
            and resolved.get(id(c)) == t[c.src[0] : c.src[1]]
        ):
            named = _outlet_before(t, c.src[0], lex)
            if named is None:
                continue
            resolved[id(c)] = named
        kept.append(c)
    cands = kept
    out: list[Attribution] = []
    # quantities and dates found once over the span the candidates cover, then
    # handed to each candidate whose range holds them
    all_q = [x for a, b in _merged(c.content for c in cands) for x in find_quantities(t, a, b)]
    q_starts = [x[0] for x in all_q]
    ranges = _merged((min(c.src[0], c.cue[0], c.content[0]), max(c.content[1], c.cue[1])) for c in cands)
    all_d = sorted(x for a, b in ranges for x in find_dates(t, a, b, published))
    d_starts = [x[0] for x in all_d]
    for c in cands:
        ss, se = doc.raw_span(*c.src)
        cs, ce = doc.raw_span(*c.cue)
        ks, ke = doc.raw_span(*c.content)
        src_res_t = resolved.get(id(c), t[c.src[0] : c.src[1]])
        # report resolved names in raw spelling when they come from the text
        if src_res_t == t[c.src[0] : c.src[1]]:
            src_resolved = raw[ss:se]
        else:
            src_resolved = _raw_of(doc, src_res_t, default=src_res_t)
        sid = (
            lookup(registry_candidates(t[c.src[0] : c.src[1]], src_res_t, lex), aliases) if aliases else None
        )
        via = via_s = via_e = via_id = None
        if c.via is not None:
            via_s, via_e = doc.raw_span(*c.via)
            via = raw[via_s:via_e]
            via_id = (
                lookup(registry_candidates(t[c.via[0] : c.via[1]], via_resolved.get(id(c)), lex), aliases)
                if aliases
                else None
            )
        quantities = tuple(
            Quantity(raw[a:b], a, b, v, u, q)
            for (a, b), v, u, q in (
                (doc.raw_span(qs, qe), v, u, q) for qs, qe, v, u, q in _inside(all_q, q_starts, *c.content)
            )
        )
        lo = min(c.src[0], c.cue[0], c.content[0])
        hi = max(c.content[1], c.cue[1])
        dates = []
        for a0, b0, iso in _inside(all_d, d_starts, lo, hi):
            a, b = doc.raw_span(a0, b0)
            dates.append(DateMention(raw[a:b], a, b, iso))
        out.append(
            Attribution(
                source=raw[ss:se],
                source_start=ss,
                source_end=se,
                source_resolved=src_resolved,
                source_id=sid,
                cue=raw[cs:ce],
                cue_start=cs,
                cue_end=ce,
                content=raw[ks:ke],
                content_start=ks,
                content_end=ke,
                kind=c.kind,
                via=via,
                via_start=via_s,
                via_end=via_e,
                via_id=via_id,
                hedged=_hedged(t, c, lex),
                confidence=max(0.0, min(1.0, c.conf)),
                quantities=quantities,
                dates=tuple(dates),
            )
        )
    return out


def _merged(ranges) -> list[tuple[int, int]]:
    """Overlapping or touching ranges joined, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _inside(items: list[tuple], starts: list[int], lo: int, hi: int) -> list[tuple]:
    """The items (sorted by start) that lie within [lo, hi)."""
    i = bisect_left(starts, lo)
    out = []
    while i < len(items) and items[i][0] < hi:
        if items[i][1] <= hi:
            out.append(items[i])
        i += 1
    return out


_OUTLET_WINDOW = 600


def _outlet_before(t: str, pos: int, lex: Lexicon) -> str | None:
    """The nearest outlet named in the text before ``pos``: a media noun with
    its name ('روزنامه گاردین', 'خبرگزاری رویترز') or a known outlet."""
    lo = max(0, pos - _OUTLET_WINDOW)
    best: tuple[int, str] | None = None
    words = [(m.start(), m.group()) for m in _WORDS.finditer(t, lo, pos)]
    k = 0
    while k < len(words):
        p, w = words[k]
        if any(x.startswith(lex.own_report_heads) for _, x in words[max(0, k - 4) : k]):
            k += 1  # 'به گزارش خبرنگار اقتصادی خبرگزاری فارس': the writer itself
            continue
        if (
            w in lex.media_heads
            and not w.startswith("گزارش")  # a report is no outlet
            and k + 1 < len(words)
            and words[k + 1][1] not in lex.stop_words
        ):
            name = w + " " + words[k + 1][1]
            k += 1
            if k + 1 < len(words) and words[k][1] + words[k + 1][1] in lex.known_outlets:
                name += " " + words[k + 1][1]
                k += 1
            best = (p, name)
        elif w in lex.known_outlets:
            best = (p, w)
        k += 1
    return best[1] if best else None


_WORDS = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]+")


def _raw_of(doc: Doc, t_text: str, default: str) -> str:
    """The raw spelling of a string taken from the matching view."""
    i = doc.t.find(t_text)
    if i < 0 or not t_text:
        return default
    a, b = doc.raw_span(i, i + len(t_text))
    return doc.raw[a:b]
