"""The printable fair catalogue (fair/selectors/catalogue.py, fair.views.fair_catalogue_pdf, fair/pdf.py)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone

from exhibitors.renditions import ALL_SIZES
from fair.pdf import downscaled_image, render_pdf
from fair.selectors.catalogue import catalogue_entries
from tests.factories.exhibitors import BoothFactory, ProductFactory
from tests.factories.uploads import BoothProductFactory, OfficeHoursFactory, WagtailImageFactory
from tests.fair.conftest import approved_booth


def catalogue_url(fair, language="en") -> str:
    return f"/{language}/{fair.slug}/catalogue/"


@pytest.mark.django_db
def test_catalogue_is_a_small_pdf(client, fair):
    booth = approved_booth(fair, logo=WagtailImageFactory(renditions=ALL_SIZES))
    BoothProductFactory(booth=booth, product=ProductFactory(company=booth.company, name="Café de altura"))

    response = client.get(catalogue_url(fair))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) < 60_000


@pytest.mark.django_db
def test_catalogue_lists_live_booths_products_contacts_and_hours(fair):
    booth = approved_booth(fair)
    booth.company.website = "https://cafe-inca.example"
    booth.company.save()
    BoothProductFactory(booth=booth, product=ProductFactory(company=booth.company, name="Café de altura"))
    OfficeHoursFactory(booth=booth, weekday=0, opens_at=datetime.time(9), closes_at=datetime.time(13))
    BoothFactory(fair=fair)  # pending: not in the catalogue
    entries = catalogue_entries(fair=fair, user=AnonymousUser())

    markup = render_to_string(
        "fair/catalogue_pdf.html",
        {"page": fair, "fair_original": fair, "entries": entries, "generated_at": timezone.now()},
    )

    assert [entry.booth for entry in entries] == [booth]
    assert booth.company.legal_name in markup
    assert "Café de altura" in markup
    assert "https://cafe-inca.example" in markup
    assert "09:00–13:00" in markup


@pytest.mark.django_db
def test_catalogue_speaks_the_visitors_language(client, spanish_fair, fair):
    approved_booth(fair)

    response = client.get(catalogue_url(spanish_fair, "es"))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-es.pdf"')


@pytest.mark.django_db
def test_catalogue_queries_stay_flat(client, fair, django_assert_max_num_queries):
    for _ in range(2):
        booth = approved_booth(fair, logo=WagtailImageFactory(renditions=ALL_SIZES))
        BoothProductFactory(booth=booth, product=ProductFactory(company=booth.company))
        OfficeHoursFactory(booth=booth)
    client.get(catalogue_url(fair))  # warm the page tree and site lookups
    with django_assert_max_num_queries(40) as few:
        client.get(catalogue_url(fair))
    for _ in range(6):
        booth = approved_booth(fair, logo=WagtailImageFactory(renditions=ALL_SIZES))
        BoothProductFactory(booth=booth, product=ProductFactory(company=booth.company))
        OfficeHoursFactory(booth=booth)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(catalogue_url(fair))


@pytest.mark.django_db
def test_downscaled_image_is_a_small_jpeg():
    image = WagtailImageFactory()

    flowable = downscaled_image(image.file.name, width_points=20)

    assert flowable is not None
    assert flowable.drawWidth == 20


def test_render_pdf_lays_out_any_template(tmp_path, settings):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agenda.html").write_text(
        "<h1>{{ title }}</h1><ul>{% for item in items %}<li><b>{{ item }}</b></li>{% endfor %}</ul>"
        "<p>A &amp; B</p>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]

    pdf = render_pdf("agenda.html", {"title": "Agenda", "items": ["10:00 Café <Inca>"]}, title="Agenda")

    assert pdf.startswith(b"%PDF")
