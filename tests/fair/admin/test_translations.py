from django.db import connection
from django.test.utils import CaptureQueriesContext

from fair.selectors.translations import fair_missing_translations
from tests.factories.exhibitors import CompanyFactory, ProductFactory
from tests.factories.fair import FairPageFactory
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth

URL = "/admin/missing-translations/"


def booth_with_products(fair, n: int, slug: str):
    company = CompanyFactory(slug=slug, description="Cooperativa.", description_language="es")
    booth = approved_booth(fair, company=company, tagline="Café", description="", language="es")
    for number in range(n):
        product = ProductFactory(
            company=company,
            name=f"Café {number}",
            description="Lavado.",
            language="es",
            translations={"en": {"name": "Coffee", "description": "Washed."}},
        )
        BoothProductFactory(booth=booth, product=product)
    return booth


def test_missing_translations_lists_booths_products_and_pages(staff_client, home_page):
    fair = FairPageFactory(title="Andean Fair")
    booth_with_products(fair, 1, "cafe-inca")

    html = staff_client.get(URL, {"fair": fair.pk}).content.decode()

    # The product is written in Spanish and English; the booth's tagline and the description only in Spanish.
    assert "Café 0: French, Portuguese" in html
    assert "English, French, Portuguese" in html
    assert "Andean Fair" in html and "Translate this page" in html


def test_missing_translations_queries_do_not_grow_with_booths(staff_client, home_page):
    fair = FairPageFactory()
    fair_missing_translations(fair=fair)  # caches of the first call (the default locale) aside

    def queries_for(booths: int) -> int:
        for number in range(booths):
            booth_with_products(fair, 3, f"company-{booths}-{number}")
        with CaptureQueriesContext(connection) as queries:
            fair_missing_translations(fair=fair)
        return len(queries)

    assert queries_for(1) == queries_for(4)


def test_missing_translations_without_fair_lists_fairs(staff_client, home_page):
    FairPageFactory(title="Andean Fair")

    response = staff_client.get(URL)

    assert response.status_code == 200
    assert "Andean Fair" in response.content.decode()


def test_missing_translations_not_for_buyers(client, home_page, django_user_model):
    from tests.factories.exhibitors import UserFactory

    client.force_login(UserFactory())

    assert client.get(URL).status_code in (302, 403)


def test_hall_and_sector_names_typed_per_language(staff_client, home_page):
    from exhibitors.models import Sector
    from fair.models import Hall

    fair = FairPageFactory()
    staff_client.post(
        "/admin/halls/new/",
        {
            "fair": fair.pk,
            "name": "Agrifood",
            "name_es": "Agroalimentos",
            "description": "",
            "sector": "",
            "sort_order": 0,
        },
    )
    staff_client.post("/admin/sectors/new/", {"name": "Textiles", "name_fr": "Textile", "slug": "textiles"})

    assert Hall.objects.get(name="Agrifood").translations == {"es": {"name": "Agroalimentos"}}
    assert Sector.objects.get(slug="textiles").translations == {"fr": {"name": "Textile"}}
    form = staff_client.get(f"/admin/halls/edit/{Hall.objects.get(name='Agrifood').pk}/").content.decode()
    assert 'name="name_es"' in form and "Agroalimentos" in form and 'name="name_en"' not in form
