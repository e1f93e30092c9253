"""WebSocket routes, unprefixed by language. Each app adds its own `routing.websocket_urlpatterns`."""

websocket_urlpatterns: list = []
