"""The call socket, `/ws/meetings/<uuid>/call/`: signalling for the 1:1 WebRTC call of one accepted meeting.

The server only relays: offers, answers, ICE candidates and hang-ups go from one side of the call (the buyer,
or the company's staff) to the other, through a channel-layer group named from the meeting's database id.
Nothing is stored. Every frame, error and close code is in docs/calls.md.

- Only the meeting's buyer and the company's members get in, only while the room is open (10 minutes before
  the start to 30 minutes after the end); the socket is accepted, told why in an error frame, and closed with
  a code, so a client can tell a wrong room from an early one. At the closing time the socket is closed.
- One socket per side: when a second socket of the same side joins (a reload, another device, a colleague),
  the older one is told "replaced" and closed.
- A bad frame is answered with an error frame and changes nothing.
"""

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from exhibitors.two_factor import session_two_factor_pending
from fair.chat.broadcast import group_send_safely
from fair.meetings.ice import ice_servers
from fair.meetings.selectors.calls import call_room_for

logger = logging.getLogger(__name__)

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_NOT_OPEN = 4408
CLOSE_REPLACED = 4409

SDP_MAX_LENGTH = 32_000
CANDIDATE_MAX_LENGTH = 1_024
MID_MAX_LENGTH = 64
UFRAG_MAX_LENGTH = 256
# A socket may send this many frames per RATE_WINDOW seconds (ICE trickling sends a few dozen at most).
RATE_FRAMES = 120
RATE_WINDOW = 10.0

ERRORS = {
    "not_signed_in": _("Sign in to join this call."),
    "not_found": _("There is no such call, or you are not part of it."),
    "not_open": _("This call room is not open now."),
    "replaced": _("You joined this call from another window or device."),
    "invalid_json": _("That frame was not valid JSON."),
    "unknown_type": _("Unknown frame type."),
    "invalid": _("A field of that frame is missing or has the wrong type."),
    "not_joined": _("Send a join frame first."),
    "rate_limited": _("Too many frames. Slow down."),
}


def call_group(meeting_id: int) -> str:
    """Every socket in one meeting's call room, named from the meeting's database id."""
    return f"meetings.call.{int(meeting_id)}"


class FrameError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _text(frame: dict, name: str, limit: int, *, optional: bool = False):
    value = frame.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit or (not optional and not value):
        raise FrameError("invalid")
    return value


def _candidate(frame: dict) -> dict | None:
    """An "ice" frame's `candidate`, only the fields RTCIceCandidateInit has; None ends gathering."""
    if "candidate" not in frame:
        raise FrameError("invalid")
    value = frame["candidate"]
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FrameError("invalid")
    candidate = value.get("candidate")
    if not isinstance(candidate, str) or len(candidate) > CANDIDATE_MAX_LENGTH:
        raise FrameError("invalid")
    index = value.get("sdpMLineIndex")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 64):
        raise FrameError("invalid")
    return {
        "candidate": candidate,
        "sdpMid": _text(value, "sdpMid", MID_MAX_LENGTH, optional=True),
        "sdpMLineIndex": index,
        "usernameFragment": _text(value, "usernameFragment", UFRAG_MAX_LENGTH, optional=True),
    }


class CallConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.joined = False
        self.peer_channel = None  # the other side's socket, once announced
        self.group = None
        self.closer = None
        self.frame_times: list[float] = []
        user = self.scope.get("user")
        self.language = getattr(user, "preferred_language", "") or None
        await self.accept()
        if user is None or not user.is_authenticated:
            await self._refuse("not_signed_in", CLOSE_NOT_SIGNED_IN)
            return
        if await database_sync_to_async(session_two_factor_pending)(self.scope.get("session")):
            # A password without the two-factor code it owes is not signed in yet.
            await self._refuse("not_signed_in", CLOSE_NOT_SIGNED_IN)
            return
        room = await database_sync_to_async(call_room_for)(
            user=user, meeting_uuid=self.scope["url_route"]["kwargs"]["uuid"]
        )
        if room is None:
            await self._refuse("not_found", CLOSE_NOT_FOUND)
            return
        self.user = user
        self.room = room
        if room.state() != "open":
            await self._refuse(
                "not_open",
                CLOSE_NOT_OPEN,
                opens_at=room.opens_at.isoformat(),
                closes_at=room.closes_at.isoformat(),
            )
            return
        self.side = room.side
        self.group = call_group(room.meeting.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        servers = ice_servers(user_id=user.pk)
        await self._send(
            {
                "type": "ready",
                "meeting": str(room.meeting.uuid),
                "side": self.side,
                "user": {"id": user.pk, "name": str(user)},
                "opens_at": room.opens_at.isoformat(),
                "closes_at": room.closes_at.isoformat(),
                "ice_servers": servers,
            }
        )
        self.closer = asyncio.create_task(self._close_at(room.closes_at))

    async def disconnect(self, code):
        if self.closer is not None:
            self.closer.cancel()
        if self.group is None:
            return
        if self.joined:
            await group_send_safely(
                self.group, {"type": "call.left", "side": self.side, "channel": self.channel_name}
            )
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        except Exception:  # noqa: BLE001 - group memberships expire on their own
            logger.warning("call group_discard failed for %s", self.group, exc_info=True)

    # --- client frames ---

    async def receive(self, text_data=None, bytes_data=None):
        if self.group is None:
            return  # refused at connect: the socket is closing
        try:
            frame = self._parse(text_data)
            self._count_frame()
            if self.room.state() != "open":
                await self._refuse("not_open", CLOSE_NOT_OPEN, closes_at=self.room.closes_at.isoformat())
                return
            kind = frame.get("type")
            handler = (
                {
                    "join": self.on_join,
                    "offer": self.on_description,
                    "answer": self.on_description,
                    "ice": self.on_ice,
                    "hangup": self.on_hangup,
                    "ping": self.on_ping,
                }.get(kind)
                if isinstance(kind, str)
                else None
            )
            if handler is None:
                raise FrameError("unknown_type")
            if kind not in ("join", "ping") and not self.joined:
                raise FrameError("not_joined")
            await handler(frame)
        except FrameError as error:
            await self._send_error(error.code)

    def _parse(self, text_data) -> dict:
        if text_data is None:
            raise FrameError("invalid_json")
        try:
            frame = json.loads(text_data)
        except ValueError:
            raise FrameError("invalid_json") from None
        if not isinstance(frame, dict):
            raise FrameError("invalid_json")
        return frame

    def _count_frame(self) -> None:
        now = time.monotonic()
        self.frame_times = [t for t in self.frame_times if now - t < RATE_WINDOW]
        if len(self.frame_times) >= RATE_FRAMES:
            raise FrameError("rate_limited")
        self.frame_times.append(now)

    async def on_ping(self, frame):
        await self._send({"type": "pong"})

    async def on_join(self, frame):
        # Read again: the meeting may have been cancelled, or the person left the company, since connecting.
        room = await database_sync_to_async(call_room_for)(
            user=self.user, meeting_uuid=self.room.meeting.uuid
        )
        if room is None:
            self.joined = False
            await self._refuse("not_found", CLOSE_NOT_FOUND)
            return
        self.joined = True
        await self._relay({"type": "call.joined", "user": self._person(), "reply": True})

    async def on_description(self, frame):
        await self._relay(
            {
                "type": "call.relay",
                "frame": {"type": frame["type"], "sdp": _text(frame, "sdp", SDP_MAX_LENGTH)},
            }
        )

    async def on_ice(self, frame):
        await self._relay({"type": "call.relay", "frame": {"type": "ice", "candidate": _candidate(frame)}})

    async def on_hangup(self, frame):
        await self._relay({"type": "call.relay", "frame": {"type": "hangup"}})

    # --- channel-layer events ---

    async def call_joined(self, event):
        if event["channel"] == self.channel_name:
            return
        if event["side"] == self.side:
            if self.joined:  # a newer socket of the same side took over
                self.joined = False
                await self._refuse("replaced", CLOSE_REPLACED)
            return
        if not self.joined or event["channel"] == self.peer_channel:
            return  # not in the call yet, or this peer was announced already (both joined at once)
        self.peer_channel = event["channel"]
        await self._send({"type": "peer-joined", "side": event["side"], "user": event["user"]})
        if event.get("reply"):
            # Tell the newcomer that this side is here too, straight to its channel.
            try:
                await self.channel_layer.send(
                    event["channel"],
                    {
                        "type": "call.joined",
                        "side": self.side,
                        "channel": self.channel_name,
                        "user": self._person(),
                        "reply": False,
                    },
                )
            except Exception:  # noqa: BLE001 - the newcomer waits for the next join instead
                logger.warning("call reply to a newcomer failed", exc_info=True)

    async def call_relay(self, event):
        if event["channel"] == self.channel_name or event["side"] == self.side or not self.joined:
            return
        await self._send({**event["frame"], "side": event["side"]})

    async def call_left(self, event):
        if event["channel"] == self.channel_name or event["side"] == self.side or not self.joined:
            return
        if event["channel"] == self.peer_channel:
            self.peer_channel = None
        await self._send({"type": "peer-left", "side": event["side"]})

    # --- helpers ---

    def _person(self) -> dict:
        return {"id": self.user.pk, "name": str(self.user)}

    async def _relay(self, event: dict) -> None:
        await group_send_safely(self.group, {**event, "side": self.side, "channel": self.channel_name})

    async def _send(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def _send_error(self, code: str, **extra) -> None:
        with translation.override(self.language):
            message = str(ERRORS[code])
        await self._send({"type": "error", "code": code, "message": message, **extra})

    async def _refuse(self, code: str, close_code: int, **extra) -> None:
        await self._send_error(code, **extra)
        await self.close(code=close_code)

    async def _close_at(self, closes_at) -> None:
        await asyncio.sleep(max(0.0, (closes_at - timezone.now()).total_seconds()))
        await self._refuse("not_open", CLOSE_NOT_OPEN, closes_at=closes_at.isoformat())
