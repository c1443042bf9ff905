"""How an article is shown in a list: its title and the opening of its body."""

from __future__ import annotations

from django import template

from claims.extraction.headline import excerpt as text_excerpt

register = template.Library()

# Selectors attach the opening of the text (``lead``, a database substring) to
# lists that defer the full text, so an excerpt costs no query per row.
LIST_EXCERPT = 160


@register.filter
def excerpt(article, lead: str | None = None) -> str:
    """The opening of ``article``'s body after its headline line, cut at a word."""
    if article is None:
        return ""
    text = lead or getattr(article, "lead", None)
    if text is None:
        if "text" in article.get_deferred_fields():
            return ""
        text = article.text
    return text_excerpt(text, article.title or "", limit=LIST_EXCERPT)
