"""Sentence ends found by shape when line breaks are gone (rules/layout.py),
and label lines that are not speakers."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.evaluate import flatten
from claims.extraction.rules.forms import finite_forms


def _view(text: str) -> list[tuple[str, str, str]]:
    return [(a.source, a.cue, a.content) for a in extract(text)]


def test_finite_forms_leave_out_common_nouns() -> None:
    forms = finite_forms()
    assert {"کرد", "شد", "میکند", "کردند", "نمیدهد", "است", "کردهاند"} <= forms
    assert "نشست" not in forms and "نخست" not in forms and "دست" not in forms


def test_flatten_keeps_offsets() -> None:
    text = "الف\nب\r\nج"
    flat = flatten(text)
    assert len(flat) == len(text) and "\n" not in flat and "\r" not in flat


@pytest.mark.parametrize(
    "text",
    [
        "مدیرعامل یک شرکت بیمه با هزار شاکی دستگیر شد\n"
        "دادستان مرکز استان از بازداشت مدیرعامل این شرکت بیمه خبر داد.",
        "بانک جهانی به کشورهای آسیایی کمک می‌کند\n"
        "به گزارش رویترز، بانک جهانی اعلام کرد که وام تازه‌ای پرداخت می‌شود.",
    ],
)
def test_headline_verb_ends_the_headline_without_a_line_break(text: str) -> None:
    got = _view(text)
    assert got, text
    assert _view(flatten(text)) == got
    assert all("شد" not in s.split() for s, _, _ in got)


def test_verb_that_takes_a_clause_is_not_a_headline_end() -> None:
    text = "گزارش‌ها نشان می‌دهد تورم کاهش یافته است و وزیر اقتصاد گفت که قیمت‌ها ثابت می‌ماند."
    assert _view(text) == _view(flatten(text))


@pytest.mark.parametrize(
    "text",
    [
        "کد خبر: ۳۰۱۷۴۰\nوزیر گفت که جلسه برگزار شد.",
        "گل‌ها: علی رضایی (۴۵) و محمد احمدی (۸۲) برای صبا\nوزیر گفت که جلسه برگزار شد.",
        "انتشار: ۱۴۰۰/۰۸/۱۸ - 23:22\nوزیر گفت که جلسه برگزار شد.",
        "خبرگزاری مهر، گروه استان‌ها: در سکوت زمین در حال خالی شدن است\nوزیر گفت که جلسه برگزار شد.",
    ],
)
def test_label_lines_are_not_speakers(text: str) -> None:
    assert [s for s, _, _ in _view(text)] == ["وزیر"]


def test_speaker_label_with_a_number_in_its_content_is_kept_when_words_follow() -> None:
    got = _view("سنتکام: دو موشک بالستیک رهگیری شد")
    assert got and got[0][0] == "سنتکام"


def test_bullets_open_paragraphs_without_line_breaks() -> None:
    text = (
        "🔹وزرای خارجه عرب مدعی شدند که این جزایر متعلق به امارات است. 🔸شورای همکاری نشست دیگری برگزار کرد."
    )
    got = extract(text.replace("\n", " "))
    assert got and got[0].source == "وزرای خارجه عرب"


def test_a_line_that_stops_on_a_comma_goes_on() -> None:
    text = (
        "سخنگوی وزارت خارجه که با حضور خبرنگاران در نشست خبری شرکت کرده بود،\n"
        "در پاسخ به سوالی، گفت که مذاکرات ادامه دارد."
    )
    got = extract(text)
    assert [(a.source, a.content) for a in got] == [("سخنگوی وزارت خارجه", "مذاکرات ادامه دارد")]
    assert [(a.source, a.content) for a in extract(flatten(text))] == [(a.source, a.content) for a in got]
