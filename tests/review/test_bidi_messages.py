"""Dates inside the desk's Persian messages are isolated, so they read in order."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_reversed_inbox_range_names_its_dates_isolated(client, editor):
    client.force_login(editor)
    html = client.get(reverse("review:inbox"), {"from": "2024-04-14", "to": "2024-01-01"}).content.decode()
    assert 'id="inbox-filter-errors"' in html
    assert '<bdi dir="ltr">2024-04-14</bdi>' in html and '<bdi dir="ltr">2024-01-01</bdi>' in html


def test_an_unreadable_inbox_date_shows_its_examples_in_order(client, editor):
    client.force_login(editor)
    html = client.get(reverse("review:inbox"), {"from": "abc"}).content.decode()
    assert '<bdi dir="ltr">۱۴۰۲-۱۱-۰۴</bdi>' in html and '<bdi dir="ltr">2024-01-24</bdi>' in html


def test_an_htmx_refusal_isolates_its_values(rf, editor):
    from claims.services.errors import InvalidInput
    from claims.views.review_base import error_answer

    request = rf.post("/review/x/", HTTP_HX_REQUEST="true")
    request.htmx = type("H", (), {"boosted": False, "__bool__": lambda self: True})()
    response = error_answer(request, InvalidInput("تاریخ 2024-04-14 پذیرفته نیست."), "/")
    assert response.status_code == 422
    assert '<bdi dir="ltr">2024-04-14</bdi>' in response.content.decode()
