"""Chamber staff in the admin, in a real browser: the booth-application decision buttons show their text label
next to a small icon, and carry that label as their accessible name, in each language."""

import pytest
from wagtail.users.models import UserProfile

from tests.browser.test_public_pages import open_page, sign_in
from tests.factories.exhibitors import BoothFactory
from tests.factories.staff import ChamberStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_decision_buttons_have_labels_and_small_icons_in_chromium(home_page, site_server, browser):
    staff = ChamberStaffFactory(email="staff@chamber.example")
    booth = BoothFactory()
    page, problems = open_page(browser, site_server + "/en/")
    sign_in(page, site_server, staff.email)

    for language, approve, reject in [("en", "Approve", "Reject"), ("es", "Aprobar", "Rechazar")]:
        profile = UserProfile.get_for_user(staff)
        profile.preferred_language = language
        profile.save()
        page.goto(f"{site_server}/admin/booth_applications/{booth.application.pk}/")
        for name in (approve, reject):
            button = page.get_by_role("button", name=name, exact=True)
            assert button.is_visible(), (language, name)
            assert button.inner_text().strip() == name
            icon = button.locator("svg").bounding_box()
            box = button.bounding_box()
            # Wagtail sizes an icon only inside "button--icon": unsized, it filled the button.
            assert icon["width"] <= 24 and icon["height"] <= 24, (language, name, icon)
            assert box["height"] <= 60, (language, name, box)
    page.context.close()
