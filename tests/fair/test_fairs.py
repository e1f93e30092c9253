import datetime

from wagtail import hooks
from wagtail.images import get_image_model

from exhibitors.enums import ApplicationStatus
from exhibitors.renditions import rendition_specs
from fair.admin.hooks import fair_cover_renditions_request
from tests.factories.exhibitors import BoothFactory, CompanyFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.uploads import WagtailImageFactory
from tests.fair.conftest import approved_booth

Rendition = get_image_model().get_rendition_model()


def test_fair_page_shows_dates_in_fair_and_viewer_time_zones(buyer_client, home_page):
    starts = datetime.datetime(2031, 3, 3, 14, 0, tzinfo=datetime.UTC)
    fair = FairPageFactory(
        slug="spring",
        time_zone="America/Lima",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=3),
        applications_open_at=starts - datetime.timedelta(days=60),
        applications_close_at=starts - datetime.timedelta(days=10),
    )

    html = buyer_client.get(f"/en/{fair.slug}/").content.decode()

    # 14:00 UTC is 9:00 in Lima and 15:00 in Berlin (the buyer's zone).
    assert "Mon, Mar 3, 2031, 9:00\u202fAM (Peru Standard Time)" in html
    assert "Your time: Mon, Mar 3, 2031, 3:00\u202fPM (Central European Standard Time)" in html
    assert "Peru Standard Time (America/Lima)" in html
    assert "Upcoming" in html


def test_fair_page_sections_label_featured_and_sponsored_apart(client, fair):
    sponsored_package = BoothPackageFactory(fair=fair, name="Gold", sponsored=True)
    plain_package = BoothPackageFactory(fair=fair, name="Basic")
    hall = HallFactory(fair=fair)
    featured = approved_booth(
        fair,
        company=CompanyFactory(legal_name="Featured Co"),
        hall=hall,
        package=plain_package,
        featured=True,
    )
    sponsored = approved_booth(
        fair, company=CompanyFactory(legal_name="Sponsor Co"), hall=hall, package=sponsored_package
    )
    approved_booth(fair, company=CompanyFactory(legal_name="Plain Co"), hall=hall, package=plain_package)

    response = client.get(f"/en/{fair.slug}/")

    featured_cards = [booth.company.legal_name for booth in response.context["featured_booths"]]
    sponsored_cards = [booth.company.legal_name for booth in response.context["sponsored_booths"]]
    assert featured_cards == ["Featured Co"]
    assert sponsored_cards == ["Sponsor Co"]
    html = response.content.decode()
    featured_section = html.split('id="featured"')[1].split("</section>")[0]
    sponsored_section = html.split('id="sponsored"')[1].split("</section>")[0]
    assert "Featured Co" in featured_section and "badge-featured" in featured_section
    assert "badge-sponsored" not in featured_section
    assert "Sponsor Co" in sponsored_section and "badge-sponsored" in sponsored_section
    assert "badge-featured" not in sponsored_section
    assert "Plain Co" not in html
    assert featured.pk != sponsored.pk


def test_fair_page_booth_both_featured_and_sponsored_shows_both_labels_once(client, fair):
    gold = BoothPackageFactory(fair=fair, name="Gold", sponsored=True)
    approved_booth(fair, company=CompanyFactory(legal_name="Both Co"), package=gold, featured=True)

    response = client.get(f"/en/{fair.slug}/")

    assert [b.company.legal_name for b in response.context["featured_booths"]] == ["Both Co"]
    assert response.context["sponsored_booths"] == []
    featured_section = response.content.decode().split('id="featured"')[1].split("</section>")[0]
    assert "Featured by the chamber" in featured_section
    assert "badge-sponsored" in featured_section


def test_fair_page_promotes_only_live_booths(client, fair):
    BoothFactory(fair=fair, featured=True, company=CompanyFactory(legal_name="Pending Co"))
    BoothFactory(
        fair=fair,
        featured=True,
        company=CompanyFactory(legal_name="Rejected Co"),
        status=ApplicationStatus.REJECTED,
    )

    response = client.get(f"/en/{fair.slug}/")

    assert response.context["featured_booths"] == []
    assert "Pending Co" not in response.content.decode()
    assert "Rejected Co" not in response.content.decode()


def test_fair_page_counts_live_exhibitors_per_hall(client, fair):
    textiles = HallFactory(fair=fair, name="Textiles")
    food = HallFactory(fair=fair, name="Food")
    approved_booth(fair, hall=textiles)
    approved_booth(fair, hall=textiles)
    approved_booth(fair, hall=food)
    BoothFactory(fair=fair, hall=food)  # pending: not counted

    response = client.get(f"/en/{fair.slug}/")

    counts = {hall.name: hall.live_booths for hall in response.context["halls"]}
    assert counts == {"Food": 1, "Textiles": 2}
    assert response.context["exhibitor_count"] == 3
    assert f"/en/{fair.slug}/exhibitors/?hall={textiles.pk}" in response.content.decode()


def test_spanish_fair_page_shows_the_same_booths(client, fair, spanish_fair):
    booth = approved_booth(fair, company=CompanyFactory(legal_name="Tejidos Andinos"), featured=True)

    response = client.get(f"/es/{spanish_fair.slug}/")

    assert response.status_code == 200
    assert response.context["page"].pk == spanish_fair.pk
    assert [b.pk for b in response.context["featured_booths"]] == [booth.pk]
    assert f"/es/{spanish_fair.slug}/booths/{booth.company.slug}/" in response.content.decode()
    assert "Feria Comercial Andina" in response.content.decode()


def test_fair_page_saved_in_the_editor_queues_its_cover_renditions(
    home_page, rf, admin_user, django_capture_on_commit_callbacks
):
    fair = FairPageFactory(cover_image=WagtailImageFactory())
    request = rf.post("/admin/pages/")
    request.user = admin_user
    assert fair_cover_renditions_request in hooks.get_hooks("after_create_page")
    assert fair_cover_renditions_request in hooks.get_hooks("after_edit_page")

    with django_capture_on_commit_callbacks(execute=True):
        fair_cover_renditions_request(request, fair)

    specs = Rendition.objects.filter(image=fair.cover_image).values_list("filter_spec", flat=True)
    # The fair page's cover, the home card, and the card's thumbnail in lite mode.
    assert sorted(specs) == sorted(rendition_specs("cover", "thumb", "card"))
