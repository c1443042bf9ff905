"""General patterns of Persian news attribution, on sentences written for
these tests (not taken from the labelled sets)."""

from __future__ import annotations

import pytest

from claims.extraction import extract


def _one(text: str):
    got = extract(text)
    assert len(got) == 1, [(a.source, a.cue, a.content) for a in got]
    return got[0]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("وزیر نفت در این نشست خاطرنشان شد که تولید نفت افزایش یافته است.", "خاطرنشان شد"),
        ("سخنگوی دولت یادآور گردید که یارانه‌ها قطع نخواهد شد.", "یادآور گردید"),
        ("وزیر خارجه اذعان داشت که مذاکرات به بن‌بست رسیده است.", "اذعان داشت"),
        ("سخنگوی وزارت خارجه اطلاع داد که سفیر احضار شده است.", "اطلاع داد"),
        ("وزیر اقتصاد گوشزد کرد که بودجه امسال کسری دارد.", "گوشزد کرد"),
        ("رئیس جمهور ابراز داشت که دولت از تولید حمایت می‌کند.", "ابراز داشت"),
        ("استاندار تهران متذکر گردید که مدارس باز می‌مانند.", "متذکر گردید"),
        ("مدیرعامل شرکت ملی گاز عنوان نمود که مصرف گاز رکورد زده است.", "عنوان نمود"),
        ("رئیس پلیس راهور شرح داد که تصادفات جاده‌ای کاهش یافته است.", "شرح داد"),
    ],
)
def test_light_verb_variants(text: str, cue: str) -> None:
    a = _one(text)
    assert a.cue == cue
    assert a.content.startswith(text.split(" که ", 1)[1][:8])


def test_bar_frame_with_varzid() -> None:
    a = _one("رئیس کل بانک مرکزی بر کاهش نرخ تورم تأکید ورزید.")
    assert a.source == "رئیس کل بانک مرکزی"
    assert a.content == "کاهش نرخ تورم"


def test_denial_with_namud() -> None:
    a = _one("سخنگوی قوه قضاییه این خبر را تکذیب نمود.")
    assert a.source == "سخنگوی قوه قضاییه" and a.content == "این خبر"


def test_frame_with_ezafe_and_typo() -> None:
    a = _one("به گفته‌ی رئیس سازمان هواشناسی، بارش‌ها تا پایان هفته ادامه دارد.")
    assert a.source == "رئیس سازمان هواشناسی" and a.kind == "according_to"
    a = _one("بع نقل از ایسنا، قیمت خودرو در بازار افزایش یافت.")
    assert a.source == "ایسنا"


def test_statement_issued_by_named_body() -> None:
    a = _one("در بیانیه سپاه پاسداران آمده است که دو پهپاد متخاصم سرنگون شد.")
    assert a.source == "سپاه پاسداران"
    assert a.content == "دو پهپاد متخاصم سرنگون شد"


def test_statement_anaphor_resolves_to_issuer() -> None:
    got = extract(
        "سپاه پاسداران در بیانیه‌ای اعلام کرد که حمله دفع شد. در این بیانیه آمده است که دو پهپاد سرنگون شد."
    )
    a = [x for x in got if x.content == "دو پهپاد سرنگون شد"]
    assert a and a[0].source == "این بیانیه"
    assert a[0].source_resolved == "سپاه پاسداران"


def test_passive_with_agent() -> None:
    a = _one("از سوی وزارت بهداشت اعلام شد که ۲۰ نفر در این حادثه جان باختند.")
    assert a.source == "وزارت بهداشت"
    assert a.content == "۲۰ نفر در این حادثه جان باختند"
    a = _one("این خبر توسط وزارت امور خارجه تکذیب شد.")
    assert a.source == "وزارت امور خارجه" and a.content == "این خبر"


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "وزارت امور خارجه روسیه حمله به کنسولگری را محکوم کرد.",
            "وزارت امور خارجه روسیه",
            "حمله به کنسولگری",
        ),
        (
            "سخنگوی سازمان انرژی اتمی ایران گزارش آژانس را تکذیب کرد.",
            "سخنگوی سازمان انرژی اتمی ایران",
            "گزارش آژانس",
        ),
        ("محمد احمدی معاون اول وزیر این ادعا را رد کرد.", "محمد احمدی معاون اول وزیر", "این ادعا"),
    ],
)
def test_subject_ends_where_the_object_opens(text: str, source: str, content: str) -> None:
    a = _one(text)
    assert (a.source, a.content) == (source, content)


def test_label_heads_the_lines_under_it() -> None:
    text = (
        "سخنگوی دولت:\nیارانه‌ها قطع نمی‌شود.\nقیمت بنزین افزایش نمی‌یابد.\n\nبارش باران در تهران ادامه دارد.\n"
    )
    a = _one(text)
    assert a.source == "سخنگوی دولت"
    assert "یارانه‌ها" in a.content and "بنزین" in a.content and "باران" not in a.content


def test_recipient_apposition_is_not_a_subject() -> None:
    got = extract(
        "وزیر خارجه فرانسه تاکید کرد به احمد رضایی، سفیر ایران، اطلاع داده که این رفتار بی‌پاسخ نمی‌ماند."
    )
    assert all(a.source != "سفیر ایران" for a in got)


@pytest.mark.parametrize(
    "text",
    [
        "وزیر بهداشت خواستار تعطیلی مدارس شد.",
        "از وزیر خارجه پرسیده شد که آیا مذاکرات ادامه دارد.",
        "گفته می‌شود که رئیس بانک مرکزی استعفا داده است.",
        "تصاویر منتشر شده نشان می‌دهد که ساختمان تخریب شده است.",
        "سخنگوی دولت فردا درباره قیمت بنزین توضیح خواهد داد.",
        "حزب الله از سوی آمریکا تروریستی شناخته می‌شود.",
        "اعلام شد که مدارس تعطیل است.",
        "خبر دیگر: بارش باران در تهران ادامه دارد.",
    ],
)
def test_exclusions_hold(text: str) -> None:
    assert extract(text) == []


def test_document_modifiers_are_not_issuers() -> None:
    assert extract("در گزارش سالانه آمده است که صادرات افزایش یافت.") == []
    a = _one("در بیانیه رسمی وزارت کشور آمده است که انتخابات به تعویق افتاد.")
    assert a.source == "وزارت کشور"
    assert extract("از سوی دیگر اعلام شد که جلسه لغو شده است.") == []


def test_joined_preposition_frames_and_rasand() -> None:
    a = _one("بگزارش ایرنا، زلزله‌ای پنج ریشتری شهر را لرزاند.")
    assert a.source == "ایرنا" and a.kind == "according_to"
    a = _one("رئیس دادگستری استان به اطلاع رساند که پرونده مختومه شد.")
    assert a.cue == "اطلاع رساند" and a.content == "پرونده مختومه شد"


def test_anaphor_with_a_relational_adjective() -> None:
    got = extract(
        "علی احمدی معاون وزیر نفت گفت که قیمت ثابت است. این مقام نفتی افزود که تولید بیشتر شده است."
    )
    a = [x for x in got if x.source == "این مقام نفتی"]
    assert a and a[0].source_resolved.startswith("علی احمدی")


@pytest.mark.parametrize("naql", ["به نقل از", "بع نقل از", "بنقل از"])
def test_relay_with_naql_typos(naql: str) -> None:
    a = _one(f"خبرگزاری آسوشیتدپرس {naql} سه مقام آمریکایی گزارش داد که آتش‌بس تمدید شد.")
    assert a.source == "سه مقام آمریکایی"
    assert a.via == "خبرگزاری آسوشیتدپرس"


def test_denial_embedded_before_the_main_verb() -> None:
    got = extract("سخنگوی پلیس ضمن تکذیب این شایعه اعلام کرد که هیچ انفجاری رخ نداده است.")
    assert {(a.source, a.content) for a in got} == {
        ("سخنگوی پلیس", "این شایعه"),
        ("سخنگوی پلیس", "هیچ انفجاری رخ نداده است"),
    }
    # without a reporting verb it is what the source did, not what it said
    assert extract("سخنگوی دولت ضمن تکذیب شایعات درباره قیمت بنزین به سفر استانی رفت.") == []


def test_nominal_denial_headline() -> None:
    text = (
        "تکذیب خبر استعفای وزیر نفت از سوی روابط عمومی وزارتخانه\n"
        "وزیر نفت امروز در جلسه هیئت دولت حاضر بود.\n"
    )
    a = _one(text)
    assert a.source == "روابط عمومی وزارتخانه" and a.content == "خبر استعفای وزیر نفت"


def test_bullets_and_hashtags_before_labels() -> None:
    text = (
        "🔴 سخنگوی وزارت نیرو: خاموشی‌ها تا پایان هفته ادامه دارد\n\n"
        "#فوری | رئیس سازمان هواشناسی: بارش‌ها از فردا آغاز می‌شود\n"
    )
    got = {(a.source, a.via) for a in extract(text)}
    assert got == {("سخنگوی وزارت نیرو", None), ("رئیس سازمان هواشناسی", None)}


@pytest.mark.parametrize(
    "text",
    [
        "سخنگوی دولت قرار است فردا نتایج جلسه را اعلام کند.",
        "وزیر خارجه هفته آینده در این باره سخنرانی خواهد کرد.",
        "نماینده مجلس پرسید که چرا قیمت‌ها افزایش یافته است.",
        "رئیس جمهور ابراز امیدواری کرد.",
    ],
)
def test_future_questions_hopes_are_not_attributions(text: str) -> None:
    assert extract(text) == []


def test_data_with_no_one_behind_it() -> None:
    assert extract("بر اساس آمارهای رسمی، نرخ بیکاری کاهش یافته است.") == []
    assert extract("طبق داده‌های موجود، بارش‌ها نسبت به پارسال کمتر بوده است.") == []


def test_approval_by_an_agent_is_not_a_statement() -> None:
    assert extract("صلاحیت این نامزد از سوی شورای نگهبان تایید شد.") == []
    assert extract("تایید صلاحیت نامزدها توسط شورای نگهبان\nفهرست نهایی فردا منتشر می‌شود.\n") == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("سفیر ایران در سازمان ملل گفت که ایران به دنبال جنگ نیست.", "سفیر ایران در سازمان ملل"),
        ("نماینده مردم اهواز در مجلس اعلام کرد که آب شرب قطع شده است.", "نماینده مردم اهواز در مجلس"),
        ("سفیر ایران در گفت‌وگو با خبرنگاران گفت که روابط خوب است.", "سفیر ایران"),
        ("نماینده تهران در نشست علنی امروز گفت که بودجه ناقص است.", "نماینده تهران"),
    ],
)
def test_posting_of_a_representative(text: str, source: str) -> None:
    assert _one(text).source == source


@pytest.mark.parametrize("cue", ["خاطر نشان کرد", "خاطرنشان کرد", "یاد آور شد", "یادآور شد", "گوش زد کرد"])
def test_split_and_joined_preverbs(cue: str) -> None:
    a = _one(f"مدیرکل بیمه سلامت استان {cue} که پوشش بیمه‌ای افزایش یافته است.")
    assert a.cue == cue


def test_avardan_only_before_speech() -> None:
    a = _one("وزارت کشور در اطلاعیه خود آورده است: «رأی‌گیری تا ساعت ۲۲ تمدید شد.»")
    assert a.source == "وزارت کشور" and a.kind == "direct"
    assert extract("امدادگران مجروحان را به بیمارستان آوردند.") == []


def test_label_block_stops_at_the_next_label() -> None:
    text = "سخنگوی دولت:\nیارانه‌ها قطع نمی‌شود.\nوزیر نفت: قیمت بنزین افزایش نمی‌یابد.\n"
    got = {(a.source, a.content) for a in extract(text)}
    assert got == {("سخنگوی دولت", "یارانه‌ها قطع نمی‌شود"), ("وزیر نفت", "قیمت بنزین افزایش نمی‌یابد")}


def test_statement_with_passive_verb_and_issuer() -> None:
    a = _one("در اطلاعیه وزارت آموزش و پرورش اعلام شد که مدارس شنبه باز هستند.")
    assert a.source.startswith("وزارت آموزش") and a.content == "مدارس شنبه باز هستند"
    assert extract("در این نشست اعلام شد که مدارس تعطیل است.") == []


@pytest.mark.parametrize(
    "text",
    [
        "فیلم منتشر شده تایید کرد که انفجار رخ داده است.",
        "نتایج یک نظرسنجی جدید حاکی است که محبوبیت دولت کاهش یافته است.",
        "مطالعات اخیر تایید می‌کند که آلودگی هوا افزایش یافته است.",
    ],
)
def test_evidence_is_not_a_speaker(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    "text", ["به بیان دیگر، تورم کاهش یافته است.", "به تعبیر دیگر، دولت شکست خورده است."]
)
def test_discourse_markers_are_not_frames(text: str) -> None:
    assert extract(text) == []


def test_split_khabar_az_dad() -> None:
    a = _one("وزیر کشور خبر از برگزاری انتخابات در موعد مقرر داد.")
    assert a.source == "وزیر کشور" and a.content == "برگزاری انتخابات در موعد مقرر"
    assert extract("مردم خبر از حادثه را در شبکه‌ها دیدند و آن را دست به دست کردند.") == []
