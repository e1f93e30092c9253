import pytest

from exhibitors.enums import ApplicationStatus, MembershipRole
from tests.factories.exhibitors import (
    BoothFactory,
    BuyerProfileFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.fair import FairPageFactory
from tests.factories.meetings import MeetingSlotFactory


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")


@pytest.fixture
def company(fair):
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    booth = BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    product = ProductFactory(company=company, name="Green coffee")
    booth.products.add(product)
    return company


@pytest.fixture
def owner(company):
    return MembershipFactory(company=company, user=UserFactory(time_zone="America/Lima")).user


@pytest.fixture
def staff(company):
    return MembershipFactory(
        company=company, role=MembershipRole.STAFF, user=UserFactory(time_zone="America/Lima")
    ).user


@pytest.fixture
def buyer(db):
    user = UserFactory(email="buyer@example.com", time_zone="Europe/Berlin", preferred_language="es")
    BuyerProfileFactory(user=user)
    return user


@pytest.fixture
def other_buyer(db):
    return UserFactory(email="other@example.com", time_zone="Asia/Tokyo")


@pytest.fixture
def slot(fair, company, staff):
    return MeetingSlotFactory(fair=fair, company=company, staff=staff)


@pytest.fixture
def make_slot(fair, company):
    def make(**kwargs):
        kwargs.setdefault("fair", fair)
        kwargs.setdefault("company", company)
        return MeetingSlotFactory(**kwargs)

    return make
