"""The chamber's admin screens: queue with filters and summary, messages each party sees only when
addressed to it, decisions recorded in the record log with receipts for both parties, suspensions that take
effect, warnings, and the parties' feedback."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.enums import Audience, EntryKind, Outcome, Side, Status
from complaints.models import FairSuspension
from complaints.selectors import complaints_summary
from complaints.services.complaints import complaint_answer, complaint_message, complaints_flag_overdue
from complaints.services.decisions import complaint_decide, complaint_feedback
from exhibitors.records.models import Record
from exhibitors.records.selectors import records_verify
from exhibitors.selectors.booths import booth_is_live
from fair.chat.enums import SanctionKind
from fair.chat.models import ChatSanction
from fair.meetings.services.errors import MeetingError
from fair.meetings.services.requests import meeting_request
from tests.factories.complaints import complaint_open_as
from tests.factories.meetings import MeetingSlotFactory

pytestmark = pytest.mark.django_db


def _decide(client, complaint, **data):
    payload = {"action": "decide", **{f"decision-{key}": value for key, value in data.items()}}
    return client.post(reverse("complaints_admin:detail", args=[complaint.pk]), payload)


def test_queue_needs_permission(client, parties):
    complaint_open_as(parties)
    client.force_login(parties.owner)
    assert client.get(reverse("complaints_admin:queue")).status_code in (302, 403)


def test_queue_filters(client, parties, chamber):
    by_order = complaint_open_as(parties)
    by_meeting = complaint_open_as(parties, subject=parties.meeting)
    by_chat = complaint_open_as(parties, subject=parties.conversation, by=parties.owner)
    complaints_flag_overdue(now=timezone.now() + timedelta(days=8))
    complaint_answer(complaint=by_chat, by=parties.buyer, text="Not true.")
    client.force_login(chamber)
    url = reverse("complaints_admin:queue")

    def listed(**params):
        return [c.pk for c in client.get(url, params).context["rows"]]

    assert sorted(listed()) == sorted([by_order.pk, by_meeting.pk, by_chat.pk])
    assert listed(kind="meeting") == [by_meeting.pk]
    assert sorted(listed(status="mediation")) == sorted([by_order.pk, by_meeting.pk, by_chat.pk])
    assert listed(fair=str(parties.fair.pk), kind="order") == [by_order.pk]
    assert sorted(listed(overdue="1")) == sorted([by_order.pk, by_meeting.pk, by_chat.pk])
    assert listed(fair="99999") == []
    assert listed(fair="abc", status="bogus") != []


def test_queue_query_count(client, parties, chamber, django_assert_num_queries):
    """The queue costs the same number of queries with 1 complaint as with 7 (no query per row)."""
    complaint_open_as(parties)
    client.force_login(chamber)
    url = reverse("complaints_admin:queue") + f"?fair={parties.fair.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(6):
        complaint_open_as(parties, subject=parties.meeting)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


def test_messages_seen_only_by_their_audience(client, parties, chamber):
    complaint = complaint_open_as(parties)
    client.force_login(chamber)
    detail = reverse("complaints_admin:detail", args=[complaint.pk])
    for audience, text in [
        (Audience.BUYER, "Private note to the buyer"),
        (Audience.COMPANY, "Private note to the exhibitor"),
        (Audience.BOTH, "Note to both"),
    ]:
        response = client.post(
            detail, {"action": "message", "message-audience": audience, "message-text": text}
        )
        assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATION
    page = client.get(detail).content.decode()
    assert "Private note to the buyer" in page and "Private note to the exhibitor" in page
    client.force_login(parties.buyer)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Private note to the buyer" in page and "Note to both" in page
    assert "Private note to the exhibitor" not in page
    client.force_login(parties.member)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Private note to the exhibitor" in page and "Note to both" in page
    assert "Private note to the buyer" not in page


def test_staff_message_emails_only_its_audience(parties, chamber):
    complaint = complaint_open_as(parties)
    mail.outbox.clear()
    complaint_message(
        complaint=complaint, by=chamber, text="Can you send the invoice?", audience=Audience.BUYER
    )
    assert [message.to for message in mail.outbox] == [[parties.buyer.email]]


def test_decision_recorded_with_receipts_for_both_parties(client, parties, chamber):
    complaint = complaint_open_as(parties, subject=parties.meeting, wish="apology")
    client.force_login(chamber)
    mail.outbox.clear()
    response = _decide(
        client, complaint, outcome=Outcome.AGREEMENT, text="Both agreed to meet again next week."
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DECIDED and complaint.outcome == Outcome.AGREEMENT
    record = complaint.record
    assert record.kind == "complaint.decided"
    assert record.subject == f"complaints.complaint:{complaint.pk}"
    assert record.party_users == [parties.buyer.pk] and record.party_companies == [parties.company.pk]
    facts = json.loads(record.canonical)["facts"]
    assert facts["outcome"] == "agreement" and facts["meeting"] == str(parties.meeting.uuid)
    assert records_verify().ok
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [parties.buyer.email, parties.owner.email, parties.member.email]
    )
    receipt_url = reverse("records:receipt", args=[record.position])
    for person in (parties.buyer, parties.owner):
        client.force_login(person)
        page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
        assert receipt_url in page and "Both agreed to meet again" in page
        response = client.get(receipt_url)
        assert response.status_code == 200
        assert json.loads(response.content)["record"]["hash"] == record.hash
    for person in (parties.stranger, parties.stranger_company_owner):
        client.force_login(person)
        assert client.get(receipt_url).status_code == 404
    # A rolled-back or repeated decision adds nothing.
    client.force_login(chamber)
    _decide(client, complaint, outcome=Outcome.WARNING, sanctioned_side=Side.BUYER, text="Again")
    assert Record.objects.filter(kind="complaint.decided").count() == 1


def test_decision_form_errors_keep_input(client, parties, chamber):
    complaint = complaint_open_as(parties)
    client.force_login(chamber)
    response = _decide(client, complaint, outcome=Outcome.WARNING, text="Be polite.")
    assert response.status_code == 400
    assert "Choose who it is for." in response.content.decode() and "Be polite." in response.content.decode()
    response = _decide(client, complaint, outcome=Outcome.REFUND, refund_amount="500.00", text="Too much")
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_ANSWER and complaint.record is None


def test_company_suspension_hides_booth_in_that_fair(parties, chamber):
    complaint = complaint_open_as(parties)
    assert booth_is_live(parties.booth)
    complaint_decide(
        complaint=complaint,
        by=chamber,
        outcome=Outcome.SUSPENSION,
        sanctioned_side=Side.COMPANY,
        text="Repeated fraud.",
    )
    assert FairSuspension.objects.filter(company=parties.company, fair=parties.fair).exists()
    assert not booth_is_live(parties.booth)
    # And buyers can no longer book its slots.
    slot = MeetingSlotFactory(fair=parties.fair, company=parties.company)
    with pytest.raises(MeetingError):
        meeting_request(buyer=parties.stranger, slot=slot, agenda="Prices")


def test_buyer_suspension_blocks_meetings_and_chat(client, parties, chamber):
    complaint = complaint_open_as(parties, subject=parties.conversation, by=parties.owner)
    slot = MeetingSlotFactory(fair=parties.fair, company=parties.company)
    complaint_decide(
        complaint=complaint,
        by=chamber,
        outcome=Outcome.SUSPENSION,
        sanctioned_side=Side.BUYER,
        text="Abusive messages.",
    )
    with pytest.raises(MeetingError) as refused:
        meeting_request(buyer=parties.buyer, slot=slot, agenda="Prices")
    assert refused.value.code == "suspended"
    assert ChatSanction.objects.filter(user=parties.buyer, kind=SanctionKind.BLOCK, lifted_at=None).exists()
    # Another buyer still can.
    assert meeting_request(buyer=parties.stranger, slot=slot, agenda="Prices").pk


def test_staff_lift_a_company_suspension_from_the_complaint_page(
    client, parties, chamber, django_capture_on_commit_callbacks
):
    complaint = complaint_open_as(parties)
    complaint_decide(
        complaint=complaint,
        by=chamber,
        outcome=Outcome.SUSPENSION,
        sanctioned_side=Side.COMPANY,
        text="Fraud.",
    )
    assert not booth_is_live(parties.booth)
    client.force_login(chamber)
    page = client.get(reverse("complaints_admin:detail", args=[complaint.pk])).content.decode()
    assert "Lift the suspension" in page
    url = reverse("complaints_admin:lift", args=[complaint.pk])

    client.post(url, {"reason": ""})  # a reason is required: nothing changes
    assert FairSuspension.objects.get(complaint=complaint).lifted_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Refund made; the company has changed its practice."})

    assert FairSuspension.objects.get(complaint=complaint).lifted_at is not None
    assert booth_is_live(parties.booth)
    entry = complaint.entries.get(kind=EntryKind.SUSPENSION_LIFTED)
    assert entry.audience == Audience.BOTH and "changed its practice" in entry.body
    assert any("suspension is lifted" in message.subject for message in mail.outbox)
    assert (
        "Lift the suspension"
        not in client.get(reverse("complaints_admin:detail", args=[complaint.pk])).content.decode()
    )


def test_lifting_a_buyer_suspension_lifts_the_chat_block_and_allows_meetings(parties, chamber):
    from complaints.services.decisions import suspension_lift

    complaint = complaint_open_as(parties, subject=parties.conversation, by=parties.owner)
    complaint_decide(
        complaint=complaint, by=chamber, outcome=Outcome.SUSPENSION, sanctioned_side=Side.BUYER, text="Abuse."
    )
    assert suspension_lift(complaint=complaint, by=chamber, reason="Apologised in writing.") == 1
    assert not ChatSanction.objects.filter(
        user=parties.buyer, kind=SanctionKind.BLOCK, lifted_at=None
    ).exists()
    slot = MeetingSlotFactory(fair=parties.fair, company=parties.company)
    assert meeting_request(buyer=parties.buyer, slot=slot, agenda="Prices").pk
    with pytest.raises(ValidationError):  # nothing left to lift
        suspension_lift(complaint=complaint, by=chamber, reason="Again.")


def test_warning_for_buyer_is_a_chat_warning(parties, chamber):
    complaint = complaint_open_as(parties, subject=parties.conversation, by=parties.owner)
    complaint_decide(
        complaint=complaint,
        by=chamber,
        outcome=Outcome.WARNING,
        sanctioned_side=Side.BUYER,
        text="Stay polite.",
    )
    assert ChatSanction.objects.filter(user=parties.buyer, kind=SanctionKind.WARNING).exists()
    assert not FairSuspension.objects.exists()


def test_party_feedback_after_decision(client, parties, chamber):
    complaint = complaint_open_as(parties, subject=parties.meeting)
    url = reverse("complaints:feedback", args=[complaint.pk])
    client.force_login(parties.buyer)
    client.post(url, {"resolved": "yes"})
    assert not complaint.feedback.exists()  # not before the decision
    complaint_decide(complaint=complaint, by=chamber, outcome=Outcome.AGREEMENT, text="Agreed.")
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Did the decision resolve your problem?" in page
    assert client.post(url, {"resolved": "no", "comment": "Still no apology."}).status_code == 302
    client.post(url, {"resolved": "yes"})  # once per side
    client.force_login(parties.owner)
    client.post(url, {"resolved": "yes"})
    assert sorted(complaint.feedback.values_list("side", "resolved", "comment")) == [
        (Side.BUYER, False, "Still no apology."),
        (Side.COMPANY, True, ""),
    ]
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "You said the decision resolved your problem." in page
    assert complaint.entries.filter(kind=EntryKind.FEEDBACK).count() == 2


def test_summary_counts_and_median(parties, chamber):
    first = complaint_open_as(parties)
    second = complaint_open_as(parties, subject=parties.meeting)
    complaint_open_as(parties, subject=parties.conversation)
    complaint_decide(complaint=first, by=chamber, outcome=Outcome.AGREEMENT, text="Agreed.")
    complaint_decide(
        complaint=second, by=chamber, outcome=Outcome.WARNING, sanctioned_side=Side.COMPANY, text="Late."
    )
    complaint_feedback(complaint=first, by=parties.buyer, resolved=True)
    summary = complaints_summary(parties.fair)
    assert summary["total"] == 3 and summary["open"] == 1
    assert summary["by_status"]["decided"] == 2 and summary["by_status"]["awaiting"] == 1
    assert summary["by_kind"] == {"order": 1, "meeting": 1, "conversation": 1}
    assert summary["by_outcome"]["agreement"] == 1 and summary["by_outcome"]["warning"] == 1
    assert summary["by_outcome"]["refund"] == 0
    assert summary["median_days_to_decision"] == 0.0
    assert summary["feedback_resolved"] == 1 and summary["feedback_not_resolved"] == 0


def test_summary_on_queue_page(client, parties, chamber):
    complaint_open_as(parties)
    client.force_login(chamber)
    page = client.get(reverse("complaints_admin:queue"), {"fair": parties.fair.pk}).content.decode()
    assert "Summary for Andean Trade Fair" in page and "1 complaint. 1 open." in page


def test_chamber_report_has_the_complaints_section(parties, chamber):
    from results.report import report_build

    assert "complaints" not in [table.key for table in report_build(parties.fair)]  # none yet: left out
    first = complaint_open_as(parties)
    complaint_open_as(parties, subject=parties.meeting)
    complaint_decide(complaint=first, by=chamber, outcome=Outcome.AGREEMENT, text="Agreed.")

    table = next(table for table in report_build(parties.fair) if table.key == "complaints")
    rows = dict((label, value) for label, value in table.rows)
    assert rows["Complaints"] == 2 and rows["Still open"] == 1
    assert rows["About: Meeting"] == 1 and rows["Decided: Resolved by agreement"] == 1
    assert rows["Median days from opening to decision"] == 0.0
