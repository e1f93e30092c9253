"""The chat socket, `/ws/chat/`: one per open tab or device, carrying all of the person's conversations.

The protocol (every frame both ways, error and close codes, resync rules) is in docs/chat-protocol.md.
Writes go through fair.chat.services (saved first, broadcast after commit); this consumer only translates
frames into service calls and forwards the channel-layer events of the person's groups to the client.
A failed group send never closes the socket: clients catch up through heartbeats and "sync".

Heartbeats are nearly free, without weakening what they check. Each one makes ONE query
(selectors.socket_heartbeat: a moderator's block, the person's companies now, and each open conversation's
real latest id, membership re-checked), so a block whose `chat.blocked` event was lost still closes the
socket at the next heartbeat, a membership change is followed at the next heartbeat, and a lost broadcast
shows as a `latest` above what the client has. The unread total, the costly count, is kept on the socket:

- +1 for each new message event from someone else (a message id above the highest this socket has seen in
  that conversation; hidden ones never count);
- events that can only lower it (the person's own message, which moves their read mark; their read mark
  moving; a message hidden) mark it stale when it is not 0, and the next heartbeat counts it again;
- the heartbeat also counts again when the query shows a latest id above the highest this socket saw for an
  open conversation (its event was lost or is still on the way), when the person's companies changed, and
  every UNREAD_RECOUNT_EVERY-th heartbeat regardless, which bounds the drift from any other lost event (a
  message in a conversation not open here, a read mark moved from another device) or one delayed past a
  count to that many heartbeats (4 x 25 s by default).

So a heartbeat after nothing changed makes exactly one query (none for the unread total), and one more
only when the total may have moved in a way the events do not tell exactly.
"""

import asyncio
import functools
import json
import logging
import random
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from channels.db import DatabaseSyncToAsync, aclose_old_connections
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exhibitors.models import member_label
from fair.chat import presence, ratelimit
from fair.chat.broadcast import group_send_safely
from fair.chat.enums import MessageKind
from fair.chat.groups import company_group, user_group
from fair.chat.models import CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH, Conversation
from fair.chat.selectors import (
    MESSAGES_PAGE,
    conversation_for,
    conversation_latest_id,
    messages_after,
    socket_heartbeat,
    unread_total,
)
from fair.chat.serializers import message_data
from fair.chat.services import (
    SendRateLimited,
    conversation_mark_read,
    message_event,
    message_groups,
    message_send,
)

logger = logging.getLogger(__name__)

CLOSE_BLOCKED = 4003
OPEN_CONVERSATIONS_MAX = 50
KNOWN_CONVERSATIONS_MAX = 256
# Every this many heartbeats the unread total is counted from the database even when nothing suggested it
# moved (it is otherwise kept from events; see the module docstring).
UNREAD_RECOUNT_EVERY = 4

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


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# Threads for the chat sockets' database work on PostgreSQL (see database_work). Few and bounded: each keeps
# a pooled connection while it works, and the process's pool (FERIA_DB_POOL_MAX, 8 by default) also serves
# Channels' own database thread and the site's requests.
DATABASE_THREADS = 4
_database_executor = ThreadPoolExecutor(max_workers=DATABASE_THREADS, thread_name_prefix="chat-db")


def database_work(function):
    """`function` run off the event loop with Django's connection handling (channels' database_sync_to_async).

    On PostgreSQL in one of a few threads of the chat's own, each with its own pooled connection, so that one
    socket's database round trips (a heartbeat's reads, a send in another conversation) do not queue behind
    another's on the single thread Channels otherwise uses for every socket of the process. Each call is a
    whole unit (message_send commits inside it) and a socket handles its frames one at a time, so nothing
    depends on the thread. SQLite keeps Channels' single thread: its connections do not share one database
    across threads the same way (the tests' in-memory database)."""
    if connection.vendor != "postgresql":
        return DatabaseSyncToAsync(function)

    @functools.wraps(function)
    def in_thread(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # the pooled connection goes back to the pool after each call

    return DatabaseSyncToAsync(in_thread, thread_sensitive=False, executor=_database_executor)


def _conversation_ref(frame: dict) -> int:
    return _int_field(frame, "conversation", minimum=1)


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.user = user
        self.user_id = user.pk
        self.language = getattr(user, "preferred_language", "") or None
        state = await database_work(self._connect_state)()
        if state["blocked"]:
            await self.close()
            return
        self.company_ids = frozenset(state["company_ids"])
        self.chat_groups = [user_group(self.user_id)] + [company_group(c) for c in sorted(self.company_ids)]
        self.open_conversations: OrderedDict[int, None] = OrderedDict()
        # conversation id -> (buyer id, company id, side) for conversations this person is in, or None.
        self.known: OrderedDict[int, tuple | None] = OrderedDict()
        self.heartbeat_task = None
        self.closing = False
        self.unread_total = state["unread_total"]
        self.unread_stale = False  # an event may have lowered it: count again at the next heartbeat
        self.unread_changes = 0  # events that touched the total (a count overlapping one is not trusted)
        # conversation id -> the highest message id this socket has seen an event for (bounded).
        self.seen_ids: OrderedDict[int, int] = OrderedDict()
        self.beats = 0
        # Groups the layer could not join yet: tried again at each heartbeat. Until then this socket gets
        # no live events, and its heartbeats' "latest" bring what it missed (docs/chat-protocol.md).
        self.unjoined: set[str] = set()
        await self._join(self.chat_groups)
        await self.accept()
        await self._presence(presence.apresence_connect)
        await self.send_json(
            {
                "type": "ready",
                "user": {"id": self.user_id, "name": self._translated(str, user)},
                "heartbeat_seconds": _seconds(presence.heartbeat_seconds()),
                "unread_total": state["unread_total"],
                "texts": self._translated(ui_texts),
            }
        )
        self.heartbeat_task = asyncio.create_task(self._heartbeat_loop())

    async def disconnect(self, code):
        task = getattr(self, "heartbeat_task", None)
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        if not hasattr(self, "chat_groups"):
            return  # refused at the handshake: nothing was joined
        for group in self.chat_groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001 - memberships expire on their own
                logger.warning("chat group_discard failed for %s", group, exc_info=True)
        await self._presence(presence.apresence_disconnect)

    # --- dispatch ---------------------------------------------------------------------------------------

    async def dispatch(self, message):
        """Channel-layer events ("chat.*") go straight to their handler, skipping Channels' per-message
        database-connection cleanup (they rarely touch the database); an unknown event is ignored."""
        kind = message.get("type", "")
        if kind.startswith("chat."):
            handler = getattr(self, kind.replace(".", "_"), None)
            if handler is None:
                logger.info("chat socket ignored unknown event %s", kind)
                return
            await handler(message)
            return
        await aclose_old_connections()
        await super().dispatch(message)

    async def send_json(self, content: dict):
        if self.closing:
            return
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

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

    def _translated(self, function, *args, **kwargs):
        with translation.override(self.language):
            return function(*args, **kwargs)

    def _presence_with_text(self, value: dict, names: tuple) -> dict:
        """Presence counts and their sentence for this person; `names` = (buyer id, company, buyer name)."""
        buyer_id, company, buyer = names
        side = "buyer" if buyer_id == self.user_id else "company"
        text = self._translated(presence.presence_text, side=side, company=company, buyer=buyer, **value)
        return {**value, "text": text}

    def _error_text(self, error: FrameError) -> str:
        text = ERRORS.get(error.code, ERRORS["invalid"])
        params = {
            "max": MESSAGE_MAX_LENGTH if error.code == "too_long" else CLIENT_ID_MAX_LENGTH,
            "seconds": error.extra.get("retry_after", 0),
        }
        with translation.override(self.language):
            text = str(text)
            return text % params if "%(" in text else text

    # --- client frames -----------------------------------------------------------------------------------

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
        message, groups, event = await database_work(self._send)(
            conversation_id, client_id, body, kind, payload
        )
        self._mark_open(conversation_id)
        if event is not None:
            # Committed by now (message_send ran outside any transaction). Told from here, in async code,
            # rather than from an on_commit callback in the database thread, which would hold that one
            # thread (every socket's database work in this process) while Redis answers.
            await asyncio.gather(*(group_send_safely(group, event) for group in groups))
        await self.send_json({"type": "ack", "client_id": client_id, "message": message})

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

    # --- channel-layer events ------------------------------------------------------------------------------

    async def chat_message(self, event):
        message = event.get("message") or {}
        if await self._event_allowed(event, message.get("conversation")):
            self._count_message(message)
            frame = event.get("frame")
            if isinstance(frame, str) and not self.closing:
                await self.send(text_data=frame)  # encoded once by the sender for every socket
                return
            if event.get("sender_unnamed"):
                message = {**message, "sender": self._named(message.get("sender") or {})}
            await self.send_json({"type": "message", "message": message})

    async def chat_read(self, event):
        if await self._event_allowed(event, event.get("conversation")):
            if event.get("user") == self.user_id:
                self._unread_may_drop()
            await self.send_json(
                {
                    "type": "read",
                    "conversation": event["conversation"],
                    "user": event["user"],
                    "side": event["side"],
                    "up_to": event["up_to"],
                }
            )

    async def chat_typing(self, event):
        if event.get("from_channel") == self.channel_name:
            return  # never echoed to the socket that typed
        if await self._event_allowed(event, event.get("conversation")):
            user = self._named(event["user"]) if event.get("user_unnamed") else event["user"]
            await self.send_json({"type": "typing", "conversation": event["conversation"], "user": user})

    async def chat_blocked(self, event):
        if event.get("user") == self.user_id:
            await self._close_blocked()

    # --- helpers ----------------------------------------------------------------------------------------

    async def _close_blocked(self):
        await self.send_error(FrameError("blocked"))
        self.closing = True
        await self.close(code=CLOSE_BLOCKED)

    def _named(self, person: dict) -> dict:
        """`person` ({"id", "name", ...}) of someone without a name, called "Member <id>" in this reader's
        language."""
        return {**person, "name": self._translated(member_label, person.get("id"))}

    async def _join(self, groups) -> None:
        """Join the channel-layer groups; those the layer refuses now are kept in `unjoined` for later."""
        for group in groups:
            try:
                await self.channel_layer.group_add(group, self.channel_name)
            except Exception:  # noqa: BLE001 - the layer is down: the socket still works, without live events
                logger.warning("chat group_add failed for %s; retried at the next heartbeat", group)
                self.unjoined.add(group)
            else:
                self.unjoined.discard(group)

    def _seen(self, conversation_id: int, message_id: int) -> bool:
        """Remember the highest message id seen in the conversation; True when `message_id` is above it."""
        if message_id <= self.seen_ids.get(conversation_id, 0):
            return False
        self.seen_ids[conversation_id] = message_id
        self.seen_ids.move_to_end(conversation_id)
        while len(self.seen_ids) > KNOWN_CONVERSATIONS_MAX:
            self.seen_ids.popitem(last=False)
        return True

    def _unread_may_drop(self) -> None:
        self.unread_changes += 1
        if self.unread_total:
            self.unread_stale = True

    def _count_message(self, message: dict) -> None:
        """Keep the unread total from a message event (see the module docstring)."""
        conversation_id, message_id = message.get("conversation"), message.get("id")
        if not isinstance(conversation_id, int) or not isinstance(message_id, int):
            return
        new = self._seen(conversation_id, message_id)
        sender = (message.get("sender") or {}).get("id")
        if message.get("hidden") or sender == self.user_id:
            self._unread_may_drop()
        elif new:
            self.unread_changes += 1
            self.unread_total += 1

    def _mark_open(self, conversation_id: int) -> None:
        self.open_conversations[conversation_id] = None
        self.open_conversations.move_to_end(conversation_id)
        while len(self.open_conversations) > OPEN_CONVERSATIONS_MAX:
            self.open_conversations.popitem(last=False)

    def _remember(self, conversation_id: int, info) -> None:
        self.known[conversation_id] = info
        self.known.move_to_end(conversation_id)
        while len(self.known) > KNOWN_CONVERSATIONS_MAX:
            self.known.popitem(last=False)

    async def _conversation_info(self, conversation_id) -> tuple | None:
        """(buyer id, company id, side) when the person is in the conversation, else None. Remembered per
        socket (bounded); forgotten when the person's companies change."""
        if not isinstance(conversation_id, int):
            return None
        if conversation_id in self.known:
            self.known.move_to_end(conversation_id)
            return self.known[conversation_id]
        found = await database_work(conversation_for)(user=self.user, conversation_id=conversation_id)
        info = None
        if found is not None:
            conversation, side = found
            info = (conversation.buyer_id, conversation.company_id, str(side))
        self._remember(conversation_id, info)
        return info

    async def _event_allowed(self, event, conversation_id) -> bool:
        """Forward only events about conversations the person is in. Services' events name the buyer and
        the company, so this is usually decided without the database."""
        buyer_id, company_id = event.get("buyer"), event.get("company")
        if buyer_id is not None or company_id is not None:
            return buyer_id == self.user_id or company_id in self.company_ids
        return await self._conversation_info(conversation_id) is not None

    async def _presence(self, function) -> None:
        """One of presence's async writers for this socket (one Redis round trip on the event loop, no
        thread)."""
        try:
            await function(self.user_id, self.company_ids, self.channel_name)
        except Exception:  # noqa: BLE001 - presence is a hint; a cache outage must not end the socket
            logger.warning("chat presence update failed", exc_info=True)

    # --- heartbeat ----------------------------------------------------------------------------------------

    async def _heartbeat_loop(self):
        interval = presence.heartbeat_seconds()
        # The first heartbeat comes after a random half to whole interval, so that sockets that connected
        # together (a worker's restart, a crowd arriving) spread their heartbeats' database work instead of
        # all running in the same second, ahead of everyone's messages; the next ones keep that phase.
        delay = interval * (0.5 + 0.5 * random.random())
        while True:
            await asyncio.sleep(delay)
            delay = interval
            try:
                await self._heartbeat()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database or cache hiccup skips one heartbeat
                logger.warning("chat heartbeat failed", exc_info=True)
            if self.closing:
                return

    async def _heartbeat(self):
        self.beats += 1
        recount = self.unread_stale or self.beats % UNREAD_RECOUNT_EVERY == 0
        open_seen = {cid: self.seen_ids.get(cid, 0) for cid in self.open_conversations}
        changes = self.unread_changes
        if self.unjoined:
            await self._join(sorted(self.unjoined))
        state = await database_work(self._heartbeat_state)(open_seen, recount)
        if state["blocked"]:
            await self._close_blocked()
            return
        company_ids = frozenset(state["company_ids"])
        if company_ids != self.company_ids:
            await self._regroup(company_ids)
        conversations = state["conversations"]
        for conversation_id in list(self.open_conversations):
            if conversation_id not in conversations:
                del self.open_conversations[conversation_id]
        if state["unread_total"] is not None:
            self.unread_total = state["unread_total"]
            # Counted after the latest ids were read: every message up to them is in the count.
            for conversation_id, row in conversations.items():
                self._seen(conversation_id, row[0])
            # An event that arrived while counting may or may not be in the count: count again next time.
            self.unread_stale = self.unread_changes != changes
        await self._presence(presence.apresence_refresh)
        pairs = {cid: (row[1], row[2]) for cid, row in conversations.items()}
        presence_now = await presence.apresence_for(pairs)
        await self.send_json(
            {
                "type": "heartbeat",
                "latest": {str(cid): row[0] for cid, row in conversations.items()},
                "presence": {
                    str(cid): self._presence_with_text(value, (row[2], row[3], row[4]))
                    for cid, value in presence_now.items()
                    for row in (conversations[cid],)
                },
                "unread_total": self.unread_total,
            }
        )

    async def _regroup(self, company_ids: frozenset) -> None:
        """The person joined or left a company while connected: follow it."""
        for company_id in self.company_ids - company_ids:
            group = company_group(company_id)
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001
                logger.warning("chat group_discard failed for %s", group, exc_info=True)
        for company_id in company_ids - self.company_ids:
            group = company_group(company_id)
            try:
                await self.channel_layer.group_add(group, self.channel_name)
            except Exception:  # noqa: BLE001 - retried at the next heartbeat
                logger.warning("chat group_add failed for %s", group, exc_info=True)
                company_ids = company_ids - {company_id}
        self.company_ids = company_ids
        self.chat_groups = [user_group(self.user_id)] + [company_group(c) for c in sorted(company_ids)]
        self.known.clear()

    # --- database work (run in the database thread) --------------------------------------------------------

    def _connect_state(self) -> dict:
        """Two queries: the heartbeat's (block, companies) and the unread total."""
        state = socket_heartbeat(user_id=self.user_id, open_ids=[])
        if state["blocked"]:
            return {"blocked": True}
        state["unread_total"] = unread_total(self.user)
        return state

    def _heartbeat_state(self, open_seen: dict, recount: bool) -> dict:
        """One query (socket_heartbeat); a second one, the unread count, only when `recount` or when the
        query shows what the socket's events did not: a latest id above the highest seen in an open
        conversation, or changed companies. "unread_total" is None when not counted."""
        state = socket_heartbeat(user_id=self.user_id, open_ids=list(open_seen))
        if state["blocked"]:
            return state
        missed = any(row[0] > open_seen.get(cid, 0) for cid, row in state["conversations"].items())
        if recount or missed or frozenset(state["company_ids"]) != self.company_ids:
            state["unread_total"] = unread_total(self.user)
        else:
            state["unread_total"] = None
        return state

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

    def _send(self, conversation_id: int, client_id: str, body: str, kind: str, payload) -> tuple:
        """(message JSON, groups, event to send to them or None when nothing new was stored). message_send
        reads the conversation and checks the person's place in it, blocks and sanctions itself."""
        conversation = Conversation(pk=conversation_id)
        with translation.override(self.language):
            try:
                message, created = message_send(
                    conversation=conversation,
                    sender=self.user,
                    client_id=client_id,
                    body=body,
                    kind=kind,
                    payload=payload,
                    from_socket=True,
                    broadcast=False,
                )
            except PermissionDenied:
                raise FrameError("unknown_conversation") from None
            except SendRateLimited as error:
                text = " ".join(str(m) for m in error.messages)
                raise FrameError("rate_limited", text, retry_after=error.retry_after) from None
            except ValidationError as error:
                code = error.code if error.code in ERRORS else "invalid"
                text = " ".join(str(m) for m in error.messages)
                # A moderator's block closes the socket; a blocked conversation only refuses the send.
                raise FrameError(code, text, close=code == "blocked") from None
            if not created:
                return message_data(message), [], None
            event = message_event(conversation, message)
            return event["message"], message_groups(conversation), event

    def _mark_read(self, conversation_id: int, up_to: int) -> int:
        found = conversation_for(user=self.user, conversation_id=conversation_id)
        if found is None:
            raise FrameError("unknown_conversation")
        try:
            return conversation_mark_read(conversation=found[0], user=self.user, up_to_id=up_to)
        except PermissionDenied:
            raise FrameError("unknown_conversation") from None
