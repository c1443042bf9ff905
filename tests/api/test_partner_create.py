"""manage.py partner_create: the key is printed once and only its hash is stored."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import APIKey, Partner, WebhookEndpoint
from claims.services.partners import api_key_hash


def _run(*args) -> str:
    out = StringIO()
    call_command("partner_create", *args, stdout=out)
    return out.getvalue()


def _key(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("fc_") and len(line) > 20)


def test_creates_partner_and_prints_a_working_key(db, api):
    output = _run("Hamshahri Online", "--scopes", "read,submit", "--expires-days", "30")
    raw = _key(output)
    key = APIKey.objects.get()
    assert key.partner.name == "Hamshahri Online"
    assert key.key_hash == api_key_hash(raw) and raw.startswith(key.prefix + "_")
    assert key.scopes == ["read", "submit"] and key.expires_at is not None
    assert raw not in {key.prefix, key.key_hash, key.name}
    assert f"Key prefix: {key.prefix}" in output
    assert api(raw).get("/api/v1/ratings/").status_code == 200


def test_a_second_run_adds_a_key_to_the_same_partner(db):
    first = _key(_run("Outlet", "--scopes", "read"))
    second = _key(_run("Outlet", "--scopes", "submit"))
    assert first != second
    assert Partner.objects.count() == 1 and APIKey.objects.count() == 2


def test_with_a_webhook_prints_its_secret(db, settings):
    output = _run("Outlet", "--webhook", "https://hooks.outlet.example/fc")
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in output and endpoint.url == "https://hooks.outlet.example/fc"


@pytest.mark.parametrize(
    "args", [["X", "--scopes", "admin"], ["X", "--scopes", ","], ["X", "--expires-days", "0"]]
)
def test_bad_arguments_are_refused(db, args):
    with pytest.raises(CommandError):
        _run(*args)
    assert not APIKey.objects.exists() and not Partner.objects.exists()
