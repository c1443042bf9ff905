"""Nominal cues, dropped light verbs and fronted objects (rules/nominal.py,
rules/coordination.py, subjects.fronted_object). Sentences made up for the
tests."""

from __future__ import annotations

import pytest

from claims.extraction import extract


def _triples(text: str):
    return [(a.source, a.cue, a.content) for a in extract(text)]


def test_sokhanan_mabni_bar_inke() -> None:
    got = _triples("پس از سخنان وزیر نیرو مبنی بر اینکه سدها پر است، نگرانی‌ها کم شد.")
    assert ("وزیر نیرو", "سخنان", "سدها پر است") in got


def test_mabni_bar_inside_a_denied_object_ends_at_ra() -> None:
    got = _triples("شهرداری ادعای رسانه‌ها مبنی بر تعطیلی مترو را تکذیب کرد.")
    assert ("رسانه‌ها", "ادعای", "تعطیلی مترو") in got
    assert ("شهرداری", "تکذیب کرد", "ادعای رسانه‌ها مبنی بر تعطیلی مترو") in got


def test_published_news_mabni_bar_inke() -> None:
    got = _triples("این نماینده هفته گذشته خبری منتشر کرد مبنی بر اینکه وزیر استعفا داده است.")
    assert got == [("این نماینده", "خبری منتشر کرد", "وزیر استعفا داده است")]


def test_a_topic_or_a_clitic_is_no_nominal_statement() -> None:
    assert _triples("تکرار ادعای همسایه درباره مرزهای دریایی") == []
    got = _triples("مربی تیم افزود، تأکید شان بر حفظ روحیه بازیکنان بوده است.")
    assert [s for s, _, _ in got] == ["مربی تیم"]


def test_dropped_light_verb_before_and() -> None:
    got = _triples("وزارت نیرو این خبر را تکذیب و از افزایش ذخایر سدها خبر داد.")
    assert got == [
        ("وزارت نیرو", "تکذیب", "این خبر"),
        ("وزارت نیرو", "خبر داد", "افزایش ذخایر سدها"),
    ]


def test_second_verb_on_an_object_after_and() -> None:
    got = _triples("فرمانده انتظامی توقیف این کشتی را تایید و آن را اقدامی قانونی خواند.")
    assert got == [
        ("فرمانده انتظامی", "تایید", "توقیف این کشتی"),
        ("فرمانده انتظامی", "خواند", "آن را اقدامی قانونی"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "این موضوع را سخنگوی وزارت بهداشت در نشست خبری اعلام کرد.",
        "این موضوع را سخنگوی وزارت بهداشت که دیروز به شیراز رفته بود، در نشست خبری اعلام کرد.",
    ],
)
def test_a_fronted_object_before_its_speaker(text: str) -> None:
    assert _triples(text) == [("سخنگوی وزارت بهداشت", "اعلام کرد", "این موضوع")]


def test_as_x_said_y() -> None:
    got = _triples("مدیر بیمارستان گفت: همانطور که وزیر بهداشت اشاره کرد داروی کافی داریم.")
    assert ("وزیر بهداشت", "اشاره کرد", "داروی کافی داریم") in got
    assert any(s == "مدیر بیمارستان" for s, _, _ in got)
    # inside a quotation too
    got = _triples("او گفت: «همان‌طور که رئیس سازمان اعلام کرد، قیمت‌ها ثابت می‌ماند.»")
    assert ("رئیس سازمان", "اعلام کرد", "قیمت‌ها ثابت می‌ماند") in got


def test_event_noun_opens_the_object_after_a_title() -> None:
    assert _triples("وزیر راه افزایش نرخ بلیت قطار را رد کرد.") == [
        ("وزیر راه", "رد کرد", "افزایش نرخ بلیت قطار")
    ]


def test_a_number_before_a_time_noun_is_not_part_of_the_subject() -> None:
    got = _triples("او دو سه روز پیش با من تماس گرفت و گفت که جلسه لغو شده است.")
    assert [s for s, _, _ in got] == ["او"]


def test_title_that_opens_with_a_stop_word() -> None:
    got = _triples("نخست وزیر هند گفت که انتخابات برگزار می‌شود.")
    assert [s for s, _, _ in got] == ["نخست وزیر هند"]


def test_while_correlative_is_the_writers_backdrop() -> None:
    # 'X در حالی ... گفت که Y': Y is not X's statement
    got = _triples("وزیر نیرو در حالی این سخنان را مطرح می‌کند که سدها خالی است.")
    assert got == []
    # ... a 'را' object with its predicate still is
    got = _triples("این مقام در حالی طالبان را حکومت قانونی خوانده است که هیچ کشوری آن را نپذیرفته است.")
    assert got == [("این مقام", "خوانده است", "طالبان را حکومت قانونی")]


def test_content_ends_before_a_new_clause_with_zemn() -> None:
    got = _triples(
        "وزیران خارجه همچنین مدعی شدند که این جزایر متعلق به امارات است و ضمن محکوم کردن این سفر "
        "از دولت خواستند مذاکره کند."
    )
    assert ("وزیران خارجه", "مدعی شدند", "این جزایر متعلق به امارات است") in got


def test_a_verb_coordinated_inside_the_previous_content_is_no_new_statement() -> None:
    got = _triples(
        "شورا مدعی شد که حضور نیروها نقض چیزی است که آن را «حق ملت» خوانده و ادعا کرده، امنیت را تهدید می‌کند."
    )
    assert [c for _, c, _ in got] == ["مدعی شد"]


def test_a_long_quoted_name_before_a_title() -> None:
    got = extract("فارس: «شیخ عبدالله بن زاید آل نهیان» وزیر خارجه امارات گفت که مذاکره ادامه دارد.")
    assert [(a.source, a.via) for a in got] == [("«شیخ عبدالله بن زاید آل نهیان» وزیر خارجه امارات", "فارس")]
