"""The "complaints" section of data exports (person and company) and what erasure removes."""

import pytest

from complaints.enums import Audience, Outcome
from complaints.services.complaints import complaint_message
from complaints.services.decisions import complaint_decide, complaint_feedback
from complaints.services.privacy import company_complaints, person_complaints
from exhibitors.services.erasure import account_anonymise
from exhibitors.services.exports import EXPORT_SECTIONS
from tests.factories.complaints import complaint_open_as

pytestmark = pytest.mark.django_db


def test_section_registered_for_person_and_company():
    section = EXPORT_SECTIONS["complaints"]
    assert section.person is person_complaints and section.company is company_complaints


def test_export_holds_what_each_side_sees(parties, chamber):
    complaint = complaint_open_as(parties, text="Never arrived.")
    complaint_message(complaint=complaint, by=chamber, text="For the buyer only", audience=Audience.BUYER)
    complaint_message(
        complaint=complaint, by=chamber, text="For the exhibitor only", audience=Audience.COMPANY
    )
    buyer_texts = [row["text"] for row in person_complaints(person=parties.buyer)]
    assert buyer_texts == ["Never arrived.", "For the buyer only"]
    member_texts = [row["text"] for row in person_complaints(person=parties.member)]
    assert member_texts == ["Never arrived.", "For the exhibitor only"]
    assert [row["text"] for row in company_complaints(company=parties.company)] == member_texts
    assert person_complaints(person=parties.stranger) == []


def test_erasure_removes_feedback_comment_keeps_complaint(parties, chamber):
    complaint = complaint_open_as(parties, by=parties.owner, subject=parties.conversation)
    complaint_decide(complaint=complaint, by=chamber, outcome=Outcome.AGREEMENT, text="Agreed.")
    complaint_feedback(complaint=complaint, by=parties.buyer, resolved=False, comment="My phone is 555-1234")
    account_anonymise(user=parties.buyer)
    feedback = complaint.feedback.get()
    assert feedback.comment == "" and feedback.resolved is False
    assert not complaint.entries.filter(body__contains="555-1234").exists()
    complaint.refresh_from_db()
    assert complaint.what_happened  # the other party's complaint stays whole
