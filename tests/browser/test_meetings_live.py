"""Meetings pages with their script, in a real browser: the buyer picks a time from the day-grouped time
buttons (shown in the buyer's zone, not the browser's) and the form's own radio is filled; the buyer's
"My meetings" and the exhibitor's booth list update without reloading when the other side answers (the
meeting card on the chat socket makes them fetch their list again). Same daphne site as the chat test."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibitors.enums import ApplicationStatus, MembershipRole
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from tests.browser.test_chat import LIVE, Person, daphne_site
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingSlotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
__all__ = ["daphne_site"]  # the fixture, imported to be used here


def test_picker_fills_the_form_and_answers_arrive_live(home_page, daphne_site, browser):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer", time_zone="Asia/Tokyo")
    staff = UserFactory(
        email="sam@example.com", first_name="Sam", last_name="Staff", time_zone="America/Lima"
    )
    MembershipFactory(user=staff, company=company, role=MembershipRole.STAFF)
    # 03:00 UTC is 12:00 in Tokyo (the buyer's zone); the browser itself runs in Lima (22:00 the day before).
    base = (timezone.now() + timedelta(days=2)).replace(hour=3, minute=0, second=0, microsecond=0)
    first = MeetingSlotFactory(
        fair=fair, company=company, staff=staff, starts_at=base, ends_at=base + timedelta(minutes=30)
    )
    later = base + timedelta(days=1, hours=1)
    second = MeetingSlotFactory(
        fair=fair, company=company, staff=staff, starts_at=later, ends_at=later + timedelta(minutes=30)
    )

    bea = Person(browser, daphne_site)
    buyer_page = bea.sign_in(buyer.email)
    buyer_page.goto(f"{daphne_site}/en/meetings/fair/{fair.pk}/book/{company.pk}/")
    picker = buyer_page.locator("[data-slot-picker][data-slot-picker-ready]")
    expect(picker).to_be_attached()
    expect(buyer_page.locator("[data-slot-options]")).to_be_hidden()
    # Two days, each with its time in Tokyo's clock; the filter shows one day at a time.
    expect(picker.locator(".slot-picker-day")).to_have_count(2)
    expect(picker.locator(".slot-time")).to_have_text(["12:00–12:30", "13:00–13:30"])
    picker.locator(".slot-picker-day-filter").nth(2).click()
    expect(picker.locator(".slot-time", has_text="12:00–12:30")).to_be_hidden()
    expect(picker.locator(".slot-time", has_text="13:00–13:30")).to_be_visible()
    picker.locator(".slot-picker-day-filter").nth(0).click()
    picker.locator(".slot-time", has_text="13:00–13:30").click()
    assert buyer_page.locator(f"#slot-{second.pk}").is_checked()
    assert not buyer_page.locator(f"#slot-{first.pk}").is_checked()
    expect(picker.locator(".slot-time", has_text="13:00–13:30")).to_have_attribute("aria-pressed", "true")
    buyer_page.fill("textarea[name=agenda]", "Green coffee, two containers a quarter.")
    buyer_page.get_by_role("button", name="Send request").click()
    buyer_page.wait_for_load_state()
    meeting = Meeting.objects.get(buyer=buyer)
    assert meeting.slot_id == second.pk

    # The buyer watches "My meetings"; the staff member watches the booth's list in another tab.
    buyer_page.goto(f"{daphne_site}/en/meetings/")
    row = buyer_page.locator(".meeting-list li", has_text="Cafe Inca")
    expect(row.locator(".badge")).to_have_text("Requested")
    sam = Person(browser, daphne_site)
    list_page = sam.sign_in(staff.email)
    list_page.goto(f"{daphne_site}/en/meetings/company/{company.pk}/")
    expect(list_page.locator(".meeting-list .badge")).to_have_text("Requested")
    # Both sockets are up before the answer is given.
    for page in (buyer_page, list_page):
        page.wait_for_timeout(500)
    staff_page = sam.page(f"/en/meetings/{meeting.uuid}/")
    staff_page.get_by_role("button", name="Accept").click()
    staff_page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED

    expect(row.locator(".badge")).to_have_text("Accepted", timeout=LIVE)
    expect(buyer_page.locator("[data-meeting-live]")).to_have_attribute("data-meeting-live-version", "1")
    expect(list_page.locator(".meeting-list .badge")).to_have_text("Accepted", timeout=LIVE)
    # The day's PDF link appears with the accepted meeting.
    expect(buyer_page.locator(".meeting-agenda-days a")).to_have_count(1)

    # Staff answer another request with another time, picked the same way in the proposal form's select.
    third_start = later + timedelta(hours=2)
    third = MeetingSlotFactory(
        fair=fair,
        company=company,
        staff=staff,
        starts_at=third_start,
        ends_at=third_start + timedelta(minutes=30),
    )
    booking = bea.page(f"/en/meetings/fair/{fair.pk}/book/{company.pk}/")
    booking.locator("[data-slot-picker] .slot-time", has_text="12:00–12:30").click()
    booking.fill("textarea[name=agenda]", "Samples first.")
    booking.get_by_role("button", name="Send request").click()
    booking.wait_for_load_state()
    other = Meeting.objects.get(buyer=buyer, slot=first)
    staff_page.goto(f"{daphne_site}/en/meetings/{other.uuid}/")
    proposal_picker = staff_page.locator("[data-slot-picker][data-slot-picker-ready]")
    expect(staff_page.locator("[data-slot-options] select")).to_be_hidden()
    # Lima, the staff member's zone: 03:00 UTC a day later plus three hours is 01:00 there.
    proposal_picker.locator(".slot-time", has_text="01:00–01:30").click()
    assert staff_page.locator("[data-slot-options] select").input_value() == str(third.pk)
    staff_page.get_by_role("button", name="Propose this time instead").click()
    staff_page.wait_for_load_state()
    assert Meeting.objects.get(proposed_from=other).slot_id == third.pk
    # The buyer's list, still not reloaded: the accepted meeting and the proposed time coming up, the
    # request the proposal answered among the closed ones.
    expect(buyer_page.locator(".meeting-list .badge")).to_have_text(
        ["Accepted", "Requested", "Declined"], timeout=LIVE
    )
    assert bea.problems == [] and sam.problems == []
