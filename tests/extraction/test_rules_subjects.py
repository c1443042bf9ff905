"""Subjects and apposition (rules/subjects.py)."""

from __future__ import annotations

import pytest

from claims.extraction import extract

from .rules_helpers import engine, span_of


@pytest.mark.parametrize(
    ("text", "verb", "subject"),
    [
        ("وزیر امور خارجه روز دوشنبه گفت", "گفت", "وزیر امور خارجه"),
        ("عباس عراقچی، وزیر امور خارجه، گفت", "گفت", "عباس عراقچی، وزیر امور خارجه"),
        ("یکی از مقامات ارشد گفت", "گفت", "یکی از مقامات ارشد"),
        # the matching view drops the ZWNJ
        ("در روزهای اخیر برخی رسانه‌ها گزارش دادند", "گزارش", "برخی رسانهها"),
    ],
)
def test_find_subject(text: str, verb: str, subject: str) -> None:
    r = engine(text)
    assert span_of(r, r.find_subject(0, r.t.index(verb))) == subject


def test_subject_stops_at_the_object() -> None:
    r = engine("وزارت خارجه روسیه این حمله را محکوم کرد")
    assert span_of(r, r.find_subject(0, r.t.index("محکوم"))) == "وزارت خارجه روسیه"


def test_posting_belongs_to_the_title() -> None:
    r = engine("سفیر ایران در سازمان ملل گفت")
    assert span_of(r, r.find_subject(0, r.t.index("گفت"))) == "سفیر ایران در سازمان ملل"


def test_valid_source_refuses_verbs_digits_and_non_speakers() -> None:
    r = engine("تحقیقات ۱۲۳ گزارش شده است")
    assert not r.valid_source((r.t.index("۱") if "۱" in r.t else r.t.index("1"), r.t.index(" گزارش")))
    assert not r.valid_source((0, len("تحقیقات")))
    assert not r.valid_source((r.t.index("گزارش"), len(r.t)))


def test_speakerish() -> None:
    r = engine("سخنگوی ارتش")
    assert r.speakerish((0, len(r.t)), 0, 0)
    r = engine("باران شدید")
    assert not r.speakerish((0, len(r.t)), 0, 0)


def test_subject_with_apposition_through_extract() -> None:
    a = extract("عباس عراقچی، وزیر امور خارجه، گفت که مذاکرات ادامه دارد.")[0]
    assert a.source == "عباس عراقچی، وزیر امور خارجه"
    assert a.content == "مذاکرات ادامه دارد"


@pytest.mark.parametrize(
    "text",
    [
        "گزارش‌ها حاکی است صادرات نفت کاهش یافته است.",
        "او در گفت وگویی با خبرنگاران درباره این موضوع توضیح داد.",
    ],
)
def test_no_identifiable_source_and_split_compounds(text: str) -> None:
    assert extract(text) == []


def test_reports_of_a_named_source_still_count() -> None:
    got = extract("گزارش‌های رسانه‌های آلمانی حاکی از این است که مذاکرات آغاز شده است.")
    assert got and got[0].content == "مذاکرات آغاز شده است"
