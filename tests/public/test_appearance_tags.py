"""A claim page's appearances written in Python (claims.templatetags.appearances): what an
article or an editor wrote is escaped, and each part shows only when there is one."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from claims.models import Article, Attribution, Source
from claims.templatetags.appearances import appearance_figure, spread_item


def _item(*, publisher=None, url="", via_source=None, via_text="", state="accepted", source=None, title=""):
    article = Article(pk=9, title=title, publisher=publisher, text="")
    attribution = Attribution(
        pk=5,
        article=article,
        source=source,
        source_text="<گوینده>",
        via_source=via_source,
        via_text=via_text,
        review_state=state,
        kind="direct",
    )
    date = dt.datetime(2024, 3, 20, 21, 0, tzinfo=dt.UTC)
    return SimpleNamespace(
        attribution=attribution, url=url, date=date, before="پیش <", quote="<b>نقل</b>", after=" & پس"
    )


def test_a_quote_and_its_caption_are_escaped():
    html = appearance_figure(_item(url="https://www.isna.ir/news/1?a=1&b=<2>", title="<i>خبر</i>"))
    assert "<b>" not in html and "&lt;b&gt;نقل&lt;/b&gt;" in html
    assert 'cite="https://www.isna.ir/news/1?a=1&amp;b=&lt;2&gt;"' in html
    assert "<bdi>&lt;گوینده&gt;</bdi>" in html  # not in the registry: named as written
    assert '<bdi dir="ltr">isna.ir</bdi>' in html  # no publisher: the site of the address
    assert 'class="article-link">&lt;i&gt;خبر&lt;/i&gt;</a>' in html
    assert '<span class="kind">نقل‌قول مستقیم</span>' in html


def test_a_caption_names_registered_sources_and_leaves_out_what_is_missing():
    speaker = Source(pk=1, slug="speaker", name_fa="گوینده")
    outlet = Source(pk=2, slug="outlet", name_fa="رسانه")
    html = appearance_figure(_item(source=speaker, publisher=outlet, via_source=outlet))
    assert '<a href="/sources/speaker/" class="source-link">گوینده</a>' in html
    assert '<span class="via">به نقل از <a href="/sources/outlet/">رسانه</a></span>' in html
    assert "article-link" not in html and "cite=" not in html and "<cite>" not in html


def test_a_spread_entry_marks_wire_copies_and_relays():
    assert "رونوشت همان خبر" in spread_item(_item(state="copy", via_text="<خبرگزاری>"))
    plain = spread_item(_item())
    assert "رونوشت" not in plain and "به نقل از" not in plain
    assert "به نقل از <bdi>&lt;خبرگزاری&gt;</bdi>" in spread_item(_item(via_text="<خبرگزاری>"))
