from django.urls import reverse

from fair.matchmaking.scoring import BuyerFacts, ExhibitorFacts, ProductFacts, rank
from tests.fair.matchmaking.conftest import exhibitor

COFFEE = "HS 0901 (coffee, whether or not roasted or decaffeinated: husks and…)"


def recommended_url(fair):
    return reverse("matchmaking:recommended", args=[fair.slug])


def test_recommended_shows_booths_with_their_reasons(
    buyer_client, fair, profile, coffee_booth, textile_booth
):
    response = buyer_client.get(recommended_url(fair))
    assert response.status_code == 200
    booths = response.context["suggestions"].booths
    assert [booth.pk for booth in booths] == [coffee_booth.pk]
    assert booths[0].reasons == [
        f"sells {COFFEE}, which you are looking for",
        "certified EU Organic, as you asked",
        "already exports to Germany",
    ]
    html = response.content.decode()
    assert "certified EU Organic, as you asked" in html
    assert "already exports to Germany" in html


def test_recommended_reasons_in_the_readers_language(buyer_client, fair, profile, coffee_booth):
    response = buyer_client.get(recommended_url(fair).replace("/en/", "/es/"))
    assert "ya exporta a Alemania" in response.content.decode()


def test_words_in_another_language_bridge_to_hs_codes(
    buyer_client, fair, profile, coffee_booth, textile_booth
):
    profile.hs_codes = []
    profile.keywords = "Kaffee"
    profile.save()
    booths = buyer_client.get(recommended_url(fair)).context["suggestions"].booths
    assert [booth.pk for booth in booths] == [coffee_booth.pk]
    assert booths[0].reasons[0].startswith("sells HS 0901")
    assert "“kaffee”" in booths[0].reasons[0]


def test_sector_names_bridge_languages(buyer_client, fair, profile, textile_booth, coffee_booth):
    from tests.factories.exhibitors import SectorFactory

    textiles = SectorFactory(name="Textiles & apparel", slug="textiles")
    textile_booth.company.sectors.add(textiles)
    profile.hs_codes = []
    profile.keywords = "confección textil"
    profile.save()
    booths = buyer_client.get(recommended_url(fair)).context["suggestions"].booths
    assert [booth.pk for booth in booths] == [textile_booth.pk]
    assert "works in Textiles & apparel, which you mention" in booths[0].reasons


def test_favourites_and_chats_are_signals(buyer_client, buyer, fair, profile, coffee_booth):
    from fair.services import favourite_add

    other = exhibitor(fair, name="Tostadores S.A.S.", hs_code="090121", country="CO")
    profile.hs_codes = []
    profile.save()
    favourite_add(user=buyer, booth=coffee_booth)
    booths = buyer_client.get(recommended_url(fair)).context["suggestions"].booths
    reasons = {booth.pk: booth.reasons for booth in booths}
    assert "you saved this booth or one of its products" in reasons[coffee_booth.pk]
    assert reasons[other.pk] == [f"sells {COFFEE}, like Cafe Alto S.A.C., which you saved"]


def test_products_are_recommended_with_reasons(buyer_client, fair, profile, coffee_booth):
    products = buyer_client.get(recommended_url(fair)).context["suggestions"].products
    assert [item.product.name for item in products] == ["Green coffee"]
    assert products[0].reasons[0].startswith("sells HS 0901")


def test_reply_time_is_a_reason(buyer_client, fair, profile, coffee_booth):
    from django.core.cache import cache

    cache.set(f"chat:response-seconds:{coffee_booth.company_id}", 5400, 60)
    booths = buyer_client.get(recommended_url(fair)).context["suggestions"].booths
    assert "usually replies within 2 hours" in booths[0].reasons


def test_signed_out_goes_to_sign_in(client, fair):
    response = client.get(recommended_url(fair))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_fair_is_404(buyer_client, db, home_page):
    assert buyer_client.get(reverse("matchmaking:recommended", args=["nowhere"])).status_code == 404


def test_without_profile_offers_to_create_one(buyer_client, fair, coffee_booth):
    response = buyer_client.get(recommended_url(fair))
    assert reverse("buyer_profile_edit") in response.content.decode()
    assert response.context["suggestions"].booths == []


def test_ranking_ignores_featured_and_sponsored():
    coffee = (ProductFacts(id=1, name="Coffee", description="", hs_code="090111"),)
    plain = ExhibitorFacts(key=1, company_id=1, name="B plain", country="PE", products=coffee)
    buyer = BuyerFacts(hs_codes=("0901",))
    assert [m.score for m in rank(buyer, [plain])] == [30]


def test_own_booths_are_not_suggested(buyer_client, buyer, fair, profile, coffee_booth):
    from tests.factories.exhibitors import MembershipFactory

    MembershipFactory(company=coffee_booth.company, user=buyer)
    assert buyer_client.get(recommended_url(fair)).context["suggestions"].booths == []


def test_fair_page_and_dashboard_link_to_suggestions(buyer_client, fair, profile):
    assert recommended_url(fair) in buyer_client.get(fair.url).content.decode()
    assert reverse("matchmaking:preferences") in buyer_client.get(reverse("dashboard")).content.decode()


def test_reason_names_the_heading_when_only_the_heading_matches():
    from fair.matchmaking.reasons import reason_text

    roasted = (ProductFacts(id=1, name="Roasted coffee", description="", hs_code="090121"),)
    booth = ExhibitorFacts(key=1, company_id=1, name="Roaster", country="CO", products=roasted)
    match = rank(BuyerFacts(hs_codes=("090111",)), [booth])[0]
    assert match.score == 30
    assert reason_text(match.reasons[0], audience="buyer", names={}) == (
        f"sells {COFFEE}, which you are looking for"
    )
