"""The meetings app's entries in the record log (exhibitors/records, docs/records.md): a meeting accepted.
Appended inside the accepting transaction, so an acceptance that rolls back leaves no entry."""

from django.utils.translation import gettext_lazy as _

from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_kind_register, record_subject
from exhibitors.records.services import record_append
from fair.meetings.models import Meeting

KIND_ACCEPTED = "meeting.accepted"


def meeting_record_kinds_register() -> None:
    """Called once at start-up (fair.meetings.apps)."""
    record_kind_register(KIND_ACCEPTED, _("Meeting accepted"))


def meeting_subject(meeting: Meeting) -> str:
    return record_subject("meetings.meeting", meeting.pk)


def meeting_accepted_record(*, meeting: Meeting, by) -> None:
    """Side effect: a `meeting.accepted` entry (buyer, staff member and company are its parties)."""
    facts = {
        "meeting": str(meeting.uuid),
        "fair_id": meeting.fair_id,
        "company_id": meeting.company_id,
        "buyer_user_id": meeting.buyer_id,
        "staff_user_id": meeting.staff_id,
        "requested_side": meeting.requested_side,
        "accepted_by_user_id": by.pk,
        "starts_at": time_text(meeting.starts_at),
        "ends_at": time_text(meeting.ends_at),
        "accepted_at": time_text(meeting.responded_at),
    }
    record_append(
        kind=KIND_ACCEPTED,
        facts=facts,
        subject=meeting_subject(meeting),
        users=[meeting.buyer_id, meeting.staff_id],
        companies=[meeting.company_id],
    )
