"""How names are written: the words around them (honorifics, determiners, media
heads, speech nouns, titles' inner words), countries' names, and the keys a
written form is indexed by (pure Python). The registry's resolution reads spans
with these; the unknown-source queue keeps junk out with them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from .normalize import normalize_key
from .registry_data import COUNTRIES_FILE

# Titles of respect written before a name; never part of what identifies it.
HONORIFICS = tuple(
    tuple(normalize_key(h).split())
    for h in (
        "آیت‌الله العظمی",
        "آیت‌الله",
        "آیت الله",
        "حجت‌الاسلام والمسلمین",
        "حجت‌الاسلام",
        "حجت الاسلام",
        "والمسلمین",
        "سید",
        "سیده",
        "شیخ",
        "دکتر",
        "مهندس",
        "سردار",
        "سرلشکر",
        "سرتیپ",
        "سرهنگ",
        "سرتیپ دوم",
        "دریادار",
        "امیر",
        "ژنرال",
        "آقای",
        "خانم",
        "حضرت",
        "علامه",
        "پروفسور",
        "سناتور",
        "ملا",
        "مولوی",
        "شهید",
    )
)
# Words that open a span without naming anyone: 'یکی از', 'برخی'.
DETERMINERS = tuple(
    tuple(normalize_key(d).split())
    for d in ("یکی از", "برخی از", "برخی", "بعضی از", "بعضی", "یک", "از جمله", "ازجمله")
)
_HONORIFIC_FIRSTS = frozenset(h[0] for h in HONORIFICS if h)
_DETERMINER_FIRSTS = frozenset(d[0] for d in DETERMINERS if d)
# Heads that come before an outlet's own name: 'خبرگزاری تسنیم' is 'تسنیم'.
MEDIA_HEADS = frozenset(
    normalize_key(h).replace(" ", "")
    for h in (
        "خبرگزاری",
        "روزنامه",
        "شبکه",
        "تلویزیون",
        "رادیو",
        "پایگاه خبری",
        "رسانه",
        "سایت",
        "وبسایت",
        "وب‌سایت",
        "هفته‌نامه",
        "نشریه",
        "مجله",
        "کانال",
        "خبرگزاری دولتی",
        "گزارش",
    )
)
MEDIA_ADJECTIVES = frozenset(
    normalize_key(w)
    for w in ("خبری", "تلویزیونی", "رادیویی", "ماهواره‌ای", "عبری", "عربی", "دولتی", "رسمی", "محلی", "معتبر")
)
# What a source put out, written before its name ('پست کاتز', 'بیانیه وزارت خارجه',
# 'اولین مصاحبه کیمیا علیزاده'): the speaker is the name after it, of any kind.
SPEECH_NOUNS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "پست",
        "توییت",
        "توئیت",
        "تویت",
        "بیانیه",
        "اطلاعیه",
        "اعلامیه",
        "مصاحبه",
        "گفتگو",
        "گفت‌وگو",
        "اطلاع",
        "پیام",
        "نامه",
        "سخنان",
        "اظهارات",
        "سخنرانی",
        "یادداشت",
        "گزارش",
        "برآورد",
        "ارزیابی",
        "داده‌های",
        "آمار",
        "آمارهای",
        "تحقیقات",
    )
)
# Written between a speech noun and its source: 'اولین مصاحبه', 'گزارش تازه'.
_SPEECH_MODIFIERS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "اولین",
        "نخستین",
        "آخرین",
        "تازه",
        "تازه‌ترین",
        "جدید",
        "جدیدترین",
        "رسمی",
        "سالانه",
        "اخیر",
        "مشترک",
        "منتشرشده",
    )
)
# Members of an organisation, written before its name ('دانشمندان ناسا', 'کشورهای
# اوپک پلاس'): what they say is the organisation's.
_MEMBER_HEADS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in ("دانشمندان", "پژوهشگران", "محققان", "محققین", "کشورهای", "اعضای", "کشورهای عضو", "نظامیان")
)
_MEMBER_FILLERS = frozenset(normalize_key(w) for w in ("عضو",))
ORG_KINDS = frozenset({"organisation", "government_body", "military_command", "armed_group"})
# Words written inside a title that keep its meaning: 'سخنگوی جدید وزارت خارجه'.
# ('سابق', 'پیشین' change it: a former holder is not the holder on the date.)
_INSERTABLE = frozenset(normalize_key(w) for w in ("جدید", "کنونی", "فعلی", "تازه"))
FORMER = frozenset(normalize_key(w) for w in ("سابق", "پیشین", "اسبق", "قبلی", "وقت"))
_GOVERNMENT = normalize_key("دولت")
# Spellings one office is written with: each pair is indexed both ways.
_VARIANTS = (("امورخارجه", "خارجه"), ("رئیسجمهوری", "رئیسجمهور"), ("رییسجمهور", "رئیسجمهور"))
_APPOSITION = re.compile(r"\s*[،,؛;:()\[\]]\s*")
_COORDINATION = re.compile(r"\s+و\s+")


# --- countries -------------------------------------------------------------


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], int]:
    """(written name tokens -> code, name-or-adjective tokens -> code, longest)."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    names: dict[tuple[str, ...], str] = {}
    qualifiers: dict[tuple[str, ...], str] = {}
    for code, forms in data["countries"].items():
        for n in forms["names"]:
            names[tuple(normalize_key(n).split())] = code
        for n in (*forms["names"], *forms["adjectives"]):
            qualifiers[tuple(normalize_key(n).split())] = code
    longest = max(len(k) for k in qualifiers)
    return names, qualifiers, longest


@lru_cache(maxsize=1)
def _country_firsts() -> frozenset[str]:
    return frozenset(k[0] for k in _countries()[1])


def country_at(tokens: Sequence[str], i: int) -> tuple[str, int] | None:
    """The country a name or adjective starting at ``tokens[i]`` names, and where it ends."""
    if i >= len(tokens) or tokens[i] not in _country_firsts():
        return None
    _, qualifiers, longest = _countries()
    for j in range(min(len(tokens), i + longest), i, -1):
        code = qualifiers.get(tuple(tokens[i:j]))
        if code:
            return code, j
    return None


def _strip(
    tokens: list[str], i: int, prefixes: Iterable[tuple[str, ...]], firsts: frozenset[str] | None = None
) -> int:
    if firsts is not None and (i >= len(tokens) or tokens[i] not in firsts):
        return i
    moved = True
    while moved:
        moved = False
        for p in prefixes:
            if len(p) and tuple(tokens[i : i + len(p)]) == p and i + len(p) < len(tokens):
                i += len(p)
                moved = True
    return i


def forms_of(text: str, person: bool = True) -> set[str]:
    """The index keys a written form stands for: space-free (so ZWNJ, space and
    none compare equal), with each of a country's names in place of the one
    written, and with the common office spellings. A person's form is also keyed
    without its leading honorifics when a name of two words or more remains
    (``سید حسن نصرالله``); a single word left (``برادر`` of ``ملا برادر``,
    ``آزمون`` of ``سردار آزمون``) is a name only if it is written as one. An
    office's first word is never an honorific (``امیر قطر``)."""
    tokens = normalize_key(text).split()
    if not tokens:
        return set()
    names, _, _ = _countries()
    bases = [tokens]
    i = _strip(tokens, 0, HONORIFICS) if person else 0
    if i and len(tokens) - i >= 2:
        bases.append(tokens[i:])
    out: set[str] = set()
    for base in bases:
        spellings = [base]
        # 'وزارت خارجه ایران' is also 'وزارت خارجه جمهوری اسلامی ایران'
        for n in range(len(base) - 1, 0, -1):
            code = names.get(tuple(base[n:]))
            if code:
                others = [list(k) for k, c in names.items() if c == code]
                spellings += [base[:n] + o for o in others]
                break
        for s in spellings:
            key = "".join(s)
            out.add(key)
            for a, b in _VARIANTS:
                if a in key:
                    out.add(key.replace(a, b))
                if b in key and a not in key:
                    out.add(key.replace(b, a))
    return out


def _is_verb(token: str) -> bool:
    if "f" not in _IS_VERB:
        from .candidates import is_verb

        _IS_VERB["f"] = is_verb
    return _IS_VERB["f"](token)


_IS_VERB: dict[str, Any] = {}


_VOWEL_LETTERS = re.compile("[اآویء]")


def _skeleton(key: str) -> str:
    return key[:1] + _VOWEL_LETTERS.sub("", key[1:])
