"""Headlines, excerpts and credit lines found in an article's own text."""

from __future__ import annotations

import pytest

from claims.extraction.headline import (
    ELLIPSIS,
    TITLE_CUT,
    credit_names,
    cut_at_word,
    excerpt,
    headline,
    reads_as_headline,
    url_host,
)


def test_first_line_that_reads_as_a_headline_is_the_title() -> None:
    text = "عراقچی: با آمریکا مذاکره مستقیم نداریم\nبه گزارش ایسنا، وزیر امور خارجه گفت که ..."
    assert headline(text) == "عراقچی: با آمریکا مذاکره مستقیم نداریم"


@pytest.mark.parametrize(
    "line",
    [
        "وزیر امور خارجه روز دوشنبه در نشستی خبری در تهران گفت.",  # a sentence with its period
        "رئیس‌جمهور امروز در جلسهٔ هیئت دولت دربارهٔ بودجه سخن گفت",  # ends in a finite verb
        "خبر فوری",  # a label
        "تهران - ایرنا -",  # a dateline
        "کد خبر: ۱۰۷۲۶۵۴",
        "۱۴۰۲/۱۱/۰۴ ۱۲:۳۰",
        "x" * 10,  # one word
    ],
)
def test_lines_that_are_not_headlines(line: str) -> None:
    assert not reads_as_headline(line)


def test_labels_are_passed_over() -> None:
    text = "خبر فوری\nسقوط هواپیما در فرودگاه مهرآباد\nمتن خبر"
    assert headline(text) == "سقوط هواپیما در فرودگاه مهرآباد"
    assert excerpt(text, headline(text)) == "متن خبر"


def test_without_a_headline_line_the_first_sentence_is_cut_at_a_word() -> None:
    text = (
        "به گزارش ایسنا، محمدجواد ظریف روز دوشنبه در نشستی خبری در تهران اعلام کرد که ایران آماده "
        "گفت‌وگو با همهٔ کشورهای همسایه دربارهٔ امنیت منطقه و آب‌های خلیج فارس است. او افزود ..."
    )
    title = headline(text)
    assert title.startswith("محمدجواد ظریف")  # the credit is not the title
    assert title.endswith(ELLIPSIS) and len(title) <= TITLE_CUT + 1
    assert text.find(title[:-1]) > 0  # a prefix of the sentence, cut between words
    cut_word = title[:-1].split(" ")[-1]
    assert cut_word in text.split(" ")


def test_a_dateline_is_dropped_from_the_sentence_title() -> None:
    assert headline("تهران - ایرنا - رئیس‌جمهور امروز گفت که دولت برنامه‌ای تازه دارد.\nادامه") == (
        "رئیس‌جمهور امروز گفت که دولت برنامه‌ای تازه دارد."
    )


def test_a_text_of_one_credit_line_still_gets_a_title() -> None:
    assert headline("به گزارش خبرنگار سیاسی خبرگزاری تسنیم، علی لاریجانی گفت ...") == ("علی لاریجانی گفت ...")


def test_emoji_bullets_do_not_open_the_title() -> None:
    assert headline("🔴ادعاهای تکراری اتحادیه عرب\nمتن") == "ادعاهای تکراری اتحادیه عرب"


def test_cut_at_word() -> None:
    assert cut_at_word("کوتاه", 10) == "کوتاه"
    cut = cut_at_word("یک دو سه چهار پنج شش", 10)
    assert cut == "یک دو سه" + ELLIPSIS


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("به گزارش ایسنا، وزیر گفت ...", "ایسنا"),
        ("به گزارش ایسنا به نقل از رویترز، وزیر گفت ...", "ایسنا"),
        ("به گزارش خبرنگار سیاسی خبرگزاری تسنیم، وزیر گفت", "خبرگزاری تسنیم"),
        ("خبرگزاری فوتبال ایران: تیم ملی امروز به دوحه رفت.", "خبرگزاری فوتبال ایران"),
        ("تهران - ایرنا - رئیس‌جمهور امروز گفت", "ایرنا"),
        ("خبرگزاری مهر، گروه استانها: زمین در حال فرونشست است.", "خبرگزاری مهر"),
        ("تیتر\nمتن خبر\nمنبع: ایرنا", "ایرنا"),
    ],
)
def test_credit_names(text: str, first: str) -> None:
    names = credit_names(text)
    assert names and names[0] == first


def test_credit_windows_reach_the_outlet_after_desk_words() -> None:
    assert "خبرگزاری فارس" in credit_names("به گزارش گروه اقتصاد بین‌الملل خبرگزاری فارس، بانک جهانی کمک کرد.")
    assert "فارس" in credit_names("به گزارش خبرنگار قضایی فارس، دادسرا اعلام کرد.")


def test_an_unknown_outlet_is_never_read_as_its_last_word() -> None:
    # "ایران" alone is a newspaper's alias; it must not be offered for this credit.
    assert "ایران" not in credit_names("خبرگزاری فوتبال ایران: تیم ملی امروز به دوحه رفت.")


def test_a_speaker_quoted_in_the_body_is_not_a_credit() -> None:
    assert credit_names("وزیر امور خارجه روز دوشنبه گفت که مذاکره ادامه دارد.") == []


@pytest.mark.parametrize(
    ("url", "host", "path"),
    [
        ("https://www.isna.ir/news/1403/x", "isna.ir", "/news/1403/x"),
        ("https://M.BBC.com/persian/articles/1", "bbc.com", "/persian/articles/1"),
        ("not a url", "", "not a url"),
        (None, "", ""),
    ],
)
def test_url_host(url, host, path) -> None:
    assert url_host(url) == (host, path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an outlet's name and the date, as a page's byline
        ("سقوط قیمت نفت\nمهر ، ۱۲ آبان ۱۴۰۲ ساعت ۱۰:۱۵\nقیمت نفت امروز کاهش یافت.", "مهر"),
        # an agency's code opening the body
        ("ایلنا/ تهران\nرئیس اتاق بازرگانی گفت صادرات کم شده است.", "ایلنا"),
        ("ایرنا - رئیس‌جمهور امروز به استانبول رفت.", "ایرنا"),
        # closing credits
        ("تیتر خبر\nمتن خبر دربارهٔ بازار ارز است. (ایسنا)", "ایسنا"),
        ("تیتر خبر\nوزیر گفت کار ادامه دارد./ نامه نیوز", "نامه نیوز"),
        # desk words joined by "و" before the outlet
        ("به گزارش خبرنگار گروه علمی و دانشگاهی خبرگزاری مهر، دانشمندان سیاره‌ای یافتند.", "خبرگزاری مهر"),
        # "رسانه ای" written without its non-joiner, and "گزارش" before the name
        ("به گزارش پایگاه اطلاع رسانی رسانه ای شرق، پلیس هشدار داد.", "شرق"),
        ("گزارش رسانه تلگراف: بانک‌ها هدف حمله بودند\nمتن", "تلگراف"),
    ],
)
def test_more_credit_lines(text: str, expected: str) -> None:
    assert expected in credit_names(text)


def test_labels_before_the_headline_are_passed_over() -> None:
    text = "کد خبر: ۴۵۶۷۸۹\nانتشار: ۱۴۰۲/۰۸/۱۸ - ۲۳:۲۲\nدسته‌بندی: سیاسی\nقیمت بنزین تغییر نمی‌کند\nمتن خبر."
    assert headline(text) == "قیمت بنزین تغییر نمی‌کند"


def test_outlet_name_forms_add_the_registry_spellings() -> None:
    from claims.extraction.headline import outlet_name_forms

    forms = outlet_name_forms("آنا")
    assert forms[0] == "آنا" and "خبرگزاری آنا" in forms and "کانال آنا" in forms
    assert outlet_name_forms("خبرگزاری مهر") == ["خبرگزاری مهر"]
    assert outlet_name_forms("  ") == []
