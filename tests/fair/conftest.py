import pytest
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus
from tests.factories.exhibitors import BoothFactory, CompanyFactory, UserFactory
from tests.factories.fair import FairPageFactory


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")


@pytest.fixture
def live_booth(fair):
    """An approved booth: on show."""
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    return BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com", time_zone="Europe/Berlin")


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


@pytest.fixture
def spanish_fair(fair):
    """The fair page translated into Spanish and published, as wagtail-localize does it."""
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    copy = fair.copy_for_translation(spanish, copy_parents=True)
    copy.title = "Feria Comercial Andina"
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def approved_booth(fair, **kwargs):
    return BoothFactory(fair=fair, status=ApplicationStatus.APPROVED, **kwargs)
