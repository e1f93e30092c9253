import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from fair.leads.models import Lead


class LeadFactory(DjangoModelFactory):
    """A lead written directly (for lists and counts); how leads arise is tested through the services."""

    class Meta:
        model = Lead

    company = factory.SubFactory("tests.factories.exhibitors.CompanyFactory")
    buyer = factory.SubFactory("tests.factories.exhibitors.UserFactory")
    fair = None
    from_chat = True
    first_activity_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)
