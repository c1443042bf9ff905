"""The SSRF guard at every door that fetches: desk URL ingest, API URL submissions,
uploads with URLs, feeds and webhooks; always on, whatever DEBUG says.

Each internal target points at the port of a live local server with a "/secret"
route, so a guard that let one through would show as a hit on that route. The
server is not in FETCH_ALLOWED_HOSTS, except in the redirect tests, where it is the
allowed first hop that redirects to a target by another name."""

from __future__ import annotations

import json
import socket
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims import models as m
from claims.services import feeds as feed_services
from claims.services import safehttp
from claims.services import webhooks as wh
from claims.services.fetch import FetchFailed, FetchRefused, fetch
from tests.api.conftest import api, keys  # noqa: F401 - the partner API's fixtures, used by name

pytestmark = pytest.mark.django_db

# Every spelling of "this machine or its network" that the probe found getting through.
TARGETS = [
    "http://127.0.0.1:{port}/secret",
    "http://127.1:{port}/secret",
    "http://[::1]:{port}/secret",
    "http://localhost:{port}/secret",
    "http://localhost.:{port}/secret",
    "http://LOCALHOST.:{port}/secret",
    "http://0.0.0.0:{port}/secret",
    "http://2130706433:{port}/secret",
    "http://0x7f000001:{port}/secret",
    "http://0177.0.0.1:{port}/secret",
    "http://[::ffff:127.0.0.1]:{port}/secret",
    "http://[::ffff:7f00:1]:{port}/secret",
    "http://100.64.0.1:{port}/secret",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/secret",
    "http://192.168.1.1/secret",
    "http://[fe80::1]/secret",
    "http://[fd00::1]/secret",
]


@pytest.fixture
def secret(http_server, settings):
    """A live server on 127.0.0.1 that is NOT allowed; yields (server, targets)."""
    settings.FETCH_ALLOWED_HOSTS = []
    http_server.add("/secret", "<p>internal admin page</p>")
    port = int(http_server.base.rsplit(":", 1)[1])
    return http_server, [t.format(port=port) for t in TARGETS]


def _ids():
    return [t.split("//", 1)[1].split("/", 1)[0].replace("{port}", "p") for t in TARGETS]


@pytest.fixture(params=range(len(TARGETS)), ids=_ids())
def target(request, secret):
    server, targets = secret
    return server, targets[request.param]


def test_fetch_refuses_every_internal_target(target, settings):
    server, url = target
    settings.DEBUG = True  # the guard does not follow DEBUG
    with pytest.raises(FetchRefused):
        fetch(url)
    assert server.hits("/secret") == []


def test_api_url_submission_refuses_every_internal_target(target, api, keys):  # noqa: F811
    server, url = target
    response = api(keys.submit).post("/api/v1/articles/", {"url": url})
    # Some spellings already fail the URL field's syntax check (400); the rest the guard (422).
    assert (response.status_code, response.json()["error"]["code"]) in (
        (422, "address_refused"),
        (400, "invalid_input"),
    ), response.content
    assert server.hits("/secret") == []
    assert not m.Article.objects.exists()


def test_desk_url_ingest_refuses_every_internal_target(target, client, editor):
    server, url = target
    client.force_login(editor)
    response = client.post("/review/ingest/", {"url": url, "text": "", "title": ""})
    assert response.status_code == 422
    assert "شبکهٔ داخلی" in response.content.decode()
    assert server.hits("/secret") == []
    assert not m.Article.objects.exists()


def test_upload_rows_with_internal_urls_are_refused(
    secret, client, editor, eager, django_capture_on_commit_callbacks
):
    server, targets = secret
    client.force_login(editor)
    body = "\n".join(json.dumps({"url": url}) for url in targets).encode()
    upload = SimpleUploadedFile("urls.jsonl", body, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/review/ingest/upload/", {"file": upload})
    assert response.status_code == 302
    job = m.IngestJob.objects.get()
    assert (job.state, job.failed, job.new) == (m.IngestJob.State.DONE, len(targets), 0)
    assert all("شبکهٔ داخلی" in error["error"] for error in job.errors), job.errors
    assert server.hits("/secret") == []


def test_feeds_refuse_internal_targets_when_added_and_when_polled(target):
    server, url = target
    with pytest.raises(FetchRefused):
        feed_services.feed_add(url=url)
    with pytest.raises(CommandError):
        call_command("feeds", "add", url)
    feed = m.Feed.objects.create(url=url)  # e.g. added before the guard existed
    feed_services.feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert "شبکهٔ داخلی" in feed.last_error
    assert server.hits("/secret") == []


def test_webhooks_refuse_internal_targets_when_registered_and_when_sent(
    target,
    api,  # noqa: F811
    keys,  # noqa: F811
    settings,
):
    server, url = target
    settings.DEBUG = True
    settings.WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    https = url.replace("http://", "https://", 1)
    for candidate in (url, https):
        response = api(keys.read).post("/api/v1/webhooks/", {"url": candidate})
        assert response.status_code == 400, (candidate, response.content)
    endpoint = m.WebhookEndpoint.objects.create(partner=keys.partner, url=url, events=list(wh.EVENTS))
    lease = wh._Lease(
        url=endpoint.url,
        secrets=("whsec_dGVzdA==",),
        event="claim.published",
        event_id="e",
        body=b"{}",
        endpoint_id=1,
    )
    status, error = wh._send(lease)
    assert status is None and "internal address" in error
    assert server.hits("/secret") == []


# --- redirects: every hop is checked -------------------------------------------------


@pytest.fixture(params=range(len(TARGETS)), ids=_ids())
def redirect(request, secret, settings):
    """An allowed server on 127.0.0.1 whose /go redirects to an internal target by another name."""
    server, targets = secret
    location = targets[request.param]
    if location.startswith("http://127.0.0.1:"):
        pytest.skip("the allowed first hop itself")
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    server.add("/go", "", status=302, headers={"Location": location})
    return server, server.url("/go")


def test_fetch_refuses_a_redirect_to_an_internal_target(redirect):
    server, url = redirect
    with pytest.raises(FetchRefused):
        fetch(url)
    assert server.hits("/secret") == []


def test_feed_poll_refuses_a_redirect_to_an_internal_target(redirect):
    server, url = redirect
    feed = m.Feed.objects.create(url=url)
    feed_services.feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert "شبکهٔ داخلی" in feed.last_error
    assert server.hits("/secret") == []


def test_upload_refuses_a_redirect_to_an_internal_target(
    redirect, client, editor, eager, django_capture_on_commit_callbacks
):
    server, url = redirect
    client.force_login(editor)
    upload = SimpleUploadedFile("one.jsonl", json.dumps({"url": url}).encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/review/ingest/upload/", {"file": upload})
    job = m.IngestJob.objects.get()
    assert job.failed == 1 and "شبکهٔ داخلی" in job.errors[0]["error"]
    assert server.hits("/secret") == []


# --- DNS: the connection goes to the address that was checked ------------------------


def _fake_dns(answers: dict[str, list[list[str]]]):
    """getaddrinfo that answers each name with its next list of addresses (a rebinding server)."""
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        if host in answers:
            addresses = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses
            ]
        return real(host, port, *args, **kwargs)

    return lookup


def test_a_name_resolving_to_an_internal_address_is_refused_on_connection(secret):
    server, _ = secret
    port = int(server.base.rsplit(":", 1)[1])
    dns = _fake_dns({"news.example": [["127.0.0.1"]]})
    with mock.patch("socket.getaddrinfo", dns), pytest.raises(FetchRefused):
        fetch(f"http://news.example:{port}/secret")
    assert server.hits("/secret") == []


def test_one_internal_address_among_public_ones_is_refused():
    dns = _fake_dns({"news.example": [["93.184.216.34", "10.1.2.3"]]})
    with mock.patch("socket.getaddrinfo", dns), pytest.raises(FetchRefused):
        fetch("http://news.example/secret")


def test_the_connection_is_pinned_to_the_checked_address():
    # First answer public, every later answer internal: a rebinding DNS server.
    dns = _fake_dns({"news.example": [["93.184.216.34"], ["127.0.0.1"]]})
    connected: list[tuple] = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("test: no network")

    with (
        mock.patch("socket.getaddrinfo", dns),
        mock.patch.object(safehttp.connection, "create_connection", create_connection),
        pytest.raises(FetchFailed),
    ):
        fetch("http://news.example/page")
    assert connected == [("93.184.216.34", 80)]


def test_an_allowed_host_keeps_its_name_in_the_host_header(http_server, settings):
    settings.FETCH_ALLOWED_HOSTS = ["feeds.local.test"]
    http_server.add("/page", "<p>ok</p>")
    port = int(http_server.base.rsplit(":", 1)[1])
    with mock.patch("socket.getaddrinfo", _fake_dns({"feeds.local.test": [["127.0.0.1"]]})):
        answer = fetch(f"http://feeds.local.test:{port}/page")
    assert answer.status == 200
    assert http_server.hits("/page")[0]["host"] == f"feeds.local.test:{port}"


def test_environment_proxies_are_not_used(secret, monkeypatch):
    server, _ = secret
    monkeypatch.setenv("HTTP_PROXY", server.base)
    with (
        mock.patch("socket.getaddrinfo", _fake_dns({"news.example": [["93.184.216.34"]]})),
        mock.patch.object(safehttp.connection, "create_connection", side_effect=ConnectionRefusedError),
        pytest.raises(FetchFailed),
    ):
        fetch("http://news.example/secret")
    assert server.requests == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::1", False),
        ("127.0.0.53", False),
        ("169.254.1.1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::7f00:1", False),  # NAT64 wrapping 127.0.0.1
        ("224.0.0.1", False),
        ("198.18.0.1", False),
    ],
)
def test_is_public(address, public):
    import ipaddress

    assert safehttp.is_public(ipaddress.ip_address(address)) is public
