import pytest

from exhibitors.enums import ApplicationStatus, MembershipRole
from tests.factories.exhibitors import (
    BoothFactory,
    BuyerProfileFactory,
    CompanyFactory,
    MembershipFactory,
    SectorFactory,
    UserFactory,
)
from tests.factories.fair import FairPageFactory


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")


@pytest.fixture
def company(fair):
    return CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")


@pytest.fixture
def booth(fair, company):
    return BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)


@pytest.fixture
def other_company(fair):
    company = CompanyFactory(legal_name="Kallpa Cacao", slug="kallpa")
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    return company


@pytest.fixture
def owner(company):
    return MembershipFactory(company=company, user=UserFactory(first_name="Julio", last_name="Huamán")).user


@pytest.fixture
def staff_member(company):
    return MembershipFactory(company=company, role=MembershipRole.STAFF).user


@pytest.fixture
def other_staff(other_company):
    return MembershipFactory(company=other_company, role=MembershipRole.STAFF).user


@pytest.fixture
def buyer(db):
    user = UserFactory(email="katrin@nordlicht.example", first_name="Katrin", last_name="Vogel")
    profile = BuyerProfileFactory(user=user, company_name="Nordlicht Feinkost GmbH", country="DE")
    profile.sectors.set([SectorFactory(name="Coffee", slug="coffee")])
    return user
