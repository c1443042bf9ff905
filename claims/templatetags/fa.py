"""Persian presentation helpers: Persian digits and Jalali dates beside ISO ones."""

from __future__ import annotations

import datetime as dt

import jdatetime
from django import template
from django.utils import timezone
from django.utils.html import format_html

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


def jalali_text(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if value is None:
        return ""
    value = _local(value)
    day = value.date() if isinstance(value, dt.datetime) else value
    j = jdatetime.date.fromgregorian(date=day)
    text = f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    if with_time and isinstance(value, dt.datetime):
        text += f"، {value:%H:%M}"
    return fa_digits(text)


register.filter("jalali", jalali_text)


@register.simple_tag
def jdate(value, with_time: bool = False):
    """A <time> element: Jalali date in Persian digits, ISO in datetime=, Gregorian on hover."""
    if value is None:
        return ""
    local = _local(value)
    iso = local.isoformat()
    gregorian = local.strftime("%Y-%m-%d %H:%M") if isinstance(local, dt.datetime) else local.isoformat()
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', iso, gregorian, jalali_text(value, with_time)
    )
