"""The chat socket opens only from the site's own origin: scheme, host and port all count."""

import pytest
from django.test import override_settings

from cms.origins import parse_origin, websocket_origin_allowed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def scope(origin: str | None, *, host: str = "localhost:8000", scheme: str = "ws") -> dict:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@override_settings(ALLOWED_HOSTS=["localhost", "fair.example.org"], CSRF_TRUSTED_ORIGINS=[])
@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:8000", True),
        ("http://LOCALHOST:8000", True),
        ("http://localhost:9999", False),  # another port on the same host
        ("https://localhost:8000", False),  # another scheme
        ("http://localhost", False),  # port 80
        ("http://evil.example:8000", False),
        ("null", False),
        ("", False),
        (None, False),
        ("http://localhost:8000/path", False),
        ("http://user@localhost:8000", False),
        ("http://localhost:99999", False),
        ("ws://localhost:8000", False),
    ],
)
def test_origin_must_be_the_socket_requests_own(origin, allowed):
    assert websocket_origin_allowed(scope(origin)) is allowed


@override_settings(ALLOWED_HOSTS=["fair.example.org", ".example.net"])
def test_origin_behind_a_tls_proxy_matches_the_trusted_origins(settings):
    # The proxy ends TLS: daphne sees ws:// and Host fair.example.org, the browser says https://.
    settings.CSRF_TRUSTED_ORIGINS = ["https://fair.example.org", "https://*.example.net"]
    assert websocket_origin_allowed(scope("https://fair.example.org", host="fair.example.org"))
    assert websocket_origin_allowed(scope("https://chamber.example.net", host="fair.example.org"))
    assert not websocket_origin_allowed(scope("http://fair.example.org:8443", host="fair.example.org"))
    assert not websocket_origin_allowed(scope("https://fair.example.org:8443", host="fair.example.org"))
    assert not websocket_origin_allowed(scope("https://example.net", host="fair.example.org"))


@override_settings(ALLOWED_HOSTS=["localhost"], CSRF_TRUSTED_ORIGINS=["http://other.example:8000"])
def test_trusted_origin_still_needs_an_allowed_host():
    assert not websocket_origin_allowed(scope("http://other.example:8000"))


def test_parse_origin_defaults_ports():
    assert parse_origin("https://fair.example.org") == ("https", "fair.example.org", 443)
    assert parse_origin("http://[::1]:8000") == ("http", "::1", 8000)
    assert parse_origin("javascript:alert(1)") is None


@pytest.mark.parametrize("origin", ["http://testserver:9999", "https://testserver", "http://localhost"])
async def test_socket_from_another_origin_of_the_same_host_refused(chat_socket, chat_buyer, origin):
    await chat_socket(chat_buyer, origin=origin, expect_refusal=True)


async def test_socket_from_the_site_itself_accepted(chat_socket, chat_buyer, conversation):
    socket = await chat_socket(chat_buyer, origin="http://testserver")
    assert socket.ready["type"] == "ready"
