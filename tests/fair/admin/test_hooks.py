from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale
from wagtail_localize.operations import translate_object

from exhibitors.models import Certification, Sector
from fair.models import BoothPackage, FairPage, Hall
from tests.factories.exhibitors import BoothFactory, SectorFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory


def spanish_copy(fair):
    spanish = Locale.objects.get(language_code="es")
    translate_object(fair, [spanish])
    return FairPage.objects.get(translation_key=fair.translation_key, locale=spanish)


def hall_data(fair, **overrides):
    return {
        "fair": fair.pk,
        "name": "Agrifood",
        "description": "",
        "sector": "",
        "sort_order": 0,
        **overrides,
    }


def package_data(fair, **overrides):
    return {
        "fair": fair.pk,
        "name": "Premium",
        "description": "",
        "price_amount": 15000,
        "currency": "USD",
        "max_products": 20,
        "gallery_size": 10,
        "sort_order": 0,
        **overrides,
    }


def test_hall_form_offers_only_original_fairs(staff_client, home_page):
    fair = FairPageFactory(title="Andean Coffee Fair")
    copy = spanish_copy(fair)

    content = staff_client.get("/admin/halls/new/").content.decode()

    assert f'<option value="{fair.pk}"' in content
    assert f'<option value="{copy.pk}"' not in content


def test_hall_create_for_original_fair(staff_client, home_page):
    fair = FairPageFactory()
    sector = SectorFactory(name="Agrifood")

    response = staff_client.post("/admin/halls/new/", hall_data(fair, sector=sector.pk))

    assert response.status_code == 302
    hall = Hall.objects.get(name="Agrifood")
    assert hall.fair_id == fair.pk
    assert hall.sector == sector


def test_hall_create_refuses_translated_fair(staff_client, home_page):
    fair = FairPageFactory(title="Andean Coffee Fair")
    copy = spanish_copy(fair)

    response = staff_client.post("/admin/halls/new/", hall_data(copy, name="Textiles"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "is a translation" in content
    assert 'value="Textiles"' in content
    assert not Hall.objects.filter(name="Textiles").exists()


def test_hall_edit_and_delete(staff_client, home_page):
    hall = HallFactory(name="Agrifood")

    edited = staff_client.post(
        f"/admin/halls/edit/{hall.pk}/", hall_data(hall.fair, name="Agrifood & drinks")
    )
    hall.refresh_from_db()
    deleted = staff_client.post(f"/admin/halls/delete/{hall.pk}/")

    assert edited.status_code == 302
    assert hall.name == "Agrifood & drinks"
    assert deleted.status_code == 302
    assert not Hall.objects.filter(pk=hall.pk).exists()


def test_hall_list_filters_by_fair(staff_client, home_page):
    kept = HallFactory(name="Coffee hall")
    HallFactory(name="Textile hall")

    content = staff_client.get("/admin/halls/", {"fair": kept.fair_id}).content.decode()

    assert "Coffee hall" in content
    assert "Textile hall" not in content


def test_package_create_and_list_shows_formatted_price(staff_client, home_page):
    fair = FairPageFactory()
    BoothPackageFactory(fair=fair, name="Basic", price_amount=0)
    BoothPackageFactory(fair=fair, name="Tokyo", price_amount=5000, currency="JPY")

    response = staff_client.post("/admin/booth_packages/new/", package_data(fair, currency="usd"))
    content = staff_client.get("/admin/booth_packages/").content.decode()

    assert response.status_code == 302
    package = BoothPackage.objects.get(name="Premium")
    assert (package.price_amount, package.currency) == (15000, "USD")
    assert "$150.00" in content
    assert "¥5,000" in content
    assert "Free" in content


def test_package_create_refuses_bad_currency_and_translated_fair(staff_client, home_page):
    fair = FairPageFactory()
    copy = spanish_copy(fair)

    response = staff_client.post("/admin/booth_packages/new/", package_data(copy, currency="US"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "three-letter ISO code" in content
    assert "is a translation" in content
    assert not BoothPackage.objects.exists()


def test_package_list_filters_by_fair(staff_client, home_page):
    kept = BoothPackageFactory(name="Kept package")
    BoothPackageFactory(name="Other package")

    content = staff_client.get("/admin/booth_packages/", {"fair": kept.fair_id}).content.decode()

    assert "Kept package" in content
    assert "Other package" not in content


def test_sector_and_certification_create(staff_client, db):
    sector = staff_client.post("/admin/sectors/new/", {"name": "Agrifood", "slug": "agrifood"})
    certification = staff_client.post(
        "/admin/certifications/new/", {"name": "Fairtrade", "slug": "fairtrade"}
    )

    assert sector.status_code == 302
    assert certification.status_code == 302
    assert Sector.objects.filter(slug="agrifood").exists()
    assert Certification.objects.filter(slug="fairtrade").exists()


def test_hall_and_package_lists_query_count_does_not_grow_with_rows(staff_client, home_page):
    fair = FairPageFactory()
    HallFactory(fair=fair, sector=SectorFactory())
    BoothPackageFactory(fair=fair)
    with CaptureQueriesContext(connection) as halls_one:
        staff_client.get("/admin/halls/")
    with CaptureQueriesContext(connection) as packages_one:
        staff_client.get("/admin/booth_packages/")

    for _ in range(5):
        other = FairPageFactory()
        HallFactory(fair=other, sector=SectorFactory())
        BoothPackageFactory(fair=other)
    with CaptureQueriesContext(connection) as halls_many:
        assert staff_client.get("/admin/halls/").content.decode().count("/admin/halls/edit/") >= 6
    with CaptureQueriesContext(connection) as packages_many:
        assert (
            staff_client.get("/admin/booth_packages/").content.decode().count("/admin/booth_packages/edit/")
            >= 6
        )

    assert len(halls_many) == len(halls_one)
    assert len(packages_many) == len(packages_one)


def test_hall_used_by_booths_is_not_deleted(staff_client, home_page):
    booth = BoothFactory()

    response = staff_client.post(f"/admin/halls/delete/{booth.hall_id}/", follow=True)

    assert response.status_code == 200
    assert "cannot be deleted: 1 booth uses it" in response.content.decode()
    assert Hall.objects.filter(pk=booth.hall_id).exists()


def test_package_used_by_booths_is_not_deleted(staff_client, home_page):
    booth = BoothFactory()

    response = staff_client.post(f"/admin/booth_packages/delete/{booth.package_id}/", follow=True)

    assert "cannot be deleted: 1 booth uses it" in response.content.decode()
    assert BoothPackage.objects.filter(pk=booth.package_id).exists()


def test_fair_editor_lists_halls_and_packages_with_add_links(staff_client, home_page):
    fair = FairPageFactory()
    hall = HallFactory(fair=fair, name="Coffee hall", sector=SectorFactory(name="Agrifood"))
    package = BoothPackageFactory(fair=fair, name="Premium", price_amount=15000, currency="USD")
    HallFactory(name="Hall of another fair")

    content = staff_client.get(f"/admin/pages/{fair.pk}/edit/").content.decode()

    back = f"next=%2Fadmin%2Fpages%2F{fair.pk}%2Fedit%2F"
    assert "Halls and packages" in content
    assert f'href="/admin/halls/edit/{hall.pk}/?{back}"' in content
    assert f'href="/admin/booth_packages/edit/{package.pk}/?{back}"' in content
    assert "Agrifood" in content
    assert "$150.00" in content
    assert f'href="/admin/halls/new/?fair={fair.pk}&amp;{back}"' in content
    assert f'href="/admin/booth_packages/new/?fair={fair.pk}&amp;{back}"' in content
    assert "Hall of another fair" not in content


def test_add_hall_from_fair_editor_preselects_fair_and_returns_there(staff_client, home_page):
    fair = FairPageFactory()
    FairPageFactory(title="Another fair")
    url = f"/admin/halls/new/?fair={fair.pk}&next=/admin/pages/{fair.pk}/edit/"

    form = staff_client.get(url).content.decode()
    response = staff_client.post(url, hall_data(fair, name="Textiles"))

    assert f'<option value="{fair.pk}" selected>' in form
    assert (
        f'action="/admin/halls/new/?fair={fair.pk}&amp;next=%2Fadmin%2Fpages%2F{fair.pk}%2Fedit%2F"' in form
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{fair.pk}/edit/"
    assert Hall.objects.get(name="Textiles").fair_id == fair.pk


def test_edit_package_from_fair_editor_returns_there_and_refuses_outside_next(staff_client, home_page):
    package = BoothPackageFactory(name="Basic")
    fair = package.fair

    back = staff_client.post(
        f"/admin/booth_packages/edit/{package.pk}/?next=/admin/pages/{fair.pk}/edit/",
        package_data(fair, name="Basic plus"),
    )
    outside = staff_client.post(
        f"/admin/booth_packages/edit/{package.pk}/?next=https://evil.example/",
        package_data(fair, name="Basic plus"),
    )

    assert back["Location"] == f"/admin/pages/{fair.pk}/edit/"
    assert outside["Location"] == "/admin/booth_packages/"


def test_new_fair_editor_says_to_save_before_adding_halls(staff_client, home_page):
    content = staff_client.get(f"/admin/pages/add/fair/fairpage/{home_page.pk}/").content.decode()

    assert "Save the fair once; then add its halls and booth packages here." in content
