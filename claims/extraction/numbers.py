"""Quantities in content spans: '۱۷ موشک', 'دست‌کم ۵۸ حمله', 'حدود ۲۵۰۰ نیرو',
'نزدیک به ۱۵۰ بار', 'پنجاه هزار لیتر', as numbers with their qualifier."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from .lexicon import LEXICON_DIR
from .text import WordSet, match_form


@lru_cache(maxsize=1)
def _data():
    with open(LEXICON_DIR / "numbers.json", encoding="utf-8") as fh:
        d = json.load(fh)
    units = {match_form(k): v for k, v in d["units"].items()}
    scales = {match_form(k): v for k, v in d["scales"].items()}
    quals = {match_form(k).replace(" ", ""): v for k, v in d["qualifiers"].items()}
    from .lexicon import _alt

    # trie-shaped alternations: most positions fail on their first character
    word_alt = _alt(list(set(units) | set(scales)))
    scale_alt = _alt(list(scales))
    qual_alt = _alt(["\x00".join(match_form(q).split()) for q in d["qualifiers"]])
    digit = r"[0-9]+(?:[.,/][0-9]+)*"
    wordnum = rf"(?:{word_alt})(?: و (?:{word_alt})| (?:{scale_alt}))*(?![\w])"
    pat = re.compile(
        rf"(?<![\w.])(?:(?P<q>{qual_alt}) )?"
        rf"(?P<n>{digit}(?: ?(?:{scale_alt})(?![\w]))*|{wordnum})"
        rf" ?(?P<u>[^\s0-9،,:؛;«»\"().!?؟]+)"
    )
    return pat, units, scales, quals


def parse_words(s: str) -> float | None:
    _, units, scales, _ = _data()
    total = 0.0
    cur = 0.0
    for w in s.replace(" و ", " ").split():
        if w in units:
            cur += units[w]
        elif w in scales:
            cur = (cur or 1) * scales[w]
            if scales[w] >= 1000:
                total += cur
                cur = 0
        else:
            return None
    return total + cur


def parse_number(s: str) -> float | None:
    _, _, scales, _ = _data()
    m = re.match(r"([0-9]+(?:[.,/][0-9]+)*)(.*)$", s)
    if m:
        num = m.group(1)
        if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+", num):
            num = num.replace(",", "")
        num = num.replace("/", ".").replace(",", ".")
        try:
            val = float(num)
        except ValueError:
            return None
        for w in m.group(2).split():
            if w in scales:
                val *= scales[w]
        return val
    return parse_words(s)


@lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    """Every word of the number words ('پنجاه', 'هزار', ...)."""
    _, units, scales, _ = _data()
    return frozenset(w for k in (*units, *scales) for w in k.split())


@lru_cache(maxsize=1)
def _number_word_set() -> WordSet:
    return WordSet(_number_words())


@lru_cache(maxsize=1)
def _months() -> frozenset[str]:
    """Month names: a number before one is a date, not a quantity."""
    with open(LEXICON_DIR / "dates.json", encoding="utf-8") as fh:
        d = json.load(fh)
    names = {match_form(k) for k in (*d["jalali_months"], *d["gregorian_months"])}
    return frozenset(names | {n + "ماه" for n in names})


_DIGIT = re.compile("[0-9]")


def find_quantities(t: str, s: int, e: int, skip: frozenset[str] = frozenset()):
    """Yield (start, end, value, unit, qualifier) in ``t`` coordinates."""
    pat, units, scales, quals = _data()
    # a quick test first: a digit or a number word in the range at all?
    if not _DIGIT.search(t, s, e) and not _number_word_set().in_range(t, s, e):
        return
    for m in pat.finditer(t, s, e):
        unit = m.group("u")
        if unit in scales or unit in units or unit in skip or unit == "و" or unit in _months():
            continue
        val = parse_number(m.group("n"))
        if val is None:
            continue
        q = m.group("q")
        qual = quals.get(q.replace(" ", "")) if q else None
        yield m.start(), m.end(), val, unit, qual
