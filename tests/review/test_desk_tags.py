"""The desk's menus and inbox rows written in Python (claims.templatetags.desk): escaped,
and the same markup the template loops wrote."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.template.defaultfilters import truncatechars

from claims.models import Article, Source
from claims.templatetags.desk import id_options


def test_id_options_escape_the_names_and_select_the_chosen_id():
    html = id_options([(3, "الف"), (7, '<b>"x"</b> & y')], 7)
    assert html == (
        '<option value="3" >الف</option>'
        '<option value="7" selected>&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y</option>'
    )
    assert "selected" not in id_options([(3, "الف")], None)


def _row(article: Article) -> str:
    labels = '"بی‌عنوان" "ناشر" "ناشر نامعلوم" "تاریخ" "در انتظار" "پذیرفته" "رد شده"'
    template = Template("{% load desk %}{% inbox_row a " + labels + " %}")
    return template.render(Context({"a": article}))


def _article(**fields) -> Article:
    article = Article(pk=41, text="", ingested_at=dt.datetime(2024, 3, 20, 21, 0, tzinfo=dt.UTC), **fields)
    article.lead = fields.get("title", "") + "\nمتن <i>خبر</i> & ادامه"
    article.n_pending, article.n_accepted, article.n_dismissed = 2, 0, 13
    return article


def test_an_inbox_row_escapes_what_the_article_says():
    html = _row(_article(title="<script>x</script>", publisher=Source(pk=1, slug="s", name_fa="<ناشر>")))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<bdi>&lt;ناشر&gt;</bdi>" in html
    assert "متن &lt;i&gt;خبر&lt;/i&gt; &amp; ادامه" in html
    assert 'href="/review/articles/41/"' in html
    assert '<span class="num num-pending">۲</span>' in html and "۱۳" in html


def test_an_inbox_row_without_title_or_publisher_says_so_and_long_titles_are_cut():
    html = _row(_article(title=""))
    assert 'dir="auto">بی‌عنوان</a>' in html
    assert '<span class="muted">ناشر نامعلوم</span>' in html
    long = "واژه " * 40
    assert f'dir="auto">{truncatechars(long, 90)}</a>' in _row(_article(title=long))
