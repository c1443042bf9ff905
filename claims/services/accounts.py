"""Desk accounts in their roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from claims.roles import ROLE_PERMISSIONS, ensure_roles
from claims.services.errors import InvalidInput


@transaction.atomic
def account_ensure(
    *, username: str, role: str, password: str, is_staff: bool = False, is_superuser: bool = False
) -> AbstractBaseUser:
    """Create the account or bring it to this role, flags and password (idempotent)."""
    if role not in ROLE_PERMISSIONS:
        raise InvalidInput(f"Unknown role {role!r}; use one of {', '.join(ROLE_PERMISSIONS)}.")
    ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff, user.is_superuser = is_staff, is_superuser
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache
