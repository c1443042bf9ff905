"""Document statements and agent passives (rules/documents.py)."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.rules.documents import rare_cues


def test_rare_cues_need_their_key_words() -> None:
    assert rare_cues("وزیر گفت که جلسه برگزار شد.") == ([], [])
    amade, agent = rare_cues("در این بیانیه آمده است که حمله دفع شد. از سوی وزارت اعلام شد که ...")
    assert len(amade) == 1 and len(agent) == 1


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        ("در بیانیه سپاه پاسداران آمده است که دو پهپاد سرنگون شد.", "سپاه پاسداران", "دو پهپاد سرنگون شد"),
        ("در این اطلاعیه تاکید شده است که مدارس تعطیل است.", "این اطلاعیه", "مدارس تعطیل است"),
        ("از سوی وزارت بهداشت اعلام شد که واکسن رسید.", "وزارت بهداشت", "واکسن رسید"),
        ("این خبر توسط وزارت امور خارجه تکذیب شد.", "وزارت امور خارجه", "این خبر"),
    ],
)
def test_statements(text: str, source: str, content: str) -> None:
    got = extract(text)
    assert len(got) == 1
    assert (got[0].source, got[0].content) == (source, content)


def test_document_modifier_is_not_an_issuer() -> None:
    got = extract("در بیانیه پایانی آمده است که همکاری ادامه دارد.")
    assert all(a.source != "پایانی" for a in got)


def test_nominal_denial_headline() -> None:
    got = extract("تکذیب خبر استعفای وزیر از سوی روابط عمومی وزارت\nمتن خبر.")
    assert got and got[0].cue == "تکذیب" and got[0].source == "روابط عمومی وزارت"


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "درین گزارش گفته شده که تلفات غیرنظامیان افزایش یافته است.",
            "درین گزارش",
            "تلفات غیرنظامیان افزایش یافته است",
        ),
        ("در گزارش آمده که حوادث رانندگی کاهش یافته است.", "گزارش", "حوادث رانندگی کاهش یافته است"),
        (
            "در بیانیه‌ای که پس از نشست اوپک منتشر شد، آمده بود که تولید کاهش می‌یابد.",
            "بیانیه‌ای که پس از نشست اوپک منتشر شد",
            "تولید کاهش می‌یابد",
        ),
    ],
)
def test_statement_variants(text: str, source: str, content: str) -> None:
    got = [(a.source, a.content) for a in extract(text)]
    assert (source, content) in got, got


def test_indefinite_document_with_no_issuer_names_no_one() -> None:
    assert extract("در گزارشی آمده است که قیمت‌ها بالا رفته است.") == []


def test_a_speaker_quoted_inside_a_document_statement() -> None:
    got = [
        (a.source, a.content)
        for a in extract(
            "در این اطلاعیه آمده است دادستان تهران در مصاحبه اخیر تنها از صدور کیفرخواست برای متهم خبر داد."
        )
    ]
    assert ("دادستان تهران", "صدور کیفرخواست برای متهم") in got, got
