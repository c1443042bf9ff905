"""A claim's appearances as its page shows them, written in Python.

A claim page lists up to thirty appearances twice (the spread timeline and the quotes
with their captions); as template loops of a dozen conditions each they were most of
the page's rendering. The markup is the one the template had, byte for byte."""

from __future__ import annotations

from html import escape as _html_escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from claims.templatetags.fa import _local, jdate, reader_kind, web_host

register = template.Library()


def escape(value) -> str:
    """Django's ``escape`` (as the template's autoescape writes a value), without its lazy
    wrapper: these tags escape a few hundred values a page."""
    return _html_escape(str(value))


COPY = "copy"


def _link(source) -> str:
    return f'<a href="{escape(source.get_absolute_url())}">{escape(source.name_fa)}</a>'


def _via(attribution, before: str, after: str) -> str:
    """ "به نقل از" and the outlet relayed, as a registered source or as written."""
    if attribution.via_source is not None:
        return f"{before}به نقل از {_link(attribution.via_source)}{after}"
    if attribution.via_text:
        return f"{before}به نقل از <bdi>{escape(attribution.via_text)}</bdi>{after}"
    return ""


def _iso_day(date) -> str:
    """``{{ date|date:"Y-m-d" }}`` (the day in the current time zone), isolated as the page
    writes it beside the Jalali date."""
    day = _local(date)
    return f' <bdi class="iso" dir="ltr">{day.year:04d}-{day.month:02d}-{day.day:02d}</bdi>'


@register.simple_tag
def spread_item(item) -> SafeString:
    """One ``<li>`` of the spread timeline: when, where, relayed from whom, whether a copy."""
    a = item.attribution
    publisher = a.article.publisher
    when = jdate(item.date, True) if item.date else ""
    where = f" · {_link(publisher)}" if publisher is not None else ""
    copy = ' · <span class="pill">رونوشت همان خبر</span>' if a.review_state == COPY else ""
    return mark_safe(  # noqa: S308 - every value escaped above
        f"<li>{when}{where}\n        {_via(a, ' · ', '')}\n        {copy}</li>"
    )


@register.simple_tag
def appearance_figure(item) -> SafeString:
    """One quote in its sentence with who said it, where, when and how it was reported."""
    a = item.attribution
    article = a.article
    url = escape(item.url)
    cite = f' cite="{url}"' if item.url else ""
    if a.source is not None:
        href = escape(a.source.get_absolute_url())
        who = f'<a href="{href}" class="source-link">{escape(a.source.name_fa)}</a>'
    else:
        who = f"<bdi>{escape(a.source_text)}</bdi>"
    if article.publisher is not None:
        outlet = f'· <span class="outlet">{_link(article.publisher)}</span>'
    elif item.url:
        outlet = f'· <span class="outlet"><bdi dir="ltr">{escape(web_host(item.url))}</bdi></span>'
    else:
        outlet = ""
    when = f"· {jdate(item.date)}{_iso_day(item.date)}" if item.date else ""
    if item.url:
        title = escape(article.title or "متن خبر")
        source = f'· <a href="{url}" rel="nofollow noopener noreferrer" class="article-link">{title}</a>'
    elif article.title:
        source = f"· <cite>{escape(article.title)}</cite>"
    else:
        source = ""
    kind = reader_kind(a.kind)
    kind = f'· <span class="kind">{escape(kind)}</span>' if kind else ""
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<figure class="appearance" id="appearance-{a.pk}">\n'
        f'      <blockquote{cite} class="quote-context">{escape(item.before)}<mark class="quote">'
        f"{escape(item.quote)}</mark>{escape(item.after)}</blockquote>\n"
        "      <figcaption>\n"
        f'        <span class="who">{who}</span>\n'
        f"        {_via(a, '<span class="via">', '</span>')}\n"
        f"        {outlet}\n"
        f"        {when}\n"
        f"        {source}\n"
        f"        {kind}\n"
        "      </figcaption>\n"
        "    </figure>"
    )
