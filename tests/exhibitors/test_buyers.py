"""Buyer profile: HS codes validated against the nomenclature and shown with their descriptions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exhibitors.models import BuyerProfile
from exhibitors.services.accounts import buyer_profile_save, hs_codes_parse, hs_codes_validate
from tests.factories.exhibitors import BuyerProfileFactory, SectorFactory, UserFactory


def buyer_post(**overrides) -> dict:
    data = {
        "company_name": "Rösterei Nord GmbH",
        "country": "DE",
        "hs_codes": "09, 1801 080390",
        "keywords": "organic, fair trade",
        "looking_for": "Washed arabica, 2 containers a year.",
        "looking_for_language": "en",
    }
    data.update(overrides)
    return data


# --- HS codes ---


@pytest.mark.parametrize("code", ["09", "0901", "090111"])
def test_hs_codes_validate_accepts_chapters_headings_and_subheadings(code):
    assert hs_codes_validate([code]) == [code]


@pytest.mark.parametrize("code", ["9", "090", "09011", "09011100", "77", "0999", "abcd", "090199"])
def test_hs_codes_validate_refuses_what_is_not_in_the_nomenclature(code):
    with pytest.raises(ValidationError) as caught:
        hs_codes_validate(["0901", code])
    assert code in caught.value.messages[0]
    assert "0901," not in caught.value.messages[0]


def test_hs_codes_parse_accepts_commas_spaces_and_dots_and_drops_duplicates():
    assert hs_codes_parse(" 0901.11, 1801;0803\n0901.11 09 ") == ["090111", "1801", "0803", "09"]


# --- Service ---


def test_buyer_profile_save_creates_then_updates_one_profile(db):
    user = UserFactory()
    coffee, cocoa = SectorFactory(), SectorFactory()

    first = buyer_profile_save(
        user=user,
        company_name="Rösterei Nord GmbH",
        country="DE",
        sectors=[coffee],
        hs_codes=["0901"],
        keywords="coffee",
        looking_for="Arabica",
        looking_for_language="en",
    )
    second = buyer_profile_save(
        user=user,
        company_name="Rösterei Nord AG",
        country="AT",
        sectors=[cocoa],
        hs_codes=["1801", "18"],
        keywords="cocoa",
        looking_for="Kakao",
        looking_for_language="pt",
    )

    assert first.pk == second.pk
    profile = BuyerProfile.objects.get(user=user)
    assert (profile.company_name, profile.country.code, profile.hs_codes) == (
        "Rösterei Nord AG",
        "AT",
        ["1801", "18"],
    )
    assert list(profile.sectors.all()) == [cocoa]


def test_buyer_profile_save_refuses_unknown_codes(db):
    user = UserFactory()

    with pytest.raises(ValidationError):
        buyer_profile_save(
            user=user,
            company_name="X",
            country="DE",
            sectors=[],
            hs_codes=["0901", "1234567"],
            keywords="",
            looking_for="",
            looking_for_language="en",
        )
    assert not BuyerProfile.objects.filter(user=user).exists()


# --- Page ---


def test_buyer_profile_form_saves_and_shows_codes_with_descriptions(client, db):
    user = UserFactory()
    sector = SectorFactory(name="Agrifood")
    client.force_login(user)

    response = client.post(reverse("buyer_profile_edit"), buyer_post(sectors=[sector.pk]))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    profile = BuyerProfile.objects.get(user=user)
    assert profile.hs_codes == ["09", "1801", "080390"]
    assert (profile.company_name, profile.country.code, profile.keywords) == (
        "Rösterei Nord GmbH",
        "DE",
        "organic, fair trade",
    )
    assert list(profile.sectors.all()) == [sector]
    html = client.get(reverse("buyer_profile_edit")).content.decode()
    assert "Coffee, tea, mate and spices" in html
    assert "Cocoa beans; whole or broken, raw or roasted" in html
    assert 'value="09 1801 080390"' in html


def test_buyer_profile_form_with_an_unknown_code_shows_which_and_keeps_the_input(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("buyer_profile_edit"), buyer_post(hs_codes="0901 0999 12345"))

    assert response.status_code == 200
    message = str(response.context["form"].errors["hs_codes"])
    assert "0999" in message
    assert "12345" in message
    html = response.content.decode()
    assert 'value="0901 0999 12345"' in html
    assert 'value="Rösterei Nord GmbH"' in html
    assert "Washed arabica, 2 containers a year." in html
    assert not BuyerProfile.objects.filter(user=user).exists()


def test_buyer_profile_form_edits_only_the_signed_in_persons_profile(client, db):
    mine = BuyerProfileFactory(company_name="Mine")
    theirs = BuyerProfileFactory(company_name="Theirs")
    client.force_login(mine.user)

    client.post(reverse("buyer_profile_edit"), buyer_post(company_name="Changed"))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.company_name, theirs.company_name) == ("Changed", "Theirs")
    assert BuyerProfile.objects.count() == 2


def test_buyer_profile_form_needs_a_signed_in_person(client, db):
    response = client.get(reverse("buyer_profile_edit"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
