"""Helpers of the call tests (tests/fair/meetings/test_calls.py): meetings in a given state and time, and
WebSocket clients on the real ASGI application."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from exhibitors.enums import MembershipRole
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.fair.chat.conftest import ORIGIN, session_cookie, socket_headers


def make_meeting(*, starts_in: timedelta, minutes: int = 30, status=MeetingStatus.ACCEPTED, **fields):
    """A meeting between a new buyer and a new company with an owner and a staff member."""
    fair = fields.pop("fair", None) or FairPageFactory(time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.")
    owner = UserFactory(first_name="Olga", last_name="Owner")
    staff = UserFactory(first_name="Sam", last_name="Staff")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    MembershipFactory(user=staff, company=company, role=MembershipRole.STAFF)
    buyer = UserFactory(first_name="Bea", last_name="Buyer")
    starts_at = timezone.now() + starts_in
    return Meeting.objects.create(
        fair=fair,
        company=company,
        buyer=buyer,
        staff=staff,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=status,
        **fields,
    )


def members(meeting):
    return {m.user.first_name: m.user for m in meeting.company.memberships.select_related("user")}


class CallClient:
    def __init__(self, communicator):
        self.communicator = communicator

    async def send(self, frame: dict) -> None:
        await self.communicator.send_json_to(frame)

    async def receive(self, timeout: float = 3) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def nothing(self, timeout: float = 0.2) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def closed_with(self, timeout: float = 3) -> int:
        message = await self.communicator.receive_output(timeout=timeout)
        assert message["type"] == "websocket.close", message
        return message["code"]


@pytest.fixture
async def call_socket(chat_layer):
    """Factory: `await call_socket(user, meeting)` opens a socket to the meeting's call room, on the in-memory
    channel layer and on Redis pub/sub (the chat tests' `chat_layer`)."""
    from cms.asgi import application

    communicators = []

    async def open_socket(user, meeting, *, origin=ORIGIN):
        cookie = await database_sync_to_async(session_cookie)(user) if user is not None else None
        communicator = WebsocketCommunicator(
            application,
            f"/ws/meetings/{meeting.uuid}/call/",
            headers=socket_headers(cookie=cookie, origin=origin),
        )
        connected, code = await communicator.connect(timeout=5)
        communicators.append(communicator)
        if not connected:
            return code
        return CallClient(communicator)

    yield open_socket
    for communicator in communicators:
        try:
            await communicator.disconnect()
        except Exception:  # noqa: BLE001 - already closed by the server
            pass
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        await layer.flush()


meeting_create = database_sync_to_async(make_meeting)


@database_sync_to_async
def staff_of(meeting):
    return members(meeting)["Sam"], members(meeting)["Olga"]


async def joined_pair(call_socket, meeting):
    staff, _owner = await staff_of(meeting)
    buyer = await call_socket(meeting.buyer, meeting)
    company = await call_socket(staff, meeting)
    assert (await buyer.receive())["type"] == "ready"
    assert (await company.receive())["type"] == "ready"
    await buyer.send({"type": "join"})
    await company.send({"type": "join"})
    assert await buyer.receive() == {
        "type": "peer-joined",
        "side": "company",
        "user": {"id": staff.pk, "name": "Sam Staff"},
    }
    assert await company.receive() == {
        "type": "peer-joined",
        "side": "buyer",
        "user": {"id": meeting.buyer_id, "name": "Bea Buyer"},
    }
    return buyer, company


async def refused(client, code: str, close_code: int) -> dict:
    error = await client.receive()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    assert await client.closed_with() == close_code
    return error
