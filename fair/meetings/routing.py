"""The call socket's route (unprefixed by language); cms/routing.py collects it next to the chat's."""

from django.urls import path

from fair.meetings.consumers import CallConsumer

websocket_urlpatterns = [
    path("ws/meetings/<uuid:uuid>/call/", CallConsumer.as_asgi()),
]
