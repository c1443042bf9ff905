"""Document statements, agent passives, frames and lexicon gaps found on the
open web (rules/documents.py, rules/frames.py, lexicon). Sentences made up for
the tests."""

from __future__ import annotations

import pytest

from claims.extraction import extract


def _triples(text: str):
    return [(a.source, a.cue, a.content) for a in extract(text)]


def test_document_with_a_relative_clause_between_commas() -> None:
    got = extract("در بیانیه وزارت کشور، که دیروز منتشر شد، آمده بود که انتخابات به تعویق نمی‌افتد.")
    assert [(a.source, a.content) for a in got] == [("وزارت کشور", "انتخابات به تعویق نمی‌افتد")]


@pytest.mark.parametrize(
    "text",
    [
        "در گزارشی که صندوق بین‌المللی پول منتشر کرد، آمده است که رشد اقتصادی کند می‌شود.",
        "در گزارشی که صندوق بین‌المللی پول روز سه‌شنبه منتشر کرد آمده است که رشد اقتصادی کند می‌شود.",
    ],
)
def test_report_issued_by_x(text: str) -> None:
    got = extract(text)
    assert [(a.source, a.content) for a in got] == [("صندوق بین‌المللی پول", "رشد اقتصادی کند می‌شود")]


def test_document_statement_with_bar_before_the_passive() -> None:
    got = extract("سازمان ملل بیانیه‌ای صادر کرد. در این بیانیه بر لزوم آتش‌بس فوری تأکید شده است.")
    assert [(a.source, a.content) for a in got] == [("این بیانیه", "لزوم آتش‌بس فوری")]


def test_report_claims_after_its_outlet() -> None:
    got = extract("روزنامه گاردین گزارشی منتشر کرد. در این گزارش ادعا شده است که قرارداد امضا شده است.")
    assert [(a.source, a.content) for a in got] == [("این گزارش", "قرارداد امضا شده است")]
    assert got[0].source_resolved == "روزنامه گاردین"


def test_agent_passive_in_the_present() -> None:
    got = _triples("مسئولان گفتند که چنین اظهاری از سوی وزارت نیرو تکذیب می‌شود.")
    assert ("وزارت نیرو", "از سوی وزارت نیرو تکذیب می‌شود", "چنین اظهاری") in got


def test_anaphoric_frame_after_a_person() -> None:
    got = extract("وزیر نیرو گفت که سدها پر است. بر اساس این اظهارات، ذخایر آب تا تابستان کافی است.")
    frame = next(a for a in got if a.cue == "بر اساس")
    assert frame.source == "این اظهارات" and frame.source_resolved == "وزیر نیرو"
    assert frame.content == "ذخایر آب تا تابستان کافی است"


def test_relay_frame_with_an_outlet_apposition() -> None:
    got = extract("به گزارش خبرگزاری رسمی کویت، کونا، وزیر نفت کویت گفت که تولید ثابت می‌ماند.")
    assert [(a.source, a.via) for a in got] == [("وزیر نفت کویت", "خبرگزاری رسمی کویت، کونا")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # negated cues keep the attribution
        ("وزیر اقتصاد افزایش مالیات را ضروری ندانست.", ("وزیر اقتصاد", "ندانست")),
        ("سخنگوی ارتش این گزارش را تکذیب نکرد.", ("سخنگوی ارتش", "تکذیب نکرد")),
        ("رئیس بانک نگفت که نرخ سود کاهش می‌یابد.", ("رئیس بانک", "نگفت")),
        # Dari
        ("سخنگوی وزارت معارف گفته است که مکاتب باز می‌شوند.", ("سخنگوی وزارت معارف", "گفته است")),
        ("برطبق گزارش یوناما، تلفات غیرنظامیان کاهش یافته است.", ("گزارش یوناما", "برطبق")),
        ("به قول والی هرات، راه‌ها امن است.", ("والی هرات", "به قول")),
        # accusation, message
        ("پاکستان هند را به نقض آتش‌بس متهم کرد.", ("پاکستان", "متهم کرد")),
        ("رهبر حزب به هوادارانش پیام داد که آرامش را حفظ کنند.", ("رهبر حزب", "پیام داد")),
        ("امام جمعه شهر فرمودند که باید صرفه‌جویی کرد.", ("امام جمعه شهر", "فرمودند")),
    ],
)
def test_lexicon_cues(text: str, expected: tuple[str, str]) -> None:
    got = extract(text)
    assert [(a.source, a.cue) for a in got] == [expected]
