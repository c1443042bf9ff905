"""Cleaning of what people type into the desk: shared by every service that takes it.

Every service that takes free text from an editor runs it through ``clean_text``
(bidi and control characters dropped, length bounded, a Persian message when it
is refused); ``parse_date`` reads the dates editors type, Jalali or Gregorian."""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from django.utils import timezone

from claims.extraction.normalize import BIDI_CONTROLS, normalize_key
from claims.services.errors import InputTooLarge, InvalidInput

# Embedding/override/isolate controls can reorder what an editor reads
# (a "Trojan source" in Persian text). ZWNJ (U+200C) and ZWJ are legitimate in
# Persian spelling and are kept; LRM/RLM are dropped with the rest.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MAX_SHORT = 300
MAX_REASON = 500
MAX_TEXT = 5_000


def clean_text(
    value: str | None, *, label: str, max_length: int, required: bool = True, multiline: bool = True
) -> str:
    """Trim ``value``, drop bidi and control characters, and refuse empty or huge input.

    The text is stored as typed otherwise; templates escape it, so markup such as
    ``<script>`` is kept and shown as text, never run."""
    text = BIDI_CONTROLS.sub("", value or "")
    text = CONTROL_CHARS.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if required and not text:
        raise InvalidInput(f"{label} نمی‌تواند خالی باشد.")
    if len(text) > max_length:
        raise InputTooLarge(f"{label} بیش از اندازه بلند است (حداکثر {max_length:,} نویسه).")
    return text


def parse_date(value: str) -> dt.datetime | None:
    """A date typed by an editor: Jalali (1402-11-04) or Gregorian (2024-01-24),
    Persian or Latin digits, with - or / between parts."""
    value = (value or "").strip()
    if not value:
        return None
    digits = normalize_key(value).replace(" ", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", digits)
    if not match:
        raise InvalidInput("تاریخ را به شکل ۱۴۰۲-۱۱-۰۴ (خورشیدی) یا 2024-01-24 (میلادی) بنویسید.")
    year, month, day = (int(x) for x in match.groups())
    try:
        if year < 1700:
            day_value = jdatetime.date(year, month, day).togregorian()
        else:
            day_value = dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("این تاریخ در تقویم وجود ندارد.") from exc
    return timezone.make_aware(dt.datetime.combine(day_value, dt.time(12, 0)))
