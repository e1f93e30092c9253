"""ASGI entry point: HTTP through Django; WebSocket routes behind the same-origin check (cms/origins.py)
and session auth. Both see the client's address as cms.proxy settles it (X-Forwarded-For only from
FERIA_TRUSTED_PROXIES)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from cms.origins import SameOriginValidator  # noqa: E402
from cms.proxy import TrustedProxyMiddleware  # noqa: E402
from cms.routing import websocket_urlpatterns  # noqa: E402
from fair.chat.sendbuffer import SendBufferProbe  # noqa: E402

# SendBufferProbe, outermost, sees the server's own `send` (fair/chat/sendbuffer.py).
application = SendBufferProbe(
    TrustedProxyMiddleware(
        ProtocolTypeRouter(
            {
                "http": django_asgi_app,
                "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
            }
        )
    )
)
