"""Web-page phenomena: speech laid out in paragraphs, quotations typed the
wrong way round, nested speech, relative clauses between a subject and its
cue, coordinated participles and label lines. Every sentence here is made up
for the test."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.text import Doc


def _by_cue(got, cue: str):
    return next(a for a in got if a.cue == cue)


def test_colon_then_a_blank_line_then_the_quoted_paragraph() -> None:
    text = "وزیر بهداشت دیروز در جمع خبرنگاران گفت:\n\n«واکسن کافی در انبارها داریم و کمبودی نیست.»\n"
    got = extract(text)
    assert len(got) == 1
    assert got[0].source == "وزیر بهداشت"
    assert got[0].content == "واکسن کافی در انبارها داریم و کمبودی نیست."
    assert got[0].kind == "direct"


def test_curly_quotes_typed_the_same_way_at_both_ends() -> None:
    text = "مدیر مدرسه می گوید:\n”کلاس‌ها از شنبه باز است. همه معلمان آماده‌اند.”"
    doc = Doc(text)
    assert len(doc.quotes) == 1
    got = extract(text)
    assert len(got) == 1
    assert got[0].content == "کلاس‌ها از شنبه باز است. همه معلمان آماده‌اند."


def test_one_mark_closing_an_inner_and_an_outer_quotation() -> None:
    text = "نماینده مجلس نوشت:\n«ما کوتاه نمی‌آییم. رئیس مجلس گفته است: «قانون اجرا می‌شود».\n"
    got = extract(text)
    inner = next(a for a in got if a.source == "رئیس مجلس")
    assert inner.content == "قانون اجرا می‌شود"
    outer = next(a for a in got if a.source == "نماینده مجلس")
    assert "کوتاه نمی‌آییم" in outer.content


def test_nested_speaker_inside_a_quotation_starts_at_its_own_sentence() -> None:
    text = (
        "پدر این کارگر گفت: «پسرم حالش خوب است. از آن سو برادرش هم که با او تلفنی صحبت کرده "
        "می‌گوید او از زندان نامه نوشته است.»"
    )
    got = extract(text)
    nested = next(a for a in got if a.cue == "می‌گوید")
    assert nested.source == "برادرش"
    assert nested.content == "او از زندان نامه نوشته است"


def test_honorific_speech_verb() -> None:
    got = extract("امام جمعه شهر در خطبه‌های این هفته فرمودند: مردم باید در انتخابات شرکت کنند.")
    assert [(a.source, a.cue) for a in got] == [("امام جمعه شهر", "فرمودند")]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "مدیرعامل شرکت که در حاشیه نمایشگاه با خبرنگاران دیدار داشت با اشاره به اینکه "
            "فروش دو برابر شده است گفت: سود امسال بیشتر است.",
            "مدیرعامل شرکت",
        ),
        (
            "«مریم کاظمی» که یکی از اعضای هیئت مدیره این باشگاه است نیز گفته است که قرارداد تمدید می‌شود.",
            "«مریم کاظمی»",
        ),
    ],
)
def test_subject_before_a_relative_clause_closed_by_its_verb(text: str, source: str) -> None:
    got = extract(text)
    assert got and all(a.source == source for a in got), [(a.source, a.cue) for a in got]


def test_relative_clause_subject_without_a_named_head_stays_local() -> None:
    # the head before 'که' is an object, the clause after it names the speaker
    got = extract("گزارشی که روز گذشته منتشر شد، سخنگوی پلیس گفت که دقیق نیست.")
    assert [a.source for a in got] == ["سخنگوی پلیس"]


@pytest.mark.parametrize(
    ("text", "second_cue", "second"),
    [
        (
            "رئیس سازمان از کمبود بودجه گفته و افزوده است که طرح‌ها نیمه‌تمام می‌ماند.",
            "افزوده است",
            "طرح‌ها نیمه‌تمام می‌ماند",
        ),
        (
            "شورای شهر این طرح را غیرقانونی دانسته و بارها مخالفت خود را با آن اعلام کرده است.",
            "اعلام کرده است",
            "مخالفت خود را با آن",
        ),
    ],
)
def test_coordinated_participles_keep_their_subject(text: str, second_cue: str, second: str) -> None:
    got = extract(text)
    assert len(got) == 2
    b = _by_cue(got, second_cue)
    assert b.source == got[0].source
    assert b.content == second


def test_declared_x_to_be_y_keeps_the_predicate() -> None:
    got = extract("فرماندار تعطیلی کارخانه را شرط ادامه مذاکره اعلام کرد.")
    assert [(a.source, a.content) for a in got] == [("فرماندار", "تعطیلی کارخانه را شرط ادامه مذاکره")]
    # a bare object stays bare
    got = extract("شرکت نفت این خبر را تکذیب کرد.")
    assert got[0].content == "این خبر"


def test_derivational_ending_is_not_a_glued_headline() -> None:
    doc = Doc("پلیس اسامی بازداشت شدگان را اعلام کرد.")
    assert len(doc.sentences) == 1


# -- labels ------------------------------------------------------------------


def test_label_with_a_topic_names_the_speaker_before_it() -> None:
    text = "علی رضایی، مربی تیم ملی، درباره بازیکنانی که دعوت نشدند:\nدر بازی بعدی فرصت دارند."
    got = extract(text)
    assert [(a.source, a.cue) for a in got] == [("علی رضایی، مربی تیم ملی", ":")]
    got = extract("وزیر نفت درباره قیمت بنزین: افزایشی در کار نیست")
    assert [a.source for a in got] == ["وزیر نفت"]


def test_a_clause_before_a_colon_is_not_a_label() -> None:
    assert extract("۱۲ معدنچی نجات یافتند: عملیات امداد تا صبح ادامه داشت") == []


def test_a_section_before_a_bar_is_not_a_speaker_but_an_outlet_is() -> None:
    assert extract("جام جهانی فوتبال| برد پرگل برزیل مقابل صربستان در شب اول") == []
    got = extract("رویترز| قیمت نفت برای سومین روز پیاپی کاهش یافت")
    assert [a.source for a in got] == ["رویترز"]


def test_a_byline_over_the_reporters_narration_is_not_a_speaker() -> None:
    text = (
        "سارا احمدی: قرار بود نمایندگان اصناف و مسئولان شهری در این نشست درباره طرح ترافیک گفت‌وگو کنند، "
        "اما شماری از نمایندگان که در جلسه حضور داشتند، به این موضوع بسنده نکردند و وضعیت حمل و نقل "
        "عمومی شهر را نیز مورد بررسی قرار دادند."
    )
    assert extract(text) == []
    # the same name over her own words is a speaker
    got = extract("سارا احمدی: ما از این طرح حمایت می‌کنیم")
    assert [a.source for a in got] == ["سارا احمدی"]


def test_outlet_credit_over_a_reported_clause_is_no_statement_of_its_own() -> None:
    assert extract("پایگاه خبری امروز: سخنگو جزئیات طرح جدید را تشریح کرد.") == []
    # ... but a label over a modal clause speaks
    got = extract("مورینیو: نتیجه این بازی را نمی‌توان پیش‌بینی کرد")
    assert [a.source for a in got] == ["مورینیو"]


# -- layout lost: the same result with or without line breaks -----------------


def _both(text: str):
    return extract(text), extract(text.replace("\n", " "))


def test_frame_after_a_headline_whose_line_break_was_lost() -> None:
    text = "زلزله شهر را لرزاند\nبه گزارش ایرنا، فرماندار شهر گفت که خسارتی گزارش نشده است."
    for got in _both(text):
        assert [(a.source, a.via) for a in got] == [("فرماندار شهر", "ایرنا")]


def test_a_subheading_that_ends_in_a_verb_is_not_part_of_the_next_subject() -> None:
    text = "یک بحران در راه است\nعلی محمدی، کارشناس منابع آب، در این باره می‌گوید: سدها خالی است."
    for got in _both(text):
        assert [a.source for a in got] == ["علی محمدی، کارشناس منابع آب"]


def test_a_verb_glued_to_the_word_before_it_still_ends_its_headline() -> None:
    got = extract("پرونده شرکت به‌دادگاه‌می‌رود دادستان استان از صدور کیفرخواست برای مدیران شرکت خبر داد.")
    assert [a.source for a in got] == ["دادستان استان"]


def test_colon_speech_stops_where_a_new_clause_starts_after_a_verb() -> None:
    text = (
        "او افزود: ما این طرح را تا پایان سال اجرا خواهیم کرد\n"
        "وزیر نیرو هفته گذشته گفته بود که بودجه طرح تامین شده است."
    )
    for got in _both(text):
        first = _by_cue(got, "افزود")
        assert first.content == "ما این طرح را تا پایان سال اجرا خواهیم کرد"
        assert _by_cue(got, "گفته بود").source == "وزیر نیرو"


def test_quoted_name_before_a_title_belongs_to_the_subject() -> None:
    got = extract("به گزارش ایسنا، «ماریا لوپز» وزیر امور خارجه اسپانیا گفت که سفارت باز می‌ماند.")
    assert [(a.source, a.via) for a in got] == [("«ماریا لوپز» وزیر امور خارجه اسپانیا", "ایسنا")]
    # a quotation before its speaker stays the content
    got = extract("«سفارت باز می‌ماند.» وزیر امور خارجه گفت.")
    assert [(a.source, a.content) for a in got] == [("وزیر امور خارجه", "سفارت باز می‌ماند.")]


def test_a_dateline_before_the_subject() -> None:
    text = "دوشنبه ۱۴۰۲/۰۳/۱۵\nمهدی تاج در نشست خبری اظهار داشت: تیم ملی آماده است."
    for got in _both(text):
        assert [a.source for a in got] == ["مهدی تاج"]


def test_tweet_footer_ends_its_sentence() -> None:
    text = (
        "pic.twitter.com/abc123— کاربر (@user12) March 3, 2021 "
        "سازمان حقوق بشر با انتشار این آمار گفت که شمار بازداشت‌ها افزایش یافته است."
    )
    got = extract(text)
    assert [a.source for a in got] == ["سازمان حقوق بشر"]


def test_two_label_lines_run_together() -> None:
    text = "نرگس کریمی: قرار نبود که مدیر این مجموعه شوم\nنرگس کریمی: فرصت همکاری فراهم نشد"
    for got in _both(text):
        assert [a.source for a in got] == ["نرگس کریمی", "نرگس کریمی"], [a.content for a in got]


def test_page_label_lines_are_no_speakers() -> None:
    text = "دسته‌بندی: ورزشی چاپ\nعلی دایی: تیم ما آماده بازی است"
    for got in _both(text):
        assert [a.source for a in got] == ["علی دایی"]
    # a label word just before the colon ('گل‌ها:') is a score line
    assert extract("پرسپولیس ۲ استقلال ۱ (ورزشگاه آزادی) گل‌ها: علی علیپور (۴۵) و مهدی ترابی (۸۰)") == []


def test_a_label_over_bullets_takes_every_item() -> None:
    text = "سخنگوی ستاد:\n🔹مدارس از شنبه باز است.\n🔹امتحانات حضوری برگزار شد.\n🔹کلاس‌ها نیمه‌وقت است."
    for got in _both(text):
        assert len(got) == 1
        assert got[0].content.startswith("مدارس از شنبه") and got[0].content.endswith("نیمه‌وقت است")


def test_a_label_in_the_body_runs_on_like_colon_speech() -> None:
    text = "وزیر راه در جمع خبرنگاران حاضر شد.\nوزیر راه: جاده‌ها باز است. ما آماده زمستان هستیم."
    for got in _both(text):
        assert [a.content for a in got] == ["جاده‌ها باز است. ما آماده زمستان هستیم"]


def test_a_statement_that_follows_a_verb_is_not_its_content() -> None:
    text = "ناسا به پرسش بزرگ بشر پاسخ می‌دهد\nسازمان فضایی آمریکا اعلام کرد که حیات را جستجو می‌کند."
    for got in _both(text):
        assert [a.source for a in got] == ["سازمان فضایی آمریکا"]


def test_a_while_clause_after_a_ra_object_is_the_writers() -> None:
    text = "وزیر گفت شنیدیم مدیر بانک خروج سرمایه را تایید کرده است درحالی‌که هیچ سندی برای آن منتشر نشده است."
    got = extract(text)
    inner = _by_cue(got, "تایید کرده است")
    assert inner.source == "مدیر بانک" and inner.content == "خروج سرمایه"


def test_one_mark_closing_two_quotations_without_line_breaks() -> None:
    text = (
        "نماینده مجلس نوشت: «ما کوتاه نمی‌آییم. رئیس مجلس گفته است: «قانون اجرا می‌شود». "
        "متن کامل بیانیه منتشر شد."
    )
    doc = Doc(text)
    assert len(doc.quotes) == 1 and doc.t[doc.quotes[0][1]] == "»"
    got = extract(text)
    assert _by_cue(got, "گفته است").content == "قانون اجرا می‌شود"


def test_a_verb_with_a_preverb_ends_a_headline() -> None:
    text = "سرمربی: ستاره تیم به تمرینات برمی‌گردد\nعلی کریمی در مورد مصدومیت گفت: او هفته بعد آماده است."
    for got in _both(text):
        assert [a.source for a in got] == ["سرمربی", "علی کریمی"]
    text = "کارشناس: طرح قدیمی فروپاشید\nروزنامه همشهری گزارش داد که طرح جدید آماده است."
    for got in _both(text):
        assert [a.source for a in got] == ["کارشناس", "روزنامه همشهری"]


def test_a_line_that_opens_with_its_verb_continues_the_line_before() -> None:
    text = "مدیر سازمان بنادر، در گفت‌وگو با روزنامه\nفایننشال تایمز\nگفت که صادرات افزایش یافته است."
    for got in _both(text):
        assert [(a.source, a.content) for a in got] == [("مدیر سازمان بنادر", "صادرات افزایش یافته است")]


def test_speech_goes_on_to_the_end_of_its_paragraph() -> None:
    text = (
        "سخنگوی فدراسیون به خبرنگار ما اظهار داشت: این خبر از اساس کذب است. به طور کلی نظر رئیس "
        "فدراسیون تغییر نکرده و دو شب پیش هم سرمربی جلسه‌ای با او داشت و برنامه‌هایش را مطرح کرد.\n"
        "این جلسه سه ساعت طول کشید."
    )
    got = extract(text)
    assert len(got) == 1
    assert got[0].content.endswith("برنامه‌هایش را مطرح کرد")


def test_a_named_speaker_in_the_same_paragraph_starts_a_new_statement() -> None:
    text = "وی گفت: سازمان در این موضوع همراه شده است. کریمی با اشاره به کمبود بودجه افزود که طرح ادامه دارد."
    got = extract(text)
    first = _by_cue(got, "گفت")
    assert first.content == "سازمان در این موضوع همراه شده است"


def test_plural_nouns_are_not_second_person_verbs() -> None:
    text = "وی یادآور شد: سوخت‌های کشف شده از شناور تحویل شرکت پخش شده است."
    for got in _both(text):
        assert [(a.source, a.content) for a in got] == [
            ("وی", "سوخت‌های کشف شده از شناور تحویل شرکت پخش شده است")
        ]


def test_a_headline_that_ends_with_the_name_the_body_opens_with() -> None:
    text = (
        "تکذیب استعفای وزیر به نقل از مریم کاظمی\nمریم کاظمی، خبر منتشرشده درباره استعفای وزیر را تکذیب کرد."
    )
    for got in _both(text):
        assert sorted(a.cue for a in got) == ["تکذیب", "تکذیب کرد"]
