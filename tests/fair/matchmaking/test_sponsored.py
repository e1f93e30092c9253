"""Featured and sponsored booths: shown apart and labelled, never ranked higher for it."""

from django.urls import reverse

from fair.matchmaking.scoring import BuyerFacts, ExhibitorFacts, ProductFacts, rank
from fair.models import BoothPackage
from tests.fair.matchmaking.conftest import exhibitor


def test_featured_and_sponsored_booths_carry_their_labels_everywhere(
    buyer_client, fair, profile, coffee_booth
):
    sponsored_package = BoothPackage.objects.create(fair=fair, name="Gold", sponsored=True, price_amount=0)
    coffee_booth.featured = True
    coffee_booth.package = sponsored_package
    coffee_booth.save()
    response = buyer_client.get(reverse("matchmaking:recommended", args=[fair.slug]))
    suggestions = response.context["suggestions"]
    assert [booth.pk for booth in suggestions.booths] == [coffee_booth.pk]
    assert [booth.pk for booth in suggestions.promoted] == [coffee_booth.pk]
    html = response.content.decode()
    # The booth appears in "Booths for you", in "Products for you" and in the promoted block: each time
    # with both labels.
    assert html.count('class="badge badge-featured">Featured by the chamber<') == 3
    assert html.count('class="badge badge-sponsored">Sponsored<') == 3
    assert "Featured and sponsored" in html


def test_promoted_booths_not_matching_stay_out_of_recommended(buyer_client, fair, profile, coffee_booth):
    shoes = exhibitor(fair, name="Zapatos S.A.", hs_code="640399", product="Leather shoes")
    shoes.featured = True
    shoes.save()
    suggestions = buyer_client.get(reverse("matchmaking:recommended", args=[fair.slug])).context[
        "suggestions"
    ]
    assert shoes.pk not in [booth.pk for booth in suggestions.booths]
    assert [booth.pk for booth in suggestions.promoted] == [shoes.pk]


def test_featured_flag_plays_no_part_in_ranking(buyer_client, fair, profile):
    first = exhibitor(fair, name="A Coffee", hs_code="090111")
    second = exhibitor(fair, name="B Coffee", hs_code="090111")
    second.featured = True
    second.save()
    booths = (
        buyer_client.get(reverse("matchmaking:recommended", args=[fair.slug])).context["suggestions"].booths
    )
    assert [booth.pk for booth in booths] == [first.pk, second.pk]
    assert booths[0].score == booths[1].score


def test_scorer_has_no_input_for_payment():
    """The scorer's facts have no featured or sponsored field at all."""
    assert "featured" not in ExhibitorFacts.__dataclass_fields__
    assert "sponsored" not in ExhibitorFacts.__dataclass_fields__
    coffee = (ProductFacts(id=1, name="Coffee", description="", hs_code="090111"),)
    facts = [
        ExhibitorFacts(key=k, company_id=k, name=n, country="PE", products=coffee)
        for k, n in ((2, "B"), (1, "A"))
    ]
    assert [m.key for m in rank(BuyerFacts(hs_codes=("090111",)), facts)] == [1, 2]


def test_sponsored_package_alone_is_labelled_in_recommended(buyer_client, fair, profile, coffee_booth):
    coffee_booth.package = BoothPackage.objects.create(fair=fair, name="Gold", sponsored=True, price_amount=0)
    coffee_booth.save()
    response = buyer_client.get(reverse("matchmaking:recommended", args=[fair.slug]))
    assert [booth.pk for booth in response.context["suggestions"].booths] == [coffee_booth.pk]
    html = response.content.decode()
    assert html.count('class="badge badge-sponsored">Sponsored<') == 3
    assert "badge-featured" not in html
