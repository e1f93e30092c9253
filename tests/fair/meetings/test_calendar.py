from datetime import UTC

import pytest
from django.urls import reverse
from icalendar import Calendar

from fair.meetings.models import CalendarFeed
from fair.meetings.selectors.calendar import meeting_uid
from fair.meetings.services.feeds import (
    calendar_feed_get_or_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from fair.meetings.services.requests import meeting_accept, meeting_cancel, meeting_request
from tests.factories.exhibitors import UserFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_ics_parsed_back_stable_uid_sequence_and_cancel(client, buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Green coffee, 2 containers")
    client.force_login(buyer)
    url = reverse("meetings:ics", kwargs={"uuid": meeting.uuid})

    requested = _parse(client.get(url))
    assert requested["METHOD"] == "PUBLISH"
    event = _event(requested)
    uid = str(event["UID"])
    assert uid == meeting_uid(meeting)
    assert (event["STATUS"], event["SEQUENCE"]) == ("TENTATIVE", 0)
    assert event.decoded("DTSTART") == slot.starts_at.astimezone(UTC)
    assert (
        event.decoded("DTSTART").tzinfo is not None
        and event.decoded("DTSTART").utcoffset().total_seconds() == 0
    )
    assert event.decoded("DTEND") == slot.ends_at.astimezone(UTC)
    assert "Green coffee" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]).endswith(reverse("meetings:call", kwargs={"uuid": meeting.uuid}))
    assert str(event["URL"]) == str(event["LOCATION"])

    meeting_accept(meeting=meeting, by=staff, external_link="https://meet.example.com/cafe")
    accepted = _event(_parse(client.get(url)))
    assert (str(accepted["UID"]), accepted["STATUS"], accepted["SEQUENCE"]) == (uid, "CONFIRMED", 1)
    assert str(accepted["LOCATION"]) == "https://meet.example.com/cafe"

    meeting_cancel(meeting=meeting, by=staff, reason="Our buyer is ill")
    cancelled = _parse(client.get(url))
    assert cancelled["METHOD"] == "CANCEL"
    event = _event(cancelled)
    assert (str(event["UID"]), event["STATUS"], event["SEQUENCE"]) == (uid, "CANCELLED", 2)


def test_ics_of_someone_else_is_404(client, slot):
    meeting = MeetingFactory(slot=slot)
    client.force_login(UserFactory())
    assert client.get(reverse("meetings:ics", kwargs={"uuid": meeting.uuid})).status_code == 404


def test_feed_lists_person_meetings_and_revocation(client, buyer, slot, staff, owner):
    meeting = MeetingFactory(slot=slot, buyer=buyer)
    MeetingFactory()  # someone else's
    feed = calendar_feed_get_or_create(user=buyer)
    assert calendar_feed_get_or_create(user=buyer) == feed
    url = reverse("meetings:feed", kwargs={"token": feed.token})
    assert feed.token in url and str(buyer.pk) not in url.replace(feed.token, "")
    calendar = _parse(client.get(url))  # no sign-in: calendar programs fetch it
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [meeting_uid(meeting)]

    # Another member of the company: the meeting is with a named staff member, not theirs.
    staff_feed = calendar_feed_get_or_create(user=owner)
    assert (
        _parse(client.get(reverse("meetings:feed", kwargs={"token": staff_feed.token}))).walk("VEVENT") == []
    )

    renewed = calendar_feed_regenerate(user=buyer)
    assert renewed.token != feed.token
    assert client.get(url).status_code == 404
    new_url = reverse("meetings:feed", kwargs={"token": renewed.token})
    assert client.get(new_url).status_code == 200
    calendar_feed_revoke(user=buyer)
    assert client.get(new_url).status_code == 404
    assert CalendarFeed.objects.filter(user=buyer, revoked_at__isnull=True).count() == 0


def test_feed_settings_page(client, buyer):
    client.force_login(buyer)
    url = reverse("meetings:feed_settings")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "create"})
    token = CalendarFeed.objects.get(user=buyer).token
    assert token in client.get(url).content.decode()
    client.post(url, {"action": "revoke"})
    assert token not in client.get(url).content.decode()
