"""The meetings sections of a data export (fair/meetings/selectors/exports.py)."""

import io
import json
import zipfile

from exhibitors.services.exports import EXPORT_SECTIONS, export_request
from fair.meetings.services.requests import meeting_request
from tests.factories.exhibitors import CompanyFactory
from tests.factories.meetings import BuyerAvailabilityFactory, MeetingFactory


def _sections(export) -> dict:
    export.refresh_from_db()
    export.file.open("rb")
    return json.loads(zipfile.ZipFile(io.BytesIO(export.file.read())).read("data.json"))["sections"]


def test_sections_are_registered():
    assert EXPORT_SECTIONS["meetings"].person and EXPORT_SECTIONS["meetings"].company
    assert EXPORT_SECTIONS["meeting_slots"].person and EXPORT_SECTIONS["meeting_slots"].company
    assert (
        EXPORT_SECTIONS["meeting_availability"].person and not EXPORT_SECTIONS["meeting_availability"].company
    )


def test_buyer_export_holds_their_requests_and_availability_only(fair, buyer, slot, make_slot, other_buyer):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    MeetingFactory(slot=make_slot(), buyer=other_buyer, agenda="Someone else's plans")
    BuyerAvailabilityFactory(fair=fair, buyer=buyer)
    BuyerAvailabilityFactory(fair=fair, buyer=other_buyer)
    sections = _sections(export_request(user=buyer))
    rows = sections["meetings"]
    assert [(row["meeting"], row["role"], row["agenda"]) for row in rows] == [
        (str(meeting.uuid), "buyer", "Coffee prices")
    ]
    assert rows[0]["company"] == "Cafe Inca S.A.C."
    assert rows[0]["status"] == "requested"
    assert len(sections["meeting_availability"]) == 1
    assert sections["meeting_slots"] == []


def test_staff_export_holds_the_slots_they_staff_and_their_meetings(buyer, slot, staff, make_slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    make_slot()  # an "anyone" slot: not the staff member's own
    sections = _sections(export_request(user=staff))
    assert [row["slot_id"] for row in sections["meeting_slots"]] == [slot.pk]
    assert [(row["meeting"], row["role"]) for row in sections["meetings"]] == [(str(meeting.uuid), "staff")]


def test_company_export_holds_every_slot_and_meeting_of_the_company(company, owner, buyer, slot, make_slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    anyone = make_slot()
    MeetingFactory(slot=make_slot(company=CompanyFactory()), buyer=buyer)  # another company's
    sections = _sections(export_request(user=owner, company=company))
    assert {row["slot_id"] for row in sections["meeting_slots"]} == {slot.pk, anyone.pk}
    assert [row["meeting"] for row in sections["meetings"]] == [str(meeting.uuid)]
    assert "meeting_availability" not in sections
