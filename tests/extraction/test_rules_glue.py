"""Words run together or split by a stray space at a source's edges
(rules/glue.py). Sentences made up for the tests."""

from __future__ import annotations

import pytest

from claims.extraction import extract, normalize_key
from claims.extraction.lexicon import load
from claims.extraction.rules.glue import glue


def _check_offsets(text: str, got) -> None:
    for a in got:
        assert text[a.source_start : a.source_end] == a.source
        assert text[a.content_start : a.content_end] == a.content


def test_a_registry_name_glued_to_the_next_word() -> None:
    text = "بانک مرکزینرخ تورم بهمن را ۳۵ درصد اعلام کرد."
    aliases = {normalize_key("بانک مرکزی"): 7}
    got = extract(text, aliases=aliases)
    assert [(a.source, a.source_id) for a in got] == [("بانک مرکزی", 7)]
    assert got[0].content.startswith("نرخ تورم")
    _check_offsets(text, got)


def test_without_the_registry_an_unknown_compound_stays_whole() -> None:
    got = extract("بانک مرکزینرخ تورم بهمن را ۳۵ درصد اعلام کرد.")
    assert got and got[0].source.startswith("بانک مرکزی")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("وزیر خارجه‌در نشست خبری گفت که مذاکرات ادامه دارد.", "وزیر خارجه"),
        ("وزیر خارجهدر نشست خبری گفت که مذاکرات ادامه دارد.", "وزیر خارجه"),
        ("سخنگوی پلیسدیروز گفت که راه‌ها باز است.", "سخنگوی پلیس"),
    ],
)
def test_a_function_word_glued_to_the_source(text: str, source: str) -> None:
    got = extract(text)
    assert [a.source for a in got] == [source]
    _check_offsets(text, got)


def test_a_verb_split_by_a_stray_space_ends_its_clause() -> None:
    text = "شرکت نفت این خبر را تکذیب کر د سخنگوی وزارت نفت گفت که تولید ثابت است."
    got = extract(text)
    assert [a.source for a in got] == ["سخنگوی وزارت نفت"]


def test_a_piece_of_the_next_word_is_not_part_of_the_source() -> None:
    g = glue(load())
    assert g.fragment("ن", "رخ", False)  # 'ن رخ' is 'نرخ'
    assert g.fragment("د", "کر", True)  # 'کر د' is 'کرد'
    assert not g.fragment("و", "دولت", False)


@pytest.mark.parametrize(
    "name",
    ["جعفری دولتآبادی", "دبیرکل حزبالله", "محمد سیدعباسی", "سنتکام", "حیدر العبودی", "عبدالله بنزاید"],
)
def test_names_are_never_cut(name: str) -> None:
    text = f"{name} گفت که جلسه برگزار می‌شود."
    got = extract(text)
    assert [a.source for a in got] == [name]


def test_known_words_and_inflections() -> None:
    g = glue(load())
    for w in ("کشورهای", "سخنگوی", "بیانیهای", "میگوید", "رسانهها", "مرکزی"):
        assert g.known(w), w
    assert g.cut_in("", "خارجهدر", None) == len("خارجه")
    assert g.cut_in("بانک", "مرکزینرخ", {"بانکمرکزی"}) == len("مرکزی")
    assert g.cut_in("بانک", "مرکزینرخ", None) is None


def test_the_registry_index_segments_a_glued_source() -> None:
    from claims.extraction.registry import default_registry

    text = "بانک مرکزینرخ تورم بهمن را ۳۵ درصد اعلام کرد."
    got = extract(text, registry=default_registry())
    assert [a.source for a in got] == ["بانک مرکزی"]
    _check_offsets(text, got)
