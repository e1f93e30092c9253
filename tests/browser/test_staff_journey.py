"""Chamber staff on a phone (390 px wide), in Spanish: sign in to the admin, approve a booth application,
translate the fair's page into Spanish in wagtail-localize's editor, publish it and read it under /es/.
Every screen on the way passes axe (tests/browser/vendor/axe.min.js) with no serious or critical violation.

Transactional, like the other browser tests: the server thread must see the data."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus
from exhibitors.models import BoothApplication
from fair.models import FairPage
from tests.factories.exhibitors import BoothFactory, CompanyFactory
from tests.factories.fair import FairPageFactory
from tests.factories.staff import ChamberStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
# Served by the test itself (page.route) from the site's own origin, so the strict CSP lets it run.
AXE_URL = "/__axe__/axe.min.js"
PHONE = {"width": 390, "height": 844}
# wagtail-localize's translation editor (a React app of the package, drawn by its own templates and
# styles) fails three checks the project cannot fix without patching the package: its string headings'
# teal on white (color-contrast), its PO-file upload input has no label, and Wagtail's live-status tag
# reads "En curso" while its Spanish accessible name says "Visible para todos..." (label-content-name-
# mismatch; the English "Live" is inside "Visit the live page"). Only on that screen are these left out.
LOCALIZE_EDITOR_UPSTREAM = [
    "main section > ul > li > h3",
    "form[action*='/pofile/upload/'] input[type=file]",
    "a.page-status-tag",
]


def settle(page):
    """Let transitions end before measuring contrast: the admin fades its messages in (adding "appear" to
    .messages a moment after load), and a half-faded message fails color-contrast."""
    if page.locator(".messages[data-w-messages-show-delay-value]").count():
        page.wait_for_timeout(300)  # the show delay is 100 ms; the fade then runs as a CSS transition
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)
            .map((a) => a.finished))"""
    )


def serious_axe_violations(page, exclude=()) -> list[str]:
    """The serious and critical axe violations of the page as it is now, one line each."""
    settle(page)
    page.add_script_tag(url=AXE_URL)
    violations = page.evaluate(
        """async (exclude) => (await axe.run({include: [["html"]], exclude: exclude.map((s) => [s])},
            {resultTypes: ["violations"]})).violations.map(
            (v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}))""",
        list(exclude),
    )
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(violation['nodes'][:5])}"
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page, exclude=()):
    found = serious_axe_violations(page, exclude)
    assert found == [], "\n".join([page.url, *found])


def translate_segment(page, heading: str, text: str):
    """In wagtail-localize's editor: open a string's editor, type the translation, save it."""
    segment = page.locator("li", has=page.locator("h3", has_text=heading)).first
    segment.get_by_role("button", name="Traducir").click()
    segment.locator("textarea").fill(text)
    with page.expect_response(lambda response: "/strings/" in response.url and response.ok):
        segment.get_by_role("button", name=re.compile("^Guardar")).click()
    expect(segment.get_by_text(text)).to_be_visible()


def test_chamber_staff_approve_translate_publish_on_phone(home_page, site_server, browser):
    fair = FairPageFactory(title="Andean Trade Fair", slug="andean", summary="Coffee and cacao.")
    booth = BoothFactory(fair=fair, company=CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca"))
    ChamberStaffFactory(email="rosa@chamber.example", first_name="Rosa", preferred_language="es")
    spanish = Locale.objects.get(language_code="es")

    context = browser.new_context(viewport=PHONE, locale="es-PE")
    page = context.new_page()
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE_SOURCE, content_type="text/javascript"))

    # Sign in to the admin.
    page.goto(f"{site_server}/admin/login/")
    assert_accessible(page)
    page.fill("input[name=username]", "rosa@chamber.example")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Chamber of Commerce")
    assert_accessible(page)

    # Approve the booth application.
    page.goto(f"{site_server}/admin/booth_applications/{booth.application.pk}/")
    assert_accessible(page)
    page.click("form[action$='/approve/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Cafe Inca S.A.C.")
    assert BoothApplication.objects.get(pk=booth.application.pk).status == ApplicationStatus.APPROVED

    # Translate the fair's page: the action sits beside Publish in the editor's footer menu.
    page.goto(f"{site_server}/admin/pages/{fair.pk}/edit/")
    page.click("footer .w-dropdown--dropdown-button .w-dropdown__toggle")
    page.click("a:has-text('Traducir esta página')")
    assert_accessible(page)
    page.check(f"input[name=locales][value='{spanish.pk}']")
    page.click("main form input[type=submit]")
    expect(page.locator("footer button[name=action][value=publish]")).to_be_visible()
    assert_accessible(page, exclude=LOCALIZE_EDITOR_UPSTREAM)

    # Until the translation is published, /es/ shows the original, saying so.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{site_server}/es/andean/")
    expect(visitor.locator("h1")).to_have_text("Andean Trade Fair")
    expect(visitor.locator(".untranslated-note")).to_contain_text("inglés")
    assert_accessible_with_route(visitor)

    translate_segment(page, "Título", "Feria Comercial Andina")
    translate_segment(page, "Resumen", "Café y cacao de los Andes.")
    page.click("footer button[name=action][value=publish]")
    expect(page.locator(".messages")).to_contain_text("Feria Comercial Andina")
    assert FairPage.objects.get(translation_key=fair.translation_key, locale=spanish).live

    # The Spanish page is live under /es/.
    page.goto(f"{site_server}/es/andean/")
    expect(page.locator("h1")).to_have_text("Feria Comercial Andina")
    expect(page.locator(".untranslated-note")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{site_server}/es/")
    expect(page.get_by_role("link", name="Feria Comercial Andina")).to_have_attribute("href", "/es/andean/")
    assert_accessible(page)
    context.close()


def assert_accessible_with_route(page):
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE_SOURCE, content_type="text/javascript"))
    assert_accessible(page)
