"""Desk-only tags for wire copies and statements."""

from __future__ import annotations

from django import template

from claims.selectors.statements import article_copies

register = template.Library()


@register.inclusion_tag("editor/_article_copies.html")
def copies_of(article) -> dict:
    """ "Also published by N outlets" for an original; "a copy of ..." for a copy."""
    return {"article": article, "copies": article_copies(article) if not article.copy_of_id else []}
