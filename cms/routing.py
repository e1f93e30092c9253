"""WebSocket routes, unprefixed by language. Each app adds its own `routing.websocket_urlpatterns`."""

from fair.chat.routing import websocket_urlpatterns as chat_websocket_urlpatterns
from fair.meetings.routing import websocket_urlpatterns as meetings_websocket_urlpatterns

websocket_urlpatterns: list = [*chat_websocket_urlpatterns, *meetings_websocket_urlpatterns]
