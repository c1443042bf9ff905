"""Frames, relays and embedded cues (rules/frames.py)."""

from __future__ import annotations

from claims.extraction import extract

from .rules_helpers import engine, span_of


def _frames(text: str):
    r = engine(text)
    spans = [m.span() for m in r.lex.frame_re.finditer(r.t)]
    return r, r.frames_in(0, len(r.t), spans)


def test_frame_source_and_content_start() -> None:
    r, fr = _frames("به گزارش رویترز، قیمت خودرو افزایش یافت.")
    assert len(fr) == 1
    assert span_of(r, fr[0]["src"]) == "رویترز"
    assert r.t[fr[0]["cs"] :].strip().startswith("قیمت")
    assert not fr[0]["own"]


def test_inner_relay_in_a_frame() -> None:
    r, fr = _frames("به گزارش فارس به نقل از رویترز، نفت گران شد.")
    assert span_of(r, fr[0]["src"]) == "رویترز"
    assert span_of(r, fr[0]["outer"]) == "فارس"


def test_agency_dateline_in_the_lead_is_the_writer() -> None:
    _r, fr = _frames("به گزارش ایسنا، قیمت خودرو افزایش یافت.")
    assert fr and fr[0]["own"]


def test_own_reporter_is_the_writer() -> None:
    _r, fr = _frames("به گزارش خبرنگار ما، جلسه برگزار شد.")
    assert fr and fr[0]["own"]
    assert extract("به گزارش خبرنگار ما، جلسه امروز برگزار شد.") == []


def test_frame_after_its_clause() -> None:
    a = extract("بارش‌ها تا پایان هفته ادامه دارد؛ به گفته رئیس سازمان هواشناسی.")
    assert len(a) == 1 and a[0].source == "رئیس سازمان هواشناسی"
    assert a[0].content.startswith("بارش")


def test_guarded_frame_needs_a_report_head() -> None:
    assert extract("بر اساس این قانون، مالیات افزایش می‌یابد.") == []
    a = extract("بر اساس گزارش بانک مرکزی، تورم کاهش یافت.")
    assert a and a[0].kind == "according_to"


def test_embedded_cue_ends_at_the_main_verb() -> None:
    r = engine("وزیر با تاکید بر اینکه تحریم‌ها شکست خورده است اعلام کرد که مذاکره ادامه دارد.")
    emb = [m.span() for m in r.lex.embedded_re.finditer(r.t)]
    verbs = [m.span() for m in r.lex.verb_re.finditer(r.t)]
    em = r.embeds_in(0, len(r.t), emb, verbs)
    assert len(em) == 1
    assert r.t[em[0]["cs"] : em[0]["ce"]].strip() == "تحریمها شکست خورده است"


def test_embedded_np_cue_only_before_a_verb() -> None:
    assert extract("ضمن تکذیب این خبر، جلسه ادامه یافت.") == []
