"""Colon and quoted speech, labels and headline colons (rules/speech.py)."""

from __future__ import annotations

from claims.extraction import extract

from .rules_helpers import engine, span_of


def test_after_cue_takes_a_whole_quotation() -> None:
    r = engine("آمده است: «همه چیز آماده است.»")
    (c0, c1), kind = r.after_cue(r.t.index(":"), len(r.t))
    assert r.t[c0:c1] == "همه چیز آماده است." and kind == "direct"


def test_label_refuses_non_speakers_and_verbs() -> None:
    r = engine("سخنگوی دولت: یارانه‌ها قطع نمی‌شود")
    assert span_of(r, r.label(0, r.t.index(":"), [], [])) == "سخنگوی دولت"
    for text in ("منبع: ایسنا", "عکس: آرشیو", "وزیر گفت: هیچ"):
        r = engine(text)
        verbs = [m.span() for m in r.lex.verb_re.finditer(r.t)]
        assert r.label(0, r.t.index(":"), verbs, []) is None, text


def test_headline_colon() -> None:
    got = extract("سنتکام: دو موشک بالستیک رهگیری شد")
    assert len(got) == 1
    assert (got[0].source, got[0].cue, got[0].kind) == ("سنتکام", ":", "according_to")


def test_outlet_label_relays_the_inner_label() -> None:
    got = extract("تسنیم: معاون استاندار: جاده‌های شمال باز است")
    assert len(got) == 1
    assert got[0].source == "معاون استاندار" and got[0].via == "تسنیم"


def test_colon_run_stops_at_a_new_speaker() -> None:
    text = "وزیر گفت: جلسه را برگزار می‌کنیم. تصمیمی نگرفته‌ایم. سخنگوی دولت گفت که خبری نیست."
    got = extract(text)
    first = next(a for a in got if a.source == "وزیر")
    assert "تصمیمی" in first.content and "سخنگوی" not in first.content


def test_colon_run_stops_at_the_reporters_narration_with_or_without_line_breaks() -> None:
    text = (
        "وزیر گفت:\nما جلسه را برگزار می‌کنیم. تصمیم نهایی را فردا می‌گیریم.\n"
        "این نشست با حضور نمایندگان مجلس برگزار شد."
    )
    for form in (text, text.replace("\n", " ")):
        got = extract(form)
        assert len(got) == 1
        assert "فردا" in got[0].content and "نمایندگان" not in got[0].content


def test_narration_is_third_person_past() -> None:
    r = engine("این نشست با حضور نمایندگان برگزار شد.")
    assert r.narration(0, len(r.t))
    r = engine("ما این نشست را برگزار کردیم.")
    assert not r.narration(0, len(r.t))


def test_opens_speaker() -> None:
    r = engine("او گفت که جلسه لغو شد.")
    assert r.opens_speaker(0, len(r.t))
    r = engine("باران می‌بارد.")
    assert not r.opens_speaker(0, len(r.t))


def test_section_name_before_a_dash_is_not_part_of_the_label() -> None:
    got = extract("خبر تصویری – دبیر جشنواره فیلم فجر: جشنواره با حضور همه سینماگران برگزار می‌شود")
    assert [a.source for a in got] == ["دبیر جشنواره فیلم فجر"]


def test_colon_run_stops_at_the_pages_own_lines_with_or_without_line_breaks() -> None:
    speech = "وزیر بهداشت اظهار کرد: در خصوص شیر خشک مشکلی نداریم. آن را تا دو هفته آینده تامین خواهیم کرد."
    for tail in (
        "در حال تکمیل\nمنبع خبر:\nMEHRNEWS\nتمامی حقوق خبر متعلق به ناشر اصلی آن است",
        "انتهای پیام/\nکد خبر: 301740",
        "این خبر در حال به‌روزرسانی است.\nبرچسب‌ها: شیر خشک، وزارت بهداشت",
    ):
        for text in (f"{speech}\n\n{tail}", f"{speech}\n\n{tail}".replace("\n", " ")):
            (got,) = [a for a in extract(text) if a.cue == "اظهار کرد"]
            assert got.content.endswith("تامین خواهیم کرد"), (text, got.content)
    # an enumeration inside the speech is the speaker's own
    text = "او گفت: اولاً: بنده در جلسه نبودم.\nثانیاً: خبر منتسب به اینجانب کذب است."
    (got,) = [a for a in extract(text) if a.cue == "گفت"]
    assert got.content.endswith("کذب است"), got.content
