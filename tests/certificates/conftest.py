import pytest

from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture
def company(db):
    return CompanyFactory(legal_name="Cafetalera Selva Alta S.A.C.", slug="selva-alta", country="PE")


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user=UserFactory(email="owner@selva-alta.example")).user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


# The fair fixtures (a fair page, a signed-in buyer) shared with the fair tests.
from tests.fair.conftest import buyer, buyer_client, fair  # noqa: E402, F401
