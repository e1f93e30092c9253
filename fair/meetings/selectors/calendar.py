"""Calendar files: one .ics per meeting and each person's private feed (RFC 5545, the icalendar library).

Times are in UTC. A meeting's UID never changes; its SEQUENCE is the meeting's `sequence`, bumped by every
change of state, so calendars replace the event they have. A cancelled meeting's own file is a
METHOD:CANCEL with STATUS:CANCELLED.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.selectors.meetings import _with_related, meeting_location_url, person_meetings_q

PRODID = "-//Feria//Meetings//EN"
STATUS = {
    MeetingStatus.REQUESTED: "TENTATIVE",
    MeetingStatus.ACCEPTED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.NO_SHOW: "CONFIRMED",
}
FEED_PAST_DAYS = 30


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.FERIA_SITE_URL).hostname or "feria"
    return f"meeting-{meeting.uuid}@{host}"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add(
        "summary",
        _("Meeting: %(company)s and %(buyer)s")
        % {"company": meeting.company.legal_name, "buyer": meeting.buyer},
    )
    location = meeting_location_url(meeting)
    event.add("location", location)
    event.add("url", location)
    description = [meeting.fair.title]
    if meeting.agenda:
        description.append(meeting.agenda)
    event.add("description", "\n\n".join(description))
    event.add("status", STATUS.get(meeting.status, "CANCELLED"))
    return event


def meeting_ics(meeting: Meeting, *, language: str | None = None) -> bytes:
    """The meeting's own .ics: METHOD:PUBLISH, or METHOD:CANCEL once it is cancelled, declined or expired."""
    with translation.override(language or translation.get_language()):
        cancelled = meeting.status not in STATUS
        calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
        calendar.add_component(_event(meeting))
        return calendar.to_ical()


def feed_meetings(*, user, now: datetime):
    """What the person's feed lists: their meetings from 30 days ago on, in any state (calendars drop or
    mark the closed ones from their STATUS)."""
    return (
        _with_related(Meeting.objects.filter(person_meetings_q(user)))
        .filter(starts_at__gte=now - timedelta(days=FEED_PAST_DAYS))
        .order_by("starts_at", "pk")
    )


def feed_ics(*, user, now: datetime | None = None) -> bytes:
    """The person's private feed (METHOD:PUBLISH, one VEVENT per meeting, in their language)."""
    now = now or timezone.now()
    with translation.override(user.preferred_language):
        calendar = _calendar("PUBLISH")
        calendar.add("x-wr-calname", _("Meetings at %(site)s") % {"site": settings.WAGTAIL_SITE_NAME})
        for meeting in feed_meetings(user=user, now=now):
            calendar.add_component(_event(meeting))
        return calendar.to_ical()


def person_calendar_feeds(*, person) -> list[dict]:
    """Export section: the person's private calendar feeds, the token masked (its first four characters):
    the full token is a key to their agenda and the export may travel further than they mean it to."""
    from fair.meetings.models import CalendarFeed

    return [
        {"token": f"{feed.token[:4]}…", "created_at": feed.created_at, "revoked_at": feed.revoked_at}
        for feed in CalendarFeed.objects.filter(user=person).order_by("created_at", "id")
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("calendar_feeds", person=person_calendar_feeds)
