"""A new exporter's first visit on a phone (390 px wide), in Chromium: sign up (the browser's time zone is
taken), confirm the e-mail with the link from the outbox (which signs them in), register the company, add a
product (its currency is proposed, so the price is accepted), apply for a booth and preview it before the
chamber approves it. axe finds no serious or critical accessibility problem on any page of the way.

The server thread needs committed data, so the test is transactional; tests/conftest.py runs browser tests
after every other test."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, Company, Product, User
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
PASSWORD = "Quinua-Andina-2026"


def serious_axe_violations(page) -> list[str]:
    # Injected by Playwright into a context that bypasses the Content-Security-Policy, which rightly refuses
    # scripts the site did not serve (tests/browser/test_public_pages.py checks the pages keep to it).
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_new_exporter_signs_up_confirms_builds_and_previews_a_booth_on_a_phone(
    home_page, site_server, browser, settings
):
    settings.FERIA_SITE_URL = site_server
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean")
    hall = HallFactory(fair=fair, name="Coffee")
    BoothPackageFactory(fair=fair, name="Standard", price_amount=0, currency="USD")
    context = browser.new_context(
        viewport=PHONE, timezone_id="Europe/Berlin", locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    checked: dict[str, list[str]] = {}

    # Sign up from the fair's page: the browser's zone goes with the form.
    page.goto(f"{site_server}/en/accounts/signup/?next=/en/companies/new/")
    checked["sign-up"] = serious_axe_violations(page)
    page.fill("input[name=first_name]", "Rosa")
    page.fill("input[name=last_name]", "Quispe")
    page.fill("input[name=email]", "rosa@quinua-andina.example")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=account_kind][value=exhibitor]")
    page.check("input[name=accept_terms]")
    page.check("input[name=accept_privacy]")
    submit(page)
    expect(page.locator("main h1")).to_contain_text("Verify")
    checked["verification sent"] = serious_axe_violations(page)
    user = User.objects.get(email="rosa@quinua-andina.example")
    assert user.time_zone == "Europe/Berlin"

    # The link in the e-mail points at this server; confirming signs her in and continues where she started.
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(f"{site_server}/en/accounts/confirm-email/")
    page.goto(link)
    checked["confirm"] = serious_axe_violations(page)
    submit(page)
    assert page.url == f"{site_server}/en/companies/new/"
    expect(page.locator("header")).to_contain_text("Sign out")

    # The company profile.
    checked["company"] = serious_axe_violations(page)
    page.fill("input[name=legal_name]", "Quinua Andina S.A.C.")
    page.select_option("select[name=country]", "PE")
    page.fill("input[name=city]", "Puno")
    page.fill("textarea[name=description]", "Organic quinoa from the shores of Lake Titicaca.")
    submit(page)
    company = Company.objects.get(legal_name="Quinua Andina S.A.C.")

    # A product with a price: the currency is proposed (the fair's), so the price is accepted as typed.
    page.goto(f"{site_server}/en/companies/{company.pk}/products/new/")
    checked["product"] = serious_axe_violations(page)
    assert page.locator("select[name=currency]").input_value() == "USD"
    page.fill("input[name=name]", "White quinoa")
    page.fill("input[name=hs_code]", "1008.50")
    page.fill("input[name=price_min]", "2.40")
    page.fill("input[name=price_max]", "3.10")
    submit(page)
    product = Product.objects.get(company=company)
    assert (product.price_min, product.currency) == (Decimal("2.40"), "USD")

    # The booth application.
    page.goto(f"{site_server}/en/companies/{company.pk}/fairs/{fair.pk}/apply/")
    checked["apply"] = serious_axe_violations(page)
    page.check(f"input[name=hall][value='{hall.pk}']")
    page.locator("input[name=package]").first.check()
    submit(page)
    booth = Booth.objects.get(company=company)
    assert booth.application.status == ApplicationStatus.PENDING
    checked["booth builder"] = serious_axe_violations(page)

    # The preview: the page buyers will see, with its banner; nobody else sees it yet.
    page.locator("a[data-booth-preview-link]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-booth-preview]")).to_contain_text("Preview, not yet public.")
    expect(page.locator("main h1")).to_contain_text("Quinua Andina S.A.C.")
    checked["booth preview"] = serious_axe_violations(page)
    preview_url = page.url
    stranger = browser.new_context(viewport=PHONE).new_page()
    assert stranger.goto(preview_url).status == 404
    stranger.context.close()

    assert {name: found for name, found in checked.items() if found} == {}
    assert problems == []
    context.close()
