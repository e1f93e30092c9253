"""How many bytes the web server still holds for a socket's client: what a client that does not read leaves
behind on the server.

ASGI gives an application no way to know whether its sends reach the client: daphne (the site's server)
accepts every `websocket.send` at once and keeps what the client has not taken in its transport's write
buffer, without limit. The chat socket bounds that like its channel-layer backlog (fair/chat/layers.py): it
asks this probe before forwarding an event and closes with 1013 when too much waits. The probe is found by
`SendBufferProbe`, the outermost ASGI wrapper (cms/asgi.py), which sees the server's own `send`; under a
server it does not know, there is no probe and the socket relies on the layer's bound alone.
"""

import functools

SCOPE_KEY = "feria.send_buffer"


def _twisted_buffered(transport) -> int:
    """Bytes a Twisted transport has accepted but not yet handed to the kernel."""
    return len(transport.dataBuffer) - transport.offset + transport._tempDataLen


def probe_for(send):
    """A callable returning the bytes buffered for this connection, or None when `send` is not daphne's."""
    if not isinstance(send, functools.partial) or not send.args:
        return None
    transport = getattr(send.args[0], "transport", None)
    if transport is None or not all(hasattr(transport, n) for n in ("dataBuffer", "offset", "_tempDataLen")):
        return None
    return functools.partial(_twisted_buffered, transport)


class SendBufferProbe:
    """ASGI wrapper: puts the connection's send-buffer probe (if any) in WebSocket scopes (SCOPE_KEY)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and SCOPE_KEY not in scope:
            probe = probe_for(send)
            if probe is not None:
                scope = {**scope, SCOPE_KEY: probe}
        await self.app(scope, receive, send)
