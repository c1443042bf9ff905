"""Text layer, lexicon, rules on small sentences, quantities and dates."""

from __future__ import annotations

import datetime as dt

from claims.extraction import extract, normalize_key
from claims.extraction.lexicon import conjugate, load
from claims.extraction.numbers import parse_number
from claims.extraction.text import Doc, match_form


def test_normalize_key_contract() -> None:
    assert normalize_key("حزب‌الله") == normalize_key("حزبالله")
    assert normalize_key("سنت\u200fکام") == normalize_key("سنتکام")
    assert normalize_key("يسرائيل كاتز") == normalize_key("یسرائیل کاتز")
    assert normalize_key("۱۲۳") == "123"
    assert normalize_key("«سلام»، دنیا!") == "سلام دنیا"


def test_offset_map_round_trip() -> None:
    raw = "الف\u200cب\u200fپ ـتـ ۱۲"
    doc = Doc(raw)
    assert "\u200c" not in doc.t and "ـ" not in doc.t
    assert doc.t.endswith("12")
    i = doc.t.index("پ")
    a, b = doc.raw_span(i, i + 1)
    assert raw[a:b] == "پ"
    a, b = doc.raw_span(0, len(doc.t))
    assert raw[a:b] == raw


def test_conjugations_cover_tenses() -> None:
    forms = {"".join(f) for f in conjugate("گفت", "گو")}
    for f in (
        "گفت",
        "گفتند",
        "میگفت",
        "گفته",
        "گفتهاست",
        "گفتهاند",
        "گفتهبود",
        "میگوید",
        "میگویند",
        "خواهدگفت",
    ):
        assert f in forms


def test_cue_matching_with_and_without_zwnj() -> None:
    lex = load()
    for s in ("می‌گوید", "میگوید", "می گوید", "گفته‌اند", "گفتهاند", "اعلام‌کرده‌است", "تأکید کرد", "تاکید کرد"):
        assert lex.verb_re.fullmatch(match_form(s)), s
    assert not lex.verb_re.search(match_form("گفت‌وگو کردند")) or lex.excl_after_re.match(match_form("وگو"))


def test_sentences_keep_quotes_together() -> None:
    doc = Doc("او گفت: «اول. دوم؟ سوم...» و رفت.\nخط دوم")
    assert len(doc.sentences) == 2
    s, e = doc.sentences[0]
    assert "دوم؟ سوم" in doc.t[s:e]


def test_headline_colon_line_runs_on() -> None:
    doc = Doc("عراقچی:\nمذاکره‌ای در کار نیست.")
    assert len(doc.sentences) == 1


def test_lost_zwnj_text_still_matches() -> None:
    found = extract("شبهنظامیان در بیانیهای اعلام کردند که حمله را انجام دادهاند.")
    assert len(found) == 1
    assert found[0].source == "شبهنظامیان"
    assert found[0].content == "حمله را انجام دادهاند"


def test_relay_sets_via() -> None:
    text = "به گزارش سی‌ان‌ان، عراقچی گفت مذاکرات ادامه دارد."
    [a] = extract(text)
    assert (a.source, a.via, a.kind) == ("عراقچی", "سی‌ان‌ان", "indirect")
    text = "رویترز به نقل از یک مقام آگاه گزارش داد که توافق نزدیک است."
    [a] = extract(text)
    assert a.source == "یک مقام آگاه" and a.via == "رویترز" and a.hedged


def test_exclusions() -> None:
    assert extract("گفته می‌شود که او استعفا داده است.") == []
    assert extract("وزیر پرسید که چرا این اتفاق افتاد؟") == []
    assert extract("تحقیقات تأیید کرد که حمله از خاک عراق انجام شده است.") == []


def test_denial_and_naming() -> None:
    [a] = extract("عراق ادعای ترامپ را تکذیب کرد.")
    assert a.content.endswith("ترامپ")
    [b] = extract("او حملات آمریکا را نقض حاکمیت خواند.")
    assert b.content == "حملات آمریکا را نقض حاکمیت"


def test_bare_surname_and_anaphor_resolution() -> None:
    text = (
        "عباس عراقچی، وزیر امور خارجه، گفت که مذاکره نمی‌کنیم.\n"
        "عراقچی افزود که تحریم‌ها باید لغو شود.\n"
        "به گزارش خبرگزاری تسنیم، این مقام همچنین گفت که پاسخ می‌دهیم.\n"
        "این خبرگزاری نوشت که دیدار لغو شد."
    )
    found = extract(text)
    by_cue = {a.cue: a for a in found}
    assert by_cue["افزود"].source_resolved == "عباس عراقچی"
    this_official = next(a for a in found if a.source == "این مقام")
    assert this_official.source_resolved == "عباس عراقچی"
    assert this_official.via == "خبرگزاری تسنیم"
    agency = next(a for a in found if a.source == "این خبرگزاری")
    assert agency.source_resolved == "خبرگزاری تسنیم"


def test_quantities() -> None:
    assert parse_number("۲۵۰۰".translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))) == 2500
    assert parse_number("پنجاه هزار") == 50000
    assert parse_number("4.4") == 4.4
    [a] = extract("ارتش اعلام کرد حدود ۲۵۰۰ نیرو و نزدیک به ۱۵۰ بار و بیش از پنجاه هزار لیتر سوخت منتقل شد.")
    q = {(x.value, x.unit, x.qualifier) for x in a.quantities}
    assert (2500.0, "نیرو", "about") in q
    assert (150.0, "بار", "nearly") in q
    assert (50000.0, "لیتر", "more_than") in q


def test_dates_resolve_against_publication() -> None:
    pub = dt.date(2024, 1, 24)
    [a] = extract("سنتکام روز شنبه ۳۰ دی‌ماه اعلام کرد که حمله دیروز انجام شد.", published=pub)
    isos = {d.text: d.iso for d in a.dates}
    assert isos["روز شنبه ۳۰ دی‌ماه"] == "2024-01-20"
    assert isos["دیروز"] == "2024-01-23"
    [b] = extract("او گفت که دیدار روز شنبه برگزار شد.", published=pub)
    assert b.dates[0].iso == "2024-01-20"
    [c] = extract("فارس نوشت که دیدار در ۱۲مرداد۱۴۰۵ بود.", published=dt.date(2026, 8, 3))
    assert c.dates[0].iso == "2026-08-03"


def test_several_attributions_in_one_sentence() -> None:
    text = (
        "وزیر بهداشت اعلام کرد که ۲۰ نفر جان باختند، "
        "اما سخنگوی اورژانس گفت شمار قربانیان به ۳۵ نفر رسیده است."
    )
    found = extract(text)
    assert [(a.source, a.content) for a in found] == [
        ("وزیر بهداشت", "۲۰ نفر جان باختند"),
        ("سخنگوی اورژانس", "شمار قربانیان به ۳۵ نفر رسیده است"),
    ]


def test_coordinated_cues_share_the_speaker() -> None:
    text = "نماینده تهران اظهار داشت: دولت باید پاسخگو باشد و افزود: این وضعیت قابل قبول نیست."
    found = extract(text)
    assert [(a.source, a.cue, a.content) for a in found] == [
        ("نماینده تهران", "اظهار داشت", "دولت باید پاسخگو باشد"),
        ("نماینده تهران", "افزود", "این وضعیت قابل قبول نیست"),
    ]


def test_embedded_and_nested_speech() -> None:
    text = "او با تاکید بر اینکه آمریکا به دنبال جنگ نیست، هشدار داد که پاسخ خواهد داد."
    found = extract(text)
    assert [(a.source, a.cue) for a in found] == [("او", "با تاکید بر اینکه"), ("او", "هشدار داد")]
    text = "یکی از مدیران با یادآوری اینکه پسرش گفته بود قصد خرید مهمات دارد، به گریه افتاد."
    found = extract(text)
    assert ("پسرش", "قصد خرید مهمات دارد") in {(a.source, a.content) for a in found}


def test_agency_dateline_is_the_writer() -> None:
    text = "قیمت طلا کاهش یافت\nبه گزارش خبرگزاری فارس، قیمت هر مثقال طلا امروز کاهش یافت."
    assert extract(text) == []
    text = "به گزارش خبرنگار اقتصادی خبرگزاری فارس، وزیر اقتصاد گفت که تورم کاهش می‌یابد."
    [a] = extract(text)
    assert a.source == "وزیر اقتصاد" and a.via is not None


def test_headline_relay() -> None:
    text = "تسنیم: معاون استاندار: هیچ انفجاری در شهر رخ نداده است"
    [a] = extract(text)
    assert (a.source, a.via, a.kind) == ("معاون استاندار", "تسنیم", "according_to")


def test_denial_needs_a_claim() -> None:
    assert extract("ونگر پیشنهاد لیون را رد کرد.") == []
    [a] = extract("نتانیاهو ادعاهای مطرح شده درباره فساد را رد کرد.")
    assert a.content == "ادعاهای مطرح شده درباره فساد"


def test_quotation_before_its_speaker() -> None:
    [a] = extract("«ما هرگز تسلیم نمی‌شویم»، وزیر خارجه در توییتی نوشت.")
    assert (a.source, a.content, a.kind) == ("وزیر خارجه", "ما هرگز تسلیم نمی‌شویم", "direct")
    [b] = extract("مقدمه.\n«این آخرین هشدار است.» سخنگوی ارتش روز شنبه گفت.")
    assert (b.source, b.content) == ("سخنگوی ارتش", "این آخرین هشدار است.")
    assert extract("وزیر گفت.") == []
