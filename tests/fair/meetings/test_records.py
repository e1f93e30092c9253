"""Accepted meetings in the record log (fair/meetings/services/records.py): one entry per acceptance, in the
acceptance's transaction, a signed receipt for each party from the meeting page and nobody else."""

import json

import pytest
from django.urls import reverse

from exhibitors.records.models import Record
from exhibitors.records.selectors import receipt_check
from fair.meetings.services.errors import TimeOverlap
from fair.meetings.services.records import KIND_ACCEPTED, meeting_subject
from fair.meetings.services.requests import meeting_accept, meeting_decline, meeting_request
from tests.factories.exhibitors import UserFactory
from tests.factories.meetings import MeetingFactory


def test_accepting_appends_one_entry_with_the_meeting_and_its_parties(buyer, slot, staff, company):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    assert not Record.objects.exists()
    meeting_accept(meeting=meeting, by=staff)
    record = Record.objects.get()
    assert record.kind == KIND_ACCEPTED
    assert record.subject == meeting_subject(meeting)
    assert record.party_users == sorted([buyer.pk, staff.pk])
    assert record.party_companies == [company.pk]
    facts = json.loads(record.canonical)["facts"]
    assert facts["meeting"] == str(meeting.uuid)
    assert facts["buyer_user_id"] == buyer.pk
    assert facts["accepted_by_user_id"] == staff.pk
    assert facts["starts_at"].startswith(slot.starts_at.strftime("%Y-%m-%dT%H:%M"))


def test_declined_request_leaves_no_entry(buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    meeting_decline(meeting=meeting, by=staff, reason="Fully booked")
    assert not Record.objects.exists()


def test_refused_acceptance_leaves_no_entry(buyer, slot, staff, make_slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    # The buyer already holds a meeting at the same time: the acceptance is refused, nothing recorded.
    MeetingFactory(slot=make_slot(starts_at=slot.starts_at, ends_at=slot.ends_at), buyer=buyer)
    with pytest.raises(TimeOverlap):
        meeting_accept(meeting=meeting, by=staff)
    assert not Record.objects.exists()


def test_both_parties_download_the_receipt_from_the_meeting_page(client, buyer, slot, staff, owner):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    meeting_accept(meeting=meeting, by=staff)
    record = Record.objects.get()
    receipt_url = reverse("records:receipt", args=[record.position])
    for person in (buyer, staff, owner):
        client.force_login(person)
        page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
        assert receipt_url in page
        response = client.get(receipt_url)
        assert response.status_code == 200
        assert receipt_check(response.content.decode()).ok
    client.force_login(UserFactory())
    assert client.get(receipt_url).status_code == 404
