"""The desk's long menus, written in Python: a filter menu of a few hundred sources was
the costliest part of the inbox when each option was a loop turn of template tags."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from claims.templatetags.articles import excerpt
from claims.templatetags.fa import fa_digits, jdate

register = template.Library()


def _title(text: str, limit: int = 90) -> str:
    """``text|truncatechars:limit``: what fits is returned NFC-normalised as Truncator
    does, without building one (a list shows fifty titles, nearly all short)."""
    if len(text) <= limit:
        return unicodedata.normalize("NFC", text)
    return truncatechars(text, limit)


def _article_url(context, pk: int) -> str:
    """``{% url 'review:article' pk %}``, the address reversed once a rendering: an
    integer path parameter is written as its digits."""
    parts = context.render_context.get("inbox_article_url")
    if parts is None:
        marker = 987654321987654321
        parts = reverse("review:article", args=[marker]).split(str(marker))
        context.render_context["inbox_article_url"] = parts
    return f"{parts[0]}{int(pk)}{parts[1]}"


@register.simple_tag
def id_options(choices: Iterable[tuple[int, str]], chosen: int | None) -> SafeString:
    """``<option>`` elements for ``(id, name)`` pairs, the one whose id is ``chosen``
    selected; the same markup as ``<option value="{{ pk }}" {% if … %}selected{% endif %}>``."""
    return mark_safe(  # noqa: S308 - the names are escaped, the ids are integers
        "".join(
            f'<option value="{pk}" {"selected" if pk == chosen else ""}>{escape(str(name))}</option>'
            for pk, name in choices
        )
    )


@register.simple_tag(takes_context=True)
def inbox_row(context, article, *labels: str) -> SafeString:
    """One article's ``<tr>`` in the inbox: its title and opening, publisher, date and the
    number of its candidates pending, accepted and dismissed. ``labels`` are the
    template's own, translated there: untitled, publisher, no publisher, date, pending,
    accepted, dismissed."""
    untitled, publisher, no_publisher, date, pending, accepted, dismissed = labels
    # The labels come from {% translate … as … %}: already escaped, and marked so.
    publisher, no_publisher, date, pending, accepted, dismissed = (
        conditional_escape(label) for label in (publisher, no_publisher, date, pending, accepted, dismissed)
    )
    url = escape(_article_url(context, article.pk))
    title = conditional_escape(_title(article.title) if article.title else truncatechars(untitled, 90))
    lead = excerpt(article)
    lead = f'<p class="excerpt small muted" dir="auto">{escape(str(lead))}</p>' if lead else ""
    if article.publisher is not None:
        outlet = f"<bdi>{escape(str(article.publisher.name_fa))}</bdi>"
    else:
        outlet = f'<span class="muted">{no_publisher}</span>'
    when = jdate(article.published_at or article.ingested_at)
    busy = "num-pending" if article.n_pending else ""
    n_pending, n_accepted, n_dismissed = (
        fa_digits(n) for n in (article.n_pending, article.n_accepted, article.n_dismissed)
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        "<tr>\n"
        f'        <td class="primary"><a href="{url}" dir="auto">{title}</a>{lead}</td>\n'
        f'        <td data-label="{publisher}">{outlet}</td>\n'
        f'        <td data-label="{date}">{when}</td>\n'
        f'        <td data-label="{pending}"><span class="num {busy}">{n_pending}</span></td>\n'
        f'        <td data-label="{accepted}">{n_accepted}</td>\n'
        f'        <td data-label="{dismissed}">{n_dismissed}</td>\n'
        "      </tr>"
    )
