import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from exhibitors.enums import ApplicationStatus, CompanySize
from exhibitors.renditions import ALL_SIZES, rendition_specs
from tests.factories.exhibitors import (
    BoothFactory,
    CertificationFactory,
    CompanyFactory,
    ProductFactory,
    SectorFactory,
)
from tests.factories.fair import BoothPackageFactory, FairPageFactory
from tests.factories.uploads import (
    BoothDocumentFactory,
    BoothImageFactory,
    BoothLinkFactory,
    BoothProductFactory,
    OfficeHoursFactory,
    WagtailImageFactory,
)
from tests.fair.conftest import approved_booth


def booth_url(fair, booth, language="en"):
    return f"/{language}/{fair.slug}/booths/{booth.company.slug}/"


def test_booth_page_shows_company_profile(client, fair):
    company = CompanyFactory(
        legal_name="Cafe Inca S.A.C.",
        country="PE",
        city="Cusco",
        founded_year=1998,
        size=CompanySize.SMALL,
        export_markets=["DE", "US"],
        website="https://cafe-inca.example/",
        description="Family farms since 1998.",
    )
    company.sectors.add(SectorFactory(name="Agrifood", slug="agrifood"))
    company.certifications.add(CertificationFactory(name="Organic", slug="organic"))
    booth = approved_booth(fair, company=company, tagline="Coffee from the clouds", description="Come taste.")

    html = client.get(booth_url(fair, booth)).content.decode()

    for text in [
        "Cafe Inca S.A.C.",
        "Peru, Cusco",
        "Agrifood",
        "Organic",
        "1998",
        "Small (10–49 people)",
        "Germany, United States of America",
        'href="https://cafe-inca.example/"',
        "Coffee from the clouds",
        "Come taste.",
        "Family farms since 1998.",
    ]:
        assert text in html, text


def test_booth_page_lists_products_in_booth_order_with_hs_and_prices(client, fair):
    booth = approved_booth(fair)
    second = ProductFactory(
        company=booth.company,
        name="Roasted beans",
        hs_code="090121",
        price_min=Decimal("1500.00"),
        price_max=Decimal("2500.50"),
        currency="USD",
        unit="kg",
        min_order_quantity=12000,
        lead_time_days=30,
    )
    first = ProductFactory(company=booth.company, name="Green beans", hs_code="090111", price_min=None)
    ProductFactory(company=booth.company, name="Not at this booth")
    BoothProductFactory(booth=booth, product=second, sort_order=2)
    BoothProductFactory(booth=booth, product=first, sort_order=1)

    response = client.get(booth_url(fair, booth))
    html = response.content.decode()

    assert [item.product.name for item in response.context["products"]] == ["Green beans", "Roasted beans"]
    assert "Not at this booth" not in html
    assert html.index("Green beans") < html.index("Roasted beans")
    assert "Chapter 09: Coffee, tea, mate and spices" in html
    assert "Heading 0901: Coffee, whether or not roasted or decaffeinated" in html
    assert "$1,500.00 – $2,500.50 per kg" in html
    assert "12,000 kg" in html
    assert "30 days" in html


def test_booth_page_product_card_shows_hs_code_and_short_heading_and_the_rest_on_demand(client, fair):
    booth = approved_booth(fair)
    BoothProductFactory(booth=booth, product=ProductFactory(company=booth.company, hs_code="200819"))

    html = client.get(booth_url(fair, booth)).content.decode()

    card = html[
        html.index('<li class="card product"') : html.index("</li>", html.index('<li class="card product"'))
    ]
    assert '<code>200819</code> <span lang="en">Fruit, nuts and other edible parts of plants</span>' in card
    details = card[card.index("<details") : card.index("</details>")]
    # The long texts are there, without JavaScript, only once the visitor opens them.
    assert "<summary>Full HS description</summary>" in details
    assert "Heading 2008: Fruit, nuts and other edible parts of plants; prepared or preserved" in details
    assert "Chapter 20: Preparations of vegetables, fruit, nuts" in details
    assert "Subheading 200819: " in details
    assert card.count("prepared or preserved") == 1


def test_booth_page_formats_prices_in_visitor_language(client, fair):
    booth = approved_booth(fair)
    product = ProductFactory(company=booth.company, price_min=Decimal("1500"), price_max=None, currency="EUR")
    BoothProductFactory(booth=booth, product=product)

    html = client.get(booth_url(fair, booth, "es")).content.decode()

    assert "from 1.500,00\xa0€" in html or "desde 1.500,00\xa0€" in html


def test_booth_page_shows_only_as_many_products_as_the_package_allows(client, fair):
    booth = approved_booth(fair, package=BoothPackageFactory(fair=fair, max_products=2))
    for number in range(4):
        BoothProductFactory(
            booth=booth,
            product=ProductFactory(company=booth.company, name=f"Item {number}"),
            sort_order=number,
        )

    response = client.get(booth_url(fair, booth))

    assert [item.product.name for item in response.context["products"]] == ["Item 0", "Item 1"]


def uploaded_image():
    """An image with the renditions the task worker makes after an upload."""
    return WagtailImageFactory(renditions=ALL_SIZES)


def test_booth_page_shows_images_as_webp_renditions(client, fair):
    booth = approved_booth(fair, logo=uploaded_image(), cover=uploaded_image())
    BoothImageFactory(booth=booth, caption="Our drying beds", image=uploaded_image())

    html = client.get(booth_url(fair, booth)).content.decode()

    assert html.count(".webp") >= 4  # logo, cover, gallery thumbnail and its large version
    assert "fill-160x160" in html and "fill-1200x400" in html and "max-1200x900" in html
    assert 'alt="Our drying beds"' in html
    assert ".png" not in html


def test_booth_page_view_makes_no_rendition_and_queues_the_missing_ones(
    client, fair, django_capture_on_commit_callbacks
):
    booth = approved_booth(fair, logo=WagtailImageFactory(), cover=WagtailImageFactory())
    BoothImageFactory(booth=booth, caption="Our drying beds")
    renditions = get_image_model().get_rendition_model().objects
    url = booth_url(fair, booth)

    with django_capture_on_commit_callbacks() as queued:
        html = client.get(url).content.decode()
        client.get(url)  # a second visitor before the worker ran queues nothing more

    # Nothing made while the visitor waited: the originals stand in, sized as their renditions will be.
    assert renditions.count() == 0
    assert ".webp" not in html
    assert html.count("/original_images/") == 4  # logo, cover, gallery thumbnail and its link
    (logo_tag,) = re.findall(r'<img[^>]*class="logo logo-large"[^>]*>', html)
    assert 'width="48"' in logo_tag and 'height="48"' in logo_tag  # the 64×48 logo, filled to a square
    assert 'alt="Our drying beds"' in html
    assert len(queued) == 4

    for task in queued:  # the task worker's turn
        task()

    # The four sizes, with the AVIF copies of the srcset sizes (logo, card) where Pillow encodes AVIF.
    made = sorted(rendition_specs("logo", "cover", "card", "gallery"))
    assert sorted(renditions.values_list("filter_spec", flat=True)) == made
    logo = renditions.get(filter_spec="fill-160x160")
    assert (logo.width, logo.height) == (48, 48)
    with django_capture_on_commit_callbacks() as queued:
        html = client.get(url).content.decode()
    assert queued == []
    assert html.count(".webp") == 4 and "/original_images/" not in html
    assert renditions.count() == len(made)


def test_booth_page_links_brochures_links_and_video(client, fair):
    booth = approved_booth(fair, video_url="https://video.example/watch?v=1")
    document = BoothDocumentFactory(booth=booth, title="Catalogue 2031")
    BoothLinkFactory(booth=booth, label="Our shop", url="https://shop.example/")

    html = client.get(booth_url(fair, booth)).content.decode()

    assert f'href="{document.document.url}"' in html and "Catalogue 2031" in html
    assert 'href="https://shop.example/"' in html and "Our shop" in html
    assert 'href="https://video.example/watch?v=1"' in html
    assert "<iframe" not in html and "<video" not in html


@pytest.mark.parametrize(
    "status", [ApplicationStatus.PENDING, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN]
)
def test_booth_page_is_404_unless_live(client, fair, status):
    booth = BoothFactory(fair=fair, status=status)

    assert client.get(booth_url(fair, booth)).status_code == 404


def test_booth_page_is_404_under_another_fair(client, fair):
    booth = approved_booth(FairPageFactory(slug="other"))

    assert client.get(booth_url(fair, booth)).status_code == 404
    assert client.get(f"/en/{fair.slug}/booths/no-such-company/").status_code == 404


def test_booth_page_in_spanish_shows_the_same_booth(client, fair, spanish_fair):
    booth = approved_booth(fair, tagline="Alpaca from the Andes")

    response = client.get(booth_url(spanish_fair, booth, "es"))

    assert response.status_code == 200
    assert response.context["booth"].pk == booth.pk
    assert "Alpaca from the Andes" in response.content.decode()


def test_booth_page_shows_office_hours_in_fair_and_viewer_time_zones(buyer_client, home_page):
    # A fair in Lima (UTC-5, no summer time) seen by a buyer in Berlin, in winter (UTC+1): six hours apart.
    starts = datetime.datetime(2031, 1, 6, 13, 0, tzinfo=datetime.UTC)  # Monday 08:00 in Lima
    fair = FairPageFactory(
        slug="winter",
        time_zone="America/Lima",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=14),
        applications_open_at=starts - datetime.timedelta(days=60),
        applications_close_at=starts - datetime.timedelta(days=10),
    )
    booth = approved_booth(fair)
    OfficeHoursFactory(booth=booth, weekday=0, opens_at="09:00", closes_at="12:00")
    OfficeHoursFactory(booth=booth, weekday=4, opens_at="19:00", closes_at="21:00")

    html = buyer_client.get(booth_url(fair, booth)).content.decode()

    assert "Fair time: Peru Standard Time (America/Lima)" in html
    assert "Your time: Central European Standard Time (Europe/Berlin)" in html
    assert "Monday 9:00\u202fAM–12:00\u202fPM</td>" in html
    assert "Monday 3:00\u202fPM–6:00\u202fPM</td>" in html
    # Friday 19:00–21:00 in Lima runs past midnight in Berlin.
    assert "Friday 7:00\u202fPM–9:00\u202fPM</td>" in html
    assert "Saturday 1:00\u202fAM–3:00\u202fAM</td>" in html
    assert "Next opening: Mon, Jan 6, 2031, 3:00\u202fPM (Central European Standard Time)" in html
    # No scroll container (a keyboard could not reach it): on a phone each row is a card, each time under
    # the name of its column.
    assert "table-scroll" not in html and 'class="office-hours stack-table"' in html
    assert html.count('<span class="cell-label" aria-hidden="true">Fair time: Peru Standard Time') == 2


def test_booth_page_says_open_now(client, fair):
    booth = approved_booth(fair)
    now_in_lima = timezone.now().astimezone(fair.zone)
    opens = (now_in_lima - datetime.timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    closes = (now_in_lima + datetime.timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    if closes <= opens:  # the slot would cross midnight in Lima: not a valid weekly slot
        pytest.skip("too close to midnight in Lima for a one-hour slot around now")
    OfficeHoursFactory(booth=booth, weekday=now_in_lima.weekday(), opens_at=opens, closes_at=closes)

    response = client.get(booth_url(fair, booth))

    assert response.context["open_state"].open_now is True
    assert "Open now" in response.content.decode()


def test_booth_page_before_approval_is_a_preview_for_the_company_and_chamber_staff(client, fair):
    from tests.factories.exhibitors import MembershipFactory, UserFactory
    from tests.factories.staff import ChamberStaffFactory

    booth = BoothFactory(fair=fair, status=ApplicationStatus.PENDING, tagline="Single-origin beans")
    owner = MembershipFactory(company=booth.company).user
    url = booth_url(fair, booth)

    for viewer in (owner, ChamberStaffFactory()):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview, not yet public." in html and "Single-origin beans" in html
        assert response["Cache-Control"] == "private, no-store"

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_booth_page_once_live_has_no_preview_banner_for_its_owner(client, fair):
    from tests.factories.exhibitors import MembershipFactory

    booth = approved_booth(fair)
    client.force_login(MembershipFactory(company=booth.company).user)

    assert "Preview, not yet public." not in client.get(booth_url(fair, booth)).content.decode()
