"""Checks every door runs on raw input before anything reaches a query or a row.

Pure Python (no Django): the API's parser and fields, the desk's forms, the guard
middleware for paths and query strings, the ``ingest`` command, uploads and feeds all
use these, so "what is acceptable text" is decided in one place.

- ``FORBIDDEN_CONTROLS``: C0 controls other than tab, newline and carriage return, and
  DEL. NUL in particular can never be stored in PostgreSQL text, so letting one through
  turns into a 500 at the first query.
- ``BIDI_CONTROLS`` (the extraction package's: embeddings, overrides, isolates, marks)
  reorder what a reader sees. Verbatim article text keeps them (the desk shows them);
  one-line fields refuse them.
- ``json_loads``: JSON with a bounded nesting depth, checked by a linear scan before the
  recursive parser ever runs, so a body nested 100,000 deep is a clear error, not a
  RecursionError."""

from __future__ import annotations

import json
import re
from typing import Any

from claims.extraction.normalize import BIDI_CONTROLS

FORBIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a multi-line text (an article, a rationale) may not hold: as above, but a form feed
# and a vertical tab, which word processors leave in pasted text, pass.
TEXT_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Anything that is not a printable character on one line: C0, DEL and C1 controls.
LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")

JSON_MAX_DEPTH = 32

# A whole string (escapes included) is one match, so the scan's loop runs per string and
# per bracket, never per character.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


class JSONTooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


def json_depth_exceeds(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """True when arrays/objects in ``text`` nest deeper than ``limit``.

    Brackets inside strings do not count; an escaped quote does not end a string. The scan
    looks only at the six characters that matter, so it runs at regex speed on article text."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        char = match.group()
        if char in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif char in ("]", "}"):
            depth -= 1
    return False


def json_loads(data: str | bytes, *, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` with ``JSONTooDeep``
    (a ValueError, like every other refusal here). NaN and Infinity are refused too: they
    are not JSON and no field here takes them."""
    if isinstance(data, bytes | bytearray):
        data = bytes(data).decode("utf-8")
    if json_depth_exceeds(data, max_depth):
        raise JSONTooDeep(max_depth)
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except RecursionError as exc:  # a bound below max_depth set by the interpreter
        raise JSONTooDeep(max_depth) from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def has_forbidden_controls(value: str) -> bool:
    return FORBIDDEN_CONTROLS.search(value) is not None


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be a multi-line text, or None. Bidi controls stay: verbatim
    Persian web text is full of direction marks, and the desk shows them."""
    if TEXT_CONTROLS.search(value):
        return "control"
    return None


def line_problem(value: str) -> str | None:
    """Why ``value`` cannot be a one-line field (a title, a slug, a URL, a search), or None."""
    if LINE_CONTROLS.search(value):
        return "control"
    if BIDI_CONTROLS.search(value):
        return "bidi"
    return None
