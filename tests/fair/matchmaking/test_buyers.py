"""Recommended buyers: only buyers who agreed to be found, no contact details, own company only."""

from django.urls import reverse

from fair.matchmaking.services.preferences import buyer_discoverable_set
from tests.factories.exhibitors import BuyerProfileFactory, CompanyFactory, MembershipFactory, UserFactory


def buyers_url(company):
    return reverse("matchmaking:buyers", args=[company.pk])


def test_discoverable_buyer_shown_with_reasons_and_no_contact_details(
    staff_client, coffee_booth, profile, buyer
):
    buyer_discoverable_set(user=buyer, discoverable=True)
    response = staff_client.get(buyers_url(coffee_booth.company))
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert [item.profile.pk for item in suggestions] == [profile.pk]
    assert suggestions[0].reasons == [
        "looking for HS 0901 (coffee, whether or not roasted or decaffeinated: husks and…), which you sell",
        "asks for EU Organic, which you hold",
        "based in Germany, where you already export",
    ]
    html = response.content.decode()
    assert "A buyer from Germany" in html
    assert profile.company_name not in html
    assert buyer.email not in html
    assert buyer.last_name not in html


def test_buyer_who_never_agreed_is_not_shown(staff_client, coffee_booth, profile):
    assert staff_client.get(buyers_url(coffee_booth.company)).context["suggestions"] == []


def test_withdrawn_consent_removes_buyer_at_once(staff_client, coffee_booth, profile, buyer):
    buyer_discoverable_set(user=buyer, discoverable=True)
    assert len(staff_client.get(buyers_url(coffee_booth.company)).context["suggestions"]) == 1
    buyer_discoverable_set(user=buyer, discoverable=False)
    assert staff_client.get(buyers_url(coffee_booth.company)).context["suggestions"] == []


def test_buyers_not_matching_the_catalogue_are_not_shown(staff_client, coffee_booth, db):
    other = BuyerProfileFactory(hs_codes=["6109"], keywords="t-shirts", country="FR")
    buyer_discoverable_set(user=other.user, discoverable=True)
    assert staff_client.get(buyers_url(coffee_booth.company)).context["suggestions"] == []


def test_private_signals_never_used_for_exhibitors(staff_client, coffee_booth, profile, buyer):
    from fair.services import favourite_add

    buyer_discoverable_set(user=buyer, discoverable=True)
    favourite_add(user=buyer, booth=coffee_booth)
    reasons = staff_client.get(buyers_url(coffee_booth.company)).context["suggestions"][0].reasons
    assert not any("saved" in text for text in reasons)


def test_another_companys_buyers_are_404(staff_client, db):
    other = CompanyFactory()
    assert staff_client.get(buyers_url(other)).status_code == 404


def test_signed_out_goes_to_sign_in(client, coffee_booth):
    response = client.get(buyers_url(coffee_booth.company))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_links_to_recommended_buyers(staff_client, coffee_booth):
    html = staff_client.get(reverse("dashboard")).content.decode()
    assert buyers_url(coffee_booth.company) in html


def test_own_members_are_not_recommended(client, coffee_booth, profile, buyer):
    MembershipFactory(company=coffee_booth.company, user=buyer)
    buyer_discoverable_set(user=buyer, discoverable=True)
    client.force_login(UserFactory())
    owner = MembershipFactory(company=coffee_booth.company).user
    client.force_login(owner)
    assert client.get(buyers_url(coffee_booth.company)).context["suggestions"] == []


def test_propose_a_meeting_only_where_the_buyer_published_free_times(
    staff_client, coffee_booth, profile, buyer
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.meetings import BuyerAvailabilityFactory

    buyer_discoverable_set(user=buyer, discoverable=True)
    html = staff_client.get(buyers_url(coffee_booth.company)).content.decode()
    assert "has not published times for meetings" in html
    assert "Propose a meeting" not in html
    fair = coffee_booth.fair
    BuyerAvailabilityFactory(fair=fair, buyer=buyer, starts_at=timezone.now() - timedelta(hours=2))
    html = staff_client.get(buyers_url(coffee_booth.company)).content.decode()
    assert "Propose a meeting" not in html  # only a past time
    BuyerAvailabilityFactory(fair=fair, buyer=buyer)
    response = staff_client.get(buyers_url(coffee_booth.company))
    target = reverse("meetings:buyer_availability", args=[fair.pk, buyer.pk])
    assert response.context["suggestions"][0].meeting_fairs == [{"id": fair.pk, "title": fair.title}]
    assert f'href="{target}"' in response.content.decode()
    assert staff_client.get(target).status_code == 200


def test_no_propose_link_for_times_at_a_fair_without_the_companys_booth(
    staff_client, coffee_booth, profile, buyer
):
    from tests.factories.fair import FairPageFactory
    from tests.factories.meetings import BuyerAvailabilityFactory

    buyer_discoverable_set(user=buyer, discoverable=True)
    BuyerAvailabilityFactory(fair=FairPageFactory(slug="elsewhere"), buyer=buyer)
    html = staff_client.get(buyers_url(coffee_booth.company)).content.decode()
    assert "Propose a meeting" not in html
