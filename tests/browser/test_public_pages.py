"""The public pages in a real browser: no Content-Security-Policy violation or script error on any of them,
and favourites work with JavaScript (saved in place) and without it (plain form posts).

The server thread needs committed data, so the test is transactional (the migrated pages are restored
afterwards); tests/conftest.py runs browser tests after every other test."""

import pytest
from playwright.sync_api import expect

from exhibitors.enums import ApplicationStatus
from fair.models import Favourite
from tests.factories.exhibitors import BoothFactory, CompanyFactory, UserFactory
from tests.factories.fair import FairPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PATHS = [
    "/en/",
    "/en/andean/",
    "/en/andean/exhibitors/?q=cafe",
    "/en/andean/booths/cafe-inca/",
    "/es/andean/",
    "/en/accounts/signup/",
]


def is_problem(message) -> bool:
    """A console error, except the chat socket's refused handshake: this test's WSGI server thread serves no
    WebSockets (chat.js then keeps the plain pages); tests/browser/test_chat.py runs the chat on daphne."""
    return message.type == "error" and "/ws/chat/' failed" not in message.text


def open_page(browser, url, *, javascript=True):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if is_problem(message) else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    return page, problems


def sign_in(page, site_server, email):
    page.goto(f"{site_server}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_public_pages_and_favourites_in_chromium(home_page, site_server, browser):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    booth = BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    buyer = UserFactory(email="buyer@example.com")
    booth_url = f"{site_server}/en/andean/booths/cafe-inca/"

    for path in PUBLIC_PATHS:
        page, problems = open_page(browser, site_server + path)
        assert page.title(), path
        assert problems == [], (path, problems)
        page.context.close()

    # With JavaScript: saved in place, the page stays.
    page, problems = open_page(browser, site_server + "/en/")
    sign_in(page, site_server, buyer.email)
    page.goto(booth_url)
    page.locator("form[data-favourite] button").first.click()
    # A locator wait: wait_for_function evaluates its string with eval, which the strict CSP refuses.
    expect(page.locator("form[data-favourite] button").first).to_contain_text("✓")
    assert page.url == booth_url
    assert Favourite.objects.filter(user=buyer, booth=booth).count() == 1
    assert problems == []
    page.context.close()

    # Without JavaScript: the same form posts, and the person lands back on the booth with it removed.
    page, _ = open_page(browser, site_server + "/en/", javascript=False)
    sign_in(page, site_server, buyer.email)
    page.goto(booth_url)
    page.locator("form[data-favourite] button").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(booth_url)
    assert Favourite.objects.filter(user=buyer, booth=booth).count() == 0
