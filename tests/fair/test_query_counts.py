"""The public pages cost the same number of queries for 1 or 50 exhibitors: rendered whole (page cache off)
at most 15 for the directory and 17 for the booth page, and kept (page cache on: only the personal parts
are filled, fair/holes.py) at most 5 for any of them.

Every signed-in request costs the session and the user (2), and the header's badge of unread chat messages
(1). The chamber's settings in base.html come from the cache, and Wagtail's user bar is drawn for staff only,
so neither costs a buyer a query.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from cms.cache import CACHE_HEADER
from exhibitors.renditions import BOOTH_COVER_SIZES, FAIR_COVER_SIZES, GALLERY_SIZES, LOGO_SIZES
from fair.services import favourite_add
from tests.factories.certificates import CertificateFactory, VerifiedCertificateFactory
from tests.factories.exhibitors import CertificationFactory, CompanyFactory, ProductFactory
from tests.factories.uploads import (
    BoothDocumentFactory,
    BoothImageFactory,
    BoothLinkFactory,
    BoothProductFactory,
    OfficeHoursFactory,
    WagtailImageFactory,
)
from tests.fair.conftest import approved_booth

Rendition = get_image_model().get_rendition_model()
SESSION_AND_USER = 2 + 1  # and the unread-messages badge
# The directory is a route of the fair page: Wagtail's routing (site, locale, home page, the fair by slug and
# its own row), the aliases of its ancestors and its view restrictions (7); then ours: the filters' choices,
# one page of booths with the total, the logos' renditions, and the page's companies' chamber-verified
# certificates for their badges (4); the saved states of the cards' Save buttons, one query for all (1).
DIRECTORY_QUERIES = SESSION_AND_USER + 7 + 4 + 1
# The booth page finds its fair in one query (with the view-restriction check: 2), then ours: the booth (with
# company, hall, package, fair, logo, cover and the company's chamber-verified certificates), the company's
# sectors and certifications, the products, the gallery, the renditions of every picture, brochures, links
# and office hours (9), and the site for the fair page's link in the breadcrumb (1); then its personal parts:
# the saved states of the booth's and products' Save buttons (1) and whether the buyer works for the company
# or shares their card with it (1).
BOOTH_QUERIES = SESSION_AND_USER + 2 + 9 + 1 + 2
# A kept page (page cache on): session, user and badge, the saved states, and on the booth page the buyer's
# relation to the company.
KEPT_QUERIES = SESSION_AND_USER + 2


def add_exhibitors(fair, buyer, count, start=0):
    organic = CertificationFactory(name="Organic", slug="organic")
    booths = []
    for number in range(start, start + count):
        company = CompanyFactory(legal_name=f"Exhibitor {number:03d}", description="Organic coffee")
        company.certifications.add(organic)
        VerifiedCertificateFactory(company=company)
        CertificateFactory(company=company)  # pending: no badge, no query
        booth = approved_booth(fair, company=company, logo=WagtailImageFactory(renditions=LOGO_SIZES))
        BoothProductFactory(booth=booth, product=ProductFactory(company=company, hs_code="090111"))
        if number % 2:
            favourite_add(user=buyer, booth=booth)
        booths.append(booth)
    return booths


def gallery_image(booth):
    """A gallery picture with the renditions the task worker made after its upload."""
    return BoothImageFactory(booth=booth, image=WagtailImageFactory(renditions=GALLERY_SIZES))


def count_queries(client, url, params=None):
    """The queries of a later view (the first one may also fill the rendition cache); neither view makes a
    rendition (the task worker does, after an upload)."""
    renditions = Rendition.objects.count()
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    assert Rendition.objects.count() == renditions
    return len(queries.captured_queries)


def test_directory_query_count_is_flat(buyer_client, buyer, fair):
    url = f"/en/{fair.slug}/exhibitors/"
    searched = {"q": "organic coffee", "hs": "0901", "country": "PE"}
    add_exhibitors(fair, buyer, 1)
    one = count_queries(buyer_client, url)
    one_searched = count_queries(buyer_client, url, searched)

    add_exhibitors(fair, buyer, 49, start=1)
    fifty = count_queries(buyer_client, url)
    fifty_searched = count_queries(buyer_client, url, searched)

    assert one == fifty <= DIRECTORY_QUERIES
    assert one_searched == fifty_searched <= DIRECTORY_QUERIES
    assert DIRECTORY_QUERIES <= 15


def test_booth_page_query_count_is_flat(buyer_client, buyer, fair):
    (booth,) = add_exhibitors(fair, buyer, 1)
    booth.cover = WagtailImageFactory(renditions=BOOTH_COVER_SIZES)
    booth.save()
    gallery_image(booth)
    BoothDocumentFactory(booth=booth)
    BoothLinkFactory(booth=booth)
    OfficeHoursFactory(booth=booth)
    url = f"/en/{fair.slug}/booths/{booth.company.slug}/"
    one = count_queries(buyer_client, url)

    add_exhibitors(fair, buyer, 49, start=1)
    for _ in range(8):
        product = ProductFactory(company=booth.company)
        BoothProductFactory(booth=booth, product=product)
        favourite_add(user=buyer, product=product)
        gallery_image(booth)
        BoothDocumentFactory(booth=booth)
        BoothLinkFactory(booth=booth)
    fifty = count_queries(buyer_client, url)

    assert one == fifty <= BOOTH_QUERIES
    assert BOOTH_QUERIES <= 17


def test_fair_page_query_count_is_flat(buyer_client, buyer, fair):
    fair.cover_image = WagtailImageFactory(renditions=FAIR_COVER_SIZES)
    fair.save_revision().publish()
    url = f"/en/{fair.slug}/"
    for booth in add_exhibitors(fair, buyer, 1):
        booth.featured = True
        booth.save()
    one = count_queries(buyer_client, url)

    for booth in add_exhibitors(fair, buyer, 30, start=1):
        booth.featured = True
        booth.save()
    many = count_queries(buyer_client, url)

    assert one == many


def test_favourites_page_query_count_is_flat(buyer_client, buyer, fair):
    url = "/en/favourites/"

    def save_booth_and_product(booth):
        favourite_add(user=buyer, booth=booth)
        product = ProductFactory(company=booth.company)
        BoothProductFactory(booth=booth, product=product)
        favourite_add(user=buyer, product=product)

    for booth in add_exhibitors(fair, buyer, 1):
        save_booth_and_product(booth)
    one = count_queries(buyer_client, url)

    for booth in add_exhibitors(fair, buyer, 20, start=1):
        save_booth_and_product(booth)
    many = count_queries(buyer_client, url)

    assert one == many


def count_kept_queries(client, url, params=None):
    client.get(url, params)  # rendered and kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "hit"
    return len(queries.captured_queries)


def test_kept_pages_cost_only_their_personal_parts(page_cache, buyer, fair, home_page):
    client = Client()
    client.force_login(buyer)
    (booth,) = add_exhibitors(fair, buyer, 1)
    booth.featured = True
    booth.save()
    urls = {
        "home": "/en/",
        "fair": f"/en/{fair.slug}/",
        "directory": f"/en/{fair.slug}/exhibitors/",
        "search": f"/en/{fair.slug}/exhibitors/?q=coffee",
        "booth": f"/en/{fair.slug}/booths/{booth.company.slug}/",
    }
    one = {name: count_kept_queries(client, url) for name, url in urls.items()}

    for other in add_exhibitors(fair, buyer, 49, start=1):
        other.featured = True
        other.save()
    for _ in range(8):
        product = ProductFactory(company=booth.company)
        BoothProductFactory(booth=booth, product=product)
        favourite_add(user=buyer, product=product)
    fifty = {name: count_kept_queries(client, url) for name, url in urls.items()}

    assert one == fifty
    assert fifty["booth"] == KEPT_QUERIES
    assert max(fifty.values()) <= KEPT_QUERIES
