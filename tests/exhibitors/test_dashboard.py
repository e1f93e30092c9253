"""The dashboard: both paths for newcomers, each company's booths and open fairs, the buyer summary,
times in the person's zone, and a fixed number of queries."""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import Invitation
from exhibitors.services.accounts import ACCOUNT_KIND_SESSION_KEY
from tests.factories.exhibitors import (
    BoothFactory,
    BuyerProfileFactory,
    CompanyFactory,
    MembershipFactory,
    SectorFactory,
    UserFactory,
)
from tests.factories.fair import FairPageFactory


def closed_fair(**kwargs):
    now = timezone.now()
    return FairPageFactory(
        applications_open_at=now - timedelta(days=60),
        applications_close_at=now - timedelta(days=1),
        **kwargs,
    )


def test_dashboard_needs_a_signed_in_person(client, db):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_dashboard_is_at_the_language_prefixed_address():
    assert reverse("dashboard") == "/en/dashboard/"


def test_a_newcomer_is_offered_both_paths(client, db):
    client.force_login(UserFactory())

    html = client.get(reverse("dashboard")).content.decode()

    assert reverse("company_create") in html
    assert reverse("buyer_profile_edit") in html
    assert "card-highlight" not in html


def test_the_path_chosen_at_signup_is_highlighted(client, db):
    client.force_login(UserFactory())
    session = client.session
    session[ACCOUNT_KIND_SESSION_KEY] = "buyer"
    session.save()

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    highlighted = html.split("card-highlight", 1)[1].split("</div>", 1)[0]
    assert reverse("buyer_profile_edit") in highlighted
    assert reverse("company_create") in html


def test_a_company_shows_its_role_links_booths_and_open_fairs(client, home_page):
    membership = MembershipFactory(role=MembershipRole.OWNER, company__legal_name="Café Andino S.A.C.")
    company = membership.company
    company.sectors.add(SectorFactory(name="Agrifood"))
    applied_fair = FairPageFactory(title="Expo Andes")
    booth = BoothFactory(company=company, fair=applied_fair, status=ApplicationStatus.APPROVED)
    open_fair = FairPageFactory(title="Agro Lima")
    closed = closed_fair(title="Closed Fair")
    client.force_login(membership.user)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Café Andino S.A.C." in html
    assert "Agrifood" in html
    assert "Owner" in html
    assert reverse("company_edit", args=[company.pk]) in html
    assert reverse("member_list", args=[company.pk]) in html
    assert reverse("product_list", args=[company.pk]) in html
    # The booth, with fair, hall, package, status and its edit link.
    assert "Expo Andes" in html
    assert booth.hall.name in html
    assert booth.package.name in html
    assert "Approved" in html
    assert reverse("booth_edit", args=[booth.pk]) in html
    # Fairs open for applications, except the one already applied to; never a closed one.
    assert reverse("booth_apply", args=[company.pk, open_fair.pk]) in html
    assert reverse("booth_apply", args=[company.pk, applied_fair.pk]) not in html
    assert reverse("booth_apply", args=[company.pk, closed.pk]) not in html
    assert "Closed Fair" not in html


def test_a_fair_closed_early_is_not_offered(client, home_page):
    membership = MembershipFactory()
    fair = FairPageFactory(closed_early=True)
    client.force_login(membership.user)

    html = client.get(reverse("dashboard")).content.decode()

    assert reverse("booth_apply", args=[membership.company_id, fair.pk]) not in html


def test_staff_see_their_company_without_the_profile_edit_link(client, home_page):
    membership = MembershipFactory(role=MembershipRole.STAFF)
    client.force_login(membership.user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Staff" in html
    assert reverse("company_edit", args=[membership.company_id]) not in html
    assert reverse("member_list", args=[membership.company_id]) in html


def test_only_the_persons_own_companies_and_booths_show(client, home_page):
    mine = MembershipFactory()
    other_booth = BoothFactory(company=CompanyFactory(legal_name="Someone Else Ltd"))
    client.force_login(mine.user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Someone Else Ltd" not in html
    assert reverse("booth_edit", args=[other_booth.pk]) not in html
    assert reverse("product_list", args=[other_booth.company_id]) not in html


def test_a_buyer_sees_the_profile_summary_and_favourites(client, db):
    profile = BuyerProfileFactory(
        company_name="Rösterei Nord GmbH", hs_codes=["0901", "18"], keywords="arabica"
    )
    profile.sectors.add(SectorFactory(name="Agrifood"))
    client.force_login(profile.user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Rösterei Nord GmbH" in html
    assert "Agrifood" in html
    assert "Coffee, whether or not roasted or decaffeinated" in html
    assert "Cocoa and cocoa preparations" in html
    assert "arabica" in html
    assert reverse("fair:favourites") in html
    assert reverse("buyer_profile_edit") in html
    assert reverse("company_create") not in html.split('id="buyer-heading"')[0].split("<h1>")[1]


def test_open_invitations_for_the_person_are_listed(client, db):
    user = UserFactory(email="luis@example.com")
    invitation = Invitation.objects.create(
        company=CompanyFactory(legal_name="Textiles del Sur"), email="LUIS@example.com", role="staff"
    )
    Invitation.objects.create(
        company=CompanyFactory(legal_name="Not For Luis"), email="ana@example.com", role="staff"
    )
    client.force_login(user)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Textiles del Sur" in html
    assert reverse("invitation_accept", kwargs={"token": invitation.token}) in html
    assert "Not For Luis" not in html


def test_closing_times_are_shown_in_the_persons_time_zone(client, home_page):
    closes = datetime(2099, 3, 1, 15, 0, tzinfo=UTC)
    fair = FairPageFactory(applications_close_at=closes, ends_at=closes + timedelta(days=30))
    membership = MembershipFactory(user__time_zone="Asia/Tokyo")
    client.force_login(membership.user)

    html = client.get(reverse("dashboard")).content.decode()

    tokyo = formats.date_format(closes.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")), "DATETIME_FORMAT")
    utc = formats.date_format(closes, "DATETIME_FORMAT")
    assert reverse("booth_apply", args=[membership.company_id, fair.pk]) in html
    assert tokyo in html
    assert utc not in html


def test_fair_titles_follow_the_page_language(client, home_page):
    membership = MembershipFactory()
    fair = FairPageFactory(title="Coffee Expo")
    spanish = Locale.objects.get_or_create(language_code="es")[0]
    translation = fair.copy_for_translation(spanish, copy_parents=True)
    translation.title = "Expo Café"
    translation.save_revision().publish()
    BoothFactory(company=membership.company, fair=fair)
    client.force_login(membership.user)

    spanish_html = client.get("/es/dashboard/").content.decode()
    english_html = client.get("/en/dashboard/").content.decode()

    assert "Expo Café" in spanish_html
    assert "Coffee Expo" in english_html
    assert "Expo Café" not in english_html


def test_dashboard_queries_do_not_grow_with_companies_booths_and_fairs(
    client, home_page, django_assert_num_queries
):
    user = UserFactory()
    first = MembershipFactory(user=user)
    BoothFactory(company=first.company)
    BuyerProfileFactory(user=user).sectors.add(SectorFactory())
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm the per-process caches (site root, locales, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("dashboard")).status_code == 200

    for _ in range(3):
        membership = MembershipFactory(user=user, role=MembershipRole.STAFF)
        membership.company.sectors.add(SectorFactory(), SectorFactory())
        for _ in range(2):
            BoothFactory(company=membership.company)
        FairPageFactory()
    Invitation.objects.create(company=CompanyFactory(), email=user.email, role="staff")

    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("dashboard")).status_code == 200
