"""Highlights are built from stored offsets into flat, escaped segments."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from claims import models as m
from claims.selectors.review import highlight_segments, quote_in_context


class _A:
    """Just the fields highlight_segments reads."""

    def __init__(self, pk, source, cue, content, via=(None, None), state="pending"):
        self.pk = pk
        self.source_start, self.source_end = source
        self.cue_start, self.cue_end = cue
        self.content_start, self.content_end = content
        self.via_start, self.via_end = via
        self.review_state = state


def test_segments_cover_the_text_exactly_and_split_at_every_boundary():
    text = "الف ب گفت که همه چیز آرام است."
    a = _A(1, (0, 5), (6, 9), (13, 30))
    b = _A(2, (4, 9), (6, 9), (17, 22))  # overlaps a's source and cue, nested in a's content
    segments = highlight_segments(text, [a, b])
    assert "".join(s.text for s in segments) == text
    assert [s.start for s in segments] == sorted({s.start for s in segments})
    by_start = {s.start: s for s in segments}
    assert by_start[4].parts == {"source"} and by_start[4].ids == [1, 2]
    assert by_start[6].parts == {"cue", "source"} and by_start[6].ids == [1, 2]
    assert by_start[17].parts == {"content"} and by_start[17].ids == [1, 2]
    assert by_start[13].ids == [1]


def test_dismissed_and_out_of_range_spans():
    text = "کوتاه"
    segments = highlight_segments(
        text, [_A(1, (0, 2), (2, 3), (3, 99)), _A(2, (0, 5), (0, 5), (0, 5), state="dismissed")]
    )
    assert "".join(s.text for s in segments) == text
    assert all(2 not in s.ids for s in segments)
    assert segments[-1].parts == {"content"} and segments[-1].start == 3


def test_bidi_controls_get_their_own_segment_and_cr_survives_html():
    text = "الف\u202eب\r\nج"
    segments = highlight_segments(text, [_A(1, (0, 2), (2, 3), (3, 8))])
    assert "".join(s.text for s in segments) == text
    (control,) = [s for s in segments if s.control]
    assert (control.start, control.control, control.ids) == (3, "U+202E", [1])
    assert "&#13;" in "".join(s.html for s in segments)
    assert "<" not in highlight_segments("<b>", [])[0].html.replace("&lt;", "")


def test_empty_text_and_no_spans():
    assert highlight_segments("", []) == []
    (only,) = highlight_segments("متن", [])
    assert (only.text, only.parts) == ("متن", set())


def test_quote_in_context_cuts_at_words():
    text = "یک دو سه چهار پنج شش هفت هشت نه ده"
    before, quote, after = quote_in_context(text, 9, 13, width=6)
    assert quote == "چهار"
    assert before.startswith("…") and after.endswith("…")


class _Balance(HTMLParser):
    VOID = {"input", "br", "meta", "link", "img", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


@pytest.mark.django_db
def test_article_page_escapes_text_and_nests_marks_correctly(client, editor):
    text = 'سخنگو گفت: «<script>alert("x")</script> & <b>همه</b>»\n‮بند دوم'
    article = m.Article.objects.create(text=text, title="<i>عنوان</i>", content_hash="h-escape", state="done")
    content_start = text.index("<script>")
    m.Attribution.objects.create(
        article=article,
        source_text="سخنگو",
        source_start=0,
        source_end=5,
        cue_text="گفت",
        cue_start=6,
        cue_end=9,
        content_text=text[content_start:-9],
        content_start=content_start,
        content_end=len(text) - 9,
        kind="direct",
    )
    # a second candidate overlapping the first one's source and content
    m.Attribution.objects.create(
        article=article,
        source_text=text[3:12],
        source_start=3,
        source_end=12,
        cue_text="گفت",
        cue_start=6,
        cue_end=9,
        content_text=text[10:30],
        content_start=10,
        content_end=30,
        kind="indirect",
    )
    client.force_login(editor)
    html = client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<i>عنوان</i>" not in html
    body = html[html.index('id="article-body"') : html.index("</div>", html.index('id="article-body"'))]
    parser = _Balance()
    parser.feed(body[body.index(">") + 1 :])
    assert not parser.errors and not parser.stack
    assert body.count("<mark") >= 5
    # the right-to-left override in the text is shown as a marker, not obeyed
    assert "\u202e" not in body and 'data-ctl="U+202E"' in body
