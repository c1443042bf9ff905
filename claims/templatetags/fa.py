"""Persian presentation helpers: Persian digits and Jalali dates beside ISO ones."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path

import jdatetime
from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_TO_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def fa_digits(value) -> str:
    """Write ASCII digits as Persian digits (for people; the API keeps ASCII)."""
    if value is None:
        return ""
    return str(value).translate(_TO_FA)


register.filter("fa_digits", fa_digits)


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@lru_cache(maxsize=4096)
def _jalali_day(day: dt.date) -> str:
    """A day as Persian readers write it ("۲۶ فروردین ۱۴۰۳"). Lists show many items of
    the same few days: each is converted once per process."""
    j = jdatetime.date.fromgregorian(date=day)
    return fa_digits(f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}")


def jalali_text(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if value is None:
        return ""
    return _jalali_local(_local(value), with_time)


def _jalali_local(value: dt.date | dt.datetime, with_time: bool) -> str:
    if isinstance(value, dt.datetime):
        text = _jalali_day(value.date())
        return text + fa_digits(f"، {value:%H:%M}") if with_time else text
    return _jalali_day(value)


register.filter("jalali", jalali_text)


@register.simple_tag
def jdate(value, with_time: bool = False):
    """A <time> element: Jalali date in Persian digits, ISO in datetime=, Gregorian on hover."""
    if value is None:
        return ""
    local = _local(value)
    iso = local.isoformat()
    gregorian = local.strftime("%Y-%m-%d %H:%M") if isinstance(local, dt.datetime) else iso
    # Every part is digits, punctuation and Persian month names: nothing to escape
    # (format_html's escaping of each was a good part of a list's rendering).
    return mark_safe(f'<time datetime="{iso}" title="{gregorian}">{_jalali_local(local, with_time)}</time>')  # noqa: S308


# --- Bidi isolation -----------------------------------------------------------
# A date, a number or a Latin word inside a Persian sentence takes the sentence's
# direction unless it is isolated: "2024-04-14" reads "14-04-2024" and
# "۱۴۰۲-۱۱-۰۴" reads "۰۴-۱۱-۱۴۰۲". Runs that hold a digit or a Latin letter
# (with the separators dates, times, codes and addresses use) become
# <bdi dir="ltr">, which keeps their own order and leaves the sentence's alone.
_LTR_RUN = re.compile(
    r"[0-9۰-۹٠-٩A-Za-z@#][0-9۰-۹٠-٩A-Za-z@#_.,:/\-+%٫٬]*[0-9۰-۹٠-٩A-Za-z%]|[0-9۰-۹٠-٩A-Za-z]"
)
# A lone number or year reads the same either way; only runs with an inner
# separator or a Latin letter can be reordered.
_NEEDS_ISOLATION = re.compile(r"[A-Za-z]|[0-9۰-۹٠-٩][.,:/\-][0-9۰-۹٠-٩]")


def bidi_isolate(value) -> str:
    """``value`` (text, escaped here; or safe HTML, whose tags and entities are
    left alone) with each date, time, code or Latin run in <bdi dir="ltr">."""
    if value is None:
        return ""
    out: list[str] = []
    for part in _MARKUP.split(str(conditional_escape(value))):
        if not part or _MARKUP.fullmatch(part):
            out.append(part)
            continue
        last = 0
        for match in _LTR_RUN.finditer(part):
            if not _NEEDS_ISOLATION.search(match.group(0)):
                continue
            out.append(part[last : match.start()])
            out.append(f'<bdi dir="ltr">{match.group(0)}</bdi>')
            last = match.end()
        out.append(part[last:])
    return mark_safe("".join(out))  # noqa: S308 - escaped text, its own tags kept


_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


register.filter("bidi", bidi_isolate, is_safe=True)


# --- Quantities ---------------------------------------------------------------

QUALIFIER_LABELS = {
    "at_least": "دست‌کم",
    "about": "حدود",
    "nearly": "نزدیک به",
    "more_than": "بیش از",
    "less_than": "کمتر از",
    "at_most": "حداکثر",
}
_SCALES = ((1_000_000_000, "میلیارد"), (1_000_000, "میلیون"))
# "یک" before a noun is Persian's indefinite article far more often than a
# count ("یک حق", "یک سخنرانی"); a written "۱" or "1" is a count.
_INDEFINITE = re.compile(r"(?:^|\s)(?:یک|يک|يك|یك)(?:\s|\u200c|$)")
_DIGIT = re.compile(r"[0-9۰-۹٠-٩]")


def _number_text(value: float) -> str:
    for size, word in _SCALES:
        if abs(value) >= size and (value / size) == round(value / size, 2):
            return f"{_plain_number(value / size)} {word}"
    return _plain_number(value)


def _plain_number(value: float) -> str:
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "٬")
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "٬").replace(".", "٫")
    return fa_digits(text)


@register.filter
def quantity_chips(quantities) -> list[dict]:
    """The quantities worth a chip: ``{"qualifier", "value", "unit", "text"}``
    with the value written once in Persian digits and the unit once, the
    indefinite "یک" left out."""
    chips: list[dict] = []
    for q in quantities or []:
        if not isinstance(q, dict) or q.get("value") is None:
            continue
        text = str(q.get("text") or "")
        number = float(q["value"])
        if number == 1 and _INDEFINITE.search(text) and not _DIGIT.search(text):
            continue
        chips.append(
            {
                "qualifier": QUALIFIER_LABELS.get(q.get("qualifier") or "", ""),
                "value": _number_text(number),
                "unit": str(q.get("unit") or "").strip(),
                "text": text,
            }
        )
    return chips


# --- Countries ----------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "data" / "countries.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {
        code.upper(): entry["names"][0]
        for code, entry in data.get("countries", {}).items()
        if entry.get("names")
    }


@register.filter
def country_name(code) -> str:
    """A country's Persian name from its ISO code ("US" -> "آمریکا"); an unknown
    code as written."""
    if not code:
        return ""
    return _country_names().get(str(code).upper(), str(code))


# --- Reader's words -----------------------------------------------------------

# How a quote was reported, in the words a reader uses (the desk's own labels,
# "آمیخته" or "به گزارش / به نقل از", are categories for editors).
READER_KINDS = {
    "direct": "نقل‌قول مستقیم",
    "indirect": "نقل به مضمون",
    "mixed": "نقل به مضمون، با بخشی از سخن عیناً",
    "according_to": "به روایت رسانه",
}


@register.filter
def reader_kind(kind) -> str:
    return READER_KINDS.get(str(kind or ""), "")


@register.filter
def web_host(url) -> str:
    """The site an address belongs to ("www.isna.ir/news/1" -> "isna.ir")."""
    from claims.extraction.headline import url_host

    return url_host(str(url or ""))[0]
