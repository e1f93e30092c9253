"""The chat socket's frames: each client frame checked and turned into a service call, and the error frames
sent back for bad ones (docs/chat-protocol.md). ChatConsumer (fair/chat/consumers.py) keeps the socket's
state and mixes these handlers in."""

import json

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fair.chat import presence, ratelimit
from fair.chat.broadcast import group_send_safely
from fair.chat.enums import MessageKind
from fair.chat.groups import company_group, user_group
from fair.chat.models import CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH
from fair.chat.selectors.conversations import (
    MESSAGES_PAGE,
    conversation_for,
    conversation_latest_id,
    messages_after,
)
from fair.chat.serializers import message_data
from fair.chat.services.batch import SendRequest
from fair.chat.services.conversations import SendRateLimited, conversation_mark_read
from fair.chat.threads import database_work
from fair.chat.writer import send_writer

CLOSE_BLOCKED = 4003
# The session gave its password but not yet its two-factor code (exhibitors/two_factor.py).
CLOSE_TWO_FACTOR_PENDING = 4401
# The socket fell too far behind its events (FERIA_CHAT_SOCKET_BACKLOG, fair/chat/layers.py): the client
# reconnects and resyncs. 1013 is the WebSocket code for "try again later".
CLOSE_BACKLOG = 1013

ERRORS = {
    "invalid_json": _("That frame was not valid JSON."),
    "unknown_type": _("Unknown frame type."),
    "invalid": _("A field of that frame is missing or has the wrong type."),
    "too_long": _("A message can be at most %(max)d characters."),
    "empty": _("Write a message first."),
    "unknown_conversation": _("There is no such conversation, or you are not in it."),
    "rate_limited": _("You are sending messages too fast. Try again in %(seconds)d seconds."),
    "blocked": _(
        "A moderator has blocked you from chat. Contact the chamber if you think this is a mistake."
    ),
    "conversation_blocked": _("This conversation is blocked. No more messages can be sent in it."),
    "kind": _("This kind of message cannot be sent here."),
    "client_id": _("Each message needs its own id of 1 to %(max)d characters."),
}


def ui_texts() -> dict:
    """Words chat.js shows, in the active language (sent once in "ready": scripts have no catalogue)."""
    return {
        "sending": gettext("Sending…"),
        "not_sent": gettext("Not sent yet: it goes out when the connection is back."),
        "reconnecting": gettext("Connection lost. Reconnecting…"),
        "typing": gettext("%(name)s is typing…"),
    }


class FrameError(Exception):
    """A bad frame: answered with an error frame, changes nothing."""

    def __init__(self, code: str, message: str | None = None, *, close: bool = False, **extra):
        super().__init__(code)
        self.code = code
        self.message = message
        self.close = close  # the person is blocked from chat: close the socket with 4003 after the error
        self.extra = extra


def _int_field(frame: dict, name: str, *, minimum: int = 0) -> int:
    value = frame.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FrameError("invalid")
    return value


def _conversation_ref(frame: dict) -> int:
    return _int_field(frame, "conversation", minimum=1)


class FrameHandlers:
    """The client frames a chat socket answers (mixed into ChatConsumer)."""

    async def receive(self, text_data=None, bytes_data=None):
        frame = None
        try:
            if text_data is None:
                raise FrameError("invalid_json")
            try:
                frame = json.loads(text_data)
            except ValueError:
                raise FrameError("invalid_json") from None
            if not isinstance(frame, dict):
                raise FrameError("invalid_json")
            kind = frame.get("type")
            handler = (
                {
                    "sync": self.on_sync,
                    "open": self.on_sync,
                    "send": self.on_send,
                    "typing": self.on_typing,
                    "read": self.on_read,
                    "ping": self.on_ping,
                }.get(kind)
                if isinstance(kind, str)
                else None
            )
            if handler is None:
                raise FrameError("unknown_type")
            await handler(frame)
        except FrameError as error:
            await self.send_error(error, frame)
            if error.close:
                self.closing = True
                await self.close(code=CLOSE_BLOCKED)

    async def send_error(self, error: FrameError, frame=None):
        content = {"type": "error", "code": error.code, "message": error.message or self._error_text(error)}
        if isinstance(frame, dict) and isinstance(frame.get("client_id"), str):
            content["client_id"] = frame["client_id"][:CLIENT_ID_MAX_LENGTH]
        content.update(error.extra)
        await self.send_json(content)

    def _error_text(self, error: FrameError) -> str:
        text = ERRORS.get(error.code, ERRORS["invalid"])
        params = {
            "max": MESSAGE_MAX_LENGTH if error.code == "too_long" else CLIENT_ID_MAX_LENGTH,
            "seconds": error.extra.get("retry_after", 0),
        }
        with translation.override(self.language):
            text = str(text)
            return text % params if "%(" in text else text

    async def on_ping(self, frame):
        await self.send_json({"type": "pong"})

    async def on_sync(self, frame):
        conversation_id = _conversation_ref(frame)
        after = frame.get("after", 0)
        if after is None:
            after = 0
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise FrameError("invalid")
        result = await database_work(self._sync_state)(conversation_id, after)
        if result is None:
            raise FrameError("unknown_conversation")
        self._mark_open(conversation_id)
        pairs = {conversation_id: (result["company_id"], result["buyer_id"])}
        presence_now = await presence.apresence_for(pairs)
        await self.send_json(
            {
                "type": "messages",
                "conversation": conversation_id,
                "messages": result["messages"],
                "more": result["more"],
                "latest": result["latest"],
                "presence": self._presence_with_text(presence_now[conversation_id], result["names"]),
            }
        )

    async def on_send(self, frame):
        conversation_id = _conversation_ref(frame)
        client_id = frame.get("client_id")
        if not isinstance(client_id, str) or not 1 <= len(client_id.strip()) <= CLIENT_ID_MAX_LENGTH:
            raise FrameError("client_id")
        body = frame.get("body", "")
        kind = frame.get("kind", MessageKind.TEXT)
        payload = frame.get("payload")
        if not isinstance(body, str) or not isinstance(kind, str):
            raise FrameError("invalid")
        if payload is not None and not isinstance(payload, dict):
            raise FrameError("invalid")
        if len(body.strip()) > MESSAGE_MAX_LENGTH:
            raise FrameError("too_long")
        # Stored with the other sockets' sends of this moment, in one transaction (fair/chat/writer.py).
        result = await send_writer().submit(
            SendRequest(
                sender=self.user,
                conversation_id=conversation_id,
                client_id=client_id,
                body=body,
                kind=kind,
                payload=payload,
                language=self.language,
            )
        )
        if result.error is not None:
            raise self._send_error(result.error)
        self._mark_open(conversation_id)
        # Committed and broadcast by now (the writer tells both sides before answering), rather than from an
        # on_commit callback in the database thread, which would hold that thread while Redis answers.
        await self.send_json({"type": "ack", "client_id": client_id, "message": result.message})

    def _send_error(self, error: Exception) -> FrameError:
        """The error frame for a send the service refused (the same codes and texts as message_send's)."""
        if isinstance(error, PermissionDenied):
            return FrameError("unknown_conversation")
        if isinstance(error, SendRateLimited):
            text = " ".join(str(m) for m in error.messages)
            return FrameError("rate_limited", text, retry_after=error.retry_after)
        if isinstance(error, ValidationError):
            code = error.code if error.code in ERRORS else "invalid"
            text = " ".join(str(m) for m in error.messages)
            # A moderator's block closes the socket; a blocked conversation only refuses the send.
            return FrameError(code, text, close=code == "blocked")
        raise error

    async def on_typing(self, frame):
        conversation_id = _conversation_ref(frame)
        info = await self._conversation_info(conversation_id)
        if info is None:
            raise FrameError("unknown_conversation")
        buyer_id, company_id, side = info
        allowed = await sync_to_async(ratelimit.typing_allowed, thread_sensitive=False)(
            self.user_id, conversation_id
        )
        if not allowed:
            return  # throttled: the others were told a moment ago
        event = {
            "type": "chat.typing",
            "conversation": conversation_id,
            "buyer": buyer_id,
            "company": company_id,
            "user": {"id": self.user_id, "name": str(self.user), "side": side},
            "from_channel": self.channel_name,
        }
        if not self.user.get_full_name():
            event["user_unnamed"] = True  # each reader gets "Member <id>" in their own language
        for group in (user_group(buyer_id), company_group(company_id)):
            await group_send_safely(group, event)

    async def on_read(self, frame):
        conversation_id = _conversation_ref(frame)
        up_to = _int_field(frame, "up_to")
        await database_work(self._mark_read)(conversation_id, up_to)

    def _sync_state(self, conversation_id: int, after: int) -> dict | None:
        with translation.override(self.language):  # names of people without one: "Member <id>"
            return self._sync_state_now(conversation_id, after)

    def _sync_state_now(self, conversation_id: int, after: int) -> dict | None:
        found = conversation_for(user=self.user, conversation_id=conversation_id)
        if found is None:
            return None
        conversation, _side = found
        page = messages_after(conversation=conversation, after_id=after, limit=MESSAGES_PAGE + 1)
        more = len(page) > MESSAGES_PAGE
        page = page[:MESSAGES_PAGE]
        latest = conversation_latest_id(conversation.pk)  # read after the page: never below its last id
        return {
            "messages": [message_data(m) for m in page],
            "more": more,
            "latest": latest,
            "company_id": conversation.company_id,
            "buyer_id": conversation.buyer_id,
            "names": (conversation.buyer_id, conversation.company.legal_name, str(conversation.buyer)),
        }

    def _mark_read(self, conversation_id: int, up_to: int) -> int:
        found = conversation_for(user=self.user, conversation_id=conversation_id)
        if found is None:
            raise FrameError("unknown_conversation")
        try:
            return conversation_mark_read(conversation=found[0], user=self.user, up_to_id=up_to)
        except PermissionDenied:
            raise FrameError("unknown_conversation") from None
