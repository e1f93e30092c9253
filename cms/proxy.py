"""Who is on the other end of a connection: the peer, or the client a trusted proxy forwarded for.

A client can send any `X-Forwarded-For` it likes. It names the real client only when the connection comes
from one of our own proxies, listed in FERIA_TRUSTED_PROXIES (empty by default: nothing is trusted, and the
address is always the peer's). The ASGI middleware below settles the address once, for HTTP and WebSocket
alike, before Django or Channels see the connection; everything after it (REMOTE_ADDR, the sign-in
throttle, allauth's rate limits, consent records) reads the settled address. Daphne runs without
`--proxy-headers` for the same reason: it would believe the header from anyone.

`X-Forwarded-Proto` is treated the same way: production's SECURE_PROXY_SSL_HEADER makes Django take a
request as HTTPS when it says `https` (secure cookies, the HTTPS redirect, `request.is_secure()`), so the
middleware removes the header from every connection that does not come from a trusted proxy before Django
reads it. A client talking to daphne directly can then never pass plain HTTP off as HTTPS.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

# An entry of FERIA_TRUSTED_PROXIES that trusts a proxy connecting over a Unix socket (daphne -u ...).
UNIX_SOCKET = "unix"
# Failed sign-ins from IPv6 are counted per /64: one subscriber usually holds a whole /64.
IPV6_THROTTLE_PREFIX = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[tuple[Network, ...], bool]:
    """Parse FERIA_TRUSTED_PROXIES: addresses or networks, and `unix`. Returns (networks, unix trusted)."""
    networks = []
    unix = False
    for entry in entries:
        if entry.strip().lower() == UNIX_SOCKET:
            unix = True
        else:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
    return tuple(networks), unix


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.split(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def peer_is_trusted(peer: str | None, trusted: tuple[str, ...]) -> bool:
    """Whether the connection itself comes from a trusted proxy (`peer` None: a Unix socket)."""
    networks, unix_trusted = trusted_networks(tuple(trusted))
    if peer is None:
        return unix_trusted
    peer_address = parse_address(peer)
    return peer_address is not None and is_trusted(peer_address, networks)


def client_address(peer: str | None, forwarded_for: list[str], trusted: tuple[str, ...]) -> str | None:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the right-most address
    of X-Forwarded-For that is not itself a trusted proxy. `peer` is None for a Unix socket."""
    networks, unix_trusted = trusted_networks(tuple(trusted))
    if peer is None:
        if not unix_trusted:
            return None
    else:
        peer_address = parse_address(peer)
        if peer_address is None or not is_trusted(peer_address, networks):
            return peer
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    found = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # Only a proxy we trust wrote this far into the header; past a malformed entry nothing can
            # be believed, so the last trusted hop stands.
            break
        found = str(address)
        if not is_trusted(address, networks):
            break
    return found


class TrustedProxyMiddleware:
    """ASGI middleware: replaces scope["client"] with the forwarded client when the peer is trusted, and drops
    `X-Forwarded-Proto` when it is not."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in {"http", "websocket"}:
            peer = scope.get("client")
            trusted = tuple(settings.FERIA_TRUSTED_PROXIES)
            headers = scope.get("headers", [])
            if any(name == b"x-forwarded-proto" for name, _value in headers) and not peer_is_trusted(
                peer[0] if peer else None, trusted
            ):
                scope = {**scope, "headers": [(n, v) for n, v in headers if n != b"x-forwarded-proto"]}
            forwarded = [
                value.decode("latin-1")
                for name, value in scope.get("headers", [])
                if name == b"x-forwarded-for"
            ]
            if forwarded:
                host = client_address(peer[0] if peer else None, forwarded, trusted)
                if host is not None and (peer is None or host != peer[0]):
                    scope = {**scope, "client": [host, 0]}
        await self.app(scope, receive, send)


def throttle_address(request) -> str | None:
    """The address failed sign-ins are counted under (django-axes' AXES_CLIENT_IP_CALLABLE): the client's
    address as settled above; for IPv6, the first address of its /64, so rotating addresses within one
    network does not help."""
    remote = request.META.get("REMOTE_ADDR")
    address = parse_address(remote) if remote else None
    if address is None:
        return remote or None
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_THROTTLE_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)
