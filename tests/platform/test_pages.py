"""The addresses this part provides: home, login and the admin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_persian_and_right_to_left(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "vazirmatn.css" in html


def test_login_page_and_a_wrong_password_gets_a_persian_error(client, editor):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "editor1", "password": "wrong"})
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه درست نیست" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "editor1", "password": "pw-editor1"})
    assert response.status_code == 302


def test_login_is_throttled_after_repeated_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "editor1", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "editor1", "password": "pw-editor1"})
    assert response.status_code == 429
    assert "ورود موقتاً بسته شد" in response.content.decode()


def test_admin_needs_staff_and_lists_every_model(client, admin_user, editor):
    assert client.get("/admin/").status_code == 302
    client.force_login(editor)
    assert client.get("/admin/").status_code == 302  # editors work in /review/, not the admin
    client.force_login(admin_user)
    html = client.get("/admin/claims/").content.decode()
    for model in ["source", "sourcealias", "article", "attribution", "claim", "partner", "feed", "apikey"]:
        assert f"/admin/claims/{model}/" in html
    assert client.get("/admin/claims/source/?q=سنتکام").status_code == 200


def test_api_keys_are_never_added_in_the_admin(client, admin_user):
    """A key is shown once when made by partner_create; the admin only lists and revokes."""
    client.force_login(admin_user)
    assert client.get("/admin/claims/apikey/add/").status_code == 403
    from claims.models import Partner

    partner = Partner.objects.create(name="همکار")
    html = client.get(f"/admin/claims/partner/{partner.pk}/change/").content.decode()
    assert 'id="webhooks-empty"' in html  # other inlines can add rows...
    assert 'id="keys-empty"' not in html  # ...but not a key without a hash


def test_every_model_of_the_app_has_an_admin():
    from django.apps import apps
    from django.contrib import admin

    models = apps.get_app_config("claims").get_models()
    missing = [model.__name__ for model in models if not admin.site.is_registered(model)]
    assert missing == []


def test_admin_history_shows_statuses_and_ratings_in_persian(client, admin_user, editor):
    from claims.models import ClaimEvent
    from claims.services.claims import claim_create, claim_rate, claim_transition

    claim = claim_create(text="ادعای آزمایشی برای تاریخچه", actor=editor)
    claim_transition(claim=claim, to_status="in_review", actor=editor)
    claim_rate(claim=claim, rating="false", rationale="منابع رسمی خلاف آن را نشان می‌دهند.", actor=editor)
    client.force_login(admin_user)
    html = client.get("/admin/claims/claimevent/").content.decode()
    assert "در حال بررسی" in html and "نادرست" in html
    assert ">in_review<" not in html and ">false<" not in html
    event = ClaimEvent.objects.filter(claim=claim, to_rating="false").get()
    detail = client.get(f"/admin/claims/claimevent/{event.pk}/change/").content.decode()
    assert "نادرست" in detail
