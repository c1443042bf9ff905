"""Robustness: offsets always slice to their spans, and arbitrary, empty and
very long input returns in bounded time without raising."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import MAX_INPUT_CHARS, InputTooLarge, extract

PIECES = [
    "او گفت: «",
    "»",
    "«",
    " اعلام کرد که ",
    "به گزارش خبرگزاری فارس، ",
    "\u200c",
    "\u200f",
    "\u202b",
    "ـ",
    "ً",
    "سنتکام: ",
    "، ",
    ".",
    "\n",
    "؟",
    " وزیر دفاع ایالات متحده ",
    " را تکذیب کرد",
    " از حمله خبر داد",
    "دست‌کم ۵۸ حمله",
    " روز شنبه ۳۰ دی‌ماه ",
    "با تاکید بر اینکه ",
    "بنابر اعلام پنتاگون، ",
    '"',
    "ي",
    "ك",
    "۱۲۳",
]

persianish = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
    max_size=40,
).map("".join)


def _check(text: str) -> None:
    for a in extract(text):
        assert text[a.source_start : a.source_end] == a.source
        assert text[a.cue_start : a.cue_end] == a.cue
        assert text[a.content_start : a.content_end] == a.content
        if a.via is not None:
            assert text[a.via_start : a.via_end] == a.via
        for q in a.quantities:
            assert text[q.start : q.end] == q.text
        for d in a.dates:
            assert text[d.start : d.end] == d.text
        assert 0.0 <= a.confidence <= 1.0
        assert a.kind in ("direct", "indirect", "mixed", "according_to")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persianish)
def test_offsets_on_persian_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_arbitrary_unicode(text: str) -> None:
    _check(text)


def test_empty_and_blank() -> None:
    assert extract("") == []
    assert extract("   \n\u200c ") == []


def test_one_megabyte_without_full_stop_is_bounded() -> None:
    unit = "وزیر دفاع گفت که «نیروها در منطقه هستند و او افزود که آنها می‌مانند "
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    # CPU time, not wall-clock: a loaded machine must not fail it, while runaway
    # backtracking (minutes of CPU) still would. About 3 s on this machine.
    t0 = time.process_time()
    found = extract(text)
    assert time.process_time() - t0 < 60
    for a in found[:200]:
        assert text[a.content_start : a.content_end] == a.content


def test_one_megabyte_of_letters_is_bounded() -> None:
    text = "ا" * 1_000_000
    t0 = time.process_time()
    assert extract(text) == []
    assert time.process_time() - t0 < 30


def test_over_limit_raises() -> None:
    with pytest.raises(InputTooLarge, match="at most"):
        extract("ا" * (MAX_INPUT_CHARS + 1))
    with pytest.raises(ValueError):
        extract("ا" * (MAX_INPUT_CHARS + 1))


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        extract(b"bytes")  # type: ignore[arg-type]
