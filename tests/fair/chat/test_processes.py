"""Chat against real daphne processes on loopback (tests/fair/chat/processes.py): two workers sharing Redis, a
Redis restart and a killed worker in the middle of a conversation, and the frame size cap daphne enforces (the
test communicator bypasses it).

The daphne processes use the test database (committed data: transactional tests) through
tests/fair/chat/process_settings.py, and a private channel and cache prefix on Redis.
"""

import asyncio
import os
import shutil
import uuid

import pytest
from django.db import connection
from django.test import Client

from fair.chat.models import Message
from fair.chat.services.conversations import conversation_start
from tests.conftest import service_missing
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory
from tests.fair.chat.processes import (
    FRAME_CAP,
    ChatClient,
    RedisServer,
    database_json,
    start_workers,
    wait_for,
)

pytestmark = [
    pytest.mark.processes,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Generous: a slow CI machine must not fail these; none of them is about speed.
DELIVERY_TIMEOUT = 30


@pytest.fixture
def chat_pair(db):
    """A buyer, one staff member of a company, their conversation, and a signed-in session cookie for each."""
    buyer = UserFactory(first_name="Bea", last_name="Buyer")
    staff = UserFactory(first_name="Sam", last_name="Staff")
    company = CompanyFactory()
    MembershipFactory(user=staff, company=company)
    conversation = conversation_start(buyer=buyer, company=company)

    def cookie(user):
        client = Client()
        client.force_login(user)
        from django.conf import settings

        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return {
        "conversation": conversation.pk,
        "buyer": buyer,
        "staff": staff,
        "buyer_cookie": cookie(buyer),
        "staff_cookie": cookie(staff),
    }


@pytest.fixture
def workers(tmp_path):
    """Start daphne workers on the test database; every one started is stopped at the end."""
    started = []

    def start(count: int, *, redis_url: str = "") -> list:
        env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.fair.chat.process_settings",
            FERIA_PROCESS_DATABASE=database_json(connection.settings_dict),
            FERIA_PROCESS_REDIS_URL=redis_url,
            FERIA_PROCESS_PREFIX=f"feria-test-{uuid.uuid4().hex[:12]}",
            FERIA_MEDIA_ROOT=str(tmp_path / "media"),
            PYTHONUNBUFFERED="1",
        )
        group = start_workers(count, env=env, log_path=tmp_path / f"daphne-{len(started)}.log")
        started.extend(group)
        return group

    yield start
    for worker in started:
        worker.stop()


def assert_delivered_once(*, sender: ChatClient, receiver: ChatClient, conversation: int, sent: list[str]):
    """Every message the sender sent was acknowledged, stored once, and is on the receiver's page."""
    assert not sender.pending, f"never acknowledged: {sorted(sender.pending)}"
    assert set(sender.acked) == set(sent)
    stored = list(Message.objects.filter(client_id__in=sent).values_list("client_id", "id"))
    assert sorted(client_id for client_id, _id in stored) == sorted(sent), (
        "a message was stored twice or lost"
    )
    assert dict(stored) == sender.acked, "an acknowledgement named another message than the stored one"
    missing = set(sender.acked.values()) - receiver.received_ids(conversation)
    assert not missing, (
        f"{len(missing)} acknowledged messages never reached the other side: {sorted(missing)}"
    )


def test_a_message_sent_through_one_worker_reaches_a_socket_on_the_other_exactly_once(
    chat_pair, workers, redis_url
):
    first, second = workers(2, redis_url=redis_url)
    conversation = chat_pair["conversation"]

    async def scenario():
        buyer = ChatClient(
            name="buyer", ports=[first.port], cookie=chat_pair["buyer_cookie"], conversations=[conversation]
        ).start()
        staff = ChatClient(
            name="staff", ports=[second.port], cookie=chat_pair["staff_cookie"], conversations=[conversation]
        ).start()
        # The buyer's second tab, on the other worker too: the sender's own sockets get the message as well.
        buyer_tab = ChatClient(
            name="buyer tab",
            ports=[second.port],
            cookie=chat_pair["buyer_cookie"],
            conversations=[conversation],
        ).start()
        clients = [buyer, staff, buyer_tab]
        try:
            for client in clients:
                await asyncio.wait_for(client.ready.wait(), DELIVERY_TIMEOUT)
            from_buyer = [await buyer.send(conversation, f"Hello {n} from the buyer") for n in range(8)]
            from_staff = [await staff.send(conversation, f"Answer {n} from the staff") for n in range(4)]
            acked = lambda: not buyer.pending and not staff.pending  # noqa: E731
            await wait_for(acked, timeout=DELIVERY_TIMEOUT, what="acknowledgements")
            wanted = set(buyer.acked.values()) | set(staff.acked.values())
            await wait_for(
                lambda: (
                    wanted <= set(staff.live) and wanted <= set(buyer_tab.live) and wanted <= set(buyer.live)
                ),
                timeout=DELIVERY_TIMEOUT,
                what="live delivery on both workers",
            )
            # Anything doubled would have arrived by now, right behind the first copy.
            await asyncio.sleep(0.5)
            return buyer, staff, buyer_tab, from_buyer, from_staff
        finally:
            for client in clients:
                await client.stop()

    buyer, staff, buyer_tab, from_buyer, from_staff = asyncio.run(scenario())
    assert_delivered_once(sender=buyer, receiver=staff, conversation=conversation, sent=from_buyer)
    assert_delivered_once(sender=staff, receiver=buyer, conversation=conversation, sent=from_staff)
    wanted = set(buyer.acked.values()) | set(staff.acked.values())
    for client in (buyer, staff, buyer_tab):
        assert {message_id: client.live[message_id] for message_id in wanted} == dict.fromkeys(wanted, 1), (
            f"{client.name}: each message must arrive live exactly once"
        )
        assert client.connects == 1, f"{client.name} lost its socket"
        assert not client.errors, client.errors


def converse(*, buyer: ChatClient, staff: ChatClient, conversation: int, rounds: int, pause: float):
    """Both sides write in turn; returns the client ids each sent. Keeps under the 20-per-10-s send limit."""

    async def talk():
        from_buyer, from_staff = [], []
        for n in range(rounds):
            from_buyer.append(await buyer.send(conversation, f"buyer {n}"))
            if n % 2:
                from_staff.append(await staff.send(conversation, f"staff {n}"))
            await asyncio.sleep(pause)
        return from_buyer, from_staff

    return talk()


def state(*clients: ChatClient) -> str:
    """What each client saw, for a failure message."""
    return "; ".join(
        f"{c.name}: connects {c.connects}, closes {c.closes}, pending {len(c.pending)}, acked "
        f"{sorted(c.acked.values())}, has {sorted(c.messages)}, errors {[e.get('code') for e in c.errors]}"
        for c in clients
    )


async def settle(buyer: ChatClient, staff: ChatClient, conversation: int) -> None:
    """Wait until everything sent is acknowledged and on the other side's page (live, sync or heartbeat)."""
    await wait_for(
        lambda: not buyer.pending and not staff.pending,
        timeout=DELIVERY_TIMEOUT,
        what=lambda: "every message to be acknowledged: " + state(buyer, staff),
    )
    await wait_for(
        lambda: (
            set(buyer.acked.values()) <= staff.received_ids(conversation)
            and set(staff.acked.values()) <= buyer.received_ids(conversation)
        ),
        timeout=DELIVERY_TIMEOUT,
        what=lambda: "every acknowledged message to reach the other side: " + state(buyer, staff),
    )


def test_a_redis_restart_in_the_middle_of_a_conversation_loses_nothing(chat_pair, workers, tmp_path):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed (apt-get install redis-server)")
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        first, second = workers(2, redis_url=redis.url)
        conversation = chat_pair["conversation"]

        async def scenario():
            buyer = ChatClient(
                name="buyer",
                ports=[first.port],
                cookie=chat_pair["buyer_cookie"],
                conversations=[conversation],
            ).start()
            staff = ChatClient(
                name="staff",
                ports=[second.port],
                cookie=chat_pair["staff_cookie"],
                conversations=[conversation],
            ).start()
            try:
                for client in (buyer, staff):
                    await asyncio.wait_for(client.ready.wait(), DELIVERY_TIMEOUT)
                before = asyncio.create_task(
                    converse(buyer=buyer, staff=staff, conversation=conversation, rounds=4, pause=0.2)
                )
                await before
                # Redis goes away for about 3 s while both sides keep writing, then comes back empty.
                redis.stop()
                during = await converse(
                    buyer=buyer, staff=staff, conversation=conversation, rounds=6, pause=0.5
                )
                redis.start()
                after = await converse(
                    buyer=buyer, staff=staff, conversation=conversation, rounds=4, pause=0.2
                )
                await settle(buyer, staff, conversation)
                sent_buyer = before.result()[0] + during[0] + after[0]
                sent_staff = before.result()[1] + during[1] + after[1]
                return buyer, staff, sent_buyer, sent_staff
            finally:
                await buyer.stop()
                await staff.stop()

        buyer, staff, sent_buyer, sent_staff = asyncio.run(scenario())
    finally:
        redis.stop()
    assert_delivered_once(sender=buyer, receiver=staff, conversation=conversation, sent=sent_buyer)
    assert_delivered_once(sender=staff, receiver=buyer, conversation=conversation, sent=sent_staff)


def test_a_killed_worker_loses_nothing_its_clients_reconnect_to_the_other(chat_pair, workers, redis_url):
    first, second = workers(2, redis_url=redis_url)
    conversation = chat_pair["conversation"]

    async def scenario():
        # The buyer's tab is on the first worker, and falls back to the second; the staff stay on the second.
        buyer = ChatClient(
            name="buyer",
            ports=[first.port, second.port],
            cookie=chat_pair["buyer_cookie"],
            conversations=[conversation],
        ).start()
        staff = ChatClient(
            name="staff", ports=[second.port], cookie=chat_pair["staff_cookie"], conversations=[conversation]
        ).start()
        try:
            for client in (buyer, staff):
                await asyncio.wait_for(client.ready.wait(), DELIVERY_TIMEOUT)
            before = await converse(buyer=buyer, staff=staff, conversation=conversation, rounds=4, pause=0.2)
            # kill -9 while the buyer's messages are in flight.
            talking = asyncio.create_task(
                converse(buyer=buyer, staff=staff, conversation=conversation, rounds=8, pause=0.15)
            )
            await asyncio.sleep(0.3)
            first.kill()
            during = await talking
            await settle(buyer, staff, conversation)
            return buyer, staff, before[0] + during[0], before[1] + during[1]
        finally:
            await buyer.stop()
            await staff.stop()

    buyer, staff, sent_buyer, sent_staff = asyncio.run(scenario())
    assert buyer.connects >= 2, "the buyer's socket should have moved to the other worker"
    assert_delivered_once(sender=buyer, receiver=staff, conversation=conversation, sent=sent_buyer)
    assert_delivered_once(sender=staff, receiver=buyer, conversation=conversation, sent=sent_staff)


def test_daphne_drops_a_socket_with_1006_on_a_frame_over_64_kib_and_answers_one_just_under_it(
    chat_pair, workers
):
    import json

    import websockets
    from websockets.asyncio.client import connect

    (worker,) = workers(1)
    conversation = chat_pair["conversation"]
    from django.conf import settings

    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={chat_pair['buyer_cookie']}"}
    url = f"ws://127.0.0.1:{worker.port}/ws/chat/"
    origin = f"http://127.0.0.1:{worker.port}"

    def frame(size: int) -> str:
        """A send frame of exactly `size` bytes (ASCII), its body far over the 4,000-character limit."""
        empty = json.dumps({"type": "send", "conversation": conversation, "client_id": "big", "body": ""})
        text = json.dumps(
            {
                "type": "send",
                "conversation": conversation,
                "client_id": "big",
                "body": "x" * (size - len(empty)),
            }
        )
        assert len(text.encode()) == size
        return text

    async def next_frame(ws, kind: str) -> dict:
        while True:
            data = json.loads(await asyncio.wait_for(ws.recv(), DELIVERY_TIMEOUT))
            if data["type"] == kind:
                return data

    async def scenario():
        async with connect(url, origin=origin, additional_headers=headers, ping_interval=None) as ws:
            await next_frame(ws, "ready")
            await ws.send(frame(FRAME_CAP - 100))
            error = await next_frame(ws, "error")
            await ws.send(json.dumps({"type": "ping"}))
            await next_frame(ws, "pong")
        async with connect(url, origin=origin, additional_headers=headers, ping_interval=None) as ws:
            await next_frame(ws, "ready")
            await ws.send(frame(FRAME_CAP + 1))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await next_frame(ws, "error")
            return error, closed.value

    error, closed = asyncio.run(scenario())
    assert error["code"] == "too_long"
    assert error["client_id"] == "big"
    # daphne drops the connection without a close frame (1006 for the client), as docs/chat-protocol.md says.
    assert closed.rcvd is None
    assert not Message.objects.filter(client_id="big").exists()


@pytest.fixture
def visitor_pages(chat_pair, home_page):
    """The pages a visitor without an account opens: home, a fair, a booth of it, and sign-up."""
    from django.urls import reverse

    from exhibitors.enums import ApplicationStatus
    from tests.factories.exhibitors import BoothFactory
    from tests.factories.fair import FairPageFactory

    fair = FairPageFactory(title="Outage Fair", slug="outage-fair")
    booth = BoothFactory(fair=fair, status=ApplicationStatus.APPROVED)
    booth_url = reverse("fair:booth", kwargs={"fair_slug": fair.slug, "company_slug": booth.company.slug})
    return ["/en/", fair.url, booth_url, "/en/accounts/signup/"]


def load_pages(port: int, paths: list[str]) -> dict[str, int]:
    """GET each page as a visitor (no cookie); path -> status."""
    import urllib.error
    import urllib.request

    statuses = {}
    for path in paths:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}{path}", timeout=DELIVERY_TIMEOUT
            ) as response:
                statuses[path] = response.status
        except urllib.error.HTTPError as error:
            statuses[path] = error.code
    return statuses


def test_while_redis_is_down_pages_answer_and_sends_are_stored_acknowledged_and_resynced(
    chat_pair, visitor_pages, workers, tmp_path
):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed (apt-get install redis-server)")
    import time

    heartbeat = float(
        os.environ.get("FERIA_PROCESS_HEARTBEAT_SECONDS", "1")
    )  # the workers' (process_settings)
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        first, second = workers(2, redis_url=redis.url)
        conversation = chat_pair["conversation"]

        async def scenario():
            buyer = ChatClient(
                name="buyer",
                ports=[first.port],
                cookie=chat_pair["buyer_cookie"],
                conversations=[conversation],
            ).start()
            staff = ChatClient(
                name="staff",
                ports=[second.port],
                cookie=chat_pair["staff_cookie"],
                conversations=[conversation],
            ).start()
            late_tab = None
            try:
                for client in (buyer, staff):
                    await asyncio.wait_for(client.ready.wait(), DELIVERY_TIMEOUT)
                before = [await buyer.send(conversation, "Before the outage")]
                await wait_for(lambda: not buyer.pending, timeout=DELIVERY_TIMEOUT, what="the first ack")

                # Redis is gone for 3 s: the buyer keeps writing, a visitor browses, a new tab opens.
                redis.stop()
                outage_ends = time.monotonic() + 3
                during, pages = [], []
                late_tab = ChatClient(
                    name="staff tab",
                    ports=[second.port],
                    cookie=chat_pair["staff_cookie"],
                    conversations=[conversation],
                ).start()

                async def keep_sending():
                    while time.monotonic() < outage_ends:
                        during.append(await buyer.send(conversation, f"During the outage {len(during)}"))
                        await asyncio.sleep(0.5)

                async def keep_browsing():
                    while time.monotonic() < outage_ends:
                        for worker in (first, second):
                            pages.append(await asyncio.to_thread(load_pages, worker.port, visitor_pages))

                await asyncio.gather(keep_sending(), keep_browsing())
                await wait_for(
                    lambda: not buyer.pending,
                    timeout=DELIVERY_TIMEOUT,
                    what=lambda: "acks while Redis is down: " + state(buyer, staff),
                )
                acked_while_down = set(during) <= set(buyer.acked)
                tab_ready_while_down = late_tab.ready.is_set()
                redis.start()
                back_at = time.time()
                # Everything sent during the outage is on the staff's page within a heartbeat (and some slack
                # for the machine) of Redis answering again.
                wanted = {buyer.acked[client_id] for client_id in before + during}
                await wait_for(
                    lambda: wanted <= staff.received_ids(conversation),
                    timeout=heartbeat + 3,
                    what=lambda: "resync after Redis returned: " + state(buyer, staff),
                )
                # Life goes on for a while after Redis is back (sends both ways, pages), to catch late errors
                # from connections that did not survive the restart.
                after_buyer, after_staff = await converse(
                    buyer=buyer, staff=staff, conversation=conversation, rounds=12, pause=1.0
                )
                pages.append(await asyncio.to_thread(load_pages, first.port, visitor_pages))
                await settle(buyer, staff, conversation)
                live_again = {buyer.acked[c] for c in after_buyer[-3:]} <= set(staff.live)
                return {
                    "buyer": buyer,
                    "staff": staff,
                    "sent_buyer": before + during + after_buyer,
                    "sent_staff": after_staff,
                    "pages": pages,
                    "acked_while_down": acked_while_down,
                    "tab_ready_while_down": tab_ready_while_down,
                    "back_at": back_at,
                    "live_again": live_again,
                    "during": during,
                }
            finally:
                for client in (buyer, staff, late_tab):
                    if client is not None:
                        await client.stop()

        result = asyncio.run(scenario())
        finished_at = time.time()  # before this test's own Redis stops for good (logged too, rightly)
    finally:
        redis.stop()

    assert len(result["during"]) >= 5
    for statuses in result["pages"]:
        assert statuses == dict.fromkeys(visitor_pages, 200), statuses
    assert result["acked_while_down"], "a send during the outage was not acknowledged before Redis returned"
    assert result["tab_ready_while_down"], "a socket opened during the outage never got its ready frame"
    assert result["buyer"].connects == 1, "the buyer's socket was closed during the outage"
    assert result["live_again"], "live delivery did not come back after Redis returned"
    assert_delivered_once(
        sender=result["buyer"], receiver=result["staff"], conversation=conversation, sent=result["sent_buyer"]
    )
    assert_delivered_once(
        sender=result["staff"], receiver=result["buyer"], conversation=conversation, sent=result["sent_staff"]
    )
    assert finished_at - result["back_at"] > 10
    for worker in (first, second):
        records = worker.log_records()
        late = [
            r
            for r in records
            if result["back_at"] + 10 < r[0] < finished_at and r[1] in {"WARNING", "ERROR", "CRITICAL"}
        ]
        assert not late, f"logged more than 10 s after Redis returned: {late}"
        outage_lines = [r for r in records if "unreachable" in r[2] and r[0] < finished_at]
        # About once per outage and Redis user (the cache, the channel layer), not once per request or event
        # (dozens here). On a loaded machine one user was seen to log the same outage twice, hence 2 per user.
        assert 1 <= len(outage_lines) <= 4, outage_lines
