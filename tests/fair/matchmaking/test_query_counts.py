"""The recommendation pages cost the same number of queries for 10 or 1,000 booths (or buyers)."""

import pytest
from django.urls import reverse

from exhibitors.enums import ApplicationStatus, ConsentKind
from exhibitors.models import (
    Booth,
    BoothApplication,
    BoothProduct,
    BuyerProfile,
    Company,
    Consent,
    Product,
    User,
)
from fair.services import favourite_add

# Session and user (2) and the header's unread-messages badge (1).
SESSION_AND_USER = 3
# The fair by slug (1); the buyer's profile with its sectors and certifications (3); the promoted booths (1);
# the booths' facts: booths with companies, their sectors, certifications, shown products and those
# products' certifications (5; what chamber-verified certificates prove rides on the booths' query); the
# buyer's favourites and conversations (2); the cards of the booths suggested and their companies'
# verified certificates for the badges (2); sector and certification names (2); reply times of the
# suggested companies (1); the site, for the link back to the fair page (1); the saved states of the cards'
# Save buttons, one query for all (1, fair/holes.py).
RECOMMENDED_QUERIES = SESSION_AND_USER + 1 + 3 + 1 + 5 + 2 + 2 + 2 + 1 + 1 + 1
# The membership (1); the company with its sectors, certifications, products and their certifications (5);
# the discoverable buyers with their sectors and certifications (3); sector and certification names (2); the
# fairs where each buyer published free times for meetings (1).
BUYERS_QUERIES = SESSION_AND_USER + 1 + 5 + 3 + 2 + 1


def add_booths(fair, count: int, *, start: int = 0) -> list[Booth]:
    """`count` live coffee exhibitors, written in bulk."""
    some = Booth.objects.filter(fair=fair).first()
    hall_id, package_id = some.hall_id, some.package_id
    companies = Company.objects.bulk_create(
        Company(legal_name=f"Exporter {n:04d}", slug=f"exporter-{n}", country="PE", description="Coffee")
        for n in range(start, start + count)
    )
    booths = Booth.objects.bulk_create(
        Booth(company=company, fair=fair, hall_id=hall_id, package_id=package_id) for company in companies
    )
    BoothApplication.objects.bulk_create(
        BoothApplication(booth=booth, status=ApplicationStatus.APPROVED) for booth in booths
    )
    products = Product.objects.bulk_create(
        Product(company=company, name="Green coffee", hs_code="090111", language="en")
        for company in companies
    )
    BoothProduct.objects.bulk_create(
        BoothProduct(booth=booth, product=product) for booth, product in zip(booths, products, strict=True)
    )
    return booths


def count(django_assert_num_queries, client, url, expected):
    client.get(url)  # the first view fills the reply-time cache
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [10, 1000])
def test_recommended_page_queries_flat(
    buyer_client, buyer, fair, profile, coffee_booth, django_assert_num_queries, size
):
    booths = add_booths(fair, size - 1)
    favourite_add(user=buyer, booth=booths[0])
    url = reverse("matchmaking:recommended", args=[fair.slug])
    response = buyer_client.get(url)
    assert len(response.context["suggestions"].booths) == min(size, 12)
    count(django_assert_num_queries, buyer_client, url, RECOMMENDED_QUERIES)


@pytest.mark.parametrize("size", [10, 1000])
def test_recommended_buyers_queries_flat(staff_client, coffee_booth, django_assert_num_queries, size):
    users = User.objects.bulk_create(User(email=f"buyer{n}@example.com") for n in range(size))
    BuyerProfile.objects.bulk_create(
        BuyerProfile(user=user, company_name=f"Importer {n}", country="DE", hs_codes=["0901"])
        for n, user in enumerate(users)
    )
    Consent.objects.bulk_create(
        Consent(user=user, kind=ConsentKind.DISCOVERABLE, version="1", granted=True) for user in users
    )
    url = reverse("matchmaking:buyers", args=[coffee_booth.company_id])
    assert len(staff_client.get(url).context["suggestions"]) == min(size, 30)
    count(django_assert_num_queries, staff_client, url, BUYERS_QUERIES)
