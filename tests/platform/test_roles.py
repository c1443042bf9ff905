from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_roles_exist_after_migrate_with_their_permissions(editor, senior, admin_user):
    assert set(Group.objects.values_list("name", flat=True)) >= {"editor", "senior_editor", "admin"}
    assert editor.has_perm("claims.change_claim") and not editor.has_perm("claims.publish_claim")
    assert senior.has_perm("claims.publish_claim")
    assert not editor.has_perm("claims.add_partner") and not senior.has_perm("claims.add_partner")
    assert Group.objects.get(name="admin").permissions.filter(codename="add_partner").exists()


def test_account_ensure_moves_an_account_to_its_role_and_refuses_unknown_roles():
    from claims.services.accounts import account_ensure
    from claims.services.errors import InvalidInput

    user = account_ensure(username="desk1", role="editor", password="pw-1-long-enough")
    assert user.has_perm("claims.change_claim") and not user.has_perm("claims.publish_claim")
    again = account_ensure(username="desk1", role="senior_editor", password="pw-2-long-enough")
    assert again.pk == user.pk and again.has_perm("claims.publish_claim")
    assert again.check_password("pw-2-long-enough")
    assert list(again.groups.values_list("name", flat=True)) == ["senior_editor"]
    with pytest.raises(InvalidInput):
        account_ensure(username="desk2", role="overlord", password="x")
