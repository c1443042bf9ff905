"""The admin in Persian: Jalali dates beside ISO ones, labelled date inputs.

``PersianDatesAdmin`` (a mixin for every ModelAdmin and inline here) shows each
date or date-time column of a list, and each read-only date field of a form,
as the Jalali date in Persian digits beside the ISO one; an editable date gets
the Jalali reading of its value beside the input, and the two parts of a
date-time input are labelled for screen readers ("تاریخ", "زمان")."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.contrib.admin import AllValuesFieldListFilter
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from claims.templatetags.fa import jalali_text

EMPTY = "—"


def jalali_html(value: dt.date | dt.datetime | None):
    """``<time>`` with the Jalali date (and time) in Persian digits, then the ISO
    date (and time) isolated left to right."""
    if value is None:
        return EMPTY
    with_time = isinstance(value, dt.datetime)
    local = timezone.localtime(value) if with_time and timezone.is_aware(value) else value
    iso = local.strftime("%Y-%m-%d %H:%M") if with_time else local.isoformat()
    return format_html(
        '<time datetime="{}">{}</time> <bdi dir="ltr" class="iso-date">{}</bdi>',
        local.isoformat(),
        jalali_text(value, with_time),
        iso,
    )


def _date_field(model, name) -> models.Field | None:
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.DateField) else None  # DateTimeField is one too


@cache
def jalali_column(model, name: str):
    """A list or read-only column showing ``name`` (a date field of ``model``) in
    both calendars, sorted and labelled as the field."""
    field = _date_field(model, name)

    def column(obj):
        return jalali_html(getattr(obj, name, None))

    column.__name__ = f"{name}_jalali"
    column.short_description = field.verbose_name
    column.admin_order_field = name
    return column


def _swap(model, names):
    return [jalali_column(model, n) if _date_field(model, n) else n for n in names]


class JalaliDateWidget(AdminDateWidget):
    template_name = "claims/widgets/jalali_date.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["jalali"] = jalali_text(value) if isinstance(value, dt.date) else ""
        return context


class JalaliSplitDateTime(AdminSplitDateTime):
    template_name = "claims/widgets/jalali_split_datetime.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Django labels the field, not its two inputs: name each part.
        self.widgets[0].attrs["aria-label"] = "تاریخ (میلادی)"
        self.widgets[1].attrs["aria-label"] = "زمان"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["jalali"] = jalali_text(value, True) if isinstance(value, dt.datetime) else ""
        return context


class ValuesFilter(AllValuesFieldListFilter):
    """A filter on a field's values that names the blank one (Django's shows an
    empty link for it, which a screen reader cannot announce)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if not str(choice["display"]).strip():
                choice = {**choice, "display": "(خالی)"}
            yield choice


def _values_filter(model, name):
    """``name`` with ``ValuesFilter`` when it filters a plain text field's values."""
    if not isinstance(name, str) or "__" in name:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    plain = isinstance(field, models.CharField | models.TextField) and not field.choices
    return (name, ValuesFilter) if plain else name


class PersianDatesAdmin:
    """Mixin for ModelAdmin and InlineModelAdmin classes. A class that decides its
    read-only fields per object overrides ``readonly_names`` (not
    ``get_readonly_fields``), so its date fields are shown in both calendars too."""

    formfield_overrides = {
        models.DateTimeField: {"widget": JalaliSplitDateTime},
        models.DateField: {"widget": JalaliDateWidget},
    }

    def readonly_names(self, request, obj=None):
        return super().get_readonly_fields(request, obj)

    def get_list_display(self, request):
        return _swap(self.model, super().get_list_display(request))

    def get_list_filter(self, request):
        return [_values_filter(self.model, f) for f in super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        # Each field once, even when a per-object rule repeats a fixed read-only one.
        return _swap(self.model, list(dict.fromkeys(self.readonly_names(request, obj))))

    def get_exclude(self, request, obj=None):
        # The form leaves out read-only fields by name; their columns replace the
        # names of the date ones, so name those here.
        dates = [n for n in self.readonly_names(request, obj) if _date_field(self.model, n)]
        excluded = super().get_exclude(request, obj)
        return [*(excluded or ()), *dates] if dates else excluded

    def _jalali_readonly(self, request, obj, names):
        """``names`` (a field list, possibly nested) with the read-only date fields
        as their two-calendar columns, the same objects ``get_readonly_fields``
        gives, so the form leaves them out and the page shows them."""
        readonly = {n for n in self.readonly_names(request, obj) if isinstance(n, str)}

        def swap(name):
            if isinstance(name, list | tuple):
                return type(name)(swap(n) for n in name)
            if name in readonly and _date_field(self.model, name):
                return jalali_column(self.model, name)
            return name

        return [swap(n) for n in names]

    def get_fields(self, request, obj=None):
        return self._jalali_readonly(request, obj, super().get_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (title, {**options, "fields": self._jalali_readonly(request, obj, options.get("fields", ()))})
            for title, options in fieldsets
        ]
