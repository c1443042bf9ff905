"""Logging in and out, throttling, and the admin's password reset."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_lands_on_the_desk_and_logout_leaves_it(client, editor):
    response = client.post(reverse("login"), {"username": "editor1", "password": "pw-editor1"})
    assert response.status_code == 302 and response["Location"] == "/review/"
    assert client.get("/review/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/review/").status_code == 302


def test_wrong_password_has_a_persian_message(client, editor):
    response = client.post(reverse("login"), {"username": "editor1", "password": "wrong"})
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه درست نیست." in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "editor1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "editor1", "password": "pw-editor1"})
    assert response.status_code == 429
    assert "ورود موقتاً بسته شد" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_resets_a_password_from_the_admin(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = client.post(
        url, {"password1": "a-New-pass-2024!", "password2": "a-New-pass-2024!", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    editor.refresh_from_db()
    assert editor.check_password("a-New-pass-2024!")


def test_editor_cannot_reach_user_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302


def test_a_user_without_a_role_sees_a_persian_403(client, plain_user):
    client.force_login(plain_user)
    response = client.get("/review/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "دسترسی ندارید" in html and "هیچ نقشی" in html
