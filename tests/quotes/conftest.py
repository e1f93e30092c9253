"""A fair with three coffee exhibitors (one connected to Stripe), a tea exhibitor and a buyer from Germany."""

from dataclasses import dataclass

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


@dataclass
class Market:
    fair: object
    coffee: object
    coffee_owner: object
    coffee_staff: object
    cacao: object
    cacao_owner: object
    tea: object
    tea_owner: object
    buyer: object
    booth: object


@pytest.fixture
def market(db, home_page):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean-rfq")
    coffee = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca-rfq")
    cacao = CompanyFactory(
        legal_name="Kallpa Cacao S.A.C.", slug="kallpa-rfq", description="Cacao and coffee."
    )
    tea = CompanyFactory(legal_name="Andes Tea S.A.C.", slug="andes-tea-rfq", description="Herbal teas.")
    coffee_owner = UserFactory(email="olga.owner@example.com", first_name="Olga", last_name="Owner")
    coffee_staff = UserFactory(email="sam.staff@example.com", first_name="Sam", last_name="Staff")
    cacao_owner = UserFactory(email="carla@example.com", preferred_language="es")
    tea_owner = UserFactory(email="tomas@example.com")
    MembershipFactory(user=coffee_owner, company=coffee, role=MembershipRole.OWNER)
    MembershipFactory(user=coffee_staff, company=coffee, role=MembershipRole.STAFF)
    MembershipFactory(user=cacao_owner, company=cacao, role=MembershipRole.OWNER)
    MembershipFactory(user=tea_owner, company=tea, role=MembershipRole.OWNER)
    ProductFactory(company=coffee, name="Green coffee", hs_code="090111")
    ProductFactory(company=cacao, name="Roasted coffee", hs_code="090121")
    ProductFactory(company=tea, name="Mate", hs_code="090300", description="Yerba mate.")
    booth = BoothFactory(fair=fair, company=coffee, status=ApplicationStatus.APPROVED)
    BoothFactory(fair=fair, company=cacao, status=ApplicationStatus.APPROVED)
    BoothFactory(fair=fair, company=tea, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="bea.buyer@example.com", first_name="Beatrix", last_name="Kaufmann")
    BuyerProfileFactory(user=buyer, country="DE", company_name="Kaffeehaus Nord GmbH")
    return Market(fair, coffee, coffee_owner, coffee_staff, cacao, cacao_owner, tea, tea_owner, buyer, booth)
