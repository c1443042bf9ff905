"""Jalali, Gregorian and relative date phrases resolved against the article's
publication date: 'چهارشنبه چهارم بهمن', '۳۰ دی‌ماه', '۱۲مرداد۱۴۰۵', 'روز شنبه',
'دیروز', '28 اکتبر'."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache

from .lexicon import LEXICON_DIR
from .text import WordSet, match_form


@lru_cache(maxsize=1)
def _data():
    with open(LEXICON_DIR / "dates.json", encoding="utf-8") as fh:
        d = json.load(fh)
    jm = {match_form(k): v for k, v in d["jalali_months"].items()}
    gm = {match_form(k): v for k, v in d["gregorian_months"].items() if k not in ("می", "مه")}
    wd = {match_form(k).replace(" ", ""): v for k, v in d["weekdays"].items()}
    rel = {match_form(k).replace(" ", ""): v for k, v in d["relative_days"].items()}
    ords = {match_form(k).replace(" ", ""): v for k, v in d["ordinals"].items()}

    def alt(words):
        return "|".join(
            " ?".join(re.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True)
        )

    wd_alt = alt([match_form(k) for k in d["weekdays"]])
    ord_alt = alt([match_form(k) for k in d["ordinals"]])
    month_alt = alt(list(jm) + list(gm))
    full = re.compile(
        rf"(?<![\w])(?:(?:روز ?)?(?P<wd>{wd_alt}) ?)?(?P<day>[0-9]{{1,2}}|{ord_alt}) ?(?P<mon>{month_alt})"
        rf"(?: ?ماه)?(?: ?(?:سال ?)?(?P<year>[0-9]{{4}}))?(?![\w])"
    )
    numeric = re.compile(
        r"(?<![\w/])(?P<y>1[34][0-9]{2}|20[0-9]{2}|19[0-9]{2})[/-](?P<m>[0-9]{1,2})[/-](?P<d>[0-9]{1,2})(?![\w/])"
    )
    weekday = re.compile(rf"(?<![\w])(?:روز ?)?(?P<wd>{wd_alt})(?: ?(?P<dir>گذشته|آینده))?(?![\w])")
    relative = re.compile(rf"(?<![\w])(?P<rel>{alt([match_form(k) for k in d['relative_days']])})(?![\w])")

    # the patterns run in small windows around their key words (found with
    # str.find), not over whole ranges
    def keys(words):
        # the last letters of each name: present however the name was spaced
        # ('سه شنبه', 'سه‌شنبه', 'سهشنبه' all end in 'شنبه')
        return tuple(sorted({match_form(w).split()[-1][-4:] for w in words}))

    anchors = (
        keys(list(jm) + list(gm)),
        ("/", "-"),
        keys(d["weekdays"]),
        keys(d["relative_days"]),
    )
    # a quick test first: does the range hold a name (a whole word, its last
    # piece, a month with 'ماه') or a numeric date at all?
    names = [match_form(w) for w in (*jm, *gm, *d["weekdays"], *d["relative_days"])]
    gate = WordSet(
        frozenset(
            {n.replace(" ", "") for n in names}
            | {n.split()[-1] for n in names}
            | {match_form(m).replace(" ", "") + "ماه" for m in (*jm, *gm)}
        )
    )
    return full, numeric, weekday, relative, jm, gm, wd, rel, ords, (anchors, gate)


def _jalali_to_iso(y: int, m: int, d: int) -> str | None:
    try:
        import jdatetime

        return jdatetime.date(y, m, d).togregorian().isoformat()
    except (ValueError, ImportError):
        return None


def _jalali_year(pub: dt.date) -> int:
    try:
        import jdatetime

        return jdatetime.date.fromgregorian(date=pub).year
    except ImportError:
        return pub.year - 621


# how far a date phrase reaches before and after the word it is found by
# ('روز چهارشنبه بیست و چهارم بهمن ماه سال ۱۴۰۲')
_BEFORE, _AFTER = 48, 64


_NUMERIC_KEY = re.compile(r"[0-9][/-][0-9]")


def _hits(t: str, keys: tuple[str, ...], s: int, e: int) -> list[tuple[int, int]]:
    """Where the key words occur in [s, e), at the end of a word."""
    out = []
    for k in keys:
        i = t.find(k, s, e)
        while i >= 0:
            j = i + len(k)
            if j >= len(t) or not t[j].isalpha() or t.startswith("ماه", j):
                out.append((i, j))
            i = t.find(k, i + 1, e)
    out.sort()
    return out


def _near(pat: re.Pattern, keys: tuple[str, ...], t: str, s: int, e: int) -> list[re.Match]:
    """The matches of ``pat`` in [s, e) around the places where its key
    words occur, in order, each once: what ``pat.finditer(t, s, e)`` gives,
    without running a pattern that opens with a lookbehind over the range."""
    out: list[re.Match] = []
    last = s
    for a0, a1 in _hits(t, keys, s, e):
        lo = max(last, a0 - _BEFORE)
        if lo >= a1:
            continue
        for m in pat.finditer(t, lo, min(e, a1 + _AFTER)):
            if m.end() > last and m.start() >= last:
                out.append(m)
                last = m.end()
    return out


def find_dates(t: str, s: int, e: int, published: dt.date | None):
    """Yield (start, end, iso or None) in ``t`` coordinates."""
    full, numeric, weekday, relative, jm, gm, wd, rel, ords, (anchors, gate) = _data()
    if not gate.in_range(t, s, e) and not _NUMERIC_KEY.search(t, s, e):
        return
    found = [_near(p, k, t, s, e) for p, k in zip((full, numeric, weekday, relative), anchors, strict=True)]
    if not any(found):
        return
    taken: list[tuple[int, int]] = []
    for m in found[0]:
        day_s = m.group("day")
        day = int(day_s) if day_s.isdigit() else ords.get(day_s.replace(" ", ""))
        mon = m.group("mon").replace(" ", "")
        year = int(m.group("year")) if m.group("year") else None
        iso = None
        if day and 1 <= day <= 31:
            if mon in jm and (year is None or 1200 < year < 1600):
                y = year or (_jalali_year(published) if published else None)
                if y is not None:
                    iso = _jalali_to_iso(y, jm[mon], day)
                    if (
                        iso
                        and year is None
                        and published
                        and dt.date.fromisoformat(iso) > published + dt.timedelta(days=31)
                    ):
                        iso = _jalali_to_iso(y - 1, jm[mon], day)
            elif mon in gm:
                y = year or (published.year if published else None)
                if y is not None:
                    try:
                        d = dt.date(y, gm[mon], day)
                        if year is None and published and d > published + dt.timedelta(days=31):
                            d = dt.date(y - 1, gm[mon], day)
                        iso = d.isoformat()
                    except ValueError:
                        iso = None
        taken.append(m.span())
        yield m.start(), m.end(), iso
    for m in found[1]:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if y < 1600:
            iso = _jalali_to_iso(y, mo, d)
        else:
            try:
                iso = dt.date(y, mo, d).isoformat()
            except ValueError:
                iso = None
        taken.append(m.span())
        yield m.start(), m.end(), iso

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in found[2]:
        if not free(*m.span()):
            continue
        iso = None
        if published:
            target = wd[m.group("wd").replace(" ", "")]
            delta = (published.weekday() - target) % 7
            if m.group("dir") == "آینده":
                delta = -((target - published.weekday()) % 7 or 7)
            iso = (published - dt.timedelta(days=delta)).isoformat()
        taken.append(m.span())
        yield m.start(), m.end(), iso
    for m in found[3]:
        if not free(*m.span()):
            continue
        iso = None
        if published:
            iso = (published + dt.timedelta(days=rel[m.group("rel").replace(" ", "")])).isoformat()
        yield m.start(), m.end(), iso
