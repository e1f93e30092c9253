"""AVIF copies of the srcset sizes (exhibitors/renditions.py): made by the worker beside the WebP ones when
this Pillow encodes AVIF, offered first in a <picture>, never made during a page view, and left out
entirely when switched off (as on a machine whose Pillow cannot encode AVIF)."""

import re

import pytest
from PIL import Image
from wagtail.images import get_image_model

from exhibitors.renditions import ALL_SIZES, avif_available, avif_spec
from exhibitors.selectors.lite import LITE_COOKIE
from tests.factories.uploads import WagtailImageFactory, image_bytes, upload
from tests.fair.conftest import approved_booth, fair  # noqa: F401

Rendition = get_image_model().get_rendition_model()
needs_avif = pytest.mark.skipif(not avif_available(), reason="this Pillow cannot encode AVIF")
pytestmark = pytest.mark.django_db


def _logo_booth(fair):  # noqa: F811
    logo = WagtailImageFactory(file=upload(image_bytes("png", 400, 400), "logo.png"), renditions=ALL_SIZES)
    return approved_booth(fair, logo=logo)


@needs_avif
def test_worker_makes_real_avif_copies_of_the_srcset_sizes():
    image = WagtailImageFactory(renditions=ALL_SIZES)
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert {avif_spec(size) for size in ("logo", "logo_small", "card", "thumb")} <= specs
    assert avif_spec("gallery") not in specs and avif_spec("cover") not in specs
    rendition = Rendition.objects.get(image=image, filter_spec=avif_spec("card"))
    assert rendition.file.name.endswith(".avif")
    with rendition.file.open("rb") as handle, Image.open(handle) as decoded:
        assert decoded.format == "AVIF"
        assert decoded.size == (rendition.width, rendition.height)


@needs_avif
def test_directory_offers_avif_first_and_makes_nothing(client, fair):  # noqa: F811
    booth = _logo_booth(fair)
    small = Rendition.objects.get(image=booth.logo, filter_spec=avif_spec("logo_small"))
    large = Rendition.objects.get(image=booth.logo, filter_spec=avif_spec("logo"))
    before = Rendition.objects.count()
    html = client.get(f"/en/{fair.slug}/exhibitors/").content.decode()
    assert Rendition.objects.count() == before  # a page view never makes a rendition
    found = re.search(r"<picture><source ([^>]*)><img ([^>]*)></picture>", html)
    assert found, "no <picture> with an AVIF source"
    source, img = found.groups()
    assert 'type="image/avif"' in source
    assert f'srcset="{small.url} 80w, {large.url} 160w"' in source
    assert 'sizes="4rem"' in source
    assert ".webp" in img and "srcset=" in img


@needs_avif
def test_missing_avif_copy_shows_webp_alone_and_is_asked_of_the_worker(
    client,
    fair,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    booth = _logo_booth(fair)
    Rendition.objects.filter(image=booth.logo, filter_spec=avif_spec("logo")).delete()
    with django_capture_on_commit_callbacks() as queued:
        html = client.get(f"/en/{fair.slug}/exhibitors/").content.decode()
    assert "<picture>" not in html and "srcset=" in html
    assert Rendition.objects.filter(image=booth.logo, filter_spec=avif_spec("logo")).count() == 0
    for task in queued:  # the worker's turn
        task()
    assert Rendition.objects.filter(image=booth.logo, filter_spec=avif_spec("logo")).count() == 1


def test_switched_off_makes_and_offers_no_avif(client, fair, settings):  # noqa: F811
    settings.FERIA_IMAGES_AVIF = False
    booth = _logo_booth(fair)
    assert not Rendition.objects.filter(image=booth.logo, filter_spec__endswith="format-avif").exists()
    html = client.get(f"/en/{fair.slug}/exhibitors/").content.decode()
    assert "<picture>" not in html and "image/avif" not in html
    assert "srcset=" in html


@needs_avif
def test_lite_mode_offers_no_avif_source(client, fair):  # noqa: F811
    _logo_booth(fair)
    client.cookies[LITE_COOKIE] = "1"
    html = client.get(f"/en/{fair.slug}/exhibitors/").content.decode()
    assert "image/avif" not in html
