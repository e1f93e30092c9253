"""The Wagtail admin carries the chamber's name and speaks the staff member's language."""

import re
from datetime import UTC, datetime

from django.contrib.auth.models import Group
from wagtail.models import Site

from cms.models import ChamberSettings
from exhibitors.models import BoothApplication
from tests.factories.exhibitors import BoothFactory
from tests.factories.staff import ChamberStaffFactory


def name_the_chamber(name):
    chamber = ChamberSettings.for_site(Site.objects.get(is_default_site=True))
    chamber.chamber_name = name
    chamber.save()


def test_dashboard_is_titled_with_chamber_name(staff_client, home_page):
    name_the_chamber("Cámara de Comercio de Piura")

    html = staff_client.get("/admin/").content.decode()

    heading = re.search(r'<h1 class="w-h1 w-mt-0">(.*?)</h1>', html, re.S).group(1)
    assert heading.strip() == "Cámara de Comercio de Piura"


def test_admin_sign_in_names_the_chamber(client, home_page):
    name_the_chamber("Cámara de Comercio de Piura")

    html = client.get("/admin/login/").content.decode()

    assert "Sign in to Cámara de Comercio de Piura" in html


def test_admin_speaks_staff_members_account_language(client, home_page):
    staff = ChamberStaffFactory(email="rosa@chamber.example", preferred_language="es")
    booth = BoothFactory()
    BoothApplication.objects.filter(pk=booth.application.pk).update(
        submitted_at=datetime(2026, 4, 12, 12, 0, tzinfo=UTC)
    )
    client.force_login(staff)

    dashboard = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    review = client.get(f"/admin/booth_applications/{booth.application.pk}/", HTTP_ACCEPT_LANGUAGE="en-US")

    assert '<html lang="es"' in dashboard
    assert "12 de abril de 2026" in review.content.decode()
    assert "April 12, 2026" not in review.content.decode()


def test_admin_stays_english_for_english_account(client, home_page):
    staff = ChamberStaffFactory(email="ann@chamber.example", preferred_language="en")
    client.force_login(staff)

    assert '<html lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert Group.objects.get(name="Chamber staff") in staff.groups.all()
