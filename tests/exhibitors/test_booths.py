import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from exhibitors.completeness import booth_completeness
from exhibitors.enums import MembershipRole
from exhibitors.models import Booth, BoothDocument, BoothImage, BoothLink, BoothProduct, OfficeHours
from exhibitors.services.booths import (
    booth_gallery_add,
    booth_gallery_move,
    booth_office_hours_add,
    booth_picture_set,
    booth_products_set,
)
from tests.factories.exhibitors import BoothFactory, MembershipFactory, ProductFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory
from tests.factories.uploads import (
    SVG,
    BoothDocumentFactory,
    BoothImageFactory,
    BoothLinkFactory,
    BoothProductFactory,
    OfficeHoursFactory,
    image_bytes,
    pdf_bytes,
    png_claiming,
    upload,
)

pytestmark = pytest.mark.django_db
Image = get_image_model()
Document = get_document_model()


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.STAFF)


@pytest.fixture
def booth(member):
    fair = FairPageFactory(time_zone="Asia/Tokyo")
    package = BoothPackageFactory(fair=fair, gallery_size=3, max_products=2)
    return BoothFactory(company=member.company, fair=fair, package=package, description="", tagline="")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def other_booth():
    return BoothFactory()


def url(name, booth, **kwargs):
    return reverse(name, kwargs={"booth_id": booth.pk, **kwargs})


# --- Builder page and texts ---


def test_booth_edit_view_shows_every_section_and_time_zone(signed_in, booth):
    response = signed_in.get(url("booth_edit", booth))

    content = response.content.decode()
    assert response.status_code == 200
    for section in ("details", "logo", "cover", "gallery", "brochures", "links", "office-hours", "products"):
        assert f'id="{section}"' in content
    assert "Asia/Tokyo" in content
    assert "complete" in content and 'enctype="multipart/form-data"' in content


def test_booth_edit_view_saves_texts_and_language(signed_in, booth):
    response = signed_in.post(
        url("booth_edit", booth),
        {
            "tagline": "Café de altura",
            "description": "Cultivamos café en Cajamarca.",
            "language": "es",
            "video_url": "https://video.example.com/watch?v=1",
        },
    )

    booth.refresh_from_db()
    assert response.status_code == 302
    assert (booth.tagline, booth.language) == ("Café de altura", "es")
    assert booth.video_url == "https://video.example.com/watch?v=1"


def test_booth_edit_view_bad_video_link_keeps_input(signed_in, booth):
    response = signed_in.post(
        url("booth_edit", booth),
        {
            "tagline": "Kept tagline",
            "description": "Kept text",
            "language": "en",
            "video_url": "javascript:alert(1)",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a web address starting with https://" in content or "Enter a valid URL." in content
    assert "Kept tagline" in content and "Kept text" in content
    booth.refresh_from_db()
    assert booth.tagline == "" and booth.video_url == ""


def test_booth_edit_view_owner_and_staff_both_allowed(client, booth):
    owner = MembershipFactory(company=booth.company, role=MembershipRole.OWNER)
    client.force_login(owner.user)

    assert client.get(url("booth_edit", booth)).status_code == 200


def test_booth_edit_view_other_company_404(signed_in, other_booth):
    assert signed_in.get(url("booth_edit", other_booth)).status_code == 404
    response = signed_in.post(url("booth_edit", other_booth), {"tagline": "Hijack", "language": "en"})

    assert response.status_code == 404
    other_booth.refresh_from_db()
    assert other_booth.tagline != "Hijack"


def test_booth_edit_view_anonymous_redirected(client, booth):
    response = client.get(url("booth_edit", booth))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_booth_edit_view_queries_do_not_grow_with_gallery(signed_in, member):
    def queries_for(images: int) -> int:
        booth = BoothFactory(company=member.company, package=BoothPackageFactory(gallery_size=10))
        BoothImageFactory.create_batch(images, booth=booth)
        BoothProductFactory.create_batch(images, booth=booth)
        OfficeHoursFactory(booth=booth)
        BoothLinkFactory.create_batch(images, booth=booth)
        signed_in.get(url("booth_edit", booth))  # the first view also fills the rendition cache
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url("booth_edit", booth)).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(6)


# --- Logo and cover ---


def test_booth_picture_upload_sets_logo(signed_in, booth):
    response = signed_in.post(
        url("booth_picture", booth, kind="logo"), {"logo-image": upload(image_bytes("png", 300, 300))}
    )

    booth.refresh_from_db()
    assert response.status_code == 302
    assert booth.logo is not None
    assert booth.logo.collection.name == "Exhibitor uploads"


def test_booth_picture_replace_deletes_previous_image(booth, member, django_capture_on_commit_callbacks):
    booth_picture_set(booth=booth, kind="cover", image=upload(image_bytes()), by=member.user)
    first = Booth.objects.get(pk=booth.pk).cover
    first_file = first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        booth_picture_set(booth=booth, kind="cover", image=upload(image_bytes("jpeg")), by=member.user)

    assert not Image.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first_file)
    assert Booth.objects.get(pk=booth.pk).cover.file.name.endswith(".jpg")


def test_booth_picture_remove(signed_in, booth, member):
    booth_picture_set(booth=booth, kind="logo", image=upload(image_bytes()), by=member.user)

    response = signed_in.post(url("booth_picture", booth, kind="logo"), {"remove": "1"})

    booth.refresh_from_db()
    assert response.status_code == 302
    assert booth.logo is None
    assert Image.objects.count() == 0


def test_booth_picture_svg_refused_with_message_and_nothing_saved(signed_in, booth):
    response = signed_in.post(
        url("booth_picture", booth, kind="logo"), {"logo-image": upload(SVG, name="logo.png")}
    )

    assert response.status_code == 200
    assert "SVG images are not accepted" in response.content.decode()
    assert Image.objects.count() == 0
    booth.refresh_from_db()
    assert booth.logo is None


def test_booth_picture_pixel_bomb_refused_with_message(signed_in, booth):
    response = signed_in.post(
        url("booth_picture", booth, kind="cover"), {"cover-image": upload(png_claiming(14000, 14000))}
    )

    assert response.status_code == 200
    assert "14000 × 14000 pixels" in response.content.decode()
    assert Image.objects.count() == 0


def test_booth_picture_unknown_kind_404(signed_in, booth):
    response = signed_in.post(
        url("booth_picture", booth, kind="banner"), {"banner-image": upload(image_bytes())}
    )

    assert response.status_code == 404


def test_booth_picture_other_company_404(signed_in, other_booth):
    response = signed_in.post(
        url("booth_picture", other_booth, kind="logo"), {"logo-image": upload(image_bytes())}
    )

    assert response.status_code == 404
    assert Image.objects.count() == 0


# --- Gallery ---


def test_booth_gallery_add_up_to_package_limit(booth, member):
    for number in range(3):
        booth_gallery_add(booth=booth, image=upload(image_bytes()), caption=f"Photo {number}", by=member.user)

    with pytest.raises(ValidationError) as caught:
        booth_gallery_add(booth=booth, image=upload(image_bytes()), caption="One too many", by=member.user)

    assert caught.value.code == "gallery_full"
    assert list(booth.gallery.values_list("caption", flat=True)) == ["Photo 0", "Photo 1", "Photo 2"]
    assert Image.objects.count() == 3


def test_booth_gallery_view_full_refuses_and_keeps_caption(signed_in, booth):
    BoothImageFactory.create_batch(3, booth=booth)
    images_before = Image.objects.count()

    response = signed_in.post(
        url("booth_gallery_add", booth), {"image": upload(image_bytes()), "caption": "Harvest 2026"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "allows 3 gallery images" in content
    assert Image.objects.count() == images_before


def test_booth_gallery_view_adds_image(signed_in, booth):
    response = signed_in.post(
        url("booth_gallery_add", booth), {"image": upload(image_bytes("webp")), "caption": "Our farm"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#gallery")
    assert booth.gallery.get().caption == "Our farm"


def test_booth_gallery_view_damaged_image_keeps_caption(signed_in, booth):
    response = signed_in.post(
        url("booth_gallery_add", booth), {"image": upload(image_bytes("png")[:60]), "caption": "Our farm"}
    )

    content = response.content.decode()
    assert "damaged or incomplete" in content
    assert 'value="Our farm"' in content
    assert not BoothImage.objects.exists()


def test_booth_gallery_remove_deletes_image(signed_in, booth):
    item = BoothImageFactory(booth=booth)

    response = signed_in.post(url("booth_gallery_remove", booth, item_id=item.pk))

    assert response.status_code == 302
    assert not BoothImage.objects.filter(pk=item.pk).exists()
    assert not Image.objects.filter(pk=item.image_id).exists()


def test_booth_gallery_remove_other_booths_item_404(signed_in, booth, other_booth):
    foreign = BoothImageFactory(booth=other_booth)

    own_url = signed_in.post(url("booth_gallery_remove", booth, item_id=foreign.pk))
    their_url = signed_in.post(url("booth_gallery_remove", other_booth, item_id=foreign.pk))

    assert own_url.status_code == 404
    assert their_url.status_code == 404
    assert BoothImage.objects.filter(pk=foreign.pk).exists()


def test_booth_gallery_move_swaps_neighbours(booth):
    first, second, third = BoothImageFactory.create_batch(3, booth=booth)

    booth_gallery_move(item=third, direction="up")

    assert list(booth.gallery.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]


def test_booth_gallery_move_view_without_script(signed_in, booth):
    first, second = BoothImageFactory.create_batch(2, booth=booth)

    response = signed_in.post(url("booth_gallery_move", booth, item_id=first.pk), {"direction": "down"})

    assert response.status_code == 302
    assert list(booth.gallery.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_booth_gallery_move_view_from_script_answers_204(signed_in, booth):
    first, second = BoothImageFactory.create_batch(2, booth=booth)

    response = signed_in.post(
        url("booth_gallery_move", booth, item_id=second.pk),
        {"direction": "up"},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 204
    assert list(booth.gallery.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_booth_gallery_move_other_booths_item_404(signed_in, booth, other_booth):
    foreign = BoothImageFactory(booth=other_booth)

    response = signed_in.post(url("booth_gallery_move", booth, item_id=foreign.pk), {"direction": "up"})

    assert response.status_code == 404


# --- Brochures ---


def test_booth_brochure_view_adds_pdf(signed_in, booth):
    response = signed_in.post(
        url("booth_brochure_add", booth),
        {
            "document": upload(pdf_bytes(), name="Catalogue 2026.pdf", content_type="application/pdf"),
            "title": "",
        },
    )

    assert response.status_code == 302
    brochure = booth.brochures.get()
    assert brochure.title == "Catalogue 2026"
    assert brochure.document.file.name.endswith(".pdf")


def test_booth_brochure_view_refuses_image_and_keeps_title(signed_in, booth):
    response = signed_in.post(
        url("booth_brochure_add", booth),
        {
            "document": upload(image_bytes(), name="brochure.pdf", content_type="application/pdf"),
            "title": "Price list",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Brochures must be PDF files" in content
    assert 'value="Price list"' in content
    assert Document.objects.count() == 0


def test_booth_brochure_remove_other_booths_item_404(signed_in, booth, other_booth):
    foreign = BoothDocumentFactory(booth=other_booth)

    response = signed_in.post(url("booth_brochure_remove", booth, item_id=foreign.pk))

    assert response.status_code == 404
    assert BoothDocument.objects.filter(pk=foreign.pk).exists()


def test_booth_brochure_remove_deletes_document(signed_in, booth):
    item = BoothDocumentFactory(booth=booth)

    signed_in.post(url("booth_brochure_remove", booth, item_id=item.pk))

    assert not BoothDocument.objects.exists()
    assert not Document.objects.filter(pk=item.document_id).exists()


# --- Links ---


def test_booth_link_view_adds_link(signed_in, booth):
    response = signed_in.post(
        url("booth_link_add", booth), {"label": "Shop", "url": "https://shop.example.com"}
    )

    assert response.status_code == 302
    assert booth.links.get().url == "https://shop.example.com"


def test_booth_link_view_refuses_non_web_address_and_keeps_label(signed_in, booth):
    response = signed_in.post(
        url("booth_link_add", booth), {"label": "Shop", "url": "ftp://files.example.com"}
    )

    assert response.status_code == 200
    assert 'value="Shop"' in response.content.decode()
    assert not BoothLink.objects.exists()


def test_booth_link_remove_other_booths_item_404(signed_in, booth, other_booth):
    foreign = BoothLinkFactory(booth=other_booth)

    assert signed_in.post(url("booth_link_remove", booth, item_id=foreign.pk)).status_code == 404
    assert BoothLink.objects.filter(pk=foreign.pk).exists()


# --- Office hours ---


def test_booth_office_hours_add_adjacent_and_other_day_allowed(booth):
    booth_office_hours_add(booth=booth, weekday=0, opens_at=datetime.time(9), closes_at=datetime.time(12))
    booth_office_hours_add(booth=booth, weekday=0, opens_at=datetime.time(12), closes_at=datetime.time(14))
    booth_office_hours_add(booth=booth, weekday=1, opens_at=datetime.time(10), closes_at=datetime.time(13))

    assert booth.office_hours.count() == 3


def test_booth_office_hours_overlap_same_day_refused(booth):
    booth_office_hours_add(booth=booth, weekday=2, opens_at=datetime.time(9), closes_at=datetime.time(12))

    with pytest.raises(ValidationError) as caught:
        booth_office_hours_add(
            booth=booth, weekday=2, opens_at=datetime.time(11), closes_at=datetime.time(15)
        )

    assert caught.value.code == "office_hours_overlap"
    assert "Wednesday from 09:00 to 12:00" in caught.value.messages[0]


def test_booth_office_hours_slot_inside_another_refused(booth):
    booth_office_hours_add(booth=booth, weekday=2, opens_at=datetime.time(9), closes_at=datetime.time(17))

    with pytest.raises(ValidationError):
        booth_office_hours_add(
            booth=booth, weekday=2, opens_at=datetime.time(10), closes_at=datetime.time(11)
        )


def test_booth_office_hours_view_closing_before_opening_keeps_input(signed_in, booth):
    response = signed_in.post(
        url("booth_hours_add", booth), {"weekday": "4", "opens_at": "15:00", "closes_at": "10:30"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "must close after it opens" in content
    assert 'value="15:00"' in content and 'value="10:30"' in content
    assert not OfficeHours.objects.exists()


def test_booth_office_hours_view_adds_slot(signed_in, booth):
    response = signed_in.post(
        url("booth_hours_add", booth), {"weekday": "4", "opens_at": "09:30", "closes_at": "11:00"}
    )

    assert response.status_code == 302
    slot = booth.office_hours.get()
    assert (slot.weekday, slot.opens_at, slot.closes_at) == (4, datetime.time(9, 30), datetime.time(11))


def test_booth_office_hours_remove_other_booths_item_404(signed_in, booth, other_booth):
    foreign = OfficeHoursFactory(booth=other_booth)

    assert signed_in.post(url("booth_hours_remove", booth, item_id=foreign.pk)).status_code == 404
    assert OfficeHours.objects.filter(pk=foreign.pk).exists()


# --- Products on the booth ---


def test_booth_products_set_keeps_order_of_kept_products(booth):
    first, second, third = (ProductFactory(company=booth.company, sort_order=n) for n in range(3))
    booth_products_set(booth=booth, products=[first, second])
    BoothProduct.objects.filter(booth=booth, product=second).update(sort_order=0)
    BoothProduct.objects.filter(booth=booth, product=first).update(sort_order=1)

    booth_products_set(booth=booth, products=[first, third])

    assert list(booth.booth_products.values_list("product_id", flat=True)) == [first.pk, third.pk]


def test_booth_products_set_over_package_limit_refused(booth):
    products = ProductFactory.create_batch(3, company=booth.company)

    with pytest.raises(ValidationError) as caught:
        booth_products_set(booth=booth, products=products)

    assert caught.value.code == "too_many_products"
    assert not BoothProduct.objects.exists()


def test_booth_products_set_other_company_product_refused(booth):
    with pytest.raises(ValidationError):
        booth_products_set(booth=booth, products=[ProductFactory()])

    assert not BoothProduct.objects.exists()


def test_booth_products_view_saves_choice(signed_in, booth):
    products = ProductFactory.create_batch(2, company=booth.company)

    response = signed_in.post(url("booth_products", booth), {"products": [p.pk for p in products]})

    assert response.status_code == 302
    assert set(booth.booth_products.values_list("product_id", flat=True)) == {p.pk for p in products}


def test_booth_products_view_over_limit_keeps_ticks(signed_in, booth):
    products = ProductFactory.create_batch(3, company=booth.company)

    response = signed_in.post(url("booth_products", booth), {"products": [p.pk for p in products]})

    content = response.content.decode()
    assert response.status_code == 200
    assert "shows at most 2 products" in content
    assert content.count("checked") >= 3
    assert not BoothProduct.objects.exists()


def test_booth_products_view_other_company_product_refused(signed_in, booth):
    foreign = ProductFactory()

    response = signed_in.post(url("booth_products", booth), {"products": [foreign.pk]})

    assert response.status_code == 200
    assert response.context["products_form"].errors["products"]
    assert not BoothProduct.objects.exists()


def test_booth_product_move_view(signed_in, booth):
    first = BoothProductFactory(booth=booth)
    second = BoothProductFactory(booth=booth)

    signed_in.post(url("booth_product_move", booth, item_id=second.pk), {"direction": "up"})

    assert list(booth.booth_products.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_booth_product_move_other_booths_item_404(signed_in, booth, other_booth):
    foreign = BoothProductFactory(booth=other_booth)

    assert (
        signed_in.post(url("booth_product_move", booth, item_id=foreign.pk), {"direction": "up"}).status_code
        == 404
    )


# --- Completeness ---


def test_booth_completeness_empty_booth_lists_everything_missing(booth):
    result = booth_completeness(booth)

    assert result.score == 0
    assert [item.key for item in result.missing] == [
        "logo",
        "cover",
        "tagline",
        "description",
        "gallery",
        "brochures",
        "office-hours",
        "products",
    ]


def test_booth_completeness_full_booth_scores_100(booth, member):
    booth_picture_set(booth=booth, kind="logo", image=upload(image_bytes()), by=member.user)
    booth_picture_set(booth=booth, kind="cover", image=upload(image_bytes()), by=member.user)
    booth.tagline = "Coffee"
    booth.description = "x" * 60
    booth.save()
    BoothImageFactory.create_batch(3, booth=booth)
    BoothDocumentFactory(booth=booth)
    OfficeHoursFactory(booth=booth)
    BoothProductFactory(booth=booth)

    result = booth_completeness(Booth.objects.get(pk=booth.pk))

    assert result.score == 100
    assert result.missing == []


def test_booth_completeness_partial_weights(booth):
    booth.tagline = "Coffee"
    booth.description = "Short"
    BoothImageFactory.create_batch(2, booth=booth)

    result = booth_completeness(booth)

    assert result.score == 10
    assert {item.key for item in result.missing} >= {"description", "gallery"}


def test_booth_completeness_package_without_gallery_leaves_it_out(member):
    booth = BoothFactory(company=member.company, package=BoothPackageFactory(gallery_size=0, max_products=0))

    result = booth_completeness(booth)

    assert "gallery" not in {item.key for item in result.items}
    assert "products" not in {item.key for item in result.items}
    assert sum(item.weight for item in result.items) == 70


def test_booth_edit_view_checklist_links_to_missing_sections(signed_in, booth):
    content = signed_in.get(url("booth_edit", booth)).content.decode()

    assert 'href="#logo"' in content
    assert 'href="#id_tagline"' in content
    assert "0% complete" in content
