from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cms.periodic import JOBS
from fair.chat.models import Message
from fair.meetings.enums import MeetingStatus
from fair.meetings.services.reminders import meetings_remind_due
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db


def _meeting_in(fair, company, staff, buyer, delta, **kwargs):
    start = (timezone.now() + delta).replace(microsecond=0)
    slot = MeetingSlotFactory(
        fair=fair, company=company, staff=staff, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    return MeetingFactory(slot=slot, buyer=buyer, **kwargs)


def test_reminders_sent_once_each(fair, company, staff, buyer):
    meeting = _meeting_in(fair, company, staff, buyer, timedelta(hours=23))
    _meeting_in(fair, company, staff, buyer, timedelta(hours=50))  # not due yet
    _meeting_in(fair, company, staff, buyer, timedelta(hours=2), status=MeetingStatus.CANCELLED)
    assert meetings_remind_due() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([buyer.email, staff.email])
    assert meetings_remind_due() == 0
    assert len(mail.outbox) == 2
    meeting.refresh_from_db()
    assert meeting.reminded_day_at is not None and meeting.reminded_soon_at is None

    # 15 minutes before: the second reminder, once.
    later = meeting.starts_at - timedelta(minutes=14)
    assert meetings_remind_due(now=later) == 1
    assert meetings_remind_due(now=later) == 0
    assert len(mail.outbox) == 4
    assert Message.objects.filter(kind="meeting", payload__event="reminder").count() == 2


def test_reminder_in_recipient_language_and_zone(fair, company, staff, buyer):
    meeting = _meeting_in(fair, company, staff, buyer, timedelta(hours=20))
    meetings_remind_due()
    to_buyer = next(message for message in mail.outbox if message.to == [buyer.email])
    assert to_buyer.extra_headers["Content-Language"] == "es"
    berlin = timezone.localtime(
        meeting.starts_at, buyer_zone := __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    )
    assert berlin.strftime("%H:%M") in to_buyer.body
    assert "Europe/Berlin" in to_buyer.body and str(buyer_zone) in to_buyer.body
    to_staff = next(message for message in mail.outbox if message.to == [staff.email])
    lima = timezone.localtime(meeting.starts_at, fair.zone)
    assert lima.strftime("%H:%M") in to_staff.body


def test_periodic_jobs_registered():
    names = {job.name for job in JOBS}
    assert {"meetings_expire", "meeting_reminders"} <= names
