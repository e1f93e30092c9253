"""The public pages in a real browser: no Content-Security-Policy violation or script error on any of them,
favourites work with JavaScript (in place) and without it (plain form posts)."""

import pytest

from exhibitors.enums import ApplicationStatus
from fair.models import Favourite
from tests.factories.exhibitors import BoothFactory, CompanyFactory, UserFactory
from tests.factories.fair import FairPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def site(home_page):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    booth = BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="buyer@example.com")
    return {"fair": fair, "booth": booth, "buyer": buyer}


def open_page(browser, url, *, javascript=True):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    return page, problems


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_public_pages_load_without_policy_violations_or_errors(browser, live_server, site):
    for path in [
        "/en/",
        "/en/andean/",
        "/en/andean/exhibitors/?q=cafe",
        "/en/andean/booths/cafe-inca/",
        "/es/andean/",
        "/en/accounts/signup/",
    ]:
        page, problems = open_page(browser, live_server.url + path)
        assert page.title(), path
        assert problems == [], (path, problems)
        page.context.close()


def test_favourite_saved_in_place_with_javascript(browser, live_server, site):
    page, problems = open_page(browser, live_server.url + "/en/")
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/en/andean/booths/cafe-inca/")
    form = page.locator("form[data-favourite]").first

    form.locator("button").click()
    page.wait_for_function("document.querySelector('form[data-favourite] button').textContent.includes('✓')")

    assert page.url.endswith("/en/andean/booths/cafe-inca/")
    assert Favourite.objects.filter(user=site["buyer"], booth=site["booth"]).count() == 1
    assert problems == []


def test_favourite_saved_by_a_plain_post_without_javascript(browser, live_server, site):
    page, problems = open_page(browser, live_server.url + "/en/", javascript=False)
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/en/andean/booths/cafe-inca/")

    page.locator("form[data-favourite] button").first.click()
    page.wait_for_load_state()

    assert "/en/andean/booths/cafe-inca/" in page.url
    assert Favourite.objects.filter(user=site["buyer"], booth=site["booth"]).count() == 1
