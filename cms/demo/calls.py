"""The demo seed's call step: an accepted meeting between the demo buyer and the demo owner's company that
starts a few minutes after the seed, so its call room is open as soon as `make run` has started (from 10
minutes before the start to 30 minutes after the end). Sign in as the buyer in one browser and as the owner
in another, open "Join the call" on the meeting, and press "Start the call" in both.

Booked through the meeting services like any other request. It runs once: when the demo buyer already has
this meeting it adds nothing (seed the demo again for a room that is open now).
"""

from datetime import timedelta

from django.db import transaction

from cms.demo import data
from exhibitors.models import Company
from fair.meetings.models import Meeting, MeetingSlot
from fair.meetings.services.requests import meeting_accept, meeting_request

CALL_AGENDA = "Video call: sample roast profiles and the first shipment's schedule."
STARTS_AFTER = timedelta(minutes=5)
LENGTH = timedelta(minutes=30)


def seed_call(seeder) -> None:
    """The step seed.py calls (after the meetings step); writes in one transaction."""
    buyer = seeder.people["buyer"]
    if Meeting.objects.filter(buyer=buyer, agenda=CALL_AGENDA).exists():
        return
    fair = seeder.fairs["live"]
    company = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
    owner = seeder.people["owner"]
    starts_at = seeder.now.replace(second=0, microsecond=0) + STARTS_AFTER
    with transaction.atomic():
        slot = MeetingSlot.objects.create(
            fair=fair,
            company=company,
            staff=owner,
            starts_at=starts_at,
            ends_at=starts_at + LENGTH,
            created_by=owner,
        )
        meeting = meeting_request(buyer=buyer, slot=slot, agenda=CALL_AGENDA)
        meeting_accept(meeting=meeting, by=owner)
    seeder.report.count("meetings with an open call room", 1)
