"""Reads of claims for pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from claims.models import Claim
from claims.models.claims import PUBLIC_STATUSES


def published_claims() -> QuerySet[Claim]:
    """Claims the public may see, newest verdict first."""
    return Claim.objects.filter(status__in=PUBLIC_STATUSES).order_by("-published_at", "-id")
