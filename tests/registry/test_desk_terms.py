"""Terms of office on the desk: list, record, correct and remove, with Persian errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from claims.models import Position, Source
from claims.services.registry import registry_load

pytestmark = pytest.mark.django_db

REGISTRY = Path(__file__).parent / "fixtures" / "registry.json"


@pytest.fixture
def office():
    registry_load(paths=[REGISTRY])
    return Source.objects.get(slug="iran-minister-of-foreign-affairs")


def test_an_office_page_lists_its_holders_with_jalali_and_iso_dates(client, editor, office):
    client.force_login(editor)
    page = client.get(reverse("review:source_terms", args=[office.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "محمدجواد ظریف" in html and "2013-08-15" in html and "۱۳۹۲" in html
    assert "تاکنون" in html  # Araghchi's open term
    assert (
        reverse("review:source_terms", args=[office.pk])
        in client.get(reverse("review:source", args=[office.pk])).content.decode()
    )


def test_an_editor_records_a_term_and_loaders_keep_it(client, editor, office):
    client.force_login(editor)
    holder = Source.objects.get(slug="esmaeil-baghaei")
    url = reverse("review:source_terms", args=[office.pk])
    answer = client.post(url, {"other": holder.pk, "start": "2030-01-01", "end": ""})
    assert answer.status_code == 302
    term = Position.objects.get(office=office, holder=holder)
    assert (term.start, term.end, term.origin) == (dt.date(2030, 1, 1), None, "editor")
    assert term.provenance == f"editor:{editor.username}"
    edit = reverse("review:source_term_edit", args=[office.pk, term.pk])
    assert client.post(edit, {"start": "2030-01-01", "end": "2031-02-03"}).status_code == 302
    registry_load(paths=[REGISTRY])
    term.refresh_from_db()
    assert term.end == dt.date(2031, 2, 3)
    assert client.post(edit, {"start": "2030-01-01", "delete": "1"}).status_code == 302
    assert not Position.objects.filter(pk=term.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2020-02-30"}, "YYYY-MM-DD"),
        ({"start": ""}, "لازم است"),
        ({"start": "2020-01-01", "end": "2019-01-01"}, "پیش از تاریخ آغاز"),
    ],
)
def test_bad_dates_get_a_persian_form_error_and_write_nothing(client, editor, office, data, message):
    client.force_login(editor)
    holder = Source.objects.get(slug="esmaeil-baghaei")
    before = Position.objects.count()
    answer = client.post(reverse("review:source_terms", args=[office.pk]), {"other": holder.pk, **data})
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert Position.objects.count() == before


def test_a_term_needs_a_person_and_a_login(client, editor, office):
    url = reverse("review:source_terms", args=[office.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(editor)
    ministry = Source.objects.get(slug="iran-foreign-ministry")
    answer = client.post(url, {"other": ministry.pk, "start": "2020-01-01"})
    assert answer.status_code == 422 and "شخص نیست" in answer.content.decode()
    assert client.get(reverse("review:source_terms", args=[ministry.pk])).status_code == 404


def test_people_filed_under_an_office_without_dates_are_listed_for_a_term(client, editor, office):
    person = Source.objects.create(
        slug="saeed-khatibzadeh", kind="person", name_fa="سعید خطیب‌زاده", parent=office
    )
    client.force_login(editor)
    url = reverse("review:source_terms", args=[office.pk])
    html = client.get(url).content.decode()
    assert "ثبت‌شده بی‌تاریخ" in html and "سعید خطیب‌زاده" in html
    assert f"?other={person.pk}" in html
    picked = client.get(url, {"other": person.pk}).content.decode()
    assert f'<option value="{person.pk}" selected>' in picked
    # from the person's side, the office is listed the same way
    assert office.name_fa in client.get(reverse("review:source_terms", args=[person.pk])).content.decode()
    client.post(url, {"other": person.pk, "start": "2021-05-01", "end": "2022-05-01"})
    assert "ثبت‌شده بی‌تاریخ" not in client.get(url).content.decode()


def test_the_admin_records_and_ends_terms_as_an_editors(client, admin_user, office):
    client.force_login(admin_user)
    holder = Source.objects.get(slug="esmaeil-baghaei")
    add = client.post(
        reverse("admin:claims_position_add"),
        {"office": office.pk, "holder": holder.pk, "start": "2031-01-01", "end": ""},
    )
    assert add.status_code == 302
    term = Position.objects.get(office=office, holder=holder, start=dt.date(2031, 1, 1))
    assert (term.origin, term.provenance) == ("editor", f"editor:{admin_user.username}")
    change = reverse("admin:claims_position_change", args=[term.pk])
    ended = client.post(
        change, {"office": office.pk, "holder": holder.pk, "start": "2031-01-01", "end": "2032-06-30"}
    )
    assert ended.status_code == 302
    term.refresh_from_db()
    assert term.end == dt.date(2032, 6, 30)
    # an office's page lists its holders; a person's page the offices held
    office_page = client.get(reverse("admin:claims_source_change", args=[office.pk])).content.decode()
    person_page = client.get(reverse("admin:claims_source_change", args=[holder.pk])).content.decode()
    assert "دارندگان این سمت" in office_page and "سمت‌های این شخص" not in office_page
    assert "سمت‌های این شخص" in person_page and "دارندگان این سمت" not in person_page
