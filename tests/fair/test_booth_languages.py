"""The booth page in the reader's language, or in the exhibitor's own with a note and links."""

import re

from tests.factories.exhibitors import CompanyFactory, ProductFactory, SectorFactory
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth


def booth_url(fair, booth, language="en"):
    return f"/{language}/{fair.slug}/booths/{booth.company.slug}/"


def spanish_booth(fair):
    company = CompanyFactory(
        legal_name="Cafe Inca S.A.C.",
        slug="cafe-inca",
        description="Cooperativa de Jaén.",
        description_language="es",
        translations={"en": {"description": "A cooperative from Jaén."}},
    )
    booth = approved_booth(
        fair,
        company=company,
        tagline="Café de altura",
        description="Muestras en 10 días.",
        language="es",
        translations={"fr": {"tagline": "Café d'altitude", "description": "Échantillons sous 10 jours."}},
    )
    product = ProductFactory(
        company=company,
        name="Café verde lavado",
        description="Arábica lavado.",
        language="es",
        translations={"en": {"name": "Washed green coffee", "description": "Washed Arabica."}},
    )
    BoothProductFactory(booth=booth, product=product)
    return booth, product


def test_booth_page_shows_the_readers_language_with_its_lang(client, fair):
    booth, product = spanish_booth(fair)

    html = client.get(booth_url(fair, booth, "en")).content.decode()

    assert '<h3 lang="en">Washed green coffee</h3>' in html
    assert '<p lang="en">Washed Arabica.</p>' in html
    assert 'lang="en"><p>A cooperative from Jaén.</p>' in html
    assert "Café verde lavado" not in html


def test_booth_page_missing_language_shows_original_with_note_and_links(client, fair):
    booth, product = spanish_booth(fair)

    html = client.get(booth_url(fair, booth, "en")).content.decode()

    # The booth's texts exist in Spanish (original) and French, not in English.
    assert '<p class="lead" lang="es">Café de altura</p>' in html
    assert '<div class="prose" lang="es"><p>Muestras en 10 días.</p></div>' in html
    note = re.search(r'<p class="translation-note">(.*?)</p>', html, re.S).group(1)
    assert "Shown in Spanish" in note
    # Spanish is what is shown already: the links lead to the other languages written.
    assert 'hreflang="es"' not in note
    assert f'href="/fr/{fair.slug}/booths/cafe-inca/" lang="fr" hreflang="fr">français</a>' in note


def test_booth_page_note_is_in_the_readers_language(client, fair):
    booth, product = spanish_booth(fair)

    html = client.get(booth_url(fair, booth, "pt")).content.decode()

    assert '<h3 lang="es">Café verde lavado</h3>' in html
    assert "Mostrado em espanhol" in html
    assert f'href="/en/{fair.slug}/booths/cafe-inca/#product-{product.pk}"' in html


def test_booth_page_original_language_has_no_note(client, fair):
    booth, product = spanish_booth(fair)

    html = client.get(booth_url(fair, booth, "es")).content.decode()

    assert '<h3 lang="es">Café verde lavado</h3>' in html
    assert 'class="translation-note"' not in html


def test_booth_page_hall_and_sector_names_in_readers_language(client, fair):
    booth, product = spanish_booth(fair)
    booth.hall.translations = {"es": {"name": "Agroalimentos"}}
    booth.hall.save()
    booth.company.sectors.add(SectorFactory(name="Coffee", translations={"es": {"name": "Café y cacao"}}))

    html = client.get(booth_url(fair, booth, "es")).content.decode()

    assert "Pabellón: Agroalimentos" in html or "Agroalimentos" in html
    assert "Café y cacao" in html


def test_booth_card_tagline_in_readers_language(client, fair):
    booth, product = spanish_booth(fair)

    html = client.get(f"/fr/{fair.slug}/exhibitors/").content.decode()

    assert '<p lang="fr">Café d&#x27;altitude</p>' in html
