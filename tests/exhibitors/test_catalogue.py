from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model

from exhibitors.enums import MembershipRole
from exhibitors.forms.catalogue import ProductForm
from exhibitors.models import BoothProduct, Product, ProductImage
from exhibitors.services.catalogue import (
    PRODUCT_MAX_IMAGES,
    iso_currencies,
    product_create,
    product_delete,
    product_image_add,
    product_move,
    product_update,
)
from tests.factories.exhibitors import CertificationFactory, CompanyFactory, MembershipFactory, ProductFactory
from tests.factories.uploads import (
    SVG,
    BoothProductFactory,
    ProductImageFactory,
    image_bytes,
    png_claiming,
    upload,
)

pytestmark = pytest.mark.django_db
Image = get_image_model()


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.STAFF)


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


def product_data(**overrides):
    data = {
        "name": "Green coffee",
        "description": "Washed arabica, SHB.",
        "language": "en",
        "hs_code": "090111",
        "min_order_quantity": 300,
        "unit": "kg",
        "price_min": Decimal("4.50"),
        "price_max": Decimal("6.00"),
        "currency": "USD",
        "lead_time_days": 30,
    }
    data.update(overrides)
    return data


def form_data(**overrides):
    data = {key: "" if value is None else str(value) for key, value in product_data().items()}
    data.update(overrides)
    return data


# --- Services ---


def test_product_create_appends_to_catalogue(member):
    ProductFactory(company=member.company, sort_order=4)
    certification = CertificationFactory()

    product = product_create(
        company=member.company, by=member.user, certifications=[certification], **product_data()
    )

    assert product.sort_order == 5
    assert list(product.certifications.all()) == [certification]
    assert product.language == "en"


def test_product_create_with_image(member):
    product = product_create(
        company=member.company, by=member.user, image=upload(image_bytes()), **product_data()
    )

    assert product.images.get().image.collection.name == "Exhibitor uploads"


def test_product_create_refused_image_saves_no_product(member):
    with pytest.raises(ValidationError):
        product_create(
            company=member.company, by=member.user, image=upload(png_claiming(14000, 14000)), **product_data()
        )

    assert not Product.objects.exists()
    assert Image.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hs_code": "123456"}, "hs_code"),
        ({"hs_code": "0901"}, "hs_code"),
        ({"price_min": Decimal("9"), "price_max": Decimal("5")}, "price_max"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "DEM"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"price_min": Decimal("-1"), "price_max": None}, "price_min"),
    ],
)
def test_product_create_invalid_refused(member, overrides, field):
    with pytest.raises(ValidationError) as caught:
        product_create(company=member.company, by=member.user, **product_data(**overrides))

    assert field in caught.value.message_dict
    assert not Product.objects.exists()


def test_product_create_no_price_needs_no_currency(member):
    product = product_create(
        company=member.company, by=member.user, **product_data(price_min=None, price_max=None, currency="")
    )

    assert product.currency == ""


def test_product_update_changes_fields_and_certifications(member):
    product = ProductFactory(company=member.company)
    product.certifications.add(CertificationFactory())
    organic = CertificationFactory(name="Organic")

    product_update(
        product=product, certifications=[organic], **product_data(name="Roasted coffee", hs_code="090121")
    )

    product.refresh_from_db()
    assert (product.name, product.hs_code) == ("Roasted coffee", "090121")
    assert list(product.certifications.all()) == [organic]


def test_product_update_invalid_leaves_row_unchanged(member):
    product = ProductFactory(company=member.company, name="Cacao")

    with pytest.raises(ValidationError):
        product_update(
            product=product, **product_data(name="Changed", price_min=Decimal("10"), price_max=Decimal("1"))
        )

    product.refresh_from_db()
    assert product.name == "Cacao"


def test_product_delete_removes_images_and_booth_rows(member):
    product = ProductFactory(company=member.company)
    image_row = ProductImageFactory(product=product)
    booth_row = BoothProductFactory(product=product, booth__company=member.company)

    product_delete(product=product)

    assert not Product.objects.filter(pk=product.pk).exists()
    assert not Image.objects.filter(pk=image_row.image_id).exists()
    assert not BoothProduct.objects.filter(pk=booth_row.pk).exists()


def test_product_move_reorders_only_own_company(member):
    first, second, third = (ProductFactory(company=member.company, sort_order=n) for n in range(3))
    stranger = ProductFactory(sort_order=0)

    product_move(product=first, direction="down")

    assert list(Product.objects.filter(company=member.company).values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
        third.pk,
    ]
    stranger.refresh_from_db()
    assert stranger.sort_order == 0


def test_product_move_first_up_changes_nothing(member):
    first, second = (ProductFactory(company=member.company, sort_order=n) for n in range(2))

    product_move(product=first, direction="up")

    assert list(Product.objects.filter(company=member.company).values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_product_image_add_up_to_limit(member):
    product = ProductFactory(company=member.company)
    ProductImageFactory.create_batch(PRODUCT_MAX_IMAGES, product=product)

    with pytest.raises(ValidationError) as caught:
        product_image_add(product=product, image=upload(image_bytes()), by=member.user)

    assert caught.value.code == "product_images_full"
    assert product.images.count() == PRODUCT_MAX_IMAGES


def test_iso_currencies_current_codes_only():
    codes = iso_currencies()

    assert {"USD", "EUR", "PEN", "JPY"} <= codes
    assert "DEM" not in codes and "XYZ" not in codes


# --- Form ---


def test_product_form_normalises_hs_code_punctuation():
    form = ProductForm(data=form_data(hs_code="0901.11"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["hs_code"] == "090111"


def test_product_form_currency_choices_named_in_language():
    with translation.override("es"):
        form = ProductForm()

    labels = dict(form.fields["currency"].choices)
    assert labels["USD"].startswith("USD – dólar")


# --- Views ---


def test_product_list_view_shows_hs_chapter_and_heading(signed_in, member):
    ProductFactory(company=member.company, name="Arabica beans", hs_code="090111")

    content = signed_in.get(
        reverse("product_list", kwargs={"company_id": member.company_id})
    ).content.decode()

    assert "Arabica beans" in content
    assert "090111" in content
    assert "chapter 09" in content
    assert "Coffee" in content


def test_product_list_view_shows_terms_in_reader_language(client, member):
    ProductFactory(
        company=member.company,
        price_min=Decimal("4.5"),
        price_max=Decimal("1200"),
        currency="USD",
        unit="kg",
        min_order_quantity=300,
        lead_time_days=30,
    )
    client.force_login(member.user)

    english = client.get(reverse("product_list", kwargs={"company_id": member.company_id})).content.decode()
    spanish = client.get(
        reverse("product_list", kwargs={"company_id": member.company_id}).replace("/en/", "/es/", 1)
    ).content.decode()

    assert "$4.50 – $1,200.00 / kg" in english
    assert "minimum order 300 kg" in english and "lead time 30 days" in english
    assert "1200,00\xa0US$" in spanish or "1.200,00\xa0US$" in spanish


def test_product_list_view_groups_thousands_in_reader_language(client, member):
    ProductFactory(company=member.company, unit="kg", min_order_quantity=1000)
    client.force_login(member.user)
    path = reverse("product_list", kwargs={"company_id": member.company_id})

    def shown(language: str) -> str:
        return client.get(path.replace("/en/", f"/{language}/", 1)).content.decode()

    assert "minimum order 1,000 kg" in shown("en")
    assert "1.000 kg" in shown("es")
    assert "1\u202f000 kg" in shown("fr")


def test_product_list_view_queries_do_not_grow(signed_in, member):
    def queries_for(count: int) -> int:
        company = CompanyFactory()
        MembershipFactory(company=company, user=member.user)
        for product in ProductFactory.create_batch(count, company=company):
            ProductImageFactory(product=product)
            product.certifications.add(CertificationFactory())
        list_url = reverse("product_list", kwargs={"company_id": company.pk})
        signed_in.get(list_url)  # the first view also fills the rendition cache
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(list_url).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(8)


def test_product_list_view_other_company_404(signed_in):
    other = CompanyFactory()

    assert signed_in.get(reverse("product_list", kwargs={"company_id": other.pk})).status_code == 404


def test_product_create_view_creates_product(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}),
        {**form_data(), "image": upload(image_bytes("jpeg"), name="beans.jpg")},
    )

    product = Product.objects.get(company=member.company)
    assert response.status_code == 302
    assert response["Location"] == reverse("product_edit", kwargs={"product_id": product.pk})
    assert product.images.count() == 1


def test_product_create_view_bad_hs_code_keeps_input(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}),
        form_data(hs_code="123456", name="Kept name", description="Kept description"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "not a subheading" in content
    assert 'value="Kept name"' in content and "Kept description" in content
    assert not Product.objects.exists()


def test_product_create_view_price_range_reversed_keeps_input(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}),
        form_data(price_min="10", price_max="2"),
    )

    assert response.status_code == 200
    assert "must not be lower than the lowest" in response.content.decode()
    assert response.context["form"].data["price_min"] == "10"


def test_product_create_view_unknown_currency_refused(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}), form_data(currency="XXY")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["currency"]
    assert not Product.objects.exists()


def test_product_create_view_svg_picture_refused_and_nothing_saved(signed_in, member):
    response = signed_in.post(
        reverse("product_create", kwargs={"company_id": member.company_id}),
        {**form_data(name="Kept name"), "image": upload(SVG, name="beans.png")},
    )

    content = response.content.decode()
    assert "SVG images are not accepted" in content
    assert 'value="Kept name"' in content
    assert not Product.objects.exists()
    assert Image.objects.count() == 0


def test_product_create_view_other_company_404(signed_in):
    other = CompanyFactory()

    response = signed_in.post(reverse("product_create", kwargs={"company_id": other.pk}), form_data())

    assert response.status_code == 404
    assert not Product.objects.exists()


def test_product_edit_view_shows_hs_description(signed_in, member):
    product = ProductFactory(company=member.company, hs_code="180100")

    content = signed_in.get(reverse("product_edit", kwargs={"product_id": product.pk})).content.decode()

    assert "Chapter 18" in content
    assert "Heading 1801" in content
    assert "Cocoa" in content


def test_product_edit_view_saves(signed_in, member):
    product = ProductFactory(company=member.company)

    response = signed_in.post(
        reverse("product_edit", kwargs={"product_id": product.pk}), form_data(name="New name", language="pt")
    )

    product.refresh_from_db()
    assert response.status_code == 302
    assert (product.name, product.language) == ("New name", "pt")


def test_product_edit_view_other_company_404(signed_in):
    foreign = ProductFactory(name="Theirs")

    assert signed_in.get(reverse("product_edit", kwargs={"product_id": foreign.pk})).status_code == 404
    response = signed_in.post(
        reverse("product_edit", kwargs={"product_id": foreign.pk}), form_data(name="Mine")
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Theirs"


def test_product_delete_view_confirms_then_deletes(signed_in, member):
    product = ProductFactory(company=member.company)
    delete_url = reverse("product_delete", kwargs={"product_id": product.pk})

    confirm = signed_in.get(delete_url)
    still_there = Product.objects.filter(pk=product.pk).exists()
    response = signed_in.post(delete_url)

    assert confirm.status_code == 200
    assert still_there
    assert "cannot be undone" in confirm.content.decode()
    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()


def test_product_delete_view_other_company_404(signed_in):
    foreign = ProductFactory()

    assert signed_in.post(reverse("product_delete", kwargs={"product_id": foreign.pk})).status_code == 404
    assert Product.objects.filter(pk=foreign.pk).exists()


def test_product_move_view(signed_in, member):
    first, second = (ProductFactory(company=member.company, sort_order=n) for n in range(2))

    response = signed_in.post(reverse("product_move", kwargs={"product_id": second.pk}), {"direction": "up"})

    assert response.status_code == 302
    assert list(Product.objects.filter(company=member.company).values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_product_move_view_bad_direction_400(signed_in, member):
    product = ProductFactory(company=member.company)

    response = signed_in.post(
        reverse("product_move", kwargs={"product_id": product.pk}), {"direction": "sideways"}
    )

    assert response.status_code == 400


def test_product_move_view_other_company_404(signed_in):
    foreign = ProductFactory()

    assert (
        signed_in.post(
            reverse("product_move", kwargs={"product_id": foreign.pk}), {"direction": "up"}
        ).status_code
        == 404
    )


def test_product_image_add_view(signed_in, member):
    product = ProductFactory(company=member.company)

    response = signed_in.post(
        reverse("product_image_add", kwargs={"product_id": product.pk}), {"image": upload(image_bytes("gif"))}
    )

    assert response.status_code == 302
    assert product.images.get().image.file.name.endswith(".gif")


def test_product_image_add_view_bomb_refused(signed_in, member):
    product = ProductFactory(company=member.company)

    response = signed_in.post(
        reverse("product_image_add", kwargs={"product_id": product.pk}),
        {"image": upload(png_claiming(14000, 14000))},
    )

    assert response.status_code == 200
    assert "14000 × 14000 pixels" in response.content.decode()
    assert not ProductImage.objects.exists()


def test_product_image_remove_other_products_item_404(signed_in, member):
    product = ProductFactory(company=member.company)
    foreign = ProductImageFactory()

    own_url = reverse("product_image_remove", kwargs={"product_id": product.pk, "item_id": foreign.pk})
    their_url = reverse(
        "product_image_remove", kwargs={"product_id": foreign.product_id, "item_id": foreign.pk}
    )

    assert signed_in.post(own_url).status_code == 404
    assert signed_in.post(their_url).status_code == 404
    assert ProductImage.objects.filter(pk=foreign.pk).exists()


def test_product_image_remove_view_deletes_image(signed_in, member):
    item = ProductImageFactory(product=ProductFactory(company=member.company))

    signed_in.post(
        reverse("product_image_remove", kwargs={"product_id": item.product_id, "item_id": item.pk})
    )

    assert not ProductImage.objects.exists()
    assert not Image.objects.filter(pk=item.image_id).exists()


def test_product_image_move_view(signed_in, member):
    product = ProductFactory(company=member.company)
    first, second = ProductImageFactory.create_batch(2, product=product)

    signed_in.post(
        reverse("product_image_move", kwargs={"product_id": product.pk, "item_id": second.pk}),
        {"direction": "up"},
    )

    assert list(product.images.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_product_views_anonymous_redirected(client, member):
    response = client.get(reverse("product_list", kwargs={"company_id": member.company_id}))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "fields",
    [
        {"price_min": Decimal("-1"), "currency": "USD"},
        {"price_max": Decimal("5"), "currency": ""},
        {"currency": "usd"},
    ],
)
def test_product_database_constraints_back_the_rules(member, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(company=member.company, **fields)


def selected_currency(response) -> str:
    html = response.content.decode()
    select = html[html.index('name="currency"') : html.index("</select>", html.index('name="currency"'))]
    return select.split("selected")[0].rsplit('value="', 1)[1].split('"', 1)[0]


def test_product_form_proposes_the_companys_country_currency(signed_in, member):
    response = signed_in.get(reverse("product_create", kwargs={"company_id": member.company_id}))

    assert selected_currency(response) == "PEN"


def test_product_form_proposes_the_fairs_currency_once_the_company_has_a_booth(signed_in, member):
    from tests.factories.exhibitors import BoothFactory
    from tests.factories.fair import BoothPackageFactory

    package = BoothPackageFactory(currency="EUR")
    BoothFactory(company=member.company, fair=package.fair, package=package)

    response = signed_in.get(reverse("product_create", kwargs={"company_id": member.company_id}))

    assert selected_currency(response) == "EUR"


def test_product_edit_proposes_the_last_priced_products_currency(signed_in, member):
    ProductFactory(company=member.company, currency="USD", price_min=Decimal("1.00"))
    unpriced = ProductFactory(company=member.company, currency="", price_min=None, price_max=None)

    response = signed_in.get(reverse("product_edit", kwargs={"product_id": unpriced.pk}))

    assert selected_currency(response) == "USD"
    signed_in.post(
        reverse("product_edit", kwargs={"product_id": unpriced.pk}),
        form_data(currency=selected_currency(response), price_min="3.00", price_max="4.00"),
    )
    unpriced.refresh_from_db()
    assert (unpriced.price_min, unpriced.currency) == (Decimal("3.00"), "USD")
