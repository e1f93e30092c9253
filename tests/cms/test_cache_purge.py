"""The anonymous page cache is purged when what a page shows changes (cms/cache_purge.py,
exhibitors/cache_tags.py), and only then."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.utils import timezone

from cms.cache import CACHE_HEADER, PageCacheMiddleware
from exhibitors import cache_tags
from exhibitors.enums import ApplicationStatus
from exhibitors.models import BoothProduct, Company
from exhibitors.services.booths import booth_application_withdraw, booth_update
from exhibitors.services.catalogue import product_update
from exhibitors.services.closing import company_close
from exhibitors.services.decisions import application_approve
from exhibitors.services.renditions import image_renditions_make
from fair.models import FairPage
from tests.factories.exhibitors import (
    BoothFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.fair import FairPageFactory
from tests.factories.uploads import WagtailImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Fair", slug="andean")


def live_booth(fair, name: str, slug: str, **kwargs):
    company = CompanyFactory(legal_name=name, slug=slug)
    return BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED, **kwargs)


def booth_url(booth) -> str:
    return f"/en/{booth.fair.slug}/booths/{booth.company.slug}/"


def directory_url(fair) -> str:
    return f"/en/{fair.slug}/exhibitors/"


def fresh(client, url: str):
    """An anonymous visitor's request (a new client: no cookies)."""
    return client.__class__().get(url)


def edit_booth_text(booth, tagline: str) -> None:
    booth_update(booth=booth, tagline=tagline, description=booth.description, language="en", video_url="")


def test_booth_edit_shows_at_once_on_the_booth_page_and_directory(
    page_cache, client, fair, django_capture_on_commit_callbacks
):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca", tagline="Old tagline")
    for url in (booth_url(booth), directory_url(fair)):
        assert fresh(client, url)[CACHE_HEADER] == "miss"
        assert fresh(client, url)[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        edit_booth_text(booth, "Brand new tagline")

    for url in (booth_url(booth), directory_url(fair)):
        response = fresh(client, url)
        assert response[CACHE_HEADER] == "miss", url
        html = response.content.decode()
        assert "Brand new tagline" in html and "Old tagline" not in html, url
        assert fresh(client, url)[CACHE_HEADER] == "hit", url


def test_booth_edit_through_the_form_purges_its_page(
    page_cache, client, fair, django_capture_on_commit_callbacks
):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca", tagline="Old tagline")
    member = UserFactory()
    MembershipFactory(user=member, company=booth.company)
    assert fresh(client, booth_url(booth))[CACHE_HEADER] == "miss"

    exhibitor = client.__class__()
    exhibitor.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = exhibitor.post(
            f"/en/booths/{booth.pk}/",
            {
                "tagline": "Typed in the form",
                "description": "Family farms.",
                "language": "en",
                "video_url": "",
            },
        )
    assert response.status_code in (200, 302)
    booth.refresh_from_db()
    assert booth.tagline == "Typed in the form"

    response = fresh(client, booth_url(booth))
    assert response[CACHE_HEADER] == "miss"
    assert "Typed in the form" in response.content.decode()


def test_an_unrelated_booth_edit_keeps_other_booth_pages(
    page_cache, client, fair, django_capture_on_commit_callbacks, django_assert_num_queries
):
    mine = live_booth(fair, "Cafe Inca", "cafe-inca")
    other = live_booth(fair, "Cacao Sur", "cacao-sur")
    first = fresh(client, booth_url(mine))
    assert first[CACHE_HEADER] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        edit_booth_text(other, "Somebody else's news")

    # Served from the cache, without a single query.
    with django_assert_num_queries(0):
        again = fresh(client, booth_url(mine))
    assert again[CACHE_HEADER] == "hit"
    assert again.content == first.content


def test_publishing_a_changed_fair_page_shows_at_once(
    page_cache, client, fair, django_capture_on_commit_callbacks
):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    urls = [fair.url, directory_url(fair), booth_url(booth), "/en/"]
    for url in urls:
        assert fresh(client, url).status_code == 200
        assert fresh(client, url)[CACHE_HEADER] == "hit", url

    page = FairPage.objects.get(pk=fair.pk)
    page.title = "Andean Fair 2027"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    for url in urls:
        response = fresh(client, url)
        assert response[CACHE_HEADER] == "miss", url
        assert "Andean Fair 2027" in response.content.decode(), url


def test_a_product_edit_shows_on_the_booth_page_and_directory(
    page_cache, client, fair, django_capture_on_commit_callbacks
):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    product = ProductFactory(company=booth.company, name="Green arabica")
    BoothProduct.objects.create(booth=booth, product=product, sort_order=0)
    search = directory_url(fair) + "?q=plonkish"
    assert "Green arabica" in fresh(client, booth_url(booth)).content.decode()
    assert "Cafe Inca" not in fresh(client, search).content.decode()
    assert fresh(client, search)[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            product=product,
            name="Plonkish roast",
            description="Roasted.",
            language="en",
            hs_code="090121",
            min_order_quantity=None,
            unit="kg",
            price_min=Decimal("4"),
            price_max=Decimal("5"),
            currency="USD",
            lead_time_days=None,
        )

    page = fresh(client, booth_url(booth)).content.decode()
    assert "Plonkish roast" in page and "Green arabica" not in page
    found = fresh(client, search)
    assert found[CACHE_HEADER] == "miss"
    assert "Cafe Inca" in found.content.decode()


def test_an_application_decision_adds_and_removes_the_booth(
    page_cache, client, fair, staff, django_capture_on_commit_callbacks
):
    live_booth(fair, "Cacao Sur", "cacao-sur")
    company = CompanyFactory(legal_name="Cafe Inca", slug="cafe-inca")
    booth = BoothFactory(fair=fair, company=company, featured=True)
    member = UserFactory()
    MembershipFactory(user=member, company=company)
    urls = [fair.url, directory_url(fair)]
    for url in urls:
        assert "Cafe Inca" not in fresh(client, url).content.decode()
        assert fresh(client, url)[CACHE_HEADER] == "hit"
    assert fresh(client, booth_url(booth)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=booth.application, by=staff)

    for url in urls:
        assert "Cafe Inca" in fresh(client, url).content.decode(), url
        assert fresh(client, url)[CACHE_HEADER] == "hit"
    assert fresh(client, booth_url(booth)).status_code == 200

    booth.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        booth_application_withdraw(booth=booth, by=member)

    for url in urls:
        assert "Cafe Inca" not in fresh(client, url).content.decode(), url
    assert fresh(client, booth_url(booth)).status_code == 404


def test_closing_a_company_takes_its_booth_off(page_cache, client, fair, django_capture_on_commit_callbacks):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    owner = UserFactory()
    MembershipFactory(user=owner, company=booth.company)
    assert "Cafe Inca" in fresh(client, directory_url(fair)).content.decode()
    assert fresh(client, booth_url(booth)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        company_close(company=Company.objects.get(pk=booth.company_id), by=owner)

    assert "Cafe Inca" not in fresh(client, directory_url(fair)).content.decode()
    assert fresh(client, booth_url(booth)).status_code == 404


def test_a_logo_shown_as_its_original_is_replaced_once_its_renditions_are_made(
    page_cache, client, fair, django_capture_on_commit_callbacks
):
    logo = WagtailImageFactory()
    booth = live_booth(fair, "Cafe Inca", "cafe-inca", logo=logo)
    before = fresh(client, booth_url(booth))
    assert before[CACHE_HEADER] == "miss"
    # The worker has not made the logo's renditions yet: the page shows the original meanwhile.
    assert logo.file.url in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        image_renditions_make(image=logo, sizes=["logo", "logo_small"])

    after = fresh(client, booth_url(booth))
    assert after[CACHE_HEADER] == "miss"
    assert logo.file.url not in after.content.decode()


def test_unpublishing_a_fair_gives_404_at_once(page_cache, client, fair, django_capture_on_commit_callbacks):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    for url in (fair.url, booth_url(booth), directory_url(fair)):
        fresh(client, url)
        assert fresh(client, url)[CACHE_HEADER] == "hit"
    assert "Andean Fair" in fresh(client, "/en/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        FairPage.objects.get(pk=fair.pk).unpublish()

    for url in (fair.url, booth_url(booth), directory_url(fair)):
        assert fresh(client, url).status_code == 404, url
    assert "Andean Fair" not in fresh(client, "/en/").content.decode()


def test_a_page_is_kept_no_longer_than_until_the_fair_phase_changes(page_cache, client, home_page):
    soon = timezone.now() + datetime.timedelta(minutes=10)
    upcoming = FairPageFactory(
        slug="soon",
        applications_close_at=soon - datetime.timedelta(minutes=5),
        starts_at=soon,
        ends_at=soon + datetime.timedelta(days=3),
    )
    middleware = PageCacheMiddleware(lambda request: None)
    deps, token = cache_tags.recording_start()
    try:
        cache_tags.fresh_until_next(cache_tags.fair_phase_moments(upcoming))
    finally:
        cache_tags.recording_stop(token)
    deps.declared = True
    assert 0 < middleware.lifetime(deps) <= 5 * 60

    assert fresh(client, upcoming.url)[CACHE_HEADER] == "miss"
    assert fresh(client, upcoming.url)[CACHE_HEADER] == "hit"


def test_a_lost_tag_stamp_makes_the_page_render_again(page_cache, client, fair):
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    fresh(client, booth_url(booth))
    caches["default"].delete(cache_tags.tag_key(cache_tags.tag_booth(booth.pk)))

    assert fresh(client, booth_url(booth))[CACHE_HEADER] == "miss"
    assert fresh(client, booth_url(booth))[CACHE_HEADER] == "hit"


def test_purges_cost_nothing_with_the_cache_off(settings, fair, django_capture_on_commit_callbacks):
    settings.FERIA_PAGE_CACHE_SECONDS = 0
    booth = live_booth(fair, "Cafe Inca", "cafe-inca")
    with django_capture_on_commit_callbacks() as callbacks:
        edit_booth_text(booth, "Anything")
    assert callbacks == []


@pytest.fixture
def redis_page_cache(settings, redis_url):
    """The cache on, in Redis under a key prefix of its own (nothing else there is touched); its keys are
    deleted afterwards."""
    import redis

    prefix = f"purge-test-{uuid.uuid4()}"
    settings.FERIA_PAGE_CACHE_SECONDS = 3600
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache_backends.FailSoftRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield settings
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_purging_works_with_redis(redis_page_cache, client, fair, django_capture_on_commit_callbacks):
    """The same with the cache in Redis (tag stamps are floats; `add` and `get_many` as there)."""
    mine = live_booth(fair, "Cafe Inca", "cafe-inca", tagline="Old tagline")
    other = live_booth(fair, "Cacao Sur", "cacao-sur")
    assert fresh(client, booth_url(mine))[CACHE_HEADER] == "miss"
    assert fresh(client, booth_url(other))[CACHE_HEADER] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        edit_booth_text(mine, "Brand new tagline")

    response = fresh(client, booth_url(mine))
    assert response[CACHE_HEADER] == "miss"
    assert "Brand new tagline" in response.content.decode()
    assert fresh(client, booth_url(mine))[CACHE_HEADER] == "hit"
    assert fresh(client, booth_url(other))[CACHE_HEADER] == "hit"
