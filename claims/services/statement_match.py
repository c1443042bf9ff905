"""When two appearances are one statement: the same speaker, the same wording, the same
numbers, within days of each other. Pure Python (no Django), so the benchmark and the
quality test run the very decision ``claims.services.statements`` makes.

Wording is compared as sets of content words, not characters. Outlets relaying a
statement reword it, cut it short or quote only a part, and Persian writes one word in
several ways, so each wording is first reduced to its content words:

- ``normalize_key`` (letters, digits, no ZWNJ or punctuation);
- a verb prefix written apart joins its verb (``می خواهیم`` is ``میخواهیم``), a plural or
  person ending written apart joins its word (``گفتگو ها``);
- function words (prepositions, conjunctions, pronouns, auxiliaries) are dropped;
- number words become digits (``شش`` is ``6``), and a light stemmer strips plural,
  possessive and person endings (``تماسی`` and ``تماس``, ``نداشته‌ایم`` and ``نداشتم``).

The similarity of two wordings is the larger of their Jaccard overlap and the share of
the shorter wording found in the longer, counted with one word of doubt
(``shared / (shorter + 1)``): a headline or a one-line relay that quotes part of a
statement matches it, while one shared word never does.

Two wordings that both carry numbers must share one (``259 نفر`` is not ``21 نفر``), and
two appearances more than RELAY_WINDOW apart are two statements: the same words said
again a month later are a repetition, which the claim matcher links, not a relay.
SAME_STATEMENT and the window were set on the labelled pair set
(tests/data/statement-pairs, ``make bench BENCH=statement_pairs``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from claims.extraction.lexicon import LEXICON_DIR
from claims.extraction.normalize import normalize_key
from claims.extraction.resolve import head_of

#: Similarity from which two wordings of one speaker are one statement.
SAME_STATEMENT = 0.55
#: Appearances further apart than this are different statements.
RELAY_WINDOW = dt.timedelta(days=7)

# Function words, written as normalize_key writes them (no ZWNJ, Persian letters).
_FUNCTION_WORDS_TEXT = """
و در به از که را با این آن برای تا بر هم نیز یا اما ولی اگر چون زیرا پس است هست نیست بود
بوده شد شده شود شوند می نمی ما من او وی آنها ایشان شما خود همه هر هیچ یک ای چه چنین همین
همان آنچه کرد کند کنند کرده کردند کردیم کنیم دارد دارند داشت باید البته بسیار خیلی نه بین روی
اینکه آنکه دیگر همچنین حتی فقط تنها درباره مورد جهت طی ضمن سوی توسط بنده ها های هایی
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_PREFIXES = frozenset({"می", "نمی"})
_DETACHED_ENDINGS = frozenset(
    {"ها", "های", "هایی", "ای", "اند", "ایم", "اید", "ام", "تر", "ترین", "شان", "مان", "تان"}
)
_ENDINGS = tuple(
    sorted(
        (
            "هایی",
            "های",
            "ها",
            "ترین",
            "تر",
            "یی",
            "ای",
            "ی",
            "ان",
            "ات",
            "یم",
            "ید",
            "ند",
            "ام",
            "ش",
            "م",
            "ه",
        ),
        key=len,
        reverse=True,
    )
)
# Number words that are only numbers: 'یک' (a), 'نه' (no), 'سی' and 'یه' are also words.
_AMBIGUOUS_NUMBERS = frozenset({"یک", "یه", "نه", "سی"})
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")

# Speakers that name no one: they never group.
_NOBODY = frozenset(
    normalize_key(w)
    for w in (
        "او",
        "وی",
        "ایشان",
        "این مقام",
        "این مسئول",
        "این منبع",
        "یک منبع",
        "یک منبع آگاه",
        "منابع آگاه",
        "منابع",
        "یک مقام",
        "یک مقام آگاه",
        "برخی منابع",
        "کارشناسان",
        "آنها",
        "آن‌ها",
    )
)

Identity = tuple[int | None, str]


def speaker_key(source_id: int | None, written: str) -> Identity | None:
    """(source id, "") for a registry speaker, (None, key) for a named unknown one, None
    for nobody (a pronoun or an anonymous source never groups). An unknown speaker is
    known by the name before its apposition: ``X، معاون ...`` and ``X`` are one speaker."""
    if source_id:
        return source_id, ""
    key = normalize_key(head_of(written or ""))
    if not key or key in _NOBODY or len(key) < 3:
        return None
    return None, key[:300]


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Number words that are only numbers, as normalize_key writes them, with their values."""
    with open(LEXICON_DIR / "numbers.json", encoding="utf-8") as fh:
        units = json.load(fh)["units"]
    return {normalize_key(w): int(v) for w, v in units.items() if normalize_key(w) not in _AMBIGUOUS_NUMBERS}


def _stem(word: str) -> str:
    for _ in range(3):
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


def key_words(key: str) -> list[str]:
    """Words of a comparison key, digits apart from letters, detached affixes joined."""
    raw = _TOKEN.findall(key)
    out: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        if word in _PREFIXES and i + 1 < len(raw):
            word, i = word + raw[i + 1], i + 1
        if word in _DETACHED_ENDINGS and out:
            out[-1] += word
        else:
            out.append(word)
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class Wording:
    words: frozenset[str]
    numbers: frozenset[int]


@lru_cache(maxsize=8192)
def wording(key: str) -> Wording:
    """The content words and numbers of a comparison key (``normalize_key`` output)."""
    numbers = number_words()
    words: set[str] = set()
    values: set[int] = set()
    for word in key_words(key):
        if word.isdigit():
            values.add(int(word))
            words.add(word)
        elif word in numbers:
            values.add(numbers[word])
            words.add(str(numbers[word]))
        elif word not in _FUNCTION_WORDS:
            words.add(_stem(word))
    return Wording(frozenset(words), frozenset(values))


def wording_similarity(a: str, b: str) -> float:
    """How much two comparison keys say in the same words, 0..1 (see the module doc)."""
    wa, wb = wording(a).words, wording(b).words
    if not wa or not wb:
        return 0.0
    shared = len(wa & wb)
    return max(shared / len(wa | wb), shared / (min(len(wa), len(wb)) + 1))


def numbers_agree(a: str, b: str) -> bool:
    """False when both wordings carry numbers and share none."""
    na, nb = wording(a).numbers, wording(b).numbers
    return not (na and nb and not na & nb)


def within_window(
    when: dt.datetime | dt.date | None,
    first: dt.datetime | dt.date | None,
    last: dt.datetime | dt.date | None,
) -> bool:
    """Whether ``when`` falls within RELAY_WINDOW of a statement seen from ``first`` to ``last``
    (unknown times never separate)."""
    if when is None or first is None:
        return True
    last = last or first
    return first - RELAY_WINDOW <= when <= last + RELAY_WINDOW


def statement_score(key: str, other: str) -> float:
    """The score the grouping compares with SAME_STATEMENT: the wording similarity, or 0
    when the numbers disagree."""
    return wording_similarity(key, other) if numbers_agree(key, other) else 0.0
