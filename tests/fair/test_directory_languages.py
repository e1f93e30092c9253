"""The directory search finds products by their words in every language they are written in, measured on the
demo: Spanish originals, English and Portuguese translations."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.search.backends import get_search_backend

from cms.demo import data
from exhibitors.models import Product
from fair.models import FairPage
from fair.selectors.directory import directory_booths


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo seed for the module (the slow part); each test's changes roll back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", image_scale=0.05, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def found_products(query: str) -> set[str]:
    results = get_search_backend().search(query, Product.objects.all(), operator="and")
    return {product.name for product in results}


def found_booths(query: str) -> set[str]:
    fair = FairPage.objects.get(slug=data.LIVE_FAIR.slug)
    return {booth.company.slug for booth in directory_booths(fair=fair, query=query)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "language"),
    [("café liofilizado", "es"), ("café solúvel", "pt"), ("freeze-dried coffee", "en")],
)
def test_directory_search_finds_product_in_each_language_written(seeded, query, language):
    assert "Café liofilizado" in found_products(query), language
    assert "cafetalera-selva-alta" in found_booths(query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [("manteca", "Manteca de cacao"), ("cocoa butter", "Manteca de cacao"), ("sacas GrainPro", None)],
)
def test_directory_search_product_words_by_language(seeded, query, expected):
    found = found_products(query)
    if expected:
        assert expected in found
    else:
        # Portuguese words of the coffee exporter's first product.
        assert "Café verde lavado Typica" in found


@pytest.mark.django_db
def test_directory_search_company_description_in_translation(seeded):
    # The coffee exporter's description in English ("coffee-growing families") and Portuguese.
    assert "cafetalera-selva-alta" in found_booths("growing families")
    assert "cafetalera-selva-alta" in found_booths("famílias cafeicultoras")


@pytest.mark.django_db
def test_directory_search_unknown_words_find_nothing(seeded):
    assert found_products("zanahoria submarino") == set()
