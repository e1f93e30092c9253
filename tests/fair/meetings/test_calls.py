"""Video calls: who may enter a meeting's call room and when, the signalling socket frame by frame (through
the real ASGI application: origin check and session auth), and the TURN credentials."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse
from django.utils import timezone

from exhibitors.enums import ApplicationStatus, MembershipRole
from fair.meetings.consumers import (
    CLOSE_NOT_FOUND,
    CLOSE_NOT_OPEN,
    CLOSE_NOT_SIGNED_IN,
    CLOSE_REPLACED,
    call_group,
)
from fair.meetings.enums import MeetingStatus
from fair.meetings.ice import ice_servers, turn_credentials
from fair.meetings.models import Meeting
from tests.factories.exhibitors import BoothFactory, MembershipFactory, UserFactory
from tests.fair.chat.conftest import chat_layer
from tests.fair.meetings.call_support import (
    CallClient,
    call_socket,
    joined_pair,
    make_meeting,
    meeting_create,
    members,
    refused,
    staff_of,
)

# --- the room page ---


@pytest.fixture
def open_meeting(home_page):
    return make_meeting(starts_in=timedelta(minutes=5))


def call_url(meeting) -> str:
    return reverse("meetings:call", kwargs={"uuid": meeting.uuid})


def test_call_page_open_for_the_buyer_and_every_member_of_the_company(client, open_meeting):
    people = [open_meeting.buyer, *members(open_meeting).values()]
    assert len(people) == 3
    for person in people:
        client.force_login(person)
        response = client.get(call_url(open_meeting))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-call-socket="/ws/meetings/{open_meeting.uuid}/call/"' in html
        assert "js/call.js" in html
        assert response["Cache-Control"] == "private, no-store"
    assert 'data-call-side="company"' in html


def test_call_page_is_404_for_strangers_and_other_companies_staff(client, open_meeting):
    other = make_meeting(starts_in=timedelta(minutes=5), fair=open_meeting.fair)
    strangers = [UserFactory(), other.buyer, *members(other).values()]
    for person in strangers:
        client.force_login(person)
        assert client.get(call_url(open_meeting)).status_code == 404


def test_call_page_asks_anonymous_visitors_to_sign_in(client, open_meeting):
    response = client.get(call_url(open_meeting))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "status",
    [s for s in MeetingStatus if s != MeetingStatus.ACCEPTED],
)
def test_call_page_is_404_for_a_meeting_that_is_not_accepted(client, home_page, status):
    meeting = make_meeting(starts_in=timedelta(minutes=5), status=status)
    client.force_login(meeting.buyer)
    assert client.get(call_url(meeting)).status_code == 404


def test_call_page_is_404_for_an_unknown_meeting(client, open_meeting):
    client.force_login(open_meeting.buyer)
    url = reverse("meetings:call", kwargs={"uuid": "00000000-0000-4000-8000-000000000000"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("starts_in", "state", "text"),
    [
        (timedelta(minutes=11), "early", "The call room opens at"),
        (timedelta(minutes=-61), "closed", "The call room closed at"),
    ],
)
def test_call_page_outside_the_window_says_when_and_loads_no_media_script(
    client, home_page, starts_in, state, text
):
    meeting = make_meeting(starts_in=starts_in)
    client.force_login(meeting.buyer)
    response = client.get(call_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-call-closed="{state}"' in html
    assert text in html
    assert "call.js" not in html
    assert "data-call-socket" not in html


def test_call_page_window_edges(client, home_page):
    """Open 10 minutes before the start (a few seconds inside) and until 30 minutes after the end."""
    just_open = make_meeting(starts_in=timedelta(minutes=9, seconds=50))
    still_open = make_meeting(starts_in=timedelta(minutes=-30 - 30, seconds=10))
    for meeting in (just_open, still_open):
        client.force_login(meeting.buyer)
        assert "js/call.js" in client.get(call_url(meeting)).content.decode()


def test_call_page_times_are_in_the_viewers_zone(client, home_page):
    meeting = make_meeting(starts_in=timedelta(hours=3))
    meeting.buyer.time_zone = "Asia/Tokyo"
    meeting.buyer.save(update_fields=["time_zone"])
    client.force_login(meeting.buyer)
    html = client.get(call_url(meeting)).content.decode()
    opens = timezone.localtime(meeting.starts_at - timedelta(minutes=10), timezone=_zone("Asia/Tokyo"))
    assert opens.strftime("%H:%M") in html
    assert "Asia/Tokyo" in html


def _zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def test_call_page_offers_the_exhibitors_own_link_instead(client, home_page):
    meeting = make_meeting(starts_in=timedelta(minutes=5), external_link="https://meet.example.com/abc-defg")
    client.force_login(meeting.buyer)
    html = client.get(call_url(meeting)).content.decode()
    assert 'href="https://meet.example.com/abc-defg"' in html
    assert "data-call-external" in html
    assert "call.js" not in html


def test_call_page_links_the_chat_conversation_of_the_two(client, open_meeting):
    from fair.chat.services.conversations import conversation_start

    client.force_login(open_meeting.buyer)
    html = client.get(call_url(open_meeting)).content.decode()
    assert "You have no chat conversation with each other yet." in html  # no booth, no conversation
    booth = BoothFactory(
        fair=open_meeting.fair, company=open_meeting.company, status=ApplicationStatus.APPROVED
    )
    html = client.get(call_url(open_meeting)).content.decode()
    assert reverse("chat:start", args=[booth.pk]) in html
    conversation = conversation_start(buyer=open_meeting.buyer, company=open_meeting.company)
    for person in (open_meeting.buyer, members(open_meeting)["Sam"]):
        client.force_login(person)
        html = client.get(call_url(open_meeting)).content.decode()
        assert f'href="{reverse("chat:conversation", args=[conversation.pk])}"' in html


@pytest.mark.parametrize("others", [0, 12])
def test_call_page_query_count_is_flat(client, open_meeting, django_assert_num_queries, others):
    """Session, person, the room (one query: meeting, company, buyer, fair, membership), the conversation,
    the booth (the buyer's "write in the chat" without a conversation yet), the header's unread count; the
    same however many other meetings and members there are."""
    for _ in range(others):
        MembershipFactory(user=UserFactory(), company=open_meeting.company, role=MembershipRole.STAFF)
        make_meeting(starts_in=timedelta(minutes=5), fair=open_meeting.fair)
    for person in (open_meeting.buyer, members(open_meeting)["Sam"]):
        client.force_login(person)
        client.get(call_url(open_meeting))
        with django_assert_num_queries(6 if person == open_meeting.buyer else 5):
            assert client.get(call_url(open_meeting)).status_code == 200


# --- TURN credentials ---


def test_turn_credentials_follow_the_turn_rest_scheme():
    got = turn_credentials(user_id=42, secret="s3cret", ttl_seconds=3600, now=1_700_000_000.7)
    assert got["username"] == "1700003600:42"
    expected = base64.b64encode(hmac.new(b"s3cret", b"1700003600:42", hashlib.sha1).digest()).decode()
    assert got["credential"] == expected
    assert got["expires"] == 1_700_003_600


def test_ice_servers_from_settings(settings):
    settings.FERIA_STUN_URLS = ["stun:turn.example.org:3478"]
    settings.FERIA_TURN_URLS = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
    settings.FERIA_TURN_SECRET = "shared"
    settings.FERIA_TURN_TTL_SECONDS = 600
    stun, turn = ice_servers(user_id=7, now=1000)
    assert stun == {"urls": ["stun:turn.example.org:3478"]}
    assert turn["urls"] == settings.FERIA_TURN_URLS
    assert turn["username"] == "1600:7"
    assert (
        turn["credential"] == base64.b64encode(hmac.new(b"shared", b"1600:7", hashlib.sha1).digest()).decode()
    )


def test_ice_servers_none_configured_means_host_candidates_only(settings):
    settings.FERIA_STUN_URLS = []
    settings.FERIA_TURN_URLS = ["turn:turn.example.org"]
    settings.FERIA_TURN_SECRET = ""  # TURN without its secret cannot be used
    assert ice_servers(user_id=7) == []


def test_call_page_hands_the_ice_servers_to_the_page(client, open_meeting, settings):
    settings.FERIA_TURN_URLS = ["turn:turn.example.org:3478"]
    settings.FERIA_TURN_SECRET = "shared"
    client.force_login(open_meeting.buyer)
    response = client.get(call_url(open_meeting))
    html = response.content.decode()
    start = html.index('data-call-ice="') + len('data-call-ice="')
    from html import unescape

    servers = json.loads(unescape(html[start : html.index('"', start)]))
    assert servers[0]["urls"] == ["turn:turn.example.org:3478"]
    assert servers[0]["username"].endswith(f":{open_meeting.buyer.pk}")


# --- the signalling socket ---


__all__ = ["call_socket", "chat_layer"]  # the fixtures, imported to be used here

pytestmark_sockets = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytestmark_sockets
async def test_ready_frame_names_the_side_window_and_ice_servers(call_socket, home_page, settings):
    settings.FERIA_STUN_URLS = ["stun:stun.example.org:3478"]
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    client = await call_socket(meeting.buyer, meeting)
    ready = await client.receive()
    assert ready == {
        "type": "ready",
        "meeting": str(meeting.uuid),
        "side": "buyer",
        "user": {"id": meeting.buyer_id, "name": "Bea Buyer"},
        "opens_at": (meeting.starts_at - timedelta(minutes=10)).isoformat(),
        "closes_at": (meeting.ends_at + timedelta(minutes=30)).isoformat(),
        "ice_servers": [{"urls": ["stun:stun.example.org:3478"]}],
    }


@pytestmark_sockets
async def test_signalling_frames_are_relayed_between_the_two_parties(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    buyer, company = await joined_pair(call_socket, meeting)

    await company.send({"type": "offer", "sdp": "v=0 offer"})
    assert await buyer.receive() == {"type": "offer", "sdp": "v=0 offer", "side": "company"}
    await buyer.send({"type": "answer", "sdp": "v=0 answer"})
    assert await company.receive() == {"type": "answer", "sdp": "v=0 answer", "side": "buyer"}
    candidate = {
        "candidate": "candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
    await buyer.send({"type": "ice", "candidate": {**candidate, "extra": "dropped"}})
    assert await company.receive() == {
        "type": "ice",
        "candidate": {**candidate, "usernameFragment": None},
        "side": "buyer",
    }
    await company.send({"type": "ice", "candidate": None})
    assert await buyer.receive() == {"type": "ice", "candidate": None, "side": "company"}
    await buyer.send({"type": "hangup"})
    assert await company.receive() == {"type": "hangup", "side": "buyer"}
    # Nothing is echoed back to its sender.
    assert await buyer.nothing()
    assert await company.nothing()


@pytestmark_sockets
async def test_frames_never_reach_another_meetings_room(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    other = await meeting_create(starts_in=timedelta(minutes=5))
    buyer, company = await joined_pair(call_socket, meeting)
    other_buyer, other_company = await joined_pair(call_socket, other)
    await company.send({"type": "offer", "sdp": "for bea"})
    assert (await buyer.receive())["sdp"] == "for bea"
    assert await other_buyer.nothing()
    assert await other_company.nothing()
    assert call_group(meeting.pk) != call_group(other.pk)


@pytestmark_sockets
async def test_leaving_tells_the_other_side(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    buyer, company = await joined_pair(call_socket, meeting)
    await buyer.communicator.disconnect()
    assert await company.receive() == {"type": "peer-left", "side": "buyer"}


@pytestmark_sockets
async def test_a_second_socket_of_the_same_side_replaces_the_first(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    buyer, company = await joined_pair(call_socket, meeting)
    _staff, owner = await staff_of(meeting)
    colleague = await call_socket(owner, meeting)
    assert (await colleague.receive())["side"] == "company"
    await colleague.send({"type": "join"})
    replaced = await company.receive()
    assert replaced["type"] == "error"
    assert replaced["code"] == "replaced"
    assert await company.closed_with() == CLOSE_REPLACED
    assert await buyer.receive() == {
        "type": "peer-joined",
        "side": "company",
        "user": {"id": owner.pk, "name": "Olga Owner"},
    }
    assert (await colleague.receive())["type"] == "peer-joined"
    await colleague.send({"type": "offer", "sdp": "again"})
    assert (await buyer.receive())["sdp"] == "again"


@pytestmark_sockets
async def test_socket_refused_for_strangers_and_anonymous(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    other = await meeting_create(starts_in=timedelta(minutes=5))
    stranger = await database_sync_to_async(UserFactory)()
    other_staff, _ = await staff_of(other)
    for person in (stranger, other.buyer, other_staff):
        await refused(await call_socket(person, meeting), "not_found", CLOSE_NOT_FOUND)
    await refused(await call_socket(None, meeting), "not_signed_in", CLOSE_NOT_SIGNED_IN)


@pytestmark_sockets
async def test_join_refused_once_the_meeting_was_cancelled(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    buyer = await call_socket(meeting.buyer, meeting)
    assert (await buyer.receive())["type"] == "ready"
    await database_sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(status=MeetingStatus.CANCELLED)
    await buyer.send({"type": "join"})
    await refused(buyer, "not_found", CLOSE_NOT_FOUND)


@pytestmark_sockets
async def test_socket_refused_for_a_meeting_that_is_not_accepted(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5), status=MeetingStatus.REQUESTED)
    await refused(await call_socket(meeting.buyer, meeting), "not_found", CLOSE_NOT_FOUND)


@pytestmark_sockets
async def test_socket_from_another_origin_is_refused_at_the_handshake(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    code = await call_socket(meeting.buyer, meeting, origin="http://evil.example")
    assert code == 403 or isinstance(code, int)
    assert not isinstance(code, CallClient)


@pytestmark_sockets
@pytest.mark.parametrize("starts_in", [timedelta(minutes=11), timedelta(minutes=-61)])
async def test_socket_refused_outside_the_window(call_socket, home_page, starts_in):
    meeting = await meeting_create(starts_in=starts_in)
    error = await refused(await call_socket(meeting.buyer, meeting), "not_open", CLOSE_NOT_OPEN)
    assert error["opens_at"] == (meeting.starts_at - timedelta(minutes=10)).isoformat()
    assert error["closes_at"] == (meeting.ends_at + timedelta(minutes=30)).isoformat()


@pytestmark_sockets
async def test_socket_is_closed_when_the_room_closes(call_socket, home_page):
    # Closes 1.5 s from now: 30 minutes after a meeting that ended 29 min 58.5 s ago.
    meeting = await meeting_create(starts_in=timedelta(minutes=-60, seconds=1.5), minutes=30)
    buyer, company = await joined_pair(call_socket, meeting)
    for client in (buyer, company):
        error = await client.receive(timeout=5)
        assert (error["type"], error["code"]) == ("error", "not_open")
        assert await client.closed_with() == CLOSE_NOT_OPEN


@pytestmark_sockets
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": 5}', "unknown_type"),
        ('{"type": "offer"}', "invalid"),
        ('{"type": "offer", "sdp": 12}', "invalid"),
        ('{"type": "answer", "sdp": ""}', "invalid"),
        ('{"type": "offer", "sdp": "' + "x" * 40_000 + '"}', "invalid"),
        ('{"type": "ice"}', "invalid"),
        ('{"type": "ice", "candidate": "text"}', "invalid"),
        ('{"type": "ice", "candidate": {"candidate": 1}}', "invalid"),
        ('{"type": "ice", "candidate": {"candidate": "c", "sdpMLineIndex": true}}', "invalid"),
        ('{"type": "ice", "candidate": {"candidate": "c", "sdpMid": ["0"]}}', "invalid"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_nothing_breaks(call_socket, home_page, text, code):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    buyer, company = await joined_pair(call_socket, meeting)
    await buyer.communicator.send_to(text_data=text)
    error = await buyer.receive()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    assert await company.nothing()
    # The socket still works.
    await buyer.send({"type": "answer", "sdp": "fine"})
    assert await company.receive() == {"type": "answer", "sdp": "fine", "side": "buyer"}


@pytestmark_sockets
async def test_frames_before_join_are_refused_and_not_relayed(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    staff, _ = await staff_of(meeting)
    company = await call_socket(staff, meeting)
    await company.receive()
    await company.send({"type": "join"})
    buyer = await call_socket(meeting.buyer, meeting)
    await buyer.receive()
    await buyer.send({"type": "offer", "sdp": "too early"})
    error = await buyer.receive()
    assert error["code"] == "not_joined"
    assert await company.nothing()
    await buyer.send({"type": "ping"})
    assert await buyer.receive() == {"type": "pong"}


@pytestmark_sockets
async def test_error_messages_follow_the_persons_language(call_socket, home_page):
    meeting = await meeting_create(starts_in=timedelta(minutes=5))
    meeting.buyer.preferred_language = "es"
    await database_sync_to_async(meeting.buyer.save)(update_fields=["preferred_language"])
    buyer = await call_socket(meeting.buyer, meeting)
    await buyer.receive()
    await buyer.send({"type": "dance"})
    error = await buyer.receive()
    assert error["code"] == "unknown_type"
    assert error["message"] != "Unknown frame type."
