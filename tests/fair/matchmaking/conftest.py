import pytest

from tests.factories.exhibitors import (
    BuyerProfileFactory,
    CertificationFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    SectorFactory,
    UserFactory,
)
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth


@pytest.fixture
def organic(db):
    return CertificationFactory(name="EU Organic", slug="organic-eu")


@pytest.fixture
def agrifood(db):
    return SectorFactory(name="Agrifood", slug="agrifood")


def exhibitor(fair, *, name, hs_code, product="Green coffee", description="", country="PE", **company):
    """A live booth showing one product."""
    company = CompanyFactory(legal_name=name, country=country, description=description, **company)
    booth = approved_booth(fair, company=company, tagline="")
    BoothProductFactory(
        booth=booth, product=ProductFactory(company=company, name=product, hs_code=hs_code, description="")
    )
    return booth


@pytest.fixture
def coffee_booth(fair, organic):
    booth = exhibitor(fair, name="Cafe Alto S.A.C.", hs_code="090111", export_markets=["DE"])
    booth.company.certifications.add(organic)
    return booth


@pytest.fixture
def textile_booth(fair):
    return exhibitor(fair, name="Telares Andinos S.A.C.", hs_code="610910", product="Cotton T-shirt")


@pytest.fixture
def profile(buyer, organic):
    profile = BuyerProfileFactory(user=buyer, country="DE", hs_codes=["0901"], keywords="")
    profile.target_certifications.add(organic)
    return profile


@pytest.fixture
def staff_client(client, coffee_booth):
    """Signed in as staff of the coffee company."""
    membership = MembershipFactory(company=coffee_booth.company, user=UserFactory(), role="staff")
    client.force_login(membership.user)
    return client


__all__ = ["exhibitor", "agrifood"]
