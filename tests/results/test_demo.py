"""The demo's results step: daily view rows for every day of the live fair so far and outcome answers,
written once (a second run adds nothing)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cms.demo.results import results_demo
from cms.demo.seed import SeedReport
from fair.meetings.enums import MeetingStatus
from results.models import BoothDailyViews, MeetingOutcome
from results.selectors.dashboard import exhibitor_dashboard
from tests.factories.exhibitors import BoothFactory
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_demo_writes_view_days_and_outcomes_once(home_page):
    now = timezone.now()
    fair = FairPageFactory(starts_at=now - timedelta(days=2), time_zone="UTC")
    booth = BoothFactory(fair=fair, status="approved")
    BoothFactory(fair=fair)  # pending: no views
    MeetingFactory(slot__fair=fair, slot__company=booth.company, status=MeetingStatus.HELD)
    seeder = SimpleNamespace(fairs={"live": fair}, now=now, report=SeedReport())

    results_demo(seeder)
    views = list(BoothDailyViews.objects.values_list("booth_id", "views"))
    outcomes = MeetingOutcome.objects.count()
    results_demo(seeder)

    assert len(views) == 3 and {booth_id for booth_id, _ in views} == {booth.pk}
    assert all(count > 0 for _, count in views)
    assert list(BoothDailyViews.objects.values_list("booth_id", "views")) == views
    assert outcomes == 2 and MeetingOutcome.objects.count() == 2
    assert exhibitor_dashboard(company=booth.company, fair=fair).get("views").total == sum(
        v for _, v in views
    )
