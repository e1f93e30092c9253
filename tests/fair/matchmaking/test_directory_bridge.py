"""The directory's search follows the matchmaking bridge: one goods word in another language than the
catalogue finds the booths selling it."""

from tests.factories.exhibitors import CompanyFactory, ProductFactory
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth


def names(response):
    return [booth.company.legal_name for booth in response.context["booths"]]


def spanish_booth(fair, name, product, hs_code):
    booth = approved_booth(
        fair, company=CompanyFactory(legal_name=name, description="Exportamos desde Perú.")
    )
    BoothProductFactory(
        booth=booth,
        product=ProductFactory(
            company=booth.company, name=product, description="", hs_code=hs_code, language="es"
        ),
    )
    return booth


def test_german_word_finds_spanish_catalogue(client, fair):
    spanish_booth(fair, "Cafetalera Jaén", "Café verde lavado", "090111")
    spanish_booth(fair, "Cacao Huallaga", "Cacao en grano", "180100")
    response = client.get(f"/en/{fair.slug}/exhibitors/", {"q": "Kaffee"})
    assert names(response) == ["Cafetalera Jaén"]


def test_two_word_goods_name(client, fair):
    spanish_booth(fair, "Castañas Riberalta", "Castaña amazónica", "080122")
    response = client.get(f"/en/{fair.slug}/exhibitors/", {"q": "noix du Brésil"})
    assert names(response) == ["Castañas Riberalta"]


def test_longer_searches_still_want_every_word(client, fair):
    spanish_booth(fair, "Cafetalera Jaén", "Café verde lavado", "090111")
    response = client.get(f"/en/{fair.slug}/exhibitors/", {"q": "Kaffee Geisha"})
    assert names(response) == []
