import datetime

from django.utils import timezone
from wagtail.models import Locale

from cms.models import StandardPage
from exhibitors.renditions import FAIR_COVER_SIZES
from fair.models import FairPage
from fair.selectors.fairs import fair_original, fairs_for_home
from tests.factories.fair import FairPageFactory
from tests.factories.uploads import WagtailImageFactory


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


def upcoming(**kwargs):
    return FairPageFactory(
        starts_at=days(20),
        ends_at=days(25),
        applications_open_at=days(-5),
        applications_close_at=days(10),
        **kwargs,
    )


def test_home_lists_live_and_upcoming_fairs_only(client, home_page):
    live = FairPageFactory(title="Live Fair")
    soon = upcoming(title="Soon Fair")
    FairPageFactory(title="Past Fair", starts_at=days(-10), ends_at=days(-3))
    FairPageFactory(title="Closed Fair", closed_early=True)
    draft = FairPageFactory(title="Draft Fair")
    draft.unpublish()

    response = client.get("/en/")

    assert [fair.pk for fair in response.context["live_fairs"]] == [live.pk]
    assert [fair.pk for fair in response.context["upcoming_fairs"]] == [soon.pk]
    html = response.content.decode()
    assert "Live Fair" in html and "Soon Fair" in html
    assert "Past Fair" not in html and "Closed Fair" not in html and "Draft Fair" not in html
    assert "Applications open" in html  # the upcoming fair's phase


def test_home_shows_dates_in_viewer_zone_and_cover_as_webp(buyer_client, home_page):
    starts = datetime.datetime(2031, 3, 3, 14, 0, tzinfo=datetime.UTC)
    FairPageFactory(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=2),
        applications_open_at=days(-1),
        applications_close_at=days(1),
        cover_image=WagtailImageFactory(renditions=FAIR_COVER_SIZES),
    )

    html = buyer_client.get("/en/").content.decode()

    assert "Mon, Mar 3, 2031, 3:00\u202fPM" in html  # 14:00 UTC in Berlin
    assert "Central European Standard Time (Europe/Berlin)" in html
    assert "fill-480x360" in html and ".webp" in html


def test_home_in_spanish_prefers_translations_and_falls_back_to_original(
    client, home_page, fair, spanish_fair
):
    untranslated = FairPageFactory(title="Only In English", slug="english-only", parent=home_page)

    response = client.get("/es/")

    shown = {page.pk for page in response.context["live_fairs"]}
    assert shown == {spanish_fair.pk, untranslated.pk}
    html = response.content.decode()
    assert f'href="/es/{spanish_fair.slug}/"' in html
    assert "Only In English" in html


def test_fairs_for_home_in_default_locale_ignores_translations(db, fair, spanish_fair):
    result = fairs_for_home(locale=Locale.get_default())

    assert [page.pk for page in result["live_fairs"]] == [fair.pk]


def test_fair_original_of_translation_is_the_default_language_page(db, fair, spanish_fair):
    assert fair_original(spanish_fair).pk == fair.pk
    assert fair_original(fair).pk == fair.pk
    assert FairPage.objects.filter(translation_key=fair.translation_key).count() == 2


def test_standard_page_renders_every_block(client, home_page):
    image = WagtailImageFactory(title="Harbour", renditions=["gallery"])
    page = StandardPage(
        title="About the chamber",
        slug="about",
        body=[
            ("heading", {"text": "Who we are"}),
            ("paragraph", "<p>We help <b>exporters</b>.</p>"),
            ("image", {"image": image, "caption": "Our harbour"}),
            ("quote", {"text": "Trade builds bridges.", "attribution": "A member"}),
        ],
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()

    html = client.get("/en/about/").content.decode()

    assert '<h2 class="block-heading">Who we are</h2>' in html
    assert "We help <b>exporters</b>." in html
    assert "max-1200x900" in html and ".webp" in html and "Our harbour" in html
    assert "Trade builds bridges." in html and "— A member" in html
    assert "style=" not in html and "<script>" not in html
