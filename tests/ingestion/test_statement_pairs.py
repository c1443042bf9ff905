"""Quality floor of statement grouping on the labelled pairs of real Persian news
(tests/data/statement-pairs), and the pieces of the decision one by one.

The floors sit a little below the measured figures (``make bench BENCH=statement_pairs``:
relays precision 0.979, recall 0.902; all pairs precision 0.982, recall 0.783), so a
change that loses quality fails here. No database: the decision is pure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from bench import pairset
from claims.extraction.normalize import normalize_key
from claims.services.statement_match import (
    RELAY_WINDOW,
    SAME_STATEMENT,
    numbers_agree,
    speaker_key,
    statement_score,
    within_window,
    wording,
    wording_similarity,
)

REQUIRED = ("id", "outlet", "url", "date", "speaker", "statement", "source", "source_head", "content", "text")


@pytest.fixture(scope="module")
def pair_set():
    return pairset.load()


def test_the_pair_set_has_its_shape(pair_set):
    appearances, pairs = pair_set
    rows = [
        json.loads(line)
        for line in (pairset.PAIRS_DIR / "appearances.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(rows) == len(appearances), "appearance ids are unique"
    for row in rows:
        assert all(row.get(field) is not None for field in REQUIRED if field != "date"), row["id"]
        assert row["url"].startswith(("http://", "https://")), row["id"]
        assert row["content"] in row["text"], row["id"]
        assert row["source"] in row["text"], row["id"]
        assert row["statement"].split("/", 1)[0], row["id"]
    assert len(pairs) >= 150
    assert {a.host for a in appearances.values()}.__len__() >= 10
    labels = Counter(p.label for p in pairs)
    assert set(labels) == set(pairset.LABELS) and min(labels.values()) >= 40, labels
    assert len({(p.a.id, p.b.id) for p in pairs}) == len(pairs)
    # a label follows from the two appearances' statement and speaker, read by hand
    for p in pairs:
        assert p.a.id != p.b.id
        expected = (
            "same"
            if p.a.statement == p.b.statement
            else "different_same_speaker"
            if p.a.speaker == p.b.speaker
            else "different_speaker"
        )
        assert p.label == expected, p.id
    assert sum(1 for p in pairs if p.label == "same" and not p.same_article) >= 50


def test_grouping_reaches_the_target_on_relays_and_a_floor_on_all_pairs(pair_set):
    _, pairs = pair_set
    relays = pairset.measure([p for p in pairs if not p.same_article], pairset.decide)
    assert relays.precision >= 0.95 and relays.recall >= 0.85, relays
    everything = pairset.measure(pairs, pairset.decide)
    assert everything.precision >= 0.95 and everything.recall >= 0.75, everything
    # different speakers never share a statement, whatever their words
    assert not any(pairset.decide(p) for p in pairs if p.label == "different_speaker")


def test_the_new_score_beats_trigram_jaccard_on_the_pairs(pair_set):
    _, pairs = pair_set
    old = pairset.measure(pairs, lambda p: pairset.decide(p, 0.5, pairset.trigram_jaccard))
    new = pairset.measure(pairs, pairset.decide)
    assert new.recall > old.recall and new.precision >= 0.95


def key(text: str) -> str:
    return normalize_key(text)


def test_wording_reads_persian_spellings_alike():
    # ZWNJ, a verb prefix written apart, plural and person endings, number words
    assert wording(key("نمی‌خواهیم")).words == wording(key("نمی خواهیم")).words
    assert wording(key("تماسی")).words == wording(key("تماس")).words
    assert wording(key("دیداری که در آن شش گل زده شد")).numbers == {6}
    assert wording(key("۶ گل")).numbers == wording(key("6 گل")).numbers == {6}
    # function words carry no weight
    assert wording(key("در و به از که")).words == frozenset()


def test_a_relay_that_quotes_part_of_a_statement_matches_it():
    full = key("در روزهای گذشته تماسی بین من و ویتکاف وجود نداشته است و ما هم تقاضای مذاکره نداشته‌ایم")
    assert wording_similarity(key("تماسی با ویتکاف نداشتم"), full) >= SAME_STATEMENT
    # one shared word is never enough
    assert wording_similarity(key("ویتکاف"), full) < SAME_STATEMENT
    assert wording_similarity(key("صادرات نفت در ماه گذشته افزایش یافت"), full) < SAME_STATEMENT


def test_numbers_must_agree():
    a = key("در این حادثه 259 نفر مصدوم شدند")
    b = key("در این حادثه 21 نفر مصدوم شدند")
    assert wording_similarity(a, b) >= SAME_STATEMENT
    assert not numbers_agree(a, b) and statement_score(a, b) == 0.0
    assert numbers_agree(a, key("۲۵۹ نفر در این حادثه مصدوم شدند"))
    assert numbers_agree(a, key("در این حادثه شماری مصدوم شدند"))  # one side without numbers


def test_the_relay_window():
    day = dt.date(2025, 10, 8)
    assert within_window(day + dt.timedelta(days=1), day, day)
    assert within_window(day + RELAY_WINDOW, day, day)
    assert not within_window(day + RELAY_WINDOW + dt.timedelta(days=1), day, day)
    assert within_window(None, day, day) and within_window(day, None, None)
    # a statement relayed over days stays open a window after its last appearance
    assert within_window(day + dt.timedelta(days=9), day, day + dt.timedelta(days=3))


def test_speaker_keys():
    assert speaker_key(7, "هر چه") == (7, "")
    assert speaker_key(None, "پیمان قربانی، معاون اقتصادی بانک مرکزی") == speaker_key(None, "پیمان قربانی")
    assert speaker_key(None, "وی") is None and speaker_key(None, "یک منبع آگاه") is None
