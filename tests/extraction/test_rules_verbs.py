"""Reporting verbs and their content (rules/verbs.py)."""

from __future__ import annotations

import pytest

from claims.extraction import extract

from .rules_helpers import engine


def _clauses(text: str):
    r = engine(text)
    verbs = [m.span() for m in r.lex.verb_re.finditer(r.t)]
    return r, r.verb_clauses(0, len(r.t), verbs, [], [], [])


def test_verb_clause_has_its_subject() -> None:
    r, vi = _clauses("سخنگوی دولت گفت که یارانه‌ها قطع نمی‌شود.")
    assert len(vi) == 1
    assert r.t[vi[0]["src"][0] : vi[0]["src"][1]] == "سخنگوی دولت"
    assert not vi[0]["inherited"]


def test_coordinated_verb_inherits_the_subject() -> None:
    got = extract("وزیر نفت گفت که تولید افزایش یافته است و افزود که صادرات نیز بیشتر شده است.")
    assert [a.source for a in got] == ["وزیر نفت", "وزیر نفت"]
    assert got[0].content == "تولید افزایش یافته است"
    assert got[1].content == "صادرات نیز بیشتر شده است"


@pytest.mark.parametrize(
    ("text", "content", "kind"),
    [
        ("سخنگوی ارتش گفت: «دو موشک رهگیری شد.»", "دو موشک رهگیری شد.", "direct"),
        ("سخنگوی ارتش گفت دو موشک رهگیری شد.", "دو موشک رهگیری شد", "indirect"),
        ("سخنگوی ارتش این خبر را تکذیب کرد.", "این خبر", "indirect"),
        ("سخنگوی ارتش از رهگیری دو موشک خبر داد.", "رهگیری دو موشک", "indirect"),
        ("سخنگوی ارتش این حمله را تجاوز آشکار خواند.", "این حمله را تجاوز آشکار", "indirect"),
    ],
)
def test_content_positions(text: str, content: str, kind: str) -> None:
    got = extract(text)
    assert len(got) == 1
    assert (got[0].content, got[0].kind) == (content, kind)


def test_quotation_before_its_speaker() -> None:
    got = extract("«مذاکرات ادامه دارد»، وزیر خارجه در توییتی نوشت.")
    assert got and got[0].content == "مذاکرات ادامه دارد" and got[0].kind == "direct"


def test_split_khabar_az() -> None:
    got = extract("وزیر بهداشت خبر از کاهش موارد ابتلا داد.")
    assert got and got[0].content == "کاهش موارد ابتلا"


def test_nominal_cue() -> None:
    got = extract("پس از اعلام «دونالد ترامپ» مبنی بر خروج از توافق، بازارها واکنش نشان دادند.")
    assert any(a.cue == "اعلام" and a.content.startswith("خروج") for a in got)


def test_cuts_for_stops_before_a_new_speaker() -> None:
    r, vi = _clauses("وزیر گفت که جلسه برگزار شد و سخنگوی دولت افزود که تصمیمی گرفته نشد.")
    assert len(vi) == 2
    cs = r.t.index("جلسه")
    cut = r.cuts_for(vi, cs, False)
    assert cut and r.t[cut[0] : cut[0] + 1] == "و"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("سخنگوی دولت این گزارش را تکذیب نکرد.", "تکذیب نکرد", "این گزارش"),
        ("وزیر خارجه این حمله را مشروع ندانست.", "ندانست", "این حمله را مشروع"),
        ("او طالبان را به ممانعت از ورود کمک‌ها متهم کرد.", "متهم کرد", "طالبان را به ممانعت از ورود کمک‌ها"),
        (
            "رئیس‌جمهور به رهبران منطقه پیام داد که ایران آماده گفت‌وگو است.",
            "پیام داد",
            "ایران آماده گفت‌وگو است",
        ),
        (
            "وزیر خارجه امارات بار دیگر تکرار کرد: «سه جزیره متعلق به ماست.»",
            "تکرار کرد",
            "سه جزیره متعلق به ماست.",
        ),
        ("مادر این زندانی از بی‌خبری خانواده گفت و افزود که نگران است.", "گفت", "بی‌خبری خانواده"),
    ],
)
def test_cue_lexicon(text: str, cue: str, content: str) -> None:
    got = [(a.cue, a.content) for a in extract(text)]
    assert (cue, content) in got, got


def test_repeat_counts_only_before_speech() -> None:
    assert extract("وزیر خارجه این ادعاها را تکرار کرد.") == []


def test_rejection_of_any_object_after_a_speaker() -> None:
    got = extract("سخنگوی وزارت خارجه درخواست آمریکا را رد کرد.")
    assert got and got[0].content == "درخواست آمریکا"


def test_nominal_emphasis_headline() -> None:
    got = extract("تاکید حزب‌الله بر ضرورت مقابله با تجاوزات اسرائیل")
    assert [(a.source, a.content) for a in got] == [("حزب‌الله", "ضرورت مقابله با تجاوزات اسرائیل")]
    assert extract("تاکید دوباره بر ضرورت مقابله با تجاوزات اسرائیل") == []


def test_last_two_reads_the_words_the_regex_finds() -> None:
    """``last_two`` reads backwards what ``_LAST_TWO.search`` finds forwards: every
    window of short strings over word letters, spaces, breaks and stops agrees."""
    import itertools

    from claims.extraction.rules.verbs import _LAST_TWO, last_two

    def by_regex(t: str, lo: int, hi: int):
        m = _LAST_TWO.search(t, lo, hi)
        return None if m is None else (m.group(1), m.group(2))

    alphabet = ["ب", "a", " ", "\n", "،", "\t", "«", "."]
    texts = ["".join(p) for n in range(6) for p in itertools.product(alphabet, repeat=n)]
    texts += ["به گزارش خبرگزاری فارس، وزیر با آن اعلام کرد \n", "او گفت: «این» را  \n\n"]
    for t in texts:
        for lo in range(len(t) + 1):
            for hi in range(lo, len(t) + 1):
                assert last_two(t, lo, hi) == by_regex(t, lo, hi), (t, lo, hi)
    assert last_two("با آن اعلام", 0, 6) == ("با", "آن")
