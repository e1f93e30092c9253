"""The live chat in a real browser, as people use it: a buyer starts a conversation from a booth page and
writes; an exhibitor's staff member sees it arrive without reloading, on the conversation page and in the
header badge of another page; read receipts ("Seen") move live both ways; markup in a message stays text; and
someone without JavaScript takes part through the plain form.

The site runs in a real daphne process (the WSGI test server cannot serve WebSockets) on the test database,
as tests/fair/chat/processes.py starts it; with REDIS_URL set, its channel layer and cache are on Redis (a
prefix of the test's own). The data must be committed for that process, so the test is transactional and
restores the migrated pages afterwards; tests/conftest.py runs browser tests after every other test."""

import os
import re
import time
import uuid

import pytest
from django.db import connection
from playwright.sync_api import expect

from exhibitors.enums import ApplicationStatus, MembershipRole
from fair.chat.models import Conversation, Message
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.fair.chat.processes import database_json, start_workers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# Generous: a slow machine must not fail this test; nothing here is about speed.
LIVE = 20_000  # ms
PASSWORD = "correct horse battery"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(2)</script>"


@pytest.fixture
def daphne_site(tmp_path):
    """The site served by one daphne worker on the test database (and on Redis when REDIS_URL is set)."""
    redis_url = os.environ.get("REDIS_URL", "")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.browser.site_settings",
        FERIA_PROCESS_DATABASE=database_json(connection.settings_dict),
        FERIA_PROCESS_REDIS_URL=redis_url,
        FERIA_PROCESS_PREFIX=f"feria-test-{uuid.uuid4().hex[:12]}",
        FERIA_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    (worker,) = start_workers(1, env=env, log_path=tmp_path / "daphne.log")
    yield f"http://127.0.0.1:{worker.port}"
    worker.stop()


class Person:
    """One browser context (a phone-sized window) of one person, with every page's script errors, Content
    Security Policy violations (Chromium reports both as console errors) and dialogs collected."""

    def __init__(self, browser, site: str, *, javascript: bool = True):
        self.site = site
        # The browser's clock is in another zone than the people's own: times must follow the person's.
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport=PHONE, timezone_id="America/Lima", locale="en-US"
        )
        self.problems: list[str] = []
        self.dialogs: list[str] = []

    def page(self, path: str = ""):
        page = self.context.new_page()
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        if path:
            page.goto(self.site + path)
        return page

    def sign_in(self, email: str):
        page = self.page("/en/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        expect(page.locator("[data-chat-unread-badge]")).to_be_attached()
        return page


def message_item(page, text: str):
    return page.locator("[data-chat-messages] li[data-message-id]", has_text=text)


def send_live(page, text: str):
    """Type and send through the enhanced form: the socket carries it, the page stays."""
    url = page.url
    expect(page.locator("form[data-chat-form][data-chat-live]")).to_be_attached(timeout=LIVE)
    page.fill("textarea[name=body]", text)
    page.click("form[data-chat-form] button[type=submit]")
    expect(page.locator("textarea[name=body]")).to_have_value("")
    assert page.url == url


def wait_until(page, script: str, what: str, timeout: float = LIVE / 1000):
    """Poll a function in the page (page.wait_for_function would eval a string, which the CSP refuses)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_chat_between_a_buyer_and_an_exhibitor_in_chromium(home_page, daphne_site, browser):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer")
    staff = UserFactory(email="sam@example.com", first_name="Sam", last_name="Staff", time_zone="Asia/Tokyo")
    MembershipFactory(user=staff, company=company, role=MembershipRole.STAFF)

    # The buyer starts the conversation from the booth page.
    bea = Person(browser, daphne_site)
    buyer_page = bea.sign_in(buyer.email)
    buyer_page.goto(f"{daphne_site}/en/andean/booths/cafe-inca/")
    buyer_page.get_by_role("button", name="Chat with us").click()
    buyer_page.wait_for_load_state()
    conversation = Conversation.objects.get(buyer=buyer, company=company)
    conversation_path = f"/en/chat/conversations/{conversation.pk}/"
    assert buyer_page.url == daphne_site + conversation_path

    # The staff member has the conversation open, and the inbox in another tab; that tab's badge is watched.
    sam = Person(browser, daphne_site)
    inbox_page = sam.sign_in(staff.email)
    inbox_page.goto(f"{daphne_site}/en/chat/")
    staff_page = sam.page(conversation_path)
    expect(staff_page.locator("form[data-chat-form][data-chat-live]")).to_be_attached(timeout=LIVE)
    expect(inbox_page.locator("[data-chat-unread-count]")).to_have_text("0")
    inbox_page.evaluate(
        """() => {
            const counter = document.querySelector("[data-chat-unread-count]");
            window.badgeCounts = [];
            new MutationObserver(() => window.badgeCounts.push(counter.textContent))
                .observe(counter, {childList: true, characterData: true, subtree: true});
        }"""
    )

    # The buyer writes, markup included: it is shown as text everywhere, and nothing runs.
    question = f"Hello {XSS_IMG} and {XSS_SCRIPT} see https://example.com/catalogue"
    send_live(buyer_page, question)
    mine = message_item(buyer_page, "see https://example.com/catalogue")
    expect(mine).to_be_visible(timeout=LIVE)
    expect(buyer_page.locator("[data-chat-messages] .is-pending")).to_have_count(0, timeout=LIVE)
    received = message_item(staff_page, "see https://example.com/catalogue")
    expect(received).to_be_visible(timeout=LIVE)
    message = Message.objects.get(conversation=conversation, sender=buyer)
    assert message.body == question
    for page in (buyer_page, staff_page):
        item = page.locator(f"#m{message.pk}")
        expect(item.locator(".chat-body")).to_have_text(question)
        expect(item.locator("img, script")).to_have_count(0)
        expect(item.locator('a[href="https://example.com/catalogue"][rel~="nofollow"]')).to_have_count(1)
    # The other tab's badge counted the message live (a later heartbeat sets it back: the open page read it).
    wait_until(
        inbox_page,
        "() => window.badgeCounts.some((text) => parseInt(text, 10) > 0)",
        "the staff member's header badge to count the message",
    )
    assert inbox_page.url == f"{daphne_site}/en/chat/"

    # The staff member's open page read it: the buyer sees "Seen" under the message, live.
    expect(buyer_page.locator(f"#m{message.pk} [data-chat-seen]")).to_have_text("Seen", timeout=LIVE)

    # The staff member answers; the buyer sees the answer live, and the staff member sees it was read.
    send_live(staff_page, "Thank you, Bea. Our price list is on its way.")
    expect(message_item(buyer_page, "Our price list is on its way.")).to_be_visible(timeout=LIVE)
    answer = Message.objects.get(conversation=conversation, sender=staff)
    expect(staff_page.locator(f"#m{answer.pk} [data-chat-seen]")).to_have_text("Seen", timeout=LIVE)
    expect(buyer_page.locator("[data-chat-seen]")).to_have_count(1)
    # Drawn by the script, the answer reads as the server draws it after a reload (name, company, time).
    live_meta = " ".join(staff_page.locator(f"#m{answer.pk} .chat-meta").inner_text().split())
    assert "Sam Staff · Cafe Inca S.A.C." in live_meta
    staff_page.reload()
    assert " ".join(staff_page.locator(f"#m{answer.pk} .chat-meta").inner_text().split()) == live_meta
    expect(staff_page.locator("form[data-chat-form][data-chat-live]")).to_be_attached(timeout=LIVE)

    # The buyer again, on a phone without JavaScript: the server's page shows the markup as text, the plain
    # form posts, and the message is on the page after the post, and live on the staff member's page.
    plain = Person(browser, daphne_site, javascript=False)
    plain_page = plain.sign_in(buyer.email)
    plain_page.goto(daphne_site + conversation_path)
    expect(plain_page.locator(f"#m{message.pk} .chat-body")).to_have_text(question)
    expect(plain_page.locator(f"#m{message.pk}").locator("img, script")).to_have_count(0)
    plain_page.fill("textarea[name=body]", "Sent from my phone, without scripts.")
    plain_page.click("form[data-chat-form] button[type=submit]")
    plain_page.wait_for_load_state()
    phone_text = "Sent from my phone, without scripts."
    plain_message = Message.objects.get(conversation=conversation, body=phone_text)
    landed = rf"{re.escape(daphne_site + conversation_path)}(\?.*)?#m{plain_message.pk}"
    assert re.fullmatch(landed, plain_page.url), plain_page.url
    expect(plain_page.locator(f"#m{plain_message.pk} .chat-body")).to_have_text(phone_text)
    expect(message_item(staff_page, "Sent from my phone, without scripts.")).to_be_visible(timeout=LIVE)

    assert Message.objects.filter(conversation=conversation).count() == 3
    for person in (bea, sam, plain):
        assert person.problems == [], person.problems
        assert person.dialogs == [], person.dialogs
        person.context.close()
