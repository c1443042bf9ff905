"""The admin in Persian: names, Jalali dates beside ISO ones, forms that still save."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from claims import models as m
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
PERSIAN = re.compile("[\u0600-\u06ff]")


def test_every_model_and_field_of_the_app_has_a_persian_name():
    missing = []
    for model in apps.get_app_config("claims").get_models():
        opts = model._meta
        for label in (opts.verbose_name, opts.verbose_name_plural):
            if not PERSIAN.search(str(label)):
                missing.append(f"{model.__name__}: {label}")
        for field in opts.get_fields():
            if getattr(field, "auto_created", False) or not hasattr(field, "verbose_name"):
                continue
            if not PERSIAN.search(str(field.verbose_name)):
                missing.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
    assert missing == []


def test_the_admin_index_names_every_section_and_model_in_persian(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    models = re.findall(
        r'<tr class="model-[^"]+">\s*<th scope="row" id="[^"]+">\s*(?:<a[^>]*>)?([^<]+)', html
    )
    sections = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", html)
    assert len(models) == len(admin.site._registry) and sections
    assert [n for n in models + sections if not PERSIAN.search(n)] == []
    assert not re.search(r"matchs|entrys|deliverys", html, re.IGNORECASE)


def test_lists_show_jalali_beside_iso(client, admin_user):
    office = SourceFactory(kind=m.SourceKind.OFFICE)
    m.Position.objects.create(office=office, holder=SourceFactory(), start=dt.date(2024, 4, 14))
    client.force_login(admin_user)
    html = client.get(reverse("admin:claims_position_changelist")).content.decode()
    assert "۲۶ فروردین ۱۴۰۳" in html and '<bdi dir="ltr" class="iso-date">2024-04-14</bdi>' in html


def test_read_only_dates_show_both_calendars_and_each_field_once(client, admin_user):
    from tests.factories import PublishedClaimFactory

    claim = PublishedClaimFactory(published_at=dt.datetime(2024, 4, 14, 6, 0, tzinfo=dt.UTC))
    client.force_login(admin_user)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "۲۶ فروردین ۱۴۰۳" in html and "2024-04-14" in html
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", html)
    assert len(labels) == len(set(labels)), labels


def test_a_date_input_shows_its_jalali_reading_and_the_form_saves(client, admin_user):
    office = SourceFactory(kind=m.SourceKind.OFFICE)
    holder = SourceFactory()
    term = m.Position.objects.create(office=office, holder=holder, start=dt.date(2024, 4, 14))
    client.force_login(admin_user)
    url = reverse("admin:claims_position_change", args=[term.pk])
    html = client.get(url).content.decode()
    assert '<span class="jalali-date">۲۶ فروردین ۱۴۰۳</span>' in html
    response = client.post(
        url, {"office": office.pk, "holder": holder.pk, "start": "2024-04-15", "end": ""}, follow=True
    )
    assert response.status_code == 200
    term.refresh_from_db()
    assert term.start == dt.date(2024, 4, 15)


def test_date_time_parts_are_labelled(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:claims_article_add")).content.decode()
    assert 'aria-label="تاریخ (میلادی)"' in html and 'aria-label="زمان"' in html


def test_the_admin_uses_the_local_persian_typeface(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'dir="rtl"' in html and "vendor/vazirmatn/vazirmatn.css" in html and "css/admin.css" in html


def test_every_admin_list_and_change_page_renders(client, admin_user, registry):
    client.force_login(admin_user)
    broken = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                broken.append(f"{url}: {status}")
    assert broken == []
