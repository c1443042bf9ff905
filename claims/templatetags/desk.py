"""The desk's long menus, written in Python: a filter menu of a few hundred sources was
the costliest part of the inbox when each option was a loop turn of template tags."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def id_options(choices: Iterable[tuple[int, str]], chosen: int | None) -> SafeString:
    """``<option>`` elements for ``(id, name)`` pairs, the one whose id is ``chosen``
    selected; the same markup as ``<option value="{{ pk }}" {% if … %}selected{% endif %}>``."""
    return mark_safe(  # noqa: S308 - the names are escaped, the ids are integers
        "".join(
            f'<option value="{pk}" {"selected" if pk == chosen else ""}>{escape(name)}</option>'
            for pk, name in choices
        )
    )
