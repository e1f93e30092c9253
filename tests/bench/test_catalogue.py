"""The search benchmark's catalogue generator (bench/catalogue.py): deterministic, and what it writes is live
and found by the directory search."""

from bench.catalogue import CATALOGUE_SLUG_PREFIX, catalogue_clear, catalogue_generate, catalogue_plan
from exhibitors.hs import hs_is_subheading
from exhibitors.models import BoothProduct, Company, Product
from fair.selectors.directory import directory_booths
from tests.factories.exhibitors import CertificationFactory, SectorFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory


def catalogue_fair():
    fair = FairPageFactory(title="Catalogue Fair", slug="catalogue")
    for slug in ("agrifood", "textiles"):
        HallFactory(fair=fair, name=slug.title(), sector=SectorFactory(slug=slug, name=slug.title()))
    BoothPackageFactory(fair=fair, name="Basic", max_products=4)
    BoothPackageFactory(fair=fair, name="Premium", price_amount=0, max_products=20)
    CertificationFactory(slug="fairtrade", name="Fairtrade")
    CertificationFactory(slug="organic-eu", name="EU Organic")
    return fair


def snapshot():
    """The generated rows without their ids."""
    companies = list(
        Company.objects.filter(slug__startswith=CATALOGUE_SLUG_PREFIX)
        .order_by("slug")
        .values_list("slug", "legal_name", "country", "city", "description", "translations")
    )
    products = list(
        Product.objects.filter(company__slug__startswith=CATALOGUE_SLUG_PREFIX)
        .order_by("company__slug", "sort_order")
        .values_list("company__slug", "name", "description", "hs_code", "price_min", "translations")
    )
    shown = list(
        BoothProduct.objects.filter(booth__company__slug__startswith=CATALOGUE_SLUG_PREFIX)
        .order_by("booth__company__slug", "sort_order")
        .values_list("booth__company__slug", "product__name", "booth__hall__name", "booth__package__name")
    )
    return companies, products, shown


def test_the_plan_is_the_same_for_the_same_arguments_and_uses_real_hs_codes():
    first = catalogue_plan(products=500, exhibitors=25, seed=7, certifications=("b", "a"))
    again = catalogue_plan(products=500, exhibitors=25, seed=7, certifications=("a", "b"))
    other = catalogue_plan(products=500, exhibitors=25, seed=8, certifications=("a", "b"))

    assert first == again
    assert first != other
    assert len(first) == 25
    assert sum(len(company.products) for company in first) == 500
    assert len({company.slug for company in first}) == 25
    assert all(hs_is_subheading(product.hs_code) for company in first for product in company.products)
    assert {company.language for company in first} == {"es", "en"}


def test_generation_writes_the_same_rows_twice_and_the_directory_finds_them(home_page):
    fair = catalogue_fair()

    report = catalogue_generate(fair=fair, products=50, exhibitors=5)
    first = snapshot()
    assert (report.companies, report.products) == (5, 50)
    assert len(first[1]) == 50
    assert len(first[2]) == report.shown > 0

    assert catalogue_clear() > 0
    assert snapshot() == ([], [], [])
    catalogue_generate(fair=fair, products=50, exhibitors=5)
    assert snapshot() == first

    # Every generated booth is live; a word of a shown product finds its booth, through the search index.
    assert directory_booths(fair=fair).count() == 5
    booth_product = BoothProduct.objects.select_related("product", "booth").order_by("pk").first()
    word = max(booth_product.product.name.split(), key=len)
    found = directory_booths(fair=fair, query=word)
    assert booth_product.booth in found
    hs = directory_booths(fair=fair, hs_prefix=booth_product.product.hs_code[:4])
    assert booth_product.booth in hs
