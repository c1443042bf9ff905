"""``{% external_checks claim %}``: other fact-checkers' reviews beside a claim, in the desk only."""

from __future__ import annotations

from django import template

from claims.selectors.exchange import external_reviews_for_claim

register = template.Library()


@register.inclusion_tag("editor/_external_checks.html")
def external_checks(claim) -> dict:
    return {"matches": external_reviews_for_claim(claim)}
