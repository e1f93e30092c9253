import uuid

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from wagtail.models import Page

from cms.cache import CACHE_HEADER, request_is_cacheable, response_is_cacheable
from tests.factories.exhibitors import UserFactory
from tests.factories.fair import FairPageFactory


@pytest.fixture
def page_cache(settings):
    """The cache on, in a private in-memory store (a shared Redis cache must not be flushed by tests)."""
    settings.FERIA_PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-test-{uuid.uuid4()}",
        }
    }
    return settings


def rename(page, title: str) -> None:
    Page.objects.filter(pk=page.pk).update(title=title)


@pytest.mark.django_db
def test_page_cache_off_by_default_serves_fresh_pages(client, home_page, settings):
    assert settings.FERIA_PAGE_CACHE_SECONDS == 0
    client.get("/en/")
    rename(home_page, "Renamed home")

    response = client.get("/en/")

    assert CACHE_HEADER not in response
    assert "Renamed home" in response.content.decode()


@pytest.mark.django_db
def test_page_cache_serves_anonymous_page_again_without_queries(
    page_cache, client, home_page, django_assert_num_queries
):
    first = client.get("/en/")
    assert first.status_code == 200 and first[CACHE_HEADER] == "miss"
    rename(home_page, "Renamed home")

    with django_assert_num_queries(0):
        second = client.get("/en/")

    assert second.status_code == 200 and second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert "Renamed home" not in second.content.decode()
    # The stored response keeps the page's security headers and tells shared caches it depends on cookies.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]
    assert not second.cookies


@pytest.mark.django_db
def test_page_cache_serves_fair_page_from_cache(page_cache, client, home_page):
    fair = FairPageFactory(title="Cached fair")
    assert client.get(fair.url)[CACHE_HEADER] == "miss"
    rename(fair, "Renamed fair")

    response = client.get(fair.url)

    assert response[CACHE_HEADER] == "hit"
    assert "Cached fair" in response.content.decode()


@pytest.mark.django_db
def test_page_cache_head_request_is_answered_from_cache(page_cache, client, home_page):
    client.get("/en/")

    response = client.head("/en/")

    assert response.status_code == 200 and response[CACHE_HEADER] == "hit"


@pytest.mark.django_db
def test_page_cache_signed_in_person_always_gets_fresh_page(page_cache, client, home_page):
    client.get("/en/")
    client.force_login(UserFactory())
    rename(home_page, "Renamed home")

    response = client.get("/en/")

    # Never the anonymous copy: rendered for them (and kept for signed-in people only, cms/member_cache.py).
    assert response.get(CACHE_HEADER) != "hit"
    assert "Renamed home" in response.content.decode()
    # ...and what they were shown is not kept for anyone without a session.
    client.logout()
    rename(home_page, "Renamed again")
    anonymous = client.__class__().get("/en/")
    assert anonymous[CACHE_HEADER] == "hit"
    assert "Renamed home" not in anonymous.content.decode()


@pytest.mark.django_db
def test_page_cache_keys_by_language(page_cache, client, home_page):
    client.get("/en/")

    spanish = client.get("/es/")

    assert spanish[CACHE_HEADER] == "miss"
    assert '<html lang="es">' in spanish.content.decode()
    again = client.get("/es/")
    assert again[CACHE_HEADER] == "hit"
    assert '<html lang="es">' in again.content.decode()


@pytest.mark.django_db
def test_page_cache_keys_by_query_string(page_cache, client, home_page):
    client.get("/en/?page=1")

    assert client.get("/en/?page=2")[CACHE_HEADER] == "miss"
    assert client.get("/en/?page=1")[CACHE_HEADER] == "hit"


@pytest.mark.django_db
def test_page_cache_never_stores_page_that_sets_a_cookie(page_cache, client):
    # The sign-in form needs a CSRF token, so the response sets the CSRF cookie.
    first = client.get("/en/accounts/login/")
    assert first.status_code == 200 and first.cookies

    second = client.__class__().get("/en/accounts/login/")

    assert CACHE_HEADER not in second
    assert second.cookies


@pytest.mark.django_db
def test_page_cache_never_stores_errors_or_non_html(page_cache, client, home_page):
    assert client.get("/en/no-such-page/").status_code == 404
    assert CACHE_HEADER not in client.get("/en/no-such-page/")
    assert client.get("/healthz").status_code == 200
    assert CACHE_HEADER not in client.get("/healthz")


def test_page_cache_request_rules():
    factory = RequestFactory()
    anonymous = factory.get("/en/fair/")
    with_session = factory.get("/en/fair/")
    with_session.COOKIES["sessionid"] = "abc"
    with_messages = factory.get("/en/fair/")
    with_messages.COOKIES["messages"] = "x"

    assert request_is_cacheable(anonymous)
    assert request_is_cacheable(factory.head("/en/fair/"))
    assert not request_is_cacheable(factory.post("/en/fair/"))
    assert not request_is_cacheable(with_session)
    assert not request_is_cacheable(with_messages)
    assert not request_is_cacheable(factory.get("/admin/"))
    assert not request_is_cacheable(factory.get("/admin/pages/3/"))
    assert not request_is_cacheable(factory.get("/en/fair/", HTTP_AUTHORIZATION="Basic eDp5"))
    assert not request_is_cacheable(factory.get("/en/fair/?q=" + "x" * 2000))


def test_page_cache_response_rules():
    request = RequestFactory().get("/en/fair/")

    def html(**headers) -> HttpResponse:
        return HttpResponse("<p>hi</p>", headers=headers)

    assert response_is_cacheable(request, html())
    assert response_is_cacheable(request, html(Vary="Cookie, Accept-Language"))
    assert not response_is_cacheable(request, html(Vary="Accept"))
    assert not response_is_cacheable(request, html(**{"Cache-Control": "private, max-age=0"}))
    assert not response_is_cacheable(request, html(**{"Cache-Control": "no-store"}))
    assert not response_is_cacheable(request, JsonResponse({"a": 1}))
    assert not response_is_cacheable(request, HttpResponse("gone", status=410))
    with_cookie = html()
    with_cookie.set_cookie("csrftoken", "x")
    assert not response_is_cacheable(request, with_cookie)
    assert not response_is_cacheable(RequestFactory().head("/en/fair/"), html())


@pytest.mark.django_db
def test_page_cache_keeps_one_variant_per_lite_mode(page_cache, client, home_page):
    from exhibitors.selectors.lite import LITE_COOKIE

    normal = client.get("/en/")
    assert normal[CACHE_HEADER] == "miss"

    lite_client = client.__class__()
    lite_client.cookies[LITE_COOKIE] = "1"
    lite = lite_client.get("/en/")
    assert lite[CACHE_HEADER] == "miss"
    assert "is-lite" in lite.content.decode()

    offered = client.__class__().get("/en/", HTTP_SAVE_DATA="on")
    assert offered[CACHE_HEADER] == "miss"
    assert "lite-banner" in offered.content.decode()

    again = lite_client.get("/en/")
    assert again[CACHE_HEADER] == "hit"
    assert "is-lite" in again.content.decode()
    plain = client.__class__().get("/en/")
    assert plain[CACHE_HEADER] == "hit"
    assert "is-lite" not in plain.content.decode()
    assert "lite-banner" not in plain.content.decode()
