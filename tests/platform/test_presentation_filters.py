"""The Persian presentation filters: bidi isolation, quantity chips, country names
and the reader's words for how a quote was reported."""

from __future__ import annotations

from django.template import Context, Template
from django.utils.safestring import mark_safe

from claims.templatetags.fa import bidi_isolate, country_name, quantity_chips, reader_kind


def test_dates_codes_and_latin_inside_persian_are_isolated():
    html = bidi_isolate("بازه از 2024-04-14 تا ۱۴۰۲-۱۱-۰۴ است؛ ساعت 12:30، کد abc")
    assert '<bdi dir="ltr">2024-04-14</bdi>' in html
    assert '<bdi dir="ltr">۱۴۰۲-۱۱-۰۴</bdi>' in html
    assert '<bdi dir="ltr">12:30</bdi>' in html
    assert '<bdi dir="ltr">abc</bdi>' in html


def test_a_lone_number_is_left_alone_and_markup_is_escaped():
    html = bidi_isolate("۱۷ موشک <script>")
    assert html.startswith("۱۷ موشک")
    assert "<script>" not in html and "&lt;" in html
    assert "<bdi" in html  # "script" is Latin, isolated inside the escaped text
    assert "&lt;<bdi" in html and "</bdi>&gt;" in html


def test_safe_html_keeps_its_tags():
    html = bidi_isolate(mark_safe('<a href="/x/2024-01-01">2024-01-01</a> متن'))
    assert html == '<a href="/x/2024-01-01"><bdi dir="ltr">2024-01-01</bdi></a> متن'


def test_the_filter_in_a_template_isolates_a_form_error():
    out = Template("{% load fa %}<li>{{ e|bidi }}</li>").render(
        Context({"e": "تاریخ پایان (2024-01-01) پیش از تاریخ آغاز (2024-02-01) است."})
    )
    assert out.count('<bdi dir="ltr">') == 2


def test_quantity_chips_show_value_unit_and_qualifier_once():
    chips = quantity_chips(
        [
            {"text": "یک حق", "unit": "حق", "value": 1.0, "qualifier": None},
            {"text": "نزدیک به ۶۰ روز", "unit": "روز", "value": 60.0, "qualifier": "nearly"},
            {"text": "۱۴ میلیارد دلار", "unit": "دلار", "value": 14e9, "qualifier": None},
            {"text": "بیش از ۵۰ هزار لیتر", "unit": "لیتر", "value": 50000.0, "qualifier": "more_than"},
            {"text": "۱ نفر", "unit": "نفر", "value": 1.0, "qualifier": None},
            {"text": "دو و نیم درصد", "unit": "درصد", "value": 2.5, "qualifier": "about"},
        ]
    )
    shown = [(c["qualifier"], c["value"], c["unit"]) for c in chips]
    assert shown == [
        ("نزدیک به", "۶۰", "روز"),
        ("", "۱۴ میلیارد", "دلار"),
        ("بیش از", "۵۰٬۰۰۰", "لیتر"),
        ("", "۱", "نفر"),  # a written digit is a count, not the indefinite article
        ("حدود", "۲٫۵", "درصد"),
    ]


def test_candidate_chip_markup_never_repeats_the_unit():
    template = Template(
        "{% load fa %}{% for q in qs|quantity_chips %}"
        "{{ q.qualifier }} {{ q.value }} {{ q.unit }}|{% endfor %}"
    )
    quantity = {"text": "نزدیک به ۶۰ روز", "unit": "روز", "value": 60.0, "qualifier": "nearly"}
    out = template.render(Context({"qs": [quantity]}))
    assert out == "نزدیک به ۶۰ روز|"


def test_countries_by_their_persian_names():
    assert country_name("US") == "آمریکا"
    assert country_name("ir") == "ایران"
    assert country_name("") == ""
    assert country_name("ZZ") == "ZZ"


def test_reader_words_for_quote_kinds():
    assert reader_kind("direct") == "نقل‌قول مستقیم"
    assert reader_kind("according_to") == "به روایت رسانه"
    assert "آمیخته" not in reader_kind("mixed")
    assert reader_kind("unknown") == ""
