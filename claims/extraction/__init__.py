"""Persian attribution extraction: who said what, with offsets into the raw text.

Pure Python; never imports Django. ``extract(text)`` returns a list of frozen
``Attribution`` records. The rules and lexicon are described in ``rules/``
and ``lexicon/*.json``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .model import Attribution, DateMention, Quantity
from .normalize import normalize_key

if TYPE_CHECKING:
    from .registry import Registry

EXTRACTOR_VERSION = "2026.12.2"

#: Inputs longer than this many characters are refused with ``InputTooLarge``.
#: Two million characters is several hundred news articles; split larger input.
MAX_INPUT_CHARS = 2_000_000


class InputTooLarge(ValueError):
    """The input text is longer than ``MAX_INPUT_CHARS``."""


def extract(
    text: str,
    *,
    published: _dt.date | None = None,
    aliases: Mapping[str, int] | None = None,
    registry: Registry | None = None,
) -> list[Attribution]:
    """Every attributed statement in ``text``.

    ``published`` resolves relative and year-less dates; ``aliases`` maps
    ``normalize_key(alias)`` to a registry source id and fills ``source_id``
    and ``via_id``. ``registry`` (a :class:`~claims.extraction.registry.Registry`)
    resolves each source at ``published``: ``source_slug`` is the entry named (the
    person, when the span names an office whose holder on that date is known),
    ``office_slug`` the office spoken for; coordinated sources are split.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs str, got {type(text).__name__}")
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLarge(
            f"input is {len(text):,} characters; the extractor accepts at most {MAX_INPUT_CHARS:,} "
            "(split the text into articles)"
        )
    if isinstance(published, _dt.datetime):
        published = published.date()
    run, apply_registry = _stages()
    found = run(text, published=published, aliases=aliases, names=registry.index if registry else None)
    if registry is not None:
        # (the records are this call's own: filled in place, not copied)
        found = apply_registry(found, registry, published=published, text=text, owned=True)
    return found


_STAGES: list = []


def _stages():
    """The pipeline and the registry step, imported on the first call (importing the
    package stays cheap) and kept: a relative import in every call costs time too."""
    if not _STAGES:
        from .pipeline import run
        from .resolve import apply_registry

        _STAGES[:] = [run, apply_registry]
    return _STAGES


__all__ = [
    "EXTRACTOR_VERSION",
    "MAX_INPUT_CHARS",
    "Attribution",
    "DateMention",
    "InputTooLarge",
    "Quantity",
    "extract",
    "normalize_key",
]
