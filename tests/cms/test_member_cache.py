"""Signed-in people share the kept public pages (cms/member_cache.py) and each gets their own personal parts
(exhibitors/holes.py, fair/holes.py): nothing of one person reaches another."""

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client

from cms.cache import CACHE_HEADER
from exhibitors.enums import ApplicationStatus
from exhibitors.holes import MARKER_START
from exhibitors.services.booths import booth_update
from fair.services import favourite_add
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import FairPageFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Fair", slug="andean")


@pytest.fixture
def booth(fair):
    company = CompanyFactory(legal_name="Cafe Inca", slug="cafe-inca")
    return BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED, tagline="Old tagline")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def booth_url(booth) -> str:
    return f"/en/{booth.fair.slug}/booths/{booth.company.slug}/"


def save_button(html: str, action_fragment: str) -> str:
    """The Save button's form whose action contains the fragment."""
    for form in re.findall(r'<form method="post"[^>]*class="favourite-form".*?</form>', html, re.S):
        if action_fragment in form:
            return form
    raise AssertionError(f"no save button for {action_fragment}")


def test_two_buyers_share_the_page_but_not_their_saved_states_or_tokens(page_cache, booth):
    first, second = UserFactory(), UserFactory()
    favourite_add(user=first, booth=booth)
    first_client, second_client = signed_in(first), signed_in(second)

    kept = first_client.get(booth_url(booth))
    assert kept[CACHE_HEADER] == "miss"
    served = second_client.get(booth_url(booth))
    assert served[CACHE_HEADER] == "hit"

    first_html, second_html = kept.content.decode(), served.content.decode()
    assert 'aria-pressed="true"' in save_button(first_html, f"/favourites/booths/{booth.pk}/")
    assert 'aria-pressed="false"' in save_button(second_html, f"/favourites/booths/{booth.pk}/")
    # Each person's forms carry a token of their own session's secret; none of the first reaches the second.
    assert set(TOKEN.findall(first_html)).isdisjoint(TOKEN.findall(second_html))
    assert TOKEN.findall(second_html)
    for html in (first_html, second_html):
        assert MARKER_START.decode() not in html
        assert "Chat with us" in html and "view-beacon" in html


def test_the_companys_own_people_see_their_note_and_count_no_view(page_cache, booth):
    member = UserFactory()
    MembershipFactory(user=member, company=booth.company)
    buyer_client, member_client = signed_in(UserFactory()), signed_in(member)

    assert buyer_client.get(booth_url(booth))[CACHE_HEADER] == "miss"
    response = member_client.get(booth_url(booth))
    assert response[CACHE_HEADER] == "hit"
    html = response.content.decode()
    assert "This is your company's booth" in html
    assert "Chat with us" not in html
    assert "view-beacon" not in html


def test_an_edit_reaches_signed_in_people_at_once(page_cache, booth, django_capture_on_commit_callbacks):
    client = signed_in(UserFactory())
    assert client.get(booth_url(booth))[CACHE_HEADER] == "miss"
    assert client.get(booth_url(booth))[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        booth_update(booth=booth, tagline="Brand new tagline", description="", language="en", video_url="")

    response = client.get(booth_url(booth))
    assert response[CACHE_HEADER] == "miss"
    assert "Brand new tagline" in response.content.decode()


def test_each_time_zone_gets_its_own_copy(page_cache, booth):
    lima, paris = UserFactory(time_zone="America/Lima"), UserFactory(time_zone="Europe/Paris")
    assert signed_in(lima).get(booth_url(booth))[CACHE_HEADER] == "miss"
    assert signed_in(paris).get(booth_url(booth))[CACHE_HEADER] == "miss"
    assert signed_in(UserFactory(time_zone="Europe/Paris")).get(booth_url(booth))[CACHE_HEADER] == "hit"


def test_staff_and_people_with_messages_waiting_get_a_fresh_page(page_cache, booth):
    buyer_client = signed_in(UserFactory())
    assert buyer_client.get(booth_url(booth))[CACHE_HEADER] == "miss"

    staff = signed_in(UserFactory(is_staff=True))
    assert CACHE_HEADER not in staff.get(booth_url(booth))

    waiting = signed_in(UserFactory())
    session = waiting.session
    session["_messages"] = (
        f'[["__json_message",0,{message_levels.SUCCESS},"Booth saved to your favourites."]]'
    )
    session.save()
    response = waiting.get(booth_url(booth))
    assert CACHE_HEADER not in response


def test_personal_pages_are_never_kept(page_cache, booth):
    buyer = UserFactory()
    favourite_add(user=buyer, booth=booth)
    client = signed_in(buyer)
    for url in ("/en/favourites/", "/en/chat/"):
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert CACHE_HEADER not in response, url


def test_anonymous_visitors_get_the_page_without_personal_parts(page_cache, booth, client):
    response = client.get(booth_url(booth))
    html = response.content.decode()
    assert response[CACHE_HEADER] == "miss"
    assert MARKER_START.decode() not in html
    assert "favourite-form" not in html and "csrfmiddlewaretoken" not in html
    assert "Sign in" in html and "view-beacon" in html
    # No form, no token: the page sets no cookie and stays in the anonymous page cache.
    assert not response.cookies
    assert Client().get(booth_url(booth))[CACHE_HEADER] == "hit"
