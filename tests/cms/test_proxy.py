"""X-Forwarded-For is believed only from FERIA_TRUSTED_PROXIES (cms/proxy.py), for everything behind the
ASGI application: the sign-in throttle counts the connection's own address unless a trusted proxy sent it."""

import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from axes.models import AccessAttempt
from django.db import connections

from cms.asgi import application
from cms.proxy import client_address, peer_is_trusted, throttle_address
from tests.factories.exhibitors import UserFactory

LOGIN = "/en/accounts/login/"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        # Nothing trusted (the default): the header changes nothing.
        ("127.0.0.1", ["198.51.100.1"], (), "127.0.0.1"),
        ("203.0.113.9", ["198.51.100.1"], ("127.0.0.1",), "203.0.113.9"),
        # A trusted proxy names the client.
        ("127.0.0.1", ["198.51.100.1"], ("127.0.0.1",), "198.51.100.1"),
        ("10.0.0.5", ["198.51.100.1"], ("10.0.0.0/8",), "198.51.100.1"),
        # What the client wrote in front is skipped: the right-most address not of a trusted proxy counts.
        ("127.0.0.1", ["6.6.6.6, 198.51.100.1"], ("127.0.0.1",), "198.51.100.1"),
        ("127.0.0.1", ["6.6.6.6", "198.51.100.1, 10.0.0.2"], ("127.0.0.1", "10.0.0.0/8"), "198.51.100.1"),
        # Garbage written by the client does not hide the address the proxy appended.
        ("127.0.0.1", ["not-an-address, 198.51.100.1"], ("127.0.0.1",), "198.51.100.1"),
        ("127.0.0.1", ["[2001:db8::7]:4431"], ("127.0.0.1",), "2001:db8::7"),
        ("::1", ["198.51.100.1"], ("::1",), "198.51.100.1"),
        # A Unix socket (no peer address) is trusted only when `unix` is listed.
        (None, ["198.51.100.1"], (), None),
        (None, ["198.51.100.1"], ("unix",), "198.51.100.1"),
    ],
)
def test_client_address_believes_forwarded_for_only_from_trusted_proxies(peer, forwarded, trusted, expected):
    assert client_address(peer, forwarded, trusted) == expected


def test_throttle_address_counts_ipv6_per_64(rf):
    assert throttle_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert throttle_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"
    assert throttle_address(rf.get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"


async def asgi_http(method: str, path: str, *, peer: str, headers: list[tuple[bytes, bytes]], body=b""):
    """One request through the real ASGI application, from `peer`; returns (status, headers, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": [peer, 50000],
        "server": ["127.0.0.1", 8000],
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await communicator.receive_output(timeout=20)
    content = b""
    while True:
        message = await communicator.receive_output(timeout=20)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    # Hand the request thread's connection back, as the end of a request does behind daphne (with
    # PostgreSQL's pool, twelve requests would otherwise hold more connections than the pool has).
    await sync_to_async(connections.close_all)()
    return start["status"], start["headers"], content


async def failed_sign_ins(count: int, *, email: str, forwarded_for) -> list[int]:
    """`count` wrong passwords from 127.0.0.1, each claiming forwarded_for(n); returns the statuses."""
    status, headers, body = await asgi_http("GET", LOGIN, peer="127.0.0.1", headers=[])
    assert status == 200
    cookie = SimpleCookie()
    for name, value in headers:
        if name.lower() == b"set-cookie":
            cookie.load(value.decode())
    csrf_cookie = cookie["csrftoken"].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    statuses = []
    for n in range(count):
        form = urlencode({"csrfmiddlewaretoken": token, "login": email, "password": f"guess {n}"}).encode()
        status, _, _ = await asgi_http(
            "POST",
            LOGIN,
            peer="127.0.0.1",
            headers=[
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"cookie", f"csrftoken={csrf_cookie}".encode()),
                (b"x-forwarded-for", forwarded_for(n).encode()),
            ],
            body=form,
        )
        statuses.append(status)
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_rotating_forwarded_for_from_an_untrusted_peer_does_not_escape_the_limit(settings):
    settings.FERIA_TRUSTED_PROXIES = []
    await sync_to_async(UserFactory)(email="owner@feria.example")
    limit = settings.AXES_FAILURE_LIMIT

    statuses = await failed_sign_ins(
        limit + 2, email="owner@feria.example", forwarded_for=lambda n: f"198.51.100.{n}"
    )

    assert statuses == [200] * (limit - 1) + [429] * 3
    addresses = await sync_to_async(lambda: set(AccessAttempt.objects.values_list("ip_address", flat=True)))()
    assert addresses == {"127.0.0.1"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_forwarded_for_from_a_trusted_proxy_names_the_client(settings):
    settings.FERIA_TRUSTED_PROXIES = ["127.0.0.1"]
    await sync_to_async(UserFactory)(email="owner@feria.example")
    limit = settings.AXES_FAILURE_LIMIT

    statuses = await failed_sign_ins(
        limit + 2, email="owner@feria.example", forwarded_for=lambda n: f"198.51.100.{n}"
    )

    assert statuses == [200] * (limit + 2)
    addresses = await sync_to_async(lambda: set(AccessAttempt.objects.values_list("ip_address", flat=True)))()
    assert addresses == {f"198.51.100.{n}" for n in range(limit + 2)}


def test_settings_refuse_a_trusted_proxy_that_is_no_address(settings):
    env = {
        **os.environ,
        "FERIA_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert (
        "FERIA_TRUSTED_PROXIES: 'proxy.internal' is neither an address, a network nor 'unix'."
        in result.stderr
    )


@pytest.mark.parametrize(
    ("peer", "trusted", "expected"),
    [
        ("127.0.0.1", (), False),
        ("203.0.113.9", ("127.0.0.1",), False),
        ("127.0.0.1", ("127.0.0.1",), True),
        ("10.0.0.5", ("10.0.0.0/8",), True),
        ("not-an-address", ("10.0.0.0/8",), False),
        (None, (), False),
        (None, ("unix",), True),
    ],
)
def test_peer_is_trusted_only_when_listed(peer, trusted, expected):
    assert peer_is_trusted(peer, trusted) is expected


async def http_status(scope_extra: dict, headers: list[tuple[bytes, bytes]]) -> tuple[int, list]:
    """One GET /healthz through cms.proxy and a Django handler built now (SecurityMiddleware reads
    SECURE_SSL_REDIRECT when it is built, so the test's settings need a handler of their own)."""
    from django.core.asgi import get_asgi_application

    from cms.proxy import TrustedProxyMiddleware

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/healthz",
        "raw_path": b"/healthz",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "server": ["127.0.0.1", 8000],
        **scope_extra,
    }
    communicator = ApplicationCommunicator(TrustedProxyMiddleware(get_asgi_application()), scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=20)
    while (await communicator.receive_output(timeout=20)).get("more_body"):
        pass
    await sync_to_async(connections.close_all)()
    return start["status"], start["headers"]


@pytest.fixture
def behind_tls_proxy(settings):
    """Production's HTTPS settings: X-Forwarded-Proto decides whether a request is secure."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return settings


HTTPS = [(b"x-forwarded-proto", b"https")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_forwarded_proto_from_an_untrusted_peer_does_not_make_the_request_secure(behind_tls_proxy):
    behind_tls_proxy.FERIA_TRUSTED_PROXIES = ["10.0.0.0/8"]

    status, headers = await http_status({"client": ["203.0.113.9", 5000]}, HTTPS)

    assert status == 301
    assert dict(headers)[b"Location"] == b"https://127.0.0.1/healthz"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_forwarded_proto_from_a_trusted_proxy_makes_the_request_secure(behind_tls_proxy):
    behind_tls_proxy.FERIA_TRUSTED_PROXIES = ["10.0.0.0/8"]

    status, _headers = await http_status({"client": ["10.0.0.5", 5000]}, HTTPS)
    assert status == 200
    # Without the header the trusted proxy's request is plain HTTP.
    status, _headers = await http_status({"client": ["10.0.0.5", 5000]}, [])
    assert status == 301


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_forwarded_proto_over_a_unix_socket_counts_only_when_unix_is_trusted(behind_tls_proxy):
    behind_tls_proxy.FERIA_TRUSTED_PROXIES = []
    assert (await http_status({"client": None}, HTTPS))[0] == 301
    behind_tls_proxy.FERIA_TRUSTED_PROXIES = ["unix"]
    assert (await http_status({"client": None}, HTTPS))[0] == 200
