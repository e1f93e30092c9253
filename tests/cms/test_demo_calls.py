"""The demo's call step: an accepted meeting whose call room is open right after the seed, booked once."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.demo import data
from cms.demo.calls import CALL_AGENDA, seed_call
from cms.demo.seed import SeedReport
from exhibitors.enums import ApplicationStatus, MembershipRole
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_one_accepted_meeting_with_an_open_call_room(home_page, client):
    fair = FairPageFactory()
    company = CompanyFactory(slug=data.DEMO_OWNER_COMPANY)
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    owner = UserFactory()
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    buyer = UserFactory()
    seeder = SimpleNamespace(
        people={"buyer": buyer, "owner": owner}, fairs={"live": fair}, now=timezone.now(), report=SeedReport()
    )

    seed_call(seeder)
    seed_call(seeder)

    meeting = Meeting.objects.get(buyer=buyer, agenda=CALL_AGENDA)
    assert meeting.status == MeetingStatus.ACCEPTED
    assert timedelta(minutes=4) < meeting.starts_at - timezone.now() <= timedelta(minutes=5)
    assert seeder.report.created == {"meetings with an open call room": 1}
    for person in (buyer, owner):
        client.force_login(person)
        assert (
            "js/call.js"
            in client.get(reverse("meetings:call", kwargs={"uuid": meeting.uuid})).content.decode()
        )
