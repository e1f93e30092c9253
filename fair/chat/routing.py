"""The chat socket's route (unprefixed by language); cms/routing.py collects it."""

from django.urls import path

from fair.chat.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/", ChatConsumer.as_asgi()),
]
