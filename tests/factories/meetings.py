from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.models import BuyerAvailability, Meeting, MeetingSlot


def _soon(hours: int = 30):
    """A whole hour some time ahead, so slots fall within a live fair's meeting days."""
    return (timezone.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


class MeetingSlotFactory(DjangoModelFactory):
    class Meta:
        model = MeetingSlot

    fair = factory.SubFactory("tests.factories.fair.FairPageFactory")
    company = factory.SubFactory("tests.factories.exhibitors.CompanyFactory")
    staff = None
    starts_at = factory.Sequence(lambda n: _soon() + timedelta(minutes=30 * n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=30))


class BuyerAvailabilityFactory(DjangoModelFactory):
    class Meta:
        model = BuyerAvailability

    fair = factory.SubFactory("tests.factories.fair.FairPageFactory")
    buyer = factory.SubFactory("tests.factories.exhibitors.UserFactory")
    starts_at = factory.Sequence(lambda n: _soon() + timedelta(minutes=30 * n))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=30))


class MeetingFactory(DjangoModelFactory):
    """A meeting written directly (for lists and calendars); services are tested through the services."""

    class Meta:
        model = Meeting

    slot = factory.SubFactory(MeetingSlotFactory)
    fair = factory.LazyAttribute(lambda o: o.slot.fair)
    company = factory.LazyAttribute(lambda o: o.slot.company)
    staff = factory.LazyAttribute(lambda o: o.slot.staff)
    buyer = factory.SubFactory("tests.factories.exhibitors.UserFactory")
    starts_at = factory.LazyAttribute(lambda o: o.slot.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.slot.ends_at)
    status = MeetingStatus.ACCEPTED
    requested_by = factory.LazyAttribute(lambda o: o.buyer)
    requested_side = MeetingSide.BUYER
    agenda = "Green coffee, 2 containers a quarter."
