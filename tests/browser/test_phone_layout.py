"""The pages people open on a phone, at 390 px wide in Chromium: nothing runs off the side, the actions a
person came for are on screen, and axe finds no serious or critical accessibility problem on a booth page.

The server thread needs committed data, so the test is transactional (the migrated pages are restored
afterwards); tests/conftest.py runs browser tests after every other test."""

from pathlib import Path

import pytest
from django.test import Client

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.renditions import ALL_SIZES
from fair.chat.services.conversations import conversation_start
from tests.factories.exhibitors import (
    BoothFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.fair import BoothPackageFactory, FairPageFactory
from tests.factories.uploads import (
    BoothImageFactory,
    BoothProductFactory,
    OfficeHoursFactory,
    WagtailImageFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Products whose HS headings run to a paragraph.
LONG_HEADINGS = ["200899", "847130", "441873"]


def session_cookie(user, site_server: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_server}


def phone_page(browser, site_server: str, user=None, *, bypass_csp: bool = False):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=bypass_csp)
    if user is not None:
        context.add_cookies([session_cookie(user, site_server)])
    return context.new_page()


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def on_screen(page, locator) -> bool:
    """Visible, and horizontally inside the 390 px screen (not pushed off its right edge)."""
    box = locator.bounding_box()
    return (
        locator.is_visible()
        and box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
    )


def serious_axe_violations(page) -> list[str]:
    # Injected into a context that bypasses the page's Content-Security-Policy: the site's own CSP rightly
    # refuses any script it did not serve.
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def exhibitor(home_page):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    package = BoothPackageFactory(
        fair=fair, name="Premium", price_amount=45000, gallery_size=4, max_products=6
    )
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    owner = UserFactory(email="olga@example.com", time_zone="America/Lima")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    booth = BoothFactory(
        fair=fair,
        company=company,
        package=package,
        status=ApplicationStatus.APPROVED,
        tagline="Coffee from the clouds",
        logo=WagtailImageFactory(renditions=ALL_SIZES),
        cover=WagtailImageFactory(renditions=ALL_SIZES),
    )
    for number, code in enumerate(LONG_HEADINGS):
        product = ProductFactory(
            company=company, name=f"Product {number}", hs_code=code, min_order_quantity=1000
        )
        BoothProductFactory(booth=booth, product=product, sort_order=number)
    for number in range(2):
        BoothImageFactory(
            booth=booth, caption=f"Photo {number}", image=WagtailImageFactory(renditions=ALL_SIZES)
        )
    OfficeHoursFactory(booth=booth, weekday=0, opens_at="09:00", closes_at="12:00")
    OfficeHoursFactory(booth=booth, weekday=4, opens_at="19:00", closes_at="21:00")
    return booth, owner


def test_booth_page_and_dashboard_fit_a_phone(exhibitor, site_server, browser):
    booth, owner = exhibitor
    # A buyer in Berlin sees the office hours in two zones: the widest form of the table.
    buyer = UserFactory(email="bea@example.com", time_zone="Europe/Berlin")
    booth_url = f"{site_server}/en/andean/booths/cafe-inca/"

    for visitor in (None, buyer):
        page = phone_page(browser, site_server, visitor)
        page.goto(booth_url)
        assert overflow(page) == 0, visitor
        hours = page.locator("table.office-hours")
        assert on_screen(page, hours)
        # Each slot is a card of its own on a phone, every time under its zone's name.
        assert hours.locator("tbody tr").count() == 2
        assert on_screen(page, hours.locator("tbody tr td").last)
        # The HS heading's long text waits behind a <details>: it opens without JavaScript, on screen.
        card = page.locator("li.card.product").first
        full_text = card.locator("details.hs-details p").first
        assert not full_text.is_visible()
        card.locator("details.hs-details summary").click()
        assert full_text.is_visible() and on_screen(page, full_text)
        assert overflow(page) == 0
        page.context.close()

    page = phone_page(browser, site_server, owner)
    page.goto(f"{site_server}/en/dashboard/")
    assert overflow(page) == 0
    for action in ("Edit booth", "Booth fee"):
        assert on_screen(page, page.get_by_role("link", name=action)), action
    page.context.close()


def test_booth_page_has_no_serious_accessibility_violation(exhibitor, site_server, browser):
    buyer = UserFactory(email="bea@example.com", time_zone="Europe/Berlin")
    booth_url = f"{site_server}/en/andean/booths/cafe-inca/"

    for visitor in (None, buyer):
        page = phone_page(browser, site_server, visitor, bypass_csp=True)
        page.goto(booth_url)
        assert serious_axe_violations(page) == [], visitor
        page.context.close()


def test_home_fair_card_and_conversation_on_a_phone(exhibitor, site_server, browser):
    booth, owner = exhibitor
    buyer = UserFactory(email="bea@example.com", time_zone="Europe/Berlin")
    conversation = conversation_start(buyer=buyer, company=booth.company)

    page = phone_page(browser, site_server)
    page.goto(f"{site_server}/en/")
    assert overflow(page) == 0
    card = page.locator(".fair-card").first
    card_box = card.bounding_box()
    for part in card.locator("p, h3").all():  # the dates and every other line wrap inside the card
        box = part.bounding_box()
        assert box["x"] >= card_box["x"] and box["x"] + box["width"] <= card_box["x"] + card_box["width"]
        assert part.evaluate("(element) => element.scrollWidth <= element.clientWidth")
    page.context.close()

    # "Block" is there, but quieter than "Send".
    page = phone_page(browser, site_server, buyer)
    page.goto(f"{site_server}/en/chat/conversations/{conversation.pk}/")
    assert overflow(page) == 0
    send = page.get_by_role("button", name="Send", exact=True)
    block = page.get_by_role("button", name="Block Cafe Inca S.A.C.")

    def style(locator, prop: str) -> str:
        return locator.evaluate(f"(element) => getComputedStyle(element).{prop}")

    assert style(send, "backgroundColor") == "rgb(11, 110, 79)"  # the accent: the page's main action
    assert style(block, "backgroundColor") == "rgb(255, 255, 255)"
    assert float(style(block, "fontSize")[:-2]) < float(style(send, "fontSize")[:-2])
    assert block.bounding_box()["height"] < send.bounding_box()["height"]
    page.context.close()
