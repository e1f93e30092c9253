"""A meeting's video call in a real browser, from the request to the hang-up: a buyer requests a slot that
starts in a few minutes, the exhibitor's staff member accepts, both open the call room in their own browser
context, the call connects (both RTCPeerConnections reach "connected"), and the buyer's hang-up ends it on
both sides.

Chromium gets a fake camera and microphone and grants them without asking (--use-fake-device-for-media-stream
--use-fake-ui-for-media-stream). The site runs in a real daphne process (the socket needs it), as for the
chat's browser test; with no STUN or TURN configured the two peers connect over host candidates."""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibitors.enums import ApplicationStatus, MembershipRole
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.test_chat import LIVE, Person, daphne_site, wait_until
from tests.conftest import service_missing
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingSlotFactory

__all__ = ["daphne_site"]  # the fixture, imported to be used here

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def media_browser():
    """Chromium as tests/browser/conftest.py starts it, with a fake camera and microphone it may use."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        service_missing("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + MEDIA_ARGS)
            yield chromium
            chromium.close()
            from django.db import connections

            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def connection_state(page) -> str:
    return page.locator("[data-call]").get_attribute("data-call-connection")


def test_buyer_and_exhibitor_meet_in_a_video_call_in_chromium(home_page, daphne_site, media_browser):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer")
    staff = UserFactory(email="sam@example.com", first_name="Sam", last_name="Staff", time_zone="Asia/Tokyo")
    MembershipFactory(user=staff, company=company, role=MembershipRole.STAFF)
    starts_at = timezone.now() + timedelta(minutes=5)
    slot = MeetingSlotFactory(
        fair=fair,
        company=company,
        staff=staff,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
    )

    # The buyer requests the slot that starts in five minutes.
    bea = Person(media_browser, daphne_site)
    buyer_page = bea.sign_in(buyer.email)
    buyer_page.goto(f"{daphne_site}/en/meetings/fair/{fair.pk}/book/{company.pk}/")
    buyer_page.locator("[data-slot-picker] .slot-time").click()  # the time picker fills the radio
    assert buyer_page.locator(f"#slot-{slot.pk}").is_checked()
    buyer_page.fill("textarea[name=agenda]", "Green coffee, two containers a quarter.")
    buyer_page.get_by_role("button", name="Send request").click()
    buyer_page.wait_for_load_state()
    meeting = Meeting.objects.get(buyer=buyer, slot=slot)
    assert meeting.status == MeetingStatus.REQUESTED

    # The staff member accepts it from the meeting's page.
    sam = Person(media_browser, daphne_site)
    staff_page = sam.sign_in(staff.email)
    staff_page.goto(f"{daphne_site}/en/meetings/{meeting.uuid}/")
    staff_page.get_by_role("button", name="Accept").click()
    staff_page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED

    # Both join from the meeting's page; the camera is asked for only once they press "Start the call".
    for page in (staff_page, buyer_page):
        page.goto(f"{daphne_site}/en/meetings/{meeting.uuid}/")
        page.locator("[data-meeting-call]").click()
        page.wait_for_load_state()
        assert page.url == f"{daphne_site}/en/meetings/{meeting.uuid}/call/"
        expect(page.locator("[data-call]")).to_have_attribute("data-call-state", "idle")
    staff_page.get_by_role("button", name="Start the call").click()
    expect(staff_page.locator("[data-call]")).to_have_attribute("data-call-state", "waiting", timeout=LIVE)
    buyer_page.get_by_role("button", name="Start the call").click()

    for page in (buyer_page, staff_page):
        wait_until(
            page,
            "() => document.querySelector('[data-call]').dataset.callConnection === 'connected'",
            "connected",
        )
        expect(page.locator("[data-call]")).to_have_attribute("data-call-state", "connected", timeout=LIVE)
        expect(page.locator("[data-call-status]")).to_have_text("Connected.")
        # The other side's picture arrives: the remote video has frames from the fake camera.
        wait_until(page, "() => document.querySelector('[data-call-remote]').videoWidth > 0", "remote video")

    # Low bandwidth caps the senders' bitrate during the call (RTCRtpSender.setParameters), then lifts it.
    buyer_page.locator("[data-call-low-bandwidth]").check()
    expect(buyer_page.locator("[data-call]")).to_have_attribute(
        "data-call-max-bitrate", "audio:24000 video:150000", timeout=LIVE
    )
    buyer_page.locator("[data-call-low-bandwidth]").uncheck()
    expect(buyer_page.locator("[data-call]")).to_have_attribute("data-call-max-bitrate", "", timeout=LIVE)
    assert connection_state(buyer_page) == "connected"

    # The buyer hangs up: the call ends on both sides.
    buyer_page.get_by_role("button", name="Hang up").click()
    for page in (buyer_page, staff_page):
        expect(page.locator("[data-call]")).to_have_attribute("data-call-state", "ended", timeout=LIVE)
        expect(page.locator("[data-call-status]")).to_have_text("The call has ended.")
        assert connection_state(page) == "closed"
        expect(page.get_by_role("button", name="Start the call")).to_be_visible()

    assert bea.problems == [] and sam.problems == []
    assert bea.dialogs == [] and sam.dialogs == []
