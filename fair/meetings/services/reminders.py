"""Reminders 24 hours and 15 minutes before each accepted meeting: an e-mail to each person (their language
and zone) and a card in the conversation. Each is claimed once by a conditional UPDATE in the transaction
that queues it, so overlapping runs of the periodic job never send one twice."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from exhibitors.mail import email_enqueue
from fair.meetings.enums import MeetingSide, MeetingStatus, ReminderKind
from fair.meetings.models import Meeting
from fair.meetings.services.notify import meeting_card_post, meeting_email, people_of_side

LEAD = {ReminderKind.DAY: timedelta(hours=24), ReminderKind.SOON: timedelta(minutes=15)}
FIELD = {ReminderKind.DAY: "reminded_day_at", ReminderKind.SOON: "reminded_soon_at"}


def meeting_remind(*, meeting_id: int, kind: str, now: datetime | None = None) -> bool:
    """Send one reminder of a meeting if nobody has yet. Writes the claim, the card and the e-mail tasks;
    returns whether this call sent it."""
    now = now or timezone.now()
    field = FIELD[kind]
    with transaction.atomic():
        claimed = Meeting.objects.filter(
            pk=meeting_id, status=MeetingStatus.ACCEPTED, starts_at__gt=now, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if not claimed:
            return False
        meeting = Meeting.objects.select_related("fair", "company", "buyer", "staff").get(pk=meeting_id)
        event = f"reminder_{kind}"
        meeting_card_post(
            meeting=meeting, event="reminder", key=event, sender=meeting.requested_by or meeting.buyer
        )
        for side in (MeetingSide.BUYER, MeetingSide.COMPANY):
            for person in people_of_side(meeting=meeting, side=side):
                if person.email and person.is_active:
                    email_enqueue(meeting_email(meeting=meeting, recipient=person, event=event))
    return True


def meetings_remind_due(*, now: datetime | None = None) -> int:
    """Send every reminder that is due (the periodic job "meeting_reminders"); returns how many."""
    now = now or timezone.now()
    sent = 0
    for kind, lead in LEAD.items():
        field = FIELD[kind]
        due = Meeting.objects.filter(
            status=MeetingStatus.ACCEPTED,
            starts_at__gt=now,
            starts_at__lte=now + lead,
            **{f"{field}__isnull": True},
        )
        if kind == ReminderKind.DAY:
            # A meeting booked less than an hour before its day reminder would fall due is not reminded
            # twice in a row: the 15-minute one follows.
            due = due.filter(starts_at__gt=now + LEAD[ReminderKind.SOON])
        for meeting_id in list(due.values_list("pk", flat=True)[:500]):
            sent += meeting_remind(meeting_id=meeting_id, kind=kind, now=now)
    return sent
