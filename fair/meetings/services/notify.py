"""Telling the two sides about a meeting: a card in their conversation and an e-mail to each person, in
that person's language and time zone. Both are written in the caller's transaction (the e-mail as a task
row for the worker), so nothing is announced about a change that was rolled back."""

import logging
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exhibitors.models import Booth, User
from exhibitors.services.mail import chamber_name, email_enqueue, site_url
from fair.chat.services.conversations import conversation_start, message_send
from fair.meetings.chat import KIND
from fair.meetings.enums import MeetingSide
from fair.meetings.models import Meeting

logger = logging.getLogger("feria.meetings")


def _subject(event: str, meeting: Meeting) -> str:
    subjects = {
        "requested": _("Meeting request from %(other)s"),
        "proposed": _("%(other)s proposes another time for your meeting"),
        "accepted": _("Meeting confirmed with %(other)s"),
        "declined": _("Meeting request declined by %(other)s"),
        "cancelled": _("Meeting with %(other)s cancelled"),
        "expired": _("Your meeting request to %(other)s expired"),
        "reminder_day": _("Tomorrow: meeting with %(other)s"),
        "reminder_soon": _("In 15 minutes: meeting with %(other)s"),
    }
    return subjects[event]


def people_of_side(*, meeting: Meeting, side: str) -> list[User]:
    """Who is told on a side: the buyer; the meeting's staff member, else every member of the company."""
    if side == MeetingSide.BUYER:
        return [meeting.buyer]
    if meeting.staff_id is not None:
        return [meeting.staff]
    return list(
        User.objects.filter(memberships__company_id=meeting.company_id, is_active=True)
        .distinct()
        .order_by("pk")
    )


def other_side(side: str) -> str:
    return MeetingSide.COMPANY if side == MeetingSide.BUYER else MeetingSide.BUYER


def meeting_email(*, meeting: Meeting, recipient: User, event: str) -> EmailMessage:
    """One e-mail about the meeting, rendered in the recipient's language and time zone."""
    side = MeetingSide.BUYER if recipient.pk == meeting.buyer_id else MeetingSide.COMPANY
    other = meeting.company.legal_name if side == MeetingSide.BUYER else str(meeting.buyer)
    try:
        zone = zoneinfo.ZoneInfo(recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(recipient.preferred_language), timezone.override(zone):
        language = translation.get_language()
        fair_zone = zoneinfo.ZoneInfo(meeting.fair.time_zone)
        starts_local = timezone.localtime(meeting.starts_at, zone)
        starts_fair = timezone.localtime(meeting.starts_at, fair_zone)
        context = {
            "meeting": meeting,
            "recipient": recipient,
            "event": event,
            "other": other,
            "starts_local": starts_local,
            "ends_local": timezone.localtime(meeting.ends_at, zone),
            "zone_name": str(zone),
            # Naive: the template's date filter would move an aware time into the recipient's zone.
            "fair_time": starts_fair.replace(tzinfo=None)
            if starts_fair.utcoffset() != starts_local.utcoffset()
            else None,
            "fair_zone_name": meeting.fair.time_zone,
            "meeting_url": site_url(reverse("meetings:detail", kwargs={"uuid": meeting.uuid})),
            "ics_url": site_url(reverse("meetings:ics", kwargs={"uuid": meeting.uuid})),
            "site_name": chamber_name(),
        }
        subject = _subject(event, meeting) % {"other": other}
        body = render_to_string("meetings/emails/meeting.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers={"Content-Language": language},
    )


def meeting_card_post(*, meeting: Meeting, event: str, sender, key: str = "") -> None:
    """Post the meeting card in the buyer's conversation with the company (created if needed), once per
    event, state and `key`. A chat block or a moderator's block leaves the card out; the meeting stands."""
    client_id = f"meeting-{meeting.uuid}-{key or event}-{meeting.sequence}"
    try:
        with transaction.atomic():
            booth = Booth.objects.filter(company_id=meeting.company_id, fair_id=meeting.fair_id).first()
            conversation = conversation_start(buyer=meeting.buyer, company=meeting.company, booth=booth)
            message_send(
                conversation=conversation,
                sender=sender,
                client_id=client_id[:64],
                kind=KIND,
                body="",
                payload={"meeting": str(meeting.uuid), "event": event},
            )
    except (ValidationError, PermissionDenied) as error:
        logger.info("meeting card %s left out: %s", client_id, error)


def meeting_announce(*, meeting: Meeting, event: str, by) -> None:
    """Card in the conversation and e-mails to the side that did not act (`by` None: the requester's side
    is told, e.g. on expiry). Writes the card and the e-mail tasks in the caller's transaction."""
    meeting = Meeting.objects.select_related("fair", "company", "buyer", "staff").get(pk=meeting.pk)
    if by is None:
        acting_side = other_side(meeting.requested_side)
        sender = meeting.requested_by or meeting.buyer
    else:
        acting_side = MeetingSide.BUYER if by.pk == meeting.buyer_id else MeetingSide.COMPANY
        sender = by
    meeting_card_post(meeting=meeting, event=event, sender=sender)
    for recipient in people_of_side(meeting=meeting, side=other_side(acting_side)):
        if recipient.email and recipient.is_active:
            email_enqueue(meeting_email(meeting=meeting, recipient=recipient, event=event))
