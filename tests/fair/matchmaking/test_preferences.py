"""The "Why these suggestions" page: what suggestions are based on, the personalisation switch, and
being found by exhibitors."""

from django.urls import reverse

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent
from fair.matchmaking.selectors.facts import user_is_discoverable

URL = reverse("matchmaking:preferences")


def form_data(profile, **changes):
    data = {
        "personalised": "on",
        "hs_codes": "0901",
        "keywords": "coffee",
        "looking_for": "",
        "order_size": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_page_shows_what_suggestions_are_based_on(buyer_client, profile):
    html = buyer_client.get(URL).content.decode()
    assert "Why these suggestions" in html
    assert 'value="0901"' in html
    assert "Let exhibitors find me" in html


def test_without_profile_offers_to_create_one(buyer_client):
    response = buyer_client.get(URL)
    assert reverse("buyer_profile_edit") in response.content.decode()


def test_save_updates_profile(buyer_client, profile, organic):
    response = buyer_client.post(
        URL,
        form_data(
            profile,
            hs_codes="1801 090111",
            keywords="cacao",
            target_certifications=[organic.pk],
            origin_countries=["PE", "EC"],
            order_size="small",
        ),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.hs_codes == ["1801", "090111"]
    assert profile.keywords == "cacao"
    assert [str(code) for code in profile.origin_countries] == ["EC", "PE"]
    assert profile.order_size == "small"
    assert list(profile.target_certifications.all()) == [organic]


def test_bad_hs_code_is_refused_and_nothing_lost(buyer_client, profile):
    response = buyer_client.post(URL, form_data(profile, hs_codes="0901 0999", keywords="arabica"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "These are not HS chapters" in html
    assert 'value="arabica"' in html
    profile.refresh_from_db()
    assert profile.keywords == ""


def test_personalisation_off_gives_plain_list_without_reasons(
    buyer_client, fair, profile, coffee_booth, textile_booth
):
    buyer_client.post(URL, form_data(profile, personalised=None))
    profile.refresh_from_db()
    assert profile.personalised is False
    response = buyer_client.get(reverse("matchmaking:recommended", args=[fair.slug]))
    suggestions = response.context["suggestions"]
    assert suggestions.booths == [] and suggestions.products == []
    assert [booth.pk for booth in suggestions.plain] == [coffee_booth.pk, textile_booth.pk]
    html = response.content.decode()
    assert "Personalised suggestions are off" in html
    assert "which you are looking for" not in html
    assert "as you asked" not in html
    assert "Why:" not in html
    assert f"/en/{fair.slug}/exhibitors/" in html


def test_discoverable_consent_recorded_once_per_change(buyer_client, buyer, profile):
    assert not user_is_discoverable(buyer)
    buyer_client.post(URL, form_data(profile, discoverable="on"))
    buyer_client.post(URL, form_data(profile, discoverable="on"))
    assert user_is_discoverable(buyer)
    buyer_client.post(URL, form_data(profile))
    assert not user_is_discoverable(buyer)
    rows = list(Consent.objects.filter(user=buyer, kind=ConsentKind.DISCOVERABLE).order_by("pk"))
    assert [row.granted for row in rows] == [True, False]
    assert rows[0].version


def test_signed_out_goes_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
