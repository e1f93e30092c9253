"""The demo's complaints step: four complaints in four states, written once."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from cms.demo import data
from cms.demo.chat import SECOND_COMPANY
from cms.demo.complaints import seed_complaints
from cms.demo.seed import SeedReport
from complaints.enums import Outcome, Status, SubjectKind
from complaints.models import Complaint
from exhibitors.enums import ApplicationStatus, MembershipRole
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_complaints_in_each_state_once(home_page, staff):
    fair = FairPageFactory()
    buyer = UserFactory()
    for slug in (data.DEMO_OWNER_COMPANY, SECOND_COMPANY):
        company = CompanyFactory(slug=slug)
        BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
        MembershipFactory(user=UserFactory(), company=company, role=MembershipRole.OWNER)
    MeetingFactory(slot=MeetingSlotFactory(fair=fair, company=company), buyer=buyer)
    seeder = SimpleNamespace(
        people={"buyer": buyer, "staff": staff}, fairs={"live": fair}, now=timezone.now(), report=SeedReport()
    )

    seed_complaints(seeder)
    seed_complaints(seeder)

    states = sorted(Complaint.objects.values_list("subject_kind", "status", "outcome"))
    assert states == sorted(
        [
            (SubjectKind.CONVERSATION, Status.AWAITING_ANSWER, ""),
            (SubjectKind.MEETING, Status.MEDIATION, ""),
            (SubjectKind.ORDER, Status.DECIDED, Outcome.REFUND),
            (SubjectKind.CONVERSATION, Status.DECIDED, Outcome.AGREEMENT),
        ]
    )
    assert Complaint.objects.get(outcome=Outcome.AGREEMENT).feedback.get().resolved is True
    assert seeder.report.created == {"complaints": 4}
