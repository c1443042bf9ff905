"""When an article is a copy of one already held: the words two articles are compared
on, and the decision. Pure Python (no Django), so the benchmark and the tests run the
very decision ``claims.services.copies`` makes.

A copy says what its original says in the original's words: the same agency text on
another site, whole or cut short, under the relaying outlet's own headline, credit line
and furniture, or lightly rewritten (a changed lead, a cue verb, a digit for a number
word, a lost ZWNJ). Two reports of one event written up apart, and the next report in
an agency's fixed template (today's figures in yesterday's sentences), are not copies.

Each text is reduced to the words a copy keeps:

- lines of fewer than FURNITURE_WORDS words (``در حال تکمیل``, ``انتهای پیام``, a lone
  ``منبع:``) and headlines (a line under TITLE_WORDS words that ends no sentence) are
  dropped: each outlet writes its own;
- a line's opening credit, dateline or cue (``باشگاه خبرنگاران جوان -``, ``ایرنا/``,
  ``ورزش سه:``, ``وی افزود:``) and every ``به گزارش X،`` / ``به نقل از X،`` are dropped;
- ``normalize_key`` (letters, digits, no ZWNJ or punctuation), verb prefixes and endings
  written apart joined to their word, number words as digits, ``سه و نیم`` as ``3 5``
  (how ``3.5`` reads once normalised).

The measure is the share of the new article's word trigrams (SHINGLE words) found in
the original's: a copy cut short keeps all of them, one under another outlet's credit
and headline nearly all, a light rewrite most. From SAME_STORY of them it is a copy,
unless the two disagree on their figures: when the new article carries at least three
numbers and fewer than half of them are the original's, it is another report in the
same template. SAME_STORY was set on real copies and on different stories of one
agency on one subject (``tests/data/wire-copies``, ``make bench BENCH=wire_copies``).

A copy may carry more than its original (an update's new paragraph): ``Holder.carries``
says which of its spans the original already holds (most of the span's shingles, or
SPAN_WORDS of its content words when the copy reworded it, and no number the original
lacks), so that only those leave the review queue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.normalize import normalize_key
from claims.services.statement_match import key_words, number_words, wording

#: Words in a shingle.
SHINGLE = 3
#: Fewer shingles than this (a headline, a one-line post) is too little to call a copy.
MIN_SHINGLES = 12
#: Share of the new article's shingles found in the original from which it is a copy.
SAME_STORY = 0.5
#: A line of fewer words is furniture (a byline, a credit, "to be completed").
FURNITURE_WORDS = 6
#: A line of fewer words that ends no sentence is a headline.
TITLE_WORDS = 15
#: A new article with at least this many numbers must share half of them with its original.
NUMBERS_TO_AGREE = 3
#: Share of a span's shingles, or of its content words, the original must hold for the
#: span to be carried over from it.
SPAN_SHINGLES = 0.5
SPAN_WORDS = 0.75

# A line's opening credit, dateline or cue: up to four words before a colon, dash or slash.
_OPENING = re.compile(r"^\s*(?:[^\s:،,.«»()\-–—/|]+\s*){1,4}[:\-–—/|]+\s+")
# "According to X," and "quoting X," with X up to eight words long.
_CREDIT = re.compile(r"(?:به\s+گزارش|به\s+نقل\s+از)\s+(?:[^\s،,:.]+\s+){0,7}?[^\s،,:.]+\s*[،,:]")
_SENTENCE_END = re.compile(r"[.!?؟…»\u06d4]\W*$")
_HALF = "نیم"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The words of a text as copies are compared on, their shingles and their numbers."""

    words: tuple[str, ...]
    shingles: frozenset[str]
    numbers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Overlap:
    jaccard: float
    containment: float  # share of the new text's shingles found in the original's
    numbers_agree: bool


def canonical_words(text: str) -> list[str]:
    """The words of a piece of text, normalised as copies compare them (no line dropping)."""
    numbers = number_words()
    out: list[str] = []
    for word in key_words(normalize_key(text)):
        if word == _HALF and len(out) >= 2 and out[-1] == "و" and (out[-2].isdigit() or out[-2] == "یک"):
            # "سه و نیم" reads as "3.5" does once normalised: "3 5".
            out[-2:] = ["1" if out[-2] == "یک" else out[-2], "5"]
            continue
        out.append(str(numbers[word]) if word in numbers else word)
    return out


def _line_words(line: str) -> list[str]:
    for _ in range(3):
        stripped = _OPENING.sub("", line, count=1)
        if stripped == line:
            break
        line = stripped
    return canonical_words(_CREDIT.sub(" ", line))


def copy_words(text: str) -> list[str]:
    """The words of an article that a copy keeps: furniture, headlines and credits dropped."""
    kept: list[str] = []
    every: list[str] = []
    for line in (text or "").splitlines():
        words = _line_words(line)
        every.extend(words)
        if len(words) < FURNITURE_WORDS:
            continue
        if len(words) < TITLE_WORDS and not _SENTENCE_END.search(line):
            continue
        kept.extend(words)
    # A text of short lines only (a post, a list) is compared whole.
    return kept if len(kept) >= MIN_SHINGLES + SHINGLE - 1 else every


def _shingles(words: list[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1)))


def fingerprint(text: str) -> Fingerprint:
    words = copy_words(text)
    return Fingerprint(tuple(words), _shingles(words), frozenset(w for w in words if w.isdigit()))


def compare(new: Fingerprint, original: Fingerprint) -> Overlap:
    return overlap(new, len(new.shingles & original.shingles), len(original.shingles), original.numbers)


def overlap(new: Fingerprint, shared: int, original_size: int, original_numbers: frozenset[str]) -> Overlap:
    """``compare`` from what it needs of the original: the shingles the two share, the
    original's count of shingles and its numbers."""
    union = len(new.shingles) + original_size - shared
    agree = len(new.numbers) < NUMBERS_TO_AGREE or 2 * len(new.numbers & original_numbers) >= len(new.numbers)
    return Overlap(
        jaccard=shared / union if union else 0.0,
        containment=shared / len(new.shingles) if new.shingles else 0.0,
        numbers_agree=agree,
    )


def is_copy(new: Fingerprint, overlap: Overlap) -> bool:
    return len(new.shingles) >= MIN_SHINGLES and overlap.numbers_agree and overlap.containment >= SAME_STORY


def content_words(text: str) -> frozenset[str]:
    """The content words of a whole text (``statement_match.wording``: function words
    dropped, light stemming), its numbers read as ``canonical_words`` reads them. Not
    through wording's cache, which holds short spans, not articles."""
    return wording.__wrapped__(" ".join(canonical_words(text))).words


class Holder:
    """An original, as the spans of its copy are looked up in it. Its content words
    are read from its text only when a span is not found by its shingles (a copy
    reworded it): most spans of a copy are, and reading a whole article's content
    words costs more than the rest of the comparison."""

    __slots__ = ("_text", "_words", "fingerprint")

    def __init__(self, fingerprint: Fingerprint, text: str) -> None:
        self.fingerprint = fingerprint
        self._text = text
        self._words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = content_words(self._text)
        return self._words

    def carries(self, span: str) -> bool:
        """Whether the original already holds this span of its copy (a candidate's words)."""
        words = canonical_words(span or "")
        if not words or any(w.isdigit() and w not in self.fingerprint.numbers for w in words):
            return False
        grams = _shingles(words)
        if grams and len(grams & self.fingerprint.shingles) >= SPAN_SHINGLES * len(grams):
            return True
        content = wording(" ".join(words)).words
        return bool(content) and len(content & self.words) >= SPAN_WORDS * len(content)


def holder(text: str, known: Fingerprint | None = None) -> Holder:
    """The original ``text`` (its fingerprint ``known`` when already computed) as a holder."""
    return Holder(known or fingerprint(text), text)
