"""The chat socket, `/ws/chat/`: one per open tab or device, carrying all of the person's conversations.

The protocol (every frame both ways, error and close codes, resync rules) is in docs/chat-protocol.md.
Writes go through fair.chat.services (saved first, broadcast after commit); fair/chat/frames.py translates
frames into service calls; this consumer keeps the socket's state and forwards the channel-layer events
of the person's groups to the client.
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
import json
import logging
import random
from collections import OrderedDict

from channels.db import aclose_old_connections
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation

from exhibitors.models import member_label
from exhibitors.two_factor import session_two_factor_pending
from fair.chat import presence
from fair.chat.frames import (
    CLOSE_BACKLOG,
    CLOSE_BLOCKED,
    CLOSE_TWO_FACTOR_PENDING,
    FrameError,
    FrameHandlers,
    ui_texts,
)
from fair.chat.groups import company_group, user_group
from fair.chat.layers import socket_backlog
from fair.chat.selectors.conversations import conversation_for, socket_heartbeat, unread_total
from fair.chat.sendbuffer import SCOPE_KEY as SEND_BUFFER_KEY
from fair.chat.threads import database_work
from fair.chat.writer import send_writer

logger = logging.getLogger(__name__)

OPEN_CONVERSATIONS_MAX = 50
KNOWN_CONVERSATIONS_MAX = 256
# Every this many heartbeats the unread total is counted from the database even when nothing suggested it
# moved (it is otherwise kept from events; see the module docstring).
UNREAD_RECOUNT_EVERY = 4


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class ChatConsumer(FrameHandlers, AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.user = user
        self.user_id = user.pk
        self.language = getattr(user, "preferred_language", "") or None
        state = await database_work(self._connect_state)()  # one thread hop for everything connect reads
        if state.get("two_factor_pending"):
            # Accepted only to close with a code the page can read: the password alone opens no chat.
            await self.accept()
            await self.close(code=CLOSE_TWO_FACTOR_PENDING)
            return
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
        send_writer().warm()

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
        database-connection cleanup (they rarely touch the database); an unknown event is ignored.

        Client frames (websocket.receive) skip that cleanup too: it is a hop to Channels' one shared thread
        per frame, queued behind every other socket's, and it has nothing to clean. Every frame's database
        work runs through database_work (fair/chat/threads.py), which closes old connections around each
        call itself. Connect and disconnect keep it."""
        kind = message.get("type", "")
        if kind.startswith("chat."):
            if kind != "chat.overflow" and self._client_behind():
                await self.chat_overflow(message)
                return
            handler = getattr(self, kind.replace(".", "_"), None)
            if handler is None:
                logger.info("chat socket ignored unknown event %s", kind)
                return
            await handler(message)
            return
        if kind != "websocket.receive":
            await aclose_old_connections()
        await super().dispatch(message)

    async def send_json(self, content: dict):
        if self.closing:
            return
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    def _translated(self, function, *args, **kwargs):
        with translation.override(self.language):
            return function(*args, **kwargs)

    def _presence_with_text(self, value: dict, names: tuple) -> dict:
        """Presence counts and their sentence for this person; `names` = (buyer id, company, buyer name)."""
        buyer_id, company, buyer = names
        side = "buyer" if buyer_id == self.user_id else "company"
        text = self._translated(presence.presence_text, side=side, company=company, buyer=buyer, **value)
        return {**value, "text": text}

    # Client frames: FrameHandlers (fair/chat/frames.py).

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

    def _client_behind(self) -> bool:
        """The client has not read more than FERIA_CHAT_SOCKET_BACKLOG KiB the server already wrote for it
        (fair/chat/sendbuffer.py): forwarding more would only grow that buffer."""
        probe = self.scope.get(SEND_BUFFER_KEY)
        if probe is None:
            return False
        try:
            return probe() > socket_backlog() * 1024
        except Exception:  # noqa: BLE001 - a probe that no longer fits the server: no bound from it
            return False

    async def chat_overflow(self, event):
        """The channel layer dropped this socket's events: it fell more than FERIA_CHAT_SOCKET_BACKLOG
        behind (fair/chat/layers.py). Closed with 1013; the client reconnects, and its sync brings what was
        dropped."""
        if not self.closing:
            logger.info("chat socket of user %s closed: it fell too far behind its events", self.user_id)
            self.closing = True
            await self.close(code=CLOSE_BACKLOG)

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

    def _two_factor_pending(self) -> bool:
        return session_two_factor_pending(self.scope.get("session"))

    def _connect_state(self) -> dict:
        """The session's two-factor state (loaded with the session: no query), then two queries: the
        heartbeat's (block, companies) and the unread total."""
        if self._two_factor_pending():
            return {"two_factor_pending": True, "blocked": False}
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
