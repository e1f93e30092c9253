"""The chat as plain pages, without JavaScript: start from a booth, send, read, report, block; everything a
person types is shown as text; other people's conversations and messages answer 404."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fair.chat.enums import SanctionKind
from fair.chat.models import ChatSanction, Conversation, Message, MessageReport
from fair.chat.templatetags.chat_tags import chat_linkify
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory
from tests.fair.chat.conftest import send_text


def conversation_url(conversation, suffix=""):
    return f"/en/chat/conversations/{conversation.pk}/{suffix}"


def booth_url(booth):
    return f"/en/{booth.fair.slug}/booths/{booth.company.slug}/"


def client_id(response) -> str:
    return re.search(r'name="client_id" value="([^"]+)"', response.content.decode()).group(1)


def badge_count(response) -> str:
    return re.search(r"data-chat-unread-count>(\d+)<", response.content.decode()).group(1)


# --- Starting from a booth ---


def test_buyer_starts_a_conversation_from_the_booth_page(chat_booth, chat_buyer, chat_owner, client_for):
    client = client_for(chat_buyer)
    page = client.get(booth_url(chat_booth)).content.decode()
    assert f'action="/en/chat/start/{chat_booth.pk}/"' in page
    assert "Chat with us" in page

    response = client.post(f"/en/chat/start/{chat_booth.pk}/")

    conversation = Conversation.objects.get(buyer=chat_buyer, company=chat_booth.company)
    assert response.status_code == 302
    assert response["Location"] == conversation_url(conversation)
    assert conversation.started_from == chat_booth
    page = client.get(response["Location"]).content.decode()
    assert "Andean Trade Fair" in page
    assert booth_url(chat_booth) in page
    # A second click opens the same conversation.
    assert client.post(f"/en/chat/start/{chat_booth.pk}/")["Location"] == conversation_url(conversation)
    assert Conversation.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_and_back_to_the_booth(chat_booth, client):
    page = client.get(booth_url(chat_booth)).content.decode()
    assert "/en/chat/start/" not in page  # a link, not a form: the page stays cacheable
    assert f'href="/en/accounts/login/?next={booth_url(chat_booth)}">Chat with us</a>' in page

    response = client.post(f"/en/chat/start/{chat_booth.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert "booths" in response["Location"]
    assert Conversation.objects.count() == 0


def test_company_staff_get_an_explanation_instead_of_a_chat(chat_booth, chat_staff, client_for):
    client = client_for(chat_staff)
    page = client.get(booth_url(chat_booth)).content.decode()
    assert f'action="/en/chat/start/{chat_booth.pk}/"' not in page
    assert "This is your company's booth" in page

    response = client.post(f"/en/chat/start/{chat_booth.pk}/")

    assert response.status_code == 403
    assert "your own company" in response.content.decode()
    assert Conversation.objects.count() == 0


def test_start_needs_a_live_booth(chat_company, chat_buyer, client_for, home_page):
    from tests.factories.exhibitors import BoothFactory

    pending = BoothFactory(company=chat_company)
    assert client_for(chat_buyer).post(f"/en/chat/start/{pending.pk}/").status_code == 404
    assert client_for(chat_buyer).get("/en/chat/start/1/").status_code == 405


# --- The no-JavaScript flow ---


def test_plain_form_flow_end_to_end(booth_conversation, chat_buyer, chat_owner, chat_staff, client_for):
    buyer, owner = client_for(chat_buyer), client_for(chat_owner)
    page = buyer.get(conversation_url(booth_conversation))
    html = page.content.decode()
    assert f'data-chat data-chat-conversation="{booth_conversation.pk}"' in html
    assert 'data-chat-socket="/ws/chat/"' in html
    assert 'data-chat-side="buyer"' in html
    assert 'maxlength="4000"' in html and '<a href="?"' in html

    response = buyer.post(
        conversation_url(booth_conversation, "send/"),
        {"body": "Do you ship to Hamburg?", "client_id": client_id(page)},
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation_url(booth_conversation) + f"#m{message.pk}"
    assert message.body == "Do you ship to Hamburg?" and message.sender == chat_buyer

    inbox = owner.get("/en/chat/")
    assert "1 unread" in inbox.content.decode()
    assert badge_count(inbox) == "1"
    assert "Do you ship to Hamburg?" in inbox.content.decode()

    staff_page = owner.get(conversation_url(booth_conversation))
    assert f'id="m{message.pk}"' in staff_page.content.decode()
    assert badge_count(staff_page) == "0"  # viewing marks it read
    assert "data-chat-seen" in buyer.get(conversation_url(booth_conversation)).content.decode()

    owner.post(
        conversation_url(booth_conversation, "send/"),
        {"body": "Yes, every week.", "client_id": client_id(staff_page)},
    )
    assert badge_count(buyer.get("/en/chat/")) == "1"
    assert "Yes, every week." in buyer.get(conversation_url(booth_conversation)).content.decode()
    assert badge_count(buyer.get("/en/chat/")) == "0"


def test_the_same_form_sent_twice_stores_one_message(conversation, chat_buyer, client_for):
    client = client_for(chat_buyer)
    data = {"body": "Hello", "client_id": client_id(client.get(conversation_url(conversation)))}

    first = client.post(conversation_url(conversation, "send/"), data)
    second = client.post(conversation_url(conversation, "send/"), data)

    assert Message.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "Write a message first."), ("x" * 4001, "at most 4000 characters (this one has 4001)")],
)
def test_refused_message_keeps_the_text(conversation, chat_buyer, client_for, body, error):
    client = client_for(chat_buyer)
    response = client.post(conversation_url(conversation, "send/"), {"body": body, "client_id": "c-1"})

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert f">{body}</textarea>" in html
    assert Message.objects.count() == 0


def test_plain_send_shares_the_socket_rate_limit(conversation, chat_buyer, client_for):
    client = client_for(chat_buyer)
    for number in range(20):
        assert (
            client.post(
                conversation_url(conversation, "send/"), {"body": f"m{number}", "client_id": f"c{number}"}
            ).status_code
            == 302
        )

    response = client.post(
        conversation_url(conversation, "send/"), {"body": "one more", "client_id": "c-extra"}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "too fast" in response.content.decode()
    assert ">one more</textarea>" in response.content.decode()
    assert Message.objects.count() == 20


def test_blocking_stops_sending_both_ways_until_lifted(conversation, chat_buyer, chat_owner, client_for):
    buyer, owner = client_for(chat_buyer), client_for(chat_owner)

    response = owner.post(conversation_url(conversation, "block/"))

    assert response.status_code == 302
    buyer_page = buyer.get(conversation_url(conversation)).content.decode()
    assert "This exhibitor has blocked the conversation" in buyer_page
    assert "data-chat-form" not in buyer_page
    refused = buyer.post(
        conversation_url(conversation, "send/"), {"body": "Still there?", "client_id": "b-1"}
    )
    assert refused.status_code == 400
    assert "This conversation is blocked" in refused.content.decode()
    assert ">Still there?</textarea>" in refused.content.decode()
    assert "Unblock" in owner.get(conversation_url(conversation)).content.decode()

    owner.post(conversation_url(conversation, "unblock/"))

    assert (
        buyer.post(conversation_url(conversation, "send/"), {"body": "Hi", "client_id": "b-2"}).status_code
        == 302
    )
    # One side cannot lift the other side's block.
    buyer.post(conversation_url(conversation, "block/"))
    owner.post(conversation_url(conversation, "unblock/"))
    assert conversation.blocks.filter(side="buyer").exists()


def test_a_person_blocked_by_a_moderator_cannot_open_or_send(
    conversation, chat_buyer, chat_owner, client_for
):
    ChatSanction.objects.create(
        user=chat_buyer, kind=SanctionKind.BLOCK, reason="Spam", created_by=chat_owner
    )
    client = client_for(chat_buyer)

    assert client.get("/en/chat/").status_code == 403
    assert client.get(conversation_url(conversation)).status_code == 403
    response = client.post(conversation_url(conversation, "send/"), {"body": "Let me in", "client_id": "x"})
    assert response.status_code == 403
    assert "blocked you from chat" in response.content.decode()
    assert Message.objects.count() == 0


# --- What people type is shown as text ---


XSS = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3) https://ok.example/a?b=1&c=<i>"
)


def test_xss_payload_shows_as_text(conversation, chat_buyer, chat_owner, client_for):
    send_text(conversation, chat_buyer, XSS)

    html = client_for(chat_owner).get(conversation_url(conversation)).content.decode()

    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://ok.example/a?b=1&amp;c=" rel="noopener nofollow ugc">' in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see https://a.example/x.",
            'see <a href="https://a.example/x" rel="noopener nofollow ugc">https://a.example/x</a>.',
        ),
        (
            "(https://a.example/wiki/C_(lang))",
            '(<a href="https://a.example/wiki/C_(lang)" rel="noopener nofollow ugc">https://a.example/wiki/C_(lang)</a>)',
        ),
        (
            'https://a.example/"onmouseover="x',
            '<a href="https://a.example/" rel="noopener nofollow ugc">https://a.example/</a>&quot;onmouseover=&quot;x',
        ),
        ("ftp://a.example www.a.example", "ftp://a.example www.a.example"),
        ("line one\nline <two>", "line one<br>line &lt;two&gt;"),
        ("http://", "http://"),
    ],
)
def test_linkify(text, expected):
    assert chat_linkify(text) == expected


def test_hidden_message_shows_that_a_moderator_hid_it(conversation, chat_buyer, chat_owner, client_for):
    from fair.chat.services.moderation import message_hide

    message = send_text(conversation, chat_buyer, "Buy crypto now")
    message_hide(message=message, moderator=UserFactory(), reason="Spam")

    page = client_for(chat_owner).get(conversation_url(conversation)).content.decode()
    fragment = client_for(chat_owner).get(conversation_url(conversation, f"messages/{message.pk}/fragment/"))

    for html in (page, fragment.content.decode()):
        assert "hidden by a moderator" in html
        assert "Buy crypto now" not in html


def test_fragment_is_the_message_li(conversation, chat_buyer, chat_owner, client_for):
    message = send_text(conversation, chat_buyer, "Price list please")

    response = client_for(chat_owner).get(conversation_url(conversation, f"messages/{message.pk}/fragment/"))

    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith(f'<li class="chat-message chat-message-buyer" data-message-id="{message.pk}"')
    assert 'data-sender-side="buyer"' in html and f'id="m{message.pk}"' in html
    assert "Price list please" in html and "<html" not in html


def test_message_of_an_unregistered_kind_is_shown_as_such(conversation, chat_buyer, chat_owner, client_for):
    Message.objects.create(
        conversation=conversation,
        sender=chat_owner,
        sender_side="company",
        kind="meeting_proposal",
        client_id="k1",
    )
    html = client_for(chat_buyer).get(conversation_url(conversation)).content.decode()
    assert "This message cannot be shown here." in html


# --- Someone else's ids ---


def test_other_peoples_conversations_and_messages_answer_404(conversation, chat_buyer, outsider, client_for):
    message = send_text(conversation, chat_buyer, "private")
    client = client_for(outsider)

    for url in ("", f"messages/{message.pk}/fragment/", f"messages/{message.pk}/report/"):
        assert client.get(conversation_url(conversation, url)).status_code == 404, url
    for url in ("send/", "read/", "block/", "unblock/", f"messages/{message.pk}/report/"):
        assert (
            client.post(
                conversation_url(conversation, url), {"body": "x", "reason": "x", "client_id": "o"}
            ).status_code
            == 404
        ), url
    assert Message.objects.count() == 1 and MessageReport.objects.count() == 0
    assert not conversation.blocks.exists()


def test_a_message_of_another_conversation_answers_404(conversation, chat_buyer, client_for):
    other_company = CompanyFactory()
    MembershipFactory(company=other_company)
    other_buyer = UserFactory()
    from fair.chat.services.conversations import conversation_start

    other = conversation_start(buyer=other_buyer, company=other_company)
    foreign = send_text(other, other_buyer, "not yours")
    client = client_for(chat_buyer)

    assert client.get(conversation_url(conversation, f"messages/{foreign.pk}/fragment/")).status_code == 404
    assert (
        client.post(
            conversation_url(conversation, f"messages/{foreign.pk}/report/"), {"reason": "x"}
        ).status_code
        == 404
    )


def test_pages_need_a_signed_in_person(conversation, client):
    response = client.get("/en/chat/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    assert client.get(conversation_url(conversation))["Location"].startswith("/en/accounts/login/")


# --- Reports and read marks ---


def test_report_a_message(conversation, chat_buyer, chat_owner, client_for):
    message = send_text(conversation, chat_owner, "Rude words")
    client = client_for(chat_buyer)
    assert (
        f'action="/en/chat/conversations/{conversation.pk}/messages/{message.pk}/report/"'
        in client.get(conversation_url(conversation)).content.decode()
    )

    empty = client.post(conversation_url(conversation, f"messages/{message.pk}/report/"), {"reason": " "})
    assert empty.status_code == 400
    assert "Say briefly what is wrong" in empty.content.decode()

    response = client.post(
        conversation_url(conversation, f"messages/{message.pk}/report/"), {"reason": "Insulting"}
    )

    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert (report.message, report.reporter, report.reason) == (message, chat_buyer, "Insulting")
    again = client.post(conversation_url(conversation, f"messages/{message.pk}/report/"), {"reason": "Still"})
    assert again.status_code == 400
    assert "already reported" in again.content.decode()
    assert "Still</textarea>" in again.content.decode()


def test_read_form_moves_the_mark(conversation, chat_buyer, chat_owner, client_for):
    first = send_text(conversation, chat_buyer, "one")
    send_text(conversation, chat_buyer, "two")
    client = client_for(chat_owner)

    response = client.post(
        conversation_url(conversation, "read/"), {"up_to": first.pk}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 204
    assert "1 unread" in client.get("/en/chat/").content.decode()


def test_older_messages_are_a_link_away(conversation, chat_buyer, client_for, settings):
    settings.FERIA_CHAT_SEND_LIMIT = 100
    messages = [send_text(conversation, chat_buyer, f"message {n}") for n in range(55)]
    client = client_for(chat_buyer)

    html = client.get(conversation_url(conversation)).content.decode()
    assert f'id="m{messages[-1].pk}"' in html and f'id="m{messages[4].pk}"' not in html
    older = re.search(r'href="\?before=(\d+)"', html).group(1)
    assert int(older) == messages[5].pk

    older_html = client.get(conversation_url(conversation), {"before": older}).content.decode()
    assert f'id="m{messages[0].pk}"' in older_html and f'id="m{messages[5].pk}"' not in older_html
    assert "Newest messages" in older_html


# --- Inbox ---


def test_staff_of_several_companies_see_whose_inbox_each_row_is(
    chat_buyer, chat_company, chat_owner, client_for
):
    from fair.chat.services.conversations import conversation_start

    second = CompanyFactory(legal_name="Alpaca Knits")
    MembershipFactory(user=chat_owner, company=second)
    send_text(conversation_start(buyer=chat_buyer, company=chat_company), chat_buyer, "For coffee")
    send_text(conversation_start(buyer=chat_buyer, company=second), chat_buyer, "For knits")

    html = client_for(chat_owner).get("/en/chat/").content.decode()

    assert "For Cafe Inca S.A.C." in html and "For Alpaca Knits" in html
    # Newest activity first.
    assert html.index("For knits") < html.index("For coffee")


def test_inbox_query_count_is_flat(
    chat_buyer, chat_owner, chat_company, client_for, django_assert_num_queries
):
    from fair.chat.services.conversations import conversation_start

    client = client_for(chat_owner)

    def add(count, start):
        for number in range(start, start + count):
            buyer = chat_buyer if number == 0 else UserFactory()
            send_text(conversation_start(buyer=buyer, company=chat_company), buyer, f"hello {number}")

    add(1, 0)
    client.get("/en/chat/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/en/chat/").status_code == 200
    add(29, 1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/en/chat/")
    assert response.content.decode().count("data-chat-inbox-row") == 30
    # Session and user (2), the chat block check, the page count and the page of rows, the badge (5).
    assert len(one.captured_queries) <= 7


def test_conversation_page_query_count_is_flat(
    conversation, chat_buyer, chat_owner, client_for, django_assert_num_queries
):
    client = client_for(chat_owner)
    send_text(conversation, chat_buyer, "first")
    client.get(conversation_url(conversation))
    send_text(conversation, chat_buyer, "second")
    with CaptureQueriesContext(connection) as one:
        assert client.get(conversation_url(conversation)).status_code == 200
    for number in range(30):
        send_text(conversation, chat_buyer if number % 2 else chat_owner, f"message {number}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(conversation_url(conversation))
    assert response.content.decode().count('class="chat-message ') == 32
    # Session and user, chat block, the conversation, marking it read (side check, newest id, the read state
    # locked, moved and read back, in a savepoint), the messages, the other side's read marks, the blocks, and
    # the badge.
    assert len(one.captured_queries) <= 15


# --- Booth page: online now, office hours, reply time ---


def test_booth_page_says_who_is_online_and_how_fast_they_reply(
    chat_booth, booth_conversation, chat_buyer, chat_owner, client, client_for
):
    from datetime import timedelta

    from django.utils import timezone

    from fair.chat.presence import presence_connect

    url = booth_url(chat_booth)
    html = client.get(url).content.decode()
    assert "Online now" not in html and "Usually replies" not in html

    presence_connect(chat_owner.pk, [chat_booth.company_id], "specific.channel-1")
    # Three answered questions: 2, 4 and 30 minutes: the median is 4.
    now = timezone.now()
    for minutes in (2, 4, 30):
        asked = send_text(booth_conversation, chat_buyer, "question")
        answered = send_text(booth_conversation, chat_owner, "answer")
        Message.objects.filter(pk=asked.pk).update(created_at=now - timedelta(hours=minutes))
        Message.objects.filter(pk=answered.pk).update(
            created_at=now - timedelta(hours=minutes) + timedelta(minutes=minutes)
        )
    cache.delete(f"chat:response-seconds:{chat_booth.company_id}")

    html = client_for(UserFactory()).get(url).content.decode()

    assert "Online now" in html and "1 staff member is online." in html
    assert "Usually replies within 4 minutes." in html


def test_booth_page_gives_the_next_office_hours_when_nobody_is_online(chat_booth, client):
    import zoneinfo

    from django.utils import timezone

    from tests.factories.uploads import OfficeHoursFactory

    in_two_days = (timezone.now().astimezone(zoneinfo.ZoneInfo("America/Lima")).weekday() + 2) % 7
    OfficeHoursFactory(booth=chat_booth, weekday=in_two_days, opens_at="09:00", closes_at="12:00")

    html = client.get(booth_url(chat_booth)).content.decode()

    assert "Online now" not in html
    assert "Nobody is online right now. Next office hours:" in html
    assert "Usually replies" not in html  # too few answers to say


def test_the_status_line_says_who_of_the_other_side_is_online(
    conversation, chat_buyer, chat_staff, chat_company, client_for
):
    from fair.chat.presence import presence_connect

    buyer_page = client_for(chat_buyer).get(conversation_url(conversation)).content.decode()
    assert "Nobody from Cafe Inca S.A.C. is online right now; they will see your message later." in buyer_page
    staff_page = client_for(chat_staff).get(conversation_url(conversation)).content.decode()
    assert "Bea Buyer is not online right now." in staff_page

    presence_connect(chat_staff.pk, {chat_company.pk}, "staff-socket")
    presence_connect(chat_buyer.pk, set(), "buyer-socket")

    assert (
        "1 staff member online" in client_for(chat_buyer).get(conversation_url(conversation)).content.decode()
    )
    assert (
        "Bea Buyer is online" in client_for(chat_staff).get(conversation_url(conversation)).content.decode()
    )
