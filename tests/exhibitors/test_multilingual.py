"""Exhibitor texts in several languages: the model helpers, the editors' per-language fields and status."""

import pytest
from django.urls import reverse
from django.utils import translation

from exhibitors.enums import MembershipRole
from exhibitors.forms.catalogue import ProductForm
from exhibitors.models import Product
from exhibitors.multilingual import translations_clean
from exhibitors.services.catalogue import product_update
from tests.exhibitors.test_catalogue import form_data
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, ProductFactory
from tests.factories.fair import FairPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.OWNER)


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


# --- The model helpers ---


def test_shown_reader_language_when_written_in_full():
    product = ProductFactory(
        name="Café",
        description="Lavado.",
        language="es",
        translations={"en": {"name": "Coffee", "description": "Washed."}},
    )

    shown = product.shown("en")

    assert (shown["name"], shown["description"], shown.language, shown.fallback) == (
        "Coffee",
        "Washed.",
        "en",
        False,
    )
    assert shown.available == ["es"]


def test_shown_partial_translation_falls_back_to_original_whole():
    # A name without its description would mix two languages on one card: the original is shown whole.
    product = ProductFactory(
        name="Café", description="Lavado.", language="es", translations={"fr": {"name": "Café vert"}}
    )

    shown = product.shown("fr")

    assert (shown["name"], shown["description"], shown.language, shown.fallback) == (
        "Café",
        "Lavado.",
        "es",
        True,
    )
    assert product.languages_written() == ["es"]
    assert product.languages_missing() == ["en", "fr", "pt"]


def test_name_attribute_stays_the_original():
    product = ProductFactory(
        name="Café", language="es", translations={"en": {"name": "Coffee", "description": ""}}
    )

    with translation.override("en"):
        assert product.name == "Café"
        assert product.translated("name") == "Coffee"
        assert str(product) == "Café"


def test_translations_clean_drops_original_unknown_and_empty():
    cleaned = translations_clean(
        {
            "es": {"name": "x"},
            "de": {"name": "y"},
            "fr": {"name": "  ", "other": "z"},
            "pt": {"name": " Café "},
        },
        fields=("name", "description"),
        source_language="es",
    )

    assert cleaned == {"pt": {"name": "Café"}}


def test_product_update_keeps_translations_when_not_given():
    product = ProductFactory(language="es", translations={"en": {"name": "Coffee"}})
    fields = {name: getattr(product, name) for name in ("name", "description", "hs_code", "unit", "currency")}

    product_update(
        product=product,
        language="es",
        min_order_quantity=None,
        price_min=None,
        price_max=None,
        lead_time_days=None,
        **fields,
    )

    product.refresh_from_db()
    assert product.translations == {"en": {"name": "Coffee"}}


# --- Product editor ---


def test_product_form_has_no_fields_for_the_originals_language():
    form = ProductForm(initial={"language": "es"})

    assert "name_es" not in form.fields
    assert {"name_en", "name_fr", "name_pt", "description_en"} <= set(form.fields)


def test_product_create_saves_translations(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}),
        form_data(name="Café verde", language="es", name_en="Green coffee", description_en="Washed arabica."),
    )

    product = Product.objects.get(company=member.company)
    assert response.status_code == 302
    assert product.name == "Café verde"
    assert product.translations == {"en": {"name": "Green coffee", "description": "Washed arabica."}}


def test_product_edit_shows_languages_written_and_missing(signed_in, member):
    product = ProductFactory(
        company=member.company,
        name="Café",
        description="",
        language="es",
        translations={"en": {"name": "Coffee"}},
    )

    html = signed_in.get(reverse("product_edit", kwargs={"product_id": product.pk})).content.decode()

    assert 'class="language-original"' in html and "Spanish: original" in html
    assert "English: written" in html
    assert "French: missing" in html and "Portuguese: missing" in html
    assert 'name="name_en" value="Coffee"' in html
    assert 'name="name_es"' not in html


def test_product_edit_translation_line_break_refused_input_kept(signed_in, member):
    product = ProductFactory(company=member.company, language="es")

    response = signed_in.post(
        reverse("product_edit", kwargs={"product_id": product.pk}),
        form_data(language="es", name_fr="Café\nvert", description_fr="Lavé."),
    )

    assert response.status_code == 200
    assert "Lavé." in response.content.decode()
    product.refresh_from_db()
    assert product.translations == {}


def test_product_edit_other_company_404(signed_in):
    product = ProductFactory()

    response = signed_in.post(
        reverse("product_edit", kwargs={"product_id": product.pk}), form_data(name_fr="x")
    )

    assert response.status_code == 404


# --- Booth builder and company profile ---


def test_booth_edit_saves_translations_and_shows_status(signed_in, member):
    booth = BoothFactory(company=member.company, fair=FairPageFactory(), tagline="", description="")
    url = reverse("booth_edit", kwargs={"booth_id": booth.pk})

    signed_in.post(
        url,
        {
            "tagline": "Café de altura",
            "description": "Muestras en 10 días.",
            "language": "es",
            "video_url": "",
            "tagline_en": "High-altitude coffee",
            "description_en": "Samples within 10 days.",
            "tagline_pt": "Café de altitude",
        },
    )

    booth.refresh_from_db()
    assert booth.translations == {
        "en": {"tagline": "High-altitude coffee", "description": "Samples within 10 days."},
        "pt": {"tagline": "Café de altitude"},
    }
    html = signed_in.get(url).content.decode()
    assert "English: written" in html and "Portuguese: missing" in html
    assert 'name="tagline_pt" value="Café de altitude"' in html


def test_company_edit_saves_description_translations(signed_in, member):
    company = member.company
    company.description, company.description_language = "Cooperativa.", "es"
    company.save()

    response = signed_in.post(
        reverse("company_edit", kwargs={"company_id": company.pk}),
        {
            "legal_name": company.legal_name,
            "country": company.country.code,
            "description": "Cooperativa.",
            "description_language": "es",
            "description_fr": "Coopérative.",
        },
    )

    company.refresh_from_db()
    assert response.status_code == 302
    assert company.translations == {"fr": {"description": "Coopérative."}}


def test_company_translations_cost_no_query():
    company = CompanyFactory(
        description="x", description_language="es", translations={"en": {"description": "y"}}
    )
    loaded = type(company).objects.get(pk=company.pk)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert loaded.shown("en")["description"] == "y"
    assert len(queries) == 0
