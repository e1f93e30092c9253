"""The chat benchmark's baseline: a bare group-send consumer, and the ASGI application that routes it.

`/ws/bench/?conversation=N` joins the group of conversation N; a "send" frame is acknowledged and group-sent
to both sockets of the conversation as a "message" frame, with nothing written anywhere: no session, no
database, no cache. What the real chat socket costs on top of the channel layer is the difference.

Served only by `bench.chat_consumer:application`, which `make bench` starts with the bench settings; the
site's own routing (cms/asgi.py) never knows this route.
"""

import json
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from cms.asgi import application as site_application

if not getattr(settings, "FERIA_BENCH", False):
    raise ImproperlyConfigured(
        "bench.chat_consumer is for `make bench` only (DJANGO_SETTINGS_MODULE=bench.settings)."
    )


class BareGroupConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            conversation = int(query["conversation"][0])
        except (KeyError, ValueError):
            await self.close()
            return
        self.group = f"bench.conversation.{conversation}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send(text_data='{"type":"ready"}')

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        frame = json.loads(text_data)
        message = {"client_id": frame["client_id"], "body": frame["body"]}
        await self.send(text_data=json.dumps({"type": "ack", "client_id": frame["client_id"]}))
        await self.channel_layer.group_send(self.group, {"type": "bench.message", "message": message})

    async def bench_message(self, event):
        await self.send(text_data=json.dumps({"type": "message", "message": event["message"]}))


bench_routes = URLRouter([path("ws/bench/", BareGroupConsumer.as_asgi())])


async def application(scope, receive, send):
    """The site, plus the bare consumer at /ws/bench/ (no origin or session check: it reads nothing)."""
    if scope["type"] == "websocket" and scope.get("path", "").startswith("/ws/bench/"):
        return await bench_routes(scope, receive, send)
    return await site_application(scope, receive, send)
