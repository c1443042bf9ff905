"""Who a source span names when the span alone does not say: what is written
before a name, a country speaking, titles with words inside them, and the
document's own text for pronouns, report anaphors and an office's holder (pure
Python, on a small registry written here and attributions made by hand, so that
these rules are tested apart from the extraction rules)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from claims.extraction.mentions import Document
from claims.extraction.model import Attribution
from claims.extraction.normalize import normalize_key
from claims.extraction.registry import Entry, Registry, Term
from claims.extraction.resolve import apply_registry

E = [
    Entry("iran-government", "government_body", "دولت ایران", country="IR"),
    Entry("iraq-government", "government_body", "دولت عراق", country="IQ"),
    Entry("fm-spokesperson", "office", "سخنگوی وزارت خارجه ایران", country="IR"),
    Entry("fm", "office", "وزیر امور خارجه ایران", country="IR"),
    Entry("qatar-emir", "office", "امیر قطر", country="QA"),
    Entry("taliban", "armed_group", "طالبان", country="AF"),
    Entry("nasa", "government_body", "ناسا", country="US"),
    Entry("opec", "organisation", "اوپک"),
    Entry("unama", "organisation", "یوناما", country="AF"),
    Entry("la-times", "media_group", "لس‌آنجلس تایمز", country="US"),
    Entry("kanaani", "person", "ناصر کنعانی", country="IR"),
    Entry("zarif", "person", "محمدجواد ظریف", country="IR"),
    Entry("katz", "person", "یسرائیل کاتز", country="IL"),
    Entry("baradar", "person", "عبدالغنی برادر", parent="taliban", country="AF"),
    Entry("delawar", "person", "شهاب‌الدین دلاور", parent="taliban", country="AF"),
    Entry("tawana", "person", "نجیب‌الله توانا", parent="taliban", country="AF"),
    Entry("leavitt", "person", "کارولین لیویت", country="US"),
]
ALIASES = [(e.slug, e.name_fa) for e in E] + [
    ("iran-government", "دولت جمهوری اسلامی ایران"),
    ("fm-spokesperson", "سخنگوی وزارت خارجه"),
    ("kanaani", "کنعانی"),
    ("katz", "کاتز"),
    ("baradar", "ملا برادر"),
    ("delawar", "دلاور"),
    ("tawana", "توانا"),
    ("leavitt", "لیویت"),
]
TERMS = [Term("fm", "zarif", dt.date(2013, 8, 15), dt.date(2021, 8, 25))]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry(E, ALIASES, TERMS)


def _slug(reg: Registry, text: str) -> str | None:
    r = reg.resolve(text, published=dt.date(2025, 1, 1))
    return r.source.slug if r.source else None


@pytest.mark.parametrize(
    ("span", "slug"),
    [
        ("پست کاتز", "katz"),  # what a source put out, before its name
        ("اولین مصاحبه کاتز بعد از انتخابات", "katz"),
        ("بیانیه‌ای که پس از نشست در سایت اوپک منتشر شد", "opec"),
        ("دانشمندان «ناسا»", "nasa"),  # members speak for their organisation
        ("کشورهای عضو اوپک", "opec"),
        ("دانشمندان کاتز", None),  # ... not for a person
        ("ایران", "iran-government"),  # a country alone speaks through its government
        ("جمهوری اسلامی ایران", "iran-government"),
        ("ایران و عراق در", None),
        ("سخنگوی جدید وزارت خارجه", "fm-spokesperson"),  # 'new' keeps the title
        ("سخنگوی سابق وزارت خارجه", None),  # 'former' does not
        ("امیر قطر", "qatar-emir"),  # an office's first word is no honorific
        ("ملا برادر", "baradar"),
        ("برادر", None),  # the word an honorific leaves is not the name alone
    ],
)
def test_what_is_written_around_a_name(reg, span, slug):
    assert _slug(reg, span) == slug


def test_two_entries_in_a_relative_clause_name_no_one(reg):
    assert _slug(reg, "بیانیه‌ای که ناسا و اوپک منتشر کردند") is None


def _attr(text: str, source: str, nth: int = 0) -> Attribution:
    spots = [m.start() for m in re.finditer(rf"(?<![\w\u200c]){re.escape(source)}(?![\w\u200c])", text)]
    start = spots[nth]
    return Attribution(source, start, start + len(source), source, "گفت", 0, 0, "", 0, 0, "indirect")


def _resolve(reg, text, *sources, published=None):
    attrs = [_attr(text, s, n) for s, n in sources]
    return [a.source_slug for a in apply_registry(attrs, reg, published=published, text=text)]


def test_a_pronoun_with_no_source_before_it_takes_the_person_the_text_names(reg):
    text = "گروه طالبان اعلام کرد. «شهاب‌الدین دلاور» سخنگوی هیأت طالبان در مسکو است. او گفت که جنگ تمام است."
    assert _resolve(reg, text, ("گروه طالبان", 0), ("او", 0)) == ["taliban", "delawar"]


def test_a_span_cut_into_no_name_does_not_block_a_pronoun_but_an_unknown_person_does(reg):
    text = "ناصر کنعانی گفت. او در یکی از زندان های بلژیک است. وی افزود. هانیه حیدری گفت. وی افزود."
    got = _resolve(
        reg, text, ("ناصر کنعانی", 0), ("یکی از زندان های بلژیک", 0), ("وی", 0), ("هانیه حیدری", 0), ("وی", 1)
    )
    assert got == ["kanaani", None, "kanaani", None, None]


def test_a_report_anaphor_means_whose_report_the_text_named(reg):
    text = "گزارش تازهٔ یوناما منتشر شد.\nدرین گزارش گفته شده که تلفات افزایش یافته است."
    assert _resolve(reg, text, ("درین گزارش", 0)) == ["unama"]
    text = "کاتز در گزارش تازه خود از افزایش حملات گفت.\nدر گزارش آمده که شمار حملات دو برابر شده است."
    assert _resolve(reg, text, ("گزارش", 1)) == ["katz"]


def test_an_outlet_anaphor_in_arabic_letters_takes_the_earlier_outlet(reg):
    text = "روزنامه لس‌آنجلس تایمز نوشت که ایران اعلام کرد. اين روزنامه افزود که مذاکره ادامه دارد."
    got = _resolve(reg, text, ("روزنامه لس‌آنجلس تایمز", 0), ("ایران", 0), ("اين روزنامه", 0))
    assert got == ["la-times", "iran-government", "la-times"]


def test_an_office_with_no_dated_holder_is_the_person_the_text_writes_beside_its_title(reg):
    text = (
        "سخنگوی وزارت خارجه گفت که سفرها ادامه دارد.\nناصر کنعانی سخنگوی جدید وزارت خارجه در نشست خبری بود."
    )
    assert _resolve(reg, text, ("سخنگوی وزارت خارجه", 0)) == ["kanaani"]
    former = "سخنگوی وزارت خارجه گفت که سفرها ادامه دارد.\nناصر کنعانی سخنگوی وزارت خارجه سابق در نشست بود."
    assert _resolve(reg, former, ("سخنگوی وزارت خارجه", 0)) == ["fm-spokesperson"]
    # a dated term wins where it covers the date
    dated = "وزیر امور خارجه ایران گفت. کنعانی، وزیر امور خارجه ایران، افزود."
    assert _resolve(reg, dated, ("وزیر امور خارجه ایران", 0), published=dt.date(2020, 1, 1)) == ["zarif"]


def test_a_person_anaphor_with_a_qualifier_must_agree_with_its_antecedent(reg):
    text = "نجیب‌الله توانا گفت که دو بیمار بستری شدند. این مقام طالبان افزود که وضع پایدار است."
    assert _resolve(reg, text, ("نجیب‌الله توانا", 0), ("این مقام طالبان", 0)) == ["tawana", "tawana"]
    text = "ناصر کنعانی گفت که دو بیمار بستری شدند. این مقام طالبان افزود که وضع پایدار است."
    assert _resolve(reg, text, ("ناصر کنعانی", 0), ("این مقام طالبان", 0)) == ["kanaani", None]


def test_a_name_written_with_other_vowel_letters_is_found(reg):
    assert reg.spelled_like("کارولین لویت").slug == "leavitt"
    assert reg.spelled_like("کارولین لیویت").slug == "leavitt"
    assert reg.spelled_like("هانیه حیدری") is None


def test_the_document_reads_words_as_normalize_key_does(reg):
    text = "سخنگوي‌ وزارت‌ خارجه‌ «ناصر كنعاني» گفت: ۱۲ مورد، حزب‌الله و HAMAS ـ ثبتْ شد"
    assert [w for _, _, w in Document(text, reg).words()] == normalize_key(text).split()
    found = Document(text, reg).mentions()
    assert [(text[s:e], entry.slug) for s, e, entry in found] == [
        ("سخنگوي‌ وزارت‌ خارجه", "fm-spokesperson"),
        ("ناصر كنعاني", "kanaani"),
    ]
