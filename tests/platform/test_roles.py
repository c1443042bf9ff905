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
