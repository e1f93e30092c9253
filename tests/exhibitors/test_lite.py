"""Lite mode: the switch (cookie or account), the Save-Data banner, and what booth pages leave out."""

import pytest

from exhibitors.renditions import ALL_SIZES
from exhibitors.selectors.lite import LITE_COOKIE
from tests.factories.exhibitors import UserFactory
from tests.factories.uploads import BoothImageFactory, WagtailImageFactory, image_bytes, upload
from tests.fair.conftest import approved_booth, fair  # noqa: F401

SWITCH = "/en/lite/"


@pytest.mark.django_db
def test_lite_switch_sets_cookie_for_anonymous_visitor(client):
    response = client.post(SWITCH, {"lite": "1", "next": "/en/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert response.cookies[LITE_COOKIE].value == "1"
    assert response.cookies[LITE_COOKIE]["httponly"]


@pytest.mark.django_db
def test_lite_switch_remembers_choice_on_account(client):
    person = UserFactory()
    client.force_login(person)

    client.post(SWITCH, {"lite": "1", "next": "/en/"})
    person.refresh_from_db()
    assert person.lite_mode is True

    client.post(SWITCH, {"lite": "0", "next": "/en/"})
    person.refresh_from_db()
    assert person.lite_mode is False


@pytest.mark.django_db
def test_lite_switch_refuses_to_redirect_elsewhere(client):
    response = client.post(SWITCH, {"lite": "1", "next": "https://evil.example/"})

    assert response["Location"] == "/"


@pytest.mark.django_db
def test_lite_switch_answers_only_post(client):
    assert client.get(SWITCH).status_code == 405


@pytest.mark.django_db
def test_save_data_offers_lite_mode_until_chosen(client, home_page):
    offered = client.get("/en/", HTTP_SAVE_DATA="on").content.decode()
    assert "lite-banner" in offered

    assert "lite-banner" not in client.get("/en/").content.decode()
    client.cookies[LITE_COOKIE] = "0"
    assert "lite-banner" not in client.get("/en/", HTTP_SAVE_DATA="on").content.decode()


@pytest.mark.django_db
def test_account_choice_wins_over_cookie(client, home_page):
    person = UserFactory(lite_mode=True)
    client.force_login(person)
    client.cookies[LITE_COOKIE] = "0"

    page = client.get("/en/").content.decode()

    assert "is-lite" in page
    assert 'name="lite" value="0"' in page


@pytest.mark.django_db
def test_lite_booth_page_leaves_out_cover_and_gallery_until_asked(client, fair):  # noqa: F811
    booth = approved_booth(fair, cover=WagtailImageFactory(renditions=ALL_SIZES))
    picture = BoothImageFactory(booth=booth, image=WagtailImageFactory(renditions=ALL_SIZES))
    url = f"/en/{fair.slug}/booths/{booth.company.slug}/"
    normal = client.get(url).content.decode()
    card = picture.image.get_rendition("fill-480x360").url
    assert card in normal
    assert "cover-image" in normal

    client.cookies[LITE_COOKIE] = "1"
    lite = client.get(url).content.decode()
    assert "cover-image" not in lite
    assert card not in lite
    assert "?gallery=1" in lite

    asked = client.get(url + "?gallery=1").content.decode()
    # Asked for: the gallery at the thumbnail size.
    assert picture.image.get_rendition("fill-160x120").url in asked
    assert card not in asked


@pytest.mark.django_db
def test_directory_logos_offer_the_small_rendition_and_lite_lists_names_only(client, fair):  # noqa: F811
    logo = WagtailImageFactory(file=upload(image_bytes("png", 400, 400), "logo.png"), renditions=ALL_SIZES)
    booth = approved_booth(fair, logo=logo)
    small = booth.logo.get_rendition("fill-80x80")
    large = booth.logo.get_rendition("fill-160x160")
    url = f"/en/{fair.slug}/exhibitors/"

    normal = client.get(url).content.decode()
    assert f'srcset="{small.url} 80w, {large.url} 160w"' in normal
    assert 'sizes="4rem"' in normal

    client.cookies[LITE_COOKIE] = "1"
    lite = client.get(url).content.decode()
    assert small.url not in lite and large.url not in lite
    assert booth.company.legal_name in lite
