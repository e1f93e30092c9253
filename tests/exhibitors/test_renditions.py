"""Renditions are made by the task worker after an upload, at the sizes the pages show that kind of
picture, and never while the person uploading (or a visitor) waits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.images import get_image_model

from exhibitors.enums import MembershipRole
from exhibitors.renditions import rendition_specs
from exhibitors.services.booths import booth_gallery_add, booth_picture_set
from exhibitors.services.catalogue import product_image_add
from exhibitors.services.renditions import image_rendition_missed, image_renditions_make
from exhibitors.tasks import image_renditions_generate
from tests.factories.exhibitors import BoothFactory, MembershipFactory, ProductFactory
from tests.factories.fair import BoothPackageFactory
from tests.factories.uploads import BoothImageFactory, WagtailImageFactory, image_bytes, upload

pytestmark = pytest.mark.django_db
Rendition = get_image_model().get_rendition_model()


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.STAFF)


@pytest.fixture
def booth(member):
    return BoothFactory(company=member.company, package=BoothPackageFactory(gallery_size=1))


def made(*sizes) -> list[str]:
    """The specs the worker makes for these sizes: WebP, and AVIF copies where this Pillow encodes AVIF."""
    return sorted(rendition_specs(*sizes))


def specs_of(image) -> list[str]:
    return sorted(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))


def test_logo_upload_queues_its_rendition_for_the_worker(
    client, member, booth, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("booth_picture", kwargs={"booth_id": booth.pk, "kind": "logo"}),
            {"logo-image": upload(image_bytes("png", 300, 200))},
        )

    assert response.status_code == 302
    booth.refresh_from_db()
    assert specs_of(booth.logo) == []  # the upload's request made none

    for task in queued:  # the task worker's turn
        task()

    assert specs_of(booth.logo) == made("logo", "logo_small")
    logo = Rendition.objects.get(image=booth.logo, filter_spec="fill-160x160")
    assert (logo.width, logo.height) == (160, 160) and logo.file.name.endswith(".webp")


def test_cover_gallery_and_product_uploads_make_the_sizes_their_pages_show(
    member, booth, django_capture_on_commit_callbacks
):
    product = ProductFactory(company=member.company)
    with django_capture_on_commit_callbacks(execute=True):
        booth_picture_set(booth=booth, kind="cover", image=upload(image_bytes()), by=member.user)
        item = booth_gallery_add(
            booth=booth, image=upload(image_bytes("jpeg")), caption="Farm", by=member.user
        )
        product_item = product_image_add(product=product, image=upload(image_bytes("webp")), by=member.user)

    assert specs_of(booth.cover) == ["fill-1200x400"]
    assert specs_of(item.image) == made("card", "gallery", "thumb")
    assert specs_of(product_item.image) == made("thumb")


def test_refused_upload_queues_nothing(member, booth, django_capture_on_commit_callbacks):
    BoothImageFactory(booth=booth)  # the package's one gallery place is taken

    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError):
        booth_gallery_add(booth=booth, image=upload(image_bytes()), caption="", by=member.user)

    assert queued == []


def test_making_renditions_twice_makes_each_once():
    image = WagtailImageFactory()

    assert image_renditions_make(image=image, sizes=["card", "thumb", "card"]) == 2
    assert image_renditions_make(image=image, sizes=["card", "thumb"]) == 2
    assert specs_of(image) == made("card", "thumb")


def test_renditions_task_for_a_deleted_image_does_nothing():
    image = WagtailImageFactory()
    image_id = image.pk
    image.delete()

    result = image_renditions_generate.enqueue(image_id=image_id, sizes=["card"])

    assert result.return_value == 0
    assert Rendition.objects.count() == 0


def test_missed_rendition_is_queued_once_per_image_and_size(django_capture_on_commit_callbacks):
    image = WagtailImageFactory()

    with django_capture_on_commit_callbacks() as queued:
        assert image_rendition_missed(image=image, size="card")
        assert not image_rendition_missed(image=image, size="card")
        assert image_rendition_missed(image=image, size="logo")

    assert len(queued) == 2
    assert Rendition.objects.count() == 0
