"""The demo seed's meetings step: slots at the live fair, the demo buyer's published availability, two
accepted meetings and a request in each other state, so "My meetings" has something in it at once.

Everything goes through the meeting services (past meetings, which the services refuse to book, are written
as rows). It runs once: when the demo buyer already has meetings at the live fair it adds nothing. It runs
before the chat step and with the two companies the demo buyer chats with, so the chat's demo messages come
after the meeting cards in the same two conversations.
"""

import zoneinfo
from datetime import time, timedelta

from django.db import transaction

from cms.demo import data
from cms.demo.chat import SECOND_COMPANY
from exhibitors.models import Company, Membership
from exhibitors.selectors import booths_live
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import Meeting, MeetingSlot
from fair.meetings.selectors.days import wall_clock
from fair.meetings.services.outcomes import meeting_mark_held, meeting_mark_no_show
from fair.meetings.services.requests import (
    meeting_accept,
    meeting_cancel,
    meeting_decline,
    meeting_request,
    meetings_expire,
)
from fair.meetings.services.slots import availability_create_pattern, slots_create_pattern

AGENDAS = (
    "Washed Geisha and Caturra for our roastery: 2 containers a quarter, samples first.",
    "Cacao nibs and 70 % couverture for a German chocolatier, about 5 pallets a month.",
    "Organic quinoa for retail private label: 20 t for the first order.",
    "Alpaca yarn in natural colours, 500 kg a season.",
    "Price list and lead times for the spring catalogue.",
    "Certifications and logistics via Callao.",
)


def seed_meetings(seeder) -> None:
    """The step seed.py calls; writes in one transaction."""
    with transaction.atomic():
        MeetingSteps(seeder).run()


class MeetingSteps:
    def __init__(self, seeder):
        self.seeder = seeder
        self.report = seeder.report
        self.now = seeder.now
        self.buyer = seeder.people["buyer"]
        self.fair = seeder.fairs["live"]

    def run(self) -> None:
        if Meeting.objects.filter(fair=self.fair, buyer=self.buyer).exists():
            return
        owner_company = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
        second = Company.objects.get(slug=SECOND_COMPANY)
        if booths_live().filter(fair=self.fair, company__in=[owner_company, second]).count() < 2:
            return
        companies = [owner_company, second]
        slots = {company.pk: self.slots(company) for company in companies}
        self.availability()
        owner = self.seeder.people["owner"]
        free = {pk: list(found) for pk, found in slots.items()}

        def request(company, index, agenda):
            return meeting_request(buyer=self.buyer, slot=free[company.pk].pop(index), agenda=agenda)

        def member(company):
            if company == owner_company:
                return owner
            return Membership.objects.filter(company=company).select_related("user").first().user

        # Slots are 9:00, 9:35, 10:10, 10:45 and 11:20 on each of the next three days (fair's zone); `request`
        # takes one out of the company's list by its position in what is left.
        # Two accepted meetings tomorrow: 9:00 with the demo owner's company, 10:45 with the second company.
        meeting_accept(meeting=request(owner_company, 0, AGENDAS[0]), by=owner)
        meeting_accept(meeting=request(second, 3, AGENDAS[1]), by=member(second))
        # Waiting for the demo owner's answer (the day after tomorrow, 9:00).
        request(owner_company, 4, AGENDAS[4])
        declined = request(second, 1, AGENDAS[2])
        meeting_decline(meeting=declined, by=member(second), reason="We are sold out until the next harvest.")
        cancelled = request(second, 1, AGENDAS[3])
        meeting_cancel(meeting=cancelled, by=self.buyer, reason="Our buyer for this line cannot travel.")
        expired = request(second, 2, AGENDAS[5])
        # As if the exhibitor had let the fair's answer time pass.
        Meeting.objects.filter(pk=expired.pk).update(expires_at=self.now - timedelta(minutes=1))
        meetings_expire(now=self.now)
        self.past_meetings(owner_company, owner)
        self.report.count("meetings", Meeting.objects.filter(fair=self.fair).count())

    def slots(self, company) -> list[MeetingSlot]:
        """The next three meeting days, 9:00 to 12:00 in the fair's zone, 30 minutes with 5-minute breaks."""
        zone = zoneinfo.ZoneInfo(self.fair.time_zone)
        tomorrow = (self.now.astimezone(zone) + timedelta(days=1)).date()
        member = Membership.objects.filter(company=company).select_related("user").first()
        result = slots_create_pattern(
            fair=self.fair,
            company=company,
            staff=None,
            by=member.user if member else None,
            weekdays=range(7),
            day_start=time(9),
            day_end=time(12),
            minutes=30,
            break_minutes=5,
            first_day=tomorrow,
            last_day=tomorrow + timedelta(days=2),
        )
        self.report.count("meeting slots", len(result.created))
        return result.created

    def availability(self) -> None:
        zone = zoneinfo.ZoneInfo(self.fair.time_zone)
        tomorrow = (self.now.astimezone(zone) + timedelta(days=1)).date()
        result = availability_create_pattern(
            fair=self.fair,
            buyer=self.buyer,
            weekdays=range(7),
            day_start=time(14),
            day_end=time(17),
            minutes=60,
            break_minutes=0,
            first_day=tomorrow,
            last_day=tomorrow + timedelta(days=1),
        )
        self.report.count("buyer availability", len(result.created))

    def past_meetings(self, company, owner) -> None:
        """Yesterday's meetings (the fair opened two days ago): one held, one the buyer did not come to."""
        zone = zoneinfo.ZoneInfo(self.fair.time_zone)
        yesterday = (self.now.astimezone(zone) - timedelta(days=1)).date()
        for hour, mark in ((10, meeting_mark_held), (11, meeting_mark_no_show)):
            starts_at = wall_clock(yesterday, time(hour), zone)
            slot = MeetingSlot.objects.create(
                fair=self.fair,
                company=company,
                staff=None,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=30),
                created_by=owner,
            )
            meeting = Meeting.objects.create(
                fair=self.fair,
                company=company,
                buyer=self.buyer,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                status=MeetingStatus.ACCEPTED,
                requested_by=self.buyer,
                requested_side=MeetingSide.BUYER,
                agenda="First contact: samples and prices.",
            )
            mark(meeting=meeting, by=owner)
