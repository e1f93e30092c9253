from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from exhibitors.enums import ApplicationStatus
from fair.selectors.directory import directory_booths, directory_facets
from tests.factories.exhibitors import BoothFactory, CertificationFactory, CompanyFactory, ProductFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth


def names(response):
    return [booth.company.legal_name for booth in response.context["booths"]]


def directory(fair):
    return f"/en/{fair.slug}/exhibitors/"


def test_directory_lists_only_live_booths_in_name_order(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="zeta Textiles"))
    approved_booth(fair, company=CompanyFactory(legal_name="Alpaca Wool"))
    approved_booth(fair, company=CompanyFactory(legal_name="Miel del Sur"))
    BoothFactory(fair=fair, company=CompanyFactory(legal_name="Pending Co"))
    BoothFactory(fair=fair, company=CompanyFactory(legal_name="Gone Co"), status=ApplicationStatus.WITHDRAWN)
    approved_booth(FairPageFactory(), company=CompanyFactory(legal_name="Other Fair Co"))

    response = client.get(directory(fair))

    assert response.status_code == 200
    assert names(response) == ["Alpaca Wool", "Miel del Sur", "zeta Textiles"]
    assert "Listed by company name, A to Z." in response.content.decode()


def test_directory_does_not_move_promoted_booths_up(client, fair):
    gold = BoothPackageFactory(fair=fair, name="Gold", sponsored=True)
    basic = BoothPackageFactory(fair=fair, name="Basic")
    approved_booth(fair, company=CompanyFactory(legal_name="Zulu Sponsor"), package=gold)
    approved_booth(fair, company=CompanyFactory(legal_name="Yankee Featured"), package=basic, featured=True)
    approved_booth(fair, company=CompanyFactory(legal_name="Alpha Plain"), package=basic)

    response = client.get(directory(fair))

    assert names(response) == ["Alpha Plain", "Yankee Featured", "Zulu Sponsor"]
    cards = response.content.decode().split('class="card booth-card"')[1:]
    assert "badge-" not in cards[0]
    assert "badge-featured" in cards[1] and "badge-sponsored" not in cards[1]
    assert "badge-sponsored" in cards[2] and "badge-featured" not in cards[2]


def test_directory_search_matches_product_name(client, fair):
    quinoa = approved_booth(fair, company=CompanyFactory(legal_name="Andes Grains", description="Cereals"))
    BoothProductFactory(
        booth=quinoa, product=ProductFactory(company=quinoa.company, name="Royal quinoa flakes")
    )
    approved_booth(fair, company=CompanyFactory(legal_name="Lima Textiles", description="Cotton shirts"))

    response = client.get(directory(fair), {"q": "quinoa"})

    assert names(response) == ["Andes Grains"]


def test_directory_search_ignores_products_the_booth_does_not_show(client, fair):
    booth = approved_booth(fair, company=CompanyFactory(legal_name="Andes Grains", description="Cereals"))
    ProductFactory(company=booth.company, name="Royal quinoa flakes")  # in the catalogue, not at the booth

    response = client.get(directory(fair), {"q": "quinoa"})

    assert names(response) == []
    assert "No exhibitor matches." in response.content.decode()


def test_directory_search_matches_company_name_and_description(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Cafe Inca", description="Organic coffee"))
    approved_booth(fair, company=CompanyFactory(legal_name="Organic Wool Coop", description="Alpaca"))
    approved_booth(fair, company=CompanyFactory(legal_name="Lima Metals", description="Copper wire"))

    assert names(client.get(directory(fair), {"q": "organic"})) == ["Cafe Inca", "Organic Wool Coop"]
    assert names(client.get(directory(fair), {"q": "organic alpaca"})) == ["Organic Wool Coop"]


def test_directory_search_treats_punctuation_as_spaces(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Cafe Inca", description="Organic coffee"))

    response = client.get(directory(fair), {"q": '"organic" (coffee* -'})

    assert response.status_code == 200
    assert names(response) == ["Cafe Inca"]


def test_directory_search_over_1000_characters_is_refused_without_searching(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Cafe Inca", description="Organic coffee"))
    query = "coffee " * 142 + "coffees"
    assert len(query) == 1001

    with CaptureQueriesContext(connection) as queries:
        response = client.get(directory(fair), {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your search is too long: use at most 1,000 characters." in html
    assert response.context["page_obj"] is None
    assert "Cafe Inca" not in html
    assert not any("wagtailsearch_indexentry" in query["sql"] for query in queries.captured_queries)
    assert "coffee coffee" in html  # the person's text is kept in the field


def test_directory_search_of_exactly_1000_characters_runs(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Cafe Inca", description="Organic coffee"))
    query = ("coffee " * 143)[:1000]

    response = client.get(directory(fair), {"q": query})

    assert names(response) == ["Cafe Inca"]


def test_directory_filters_by_hs_prefix(client, fair):
    coffee = approved_booth(fair, company=CompanyFactory(legal_name="Coffee Co"))
    BoothProductFactory(booth=coffee, product=ProductFactory(company=coffee.company, hs_code="090111"))
    tea = approved_booth(fair, company=CompanyFactory(legal_name="Tea Co"))
    BoothProductFactory(booth=tea, product=ProductFactory(company=tea.company, hs_code="090230"))
    cotton = approved_booth(fair, company=CompanyFactory(legal_name="Cotton Co"))
    BoothProductFactory(booth=cotton, product=ProductFactory(company=cotton.company, hs_code="520100"))

    assert names(client.get(directory(fair), {"hs": "09"})) == ["Coffee Co", "Tea Co"]
    assert names(client.get(directory(fair), {"hs": "0901"})) == ["Coffee Co"]
    assert names(client.get(directory(fair), {"hs": "090230"})) == ["Tea Co"]
    assert names(client.get(directory(fair), {"hs": "52"})) == ["Cotton Co"]


def test_directory_rejects_unknown_hs_code_with_message(client, fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Coffee Co"))

    for bad in ["9", "099", "0999", "abc", "12345678"]:
        response = client.get(directory(fair), {"hs": bad, "q": "coffee"})
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["page_obj"] is None
        assert "HS" in html and ("is not an HS chapter" in html or "2, 4 or 6 digits" in html)
        assert 'value="coffee"' in html


def test_directory_filters_by_hall_and_country(client, fair):
    food = HallFactory(fair=fair, name="Food")
    crafts = HallFactory(fair=fair, name="Crafts")
    approved_booth(fair, company=CompanyFactory(legal_name="Peru Food", country="PE"), hall=food)
    approved_booth(fair, company=CompanyFactory(legal_name="Chile Food", country="CL"), hall=food)
    approved_booth(fair, company=CompanyFactory(legal_name="Peru Crafts", country="PE"), hall=crafts)

    assert names(client.get(directory(fair), {"hall": food.pk})) == ["Chile Food", "Peru Food"]
    assert names(client.get(directory(fair), {"country": "PE"})) == ["Peru Crafts", "Peru Food"]
    assert names(client.get(directory(fair), {"hall": food.pk, "country": "PE"})) == ["Peru Food"]
    countries = dict(client.get(directory(fair)).context["form"].fields["country"].choices)
    assert countries == {"": "All countries", "CL": "Chile", "PE": "Peru"}


def test_directory_filters_by_company_or_product_certification(client, fair):
    organic = CertificationFactory(name="Organic", slug="organic")
    fair_trade = CertificationFactory(name="Fair Trade", slug="fair-trade")
    certified = approved_booth(fair, company=CompanyFactory(legal_name="Certified Co"))
    certified.company.certifications.add(organic)
    by_product = approved_booth(fair, company=CompanyFactory(legal_name="Product Co"))
    product = ProductFactory(company=by_product.company)
    product.certifications.add(organic)
    BoothProductFactory(booth=by_product, product=product)
    other = approved_booth(fair, company=CompanyFactory(legal_name="Other Co"))
    other.company.certifications.add(fair_trade)

    assert names(client.get(directory(fair), {"certification": organic.pk})) == ["Certified Co", "Product Co"]
    assert names(client.get(directory(fair), {"certification": fair_trade.pk})) == ["Other Co"]


def test_directory_bad_filter_values_get_messages_not_errors(client, fair):
    other_hall = HallFactory(fair=FairPageFactory())
    approved_booth(fair)

    response = client.get(
        directory(fair), {"hall": other_hall.pk, "country": "ZZ", "certification": "x", "page": "abc"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "That hall is not part of this fair." in html
    assert "No exhibitor comes from that country." in html
    assert "No exhibitor holds that certification." in html
    assert response.context["page_obj"] is None
    assert (
        "Null characters are not allowed." in client.get(directory(fair), {"q": "cafe\x00"}).content.decode()
    )
    assert "Type at least one word" in client.get(directory(fair), {"q": "?!"}).content.decode()


def test_directory_paginates_with_plain_links(client, fair):
    for number in range(30):
        approved_booth(fair, company=CompanyFactory(legal_name=f"Company {number:02d}"))

    first = client.get(directory(fair), {"country": "PE"})
    second = client.get(directory(fair), {"country": "PE", "page": 2})
    beyond = client.get(directory(fair), {"country": "PE", "page": 99})
    absurd = client.get(directory(fair), {"country": "PE", "page": "9" * 40})

    assert names(first) == [f"Company {n:02d}" for n in range(24)]
    assert names(second) == [f"Company {n:02d}" for n in range(24, 30)]
    assert names(beyond) == names(absurd) == names(second)
    assert first.context["page_obj"].paginator.count == 30
    assert '<a href="?country=PE&amp;page=2" rel="next">' in first.content.decode()
    assert "30 exhibitors found." in first.content.decode()


def test_directory_selector_search_and_filters_combine(db, fair):
    coffee = approved_booth(fair, company=CompanyFactory(legal_name="Coffee Co", country="PE"))
    BoothProductFactory(booth=coffee, product=ProductFactory(company=coffee.company, name="Geisha beans"))
    approved_booth(fair, company=CompanyFactory(legal_name="Geisha Textiles", country="CL"))

    found = directory_booths(fair=fair, query="geisha", country="PE")

    assert [booth.company.legal_name for booth in found] == ["Coffee Co"]


def test_spanish_directory_lists_the_same_booths(client, fair, spanish_fair):
    approved_booth(fair, company=CompanyFactory(legal_name="Tejidos Andinos", description="Alpaca"))
    hall = fair.halls.get()

    response = client.get(f"/es/{spanish_fair.slug}/exhibitors/", {"q": "alpaca", "hall": hall.pk})

    assert response.status_code == 200
    assert names(response) == ["Tejidos Andinos"]


def test_directory_countries_follow_the_readers_alphabet(fair):
    for code in ["ZM", "EC", "DE", "EG", "ES"]:
        approved_booth(fair, company=CompanyFactory(legal_name=f"Company {code}", country=code))

    with translation.override("fr"):
        choices = directory_facets(fair=fair).countries

    assert [label for _code, label in choices] == ["Allemagne", "Égypte", "Équateur", "Espagne", "Zambie"]


def test_collation_key_orders_accents_and_spanish_enye():
    from exhibitors.collation import collation_key

    french = ["Zambie", "Équateur", "Allemagne", "Égypte", "Espagne", "Eswatini"]
    assert sorted(french, key=lambda name: collation_key(name, "fr")) == [
        "Allemagne",
        "Égypte",
        "Équateur",
        "Espagne",
        "Eswatini",
        "Zambie",
    ]
    spanish = ["Nueva Zelanda", "Ñandú", "Níger", "Namibia", "Omán"]
    assert sorted(spanish, key=lambda name: collation_key(name, "es")) == [
        "Namibia",
        "Níger",
        "Nueva Zelanda",
        "Ñandú",
        "Omán",
    ]
