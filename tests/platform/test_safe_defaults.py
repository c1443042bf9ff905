"""Safe by default: DEBUG off unless DJANGO_DEBUG=1, which `make run` sets; the SSRF
guard does not depend on it; CSP and Permissions-Policy on every response."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'allowed': s.FETCH_ALLOWED_HOSTS, "
    "'loopback': s.WEBHOOK_ALLOW_HTTP_LOOPBACK, 'proxies': s.TRUSTED_PROXY_COUNT}))"
)


def _probe(**env: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "HF_HUB_OFFLINE"}}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "factcheck.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_defaults_are_safe():
    assert _probe() == {"debug": False, "allowed": [], "loopback": False, "proxies": 0}


@pytest.mark.parametrize(("value", "debug"), [("1", True), ("0", False), ("", False)])
def test_debug_only_when_asked_for(value, debug):
    assert _probe(DJANGO_DEBUG=value)["debug"] is debug


def test_make_run_turns_debug_on_for_local_development():
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert run and "DJANGO_DEBUG=1" in run.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/", "/accounts/login/", "/api/v1/claims/", "/no-such-page/"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
