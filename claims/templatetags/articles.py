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


@register.filter
def suggested_kind(attribution) -> str:
    """The kind the "create source" form starts on for an attribution's name: an
    outlet for ``خبرگزاری …`` or a credit (``به گزارش …``), an office for a title,
    else what the name looks like."""
    from claims.extraction.candidates import suggest_kind

    kind = suggest_kind(attribution.source_text or "")
    if kind == "person" and attribution.kind == "according_to":
        return "media_group"
    return kind
