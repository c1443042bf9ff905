"""The read-replica router: published reads of safe requests only, never the desk or a write."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from claims.models import Claim
from factcheck.db_router import REPLICA, ReplicaReadsMiddleware, ReplicaRouter, use_replica


def _seen(method: str, path: str) -> bool:
    seen = {}

    def view(request):
        seen["replica"] = use_replica.get()
        return HttpResponse("ok")

    ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen["replica"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/", True),
        ("get", "/claims/x-1/", True),
        ("head", "/sources/pentagon/", True),
        ("get", "/api/v1/claims/", True),
        ("post", "/api/v1/articles/", False),
        ("get", "/review/", False),
        ("get", "/admin/claims/claim/", False),
        ("get", "/accounts/login/", False),
    ],
)
def test_only_safe_public_and_api_requests_read_the_replica(method, path, expected):
    assert _seen(method, path) is expected
    assert use_replica.get() is False  # reset after the request


@pytest.mark.django_db(transaction=True)
def test_the_router_uses_the_replica_only_when_configured_asked_and_outside_a_transaction(settings):
    router = ReplicaRouter()
    token = use_replica.set(True)
    try:
        assert router.db_for_read(Claim) is None  # no replica configured
        settings.DATABASES = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}
        assert router.db_for_read(Claim) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Claim) is None  # read your own writes
    finally:
        use_replica.reset(token)
    assert router.db_for_read(Claim) is None
    assert router.db_for_write(Claim) == "default"
    assert router.allow_migrate(REPLICA, "claims") is False
