"""Which `Origin` may open a WebSocket: only a page of this site.

Channels' AllowedHostsOriginValidator compares only the origin's host name with ALLOWED_HOSTS, so any page
on the same host name (another port, plain http) could open a socket with the person's session cookie. Here
the whole origin — scheme, host and port — must be the site's own: either the origin of the socket request
itself (its Host header and scheme, as Django's CSRF check does for forms), or one of CSRF_TRUSTED_ORIGINS
(the site's public https:// origins in production, where a proxy in front terminates TLS). The host must
also be in ALLOWED_HOSTS. A socket without an Origin (not a browser) is refused too.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """(scheme, host, port) of an origin such as "https://fair.example.org", or None if it is not one."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.username or parts.password or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _request_origin(scope: dict, headers: dict) -> Origin | None:
    host = headers.get(b"host", b"").decode("latin-1")
    domain, port = split_domain_port(host)
    if not domain:
        return None
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    try:
        number = int(port) if port else DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return scheme, domain, number


def _trusted(origin: Origin) -> bool:
    """True when the origin is one of CSRF_TRUSTED_ORIGINS ("https://*.example.org" covers subdomains)."""
    scheme, host, port = origin
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in entry
        trusted = parse_origin(entry.replace("://*.", "://", 1))
        if trusted is None or (trusted[0], trusted[2]) != (scheme, port):
            continue
        if host.endswith("." + trusted[1]) if wildcard else host == trusted[1]:
            return True
    return False


def websocket_origin_allowed(scope: dict) -> bool:
    """True when the socket request's Origin is this site's own (see the module docstring)."""
    headers = dict(scope.get("headers") or [])
    raw = headers.get(b"origin")
    if not raw:
        return False
    origin = parse_origin(raw.decode("latin-1"))
    if origin is None or not validate_host(origin[1], settings.ALLOWED_HOSTS):
        return False
    return origin == _request_origin(scope, headers) or _trusted(origin)


class SameOriginValidator:
    """ASGI middleware: a WebSocket whose Origin is not the site's own is refused before it is accepted."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not websocket_origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
