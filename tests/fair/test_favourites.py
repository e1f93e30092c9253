import pytest
from django.test import Client
from django.urls import reverse

from exhibitors.enums import ApplicationStatus
from fair.models import Favourite
from fair.services import favourite_add, favourite_remove
from tests.factories.exhibitors import BoothFactory, CompanyFactory, ProductFactory, UserFactory
from tests.factories.uploads import BoothProductFactory
from tests.fair.conftest import approved_booth


def add_booth_url(booth):
    return reverse("fair:favourite_booth_add", args=[booth.pk])


def test_favourite_add_is_idempotent(db, live_booth, buyer):
    first = favourite_add(user=buyer, booth=live_booth)
    second = favourite_add(user=buyer, booth=live_booth)

    assert first.pk == second.pk
    assert Favourite.objects.filter(user=buyer).count() == 1


def test_favourite_add_needs_exactly_one_target(db, live_booth, buyer):
    product = ProductFactory(company=live_booth.company)

    with pytest.raises(ValueError):
        favourite_add(user=buyer)
    with pytest.raises(ValueError):
        favourite_add(user=buyer, booth=live_booth, product=product)


def test_favourite_remove_reports_whether_there_was_one(db, live_booth, buyer):
    favourite_add(user=buyer, booth=live_booth)

    assert favourite_remove(user=buyer, booth_id=live_booth.pk) is True
    assert favourite_remove(user=buyer, booth_id=live_booth.pk) is False
    assert not Favourite.objects.exists()


def test_saving_a_booth_requires_sign_in(client, live_booth):
    response = client.post(add_booth_url(live_booth))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Favourite.objects.exists()


def test_favourites_page_requires_sign_in(client, db):
    response = client.get(reverse("fair:favourites"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_saving_a_booth_requires_csrf_token(db, live_booth, buyer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)

    response = strict.post(add_booth_url(live_booth))

    assert response.status_code == 403
    assert not Favourite.objects.exists()


def test_saving_a_booth_with_csrf_token_from_the_page_works(db, fair, live_booth, buyer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    page = strict.get(f"/en/{fair.slug}/booths/{live_booth.company.slug}/")
    token = page.context["csrf_token"]

    response = strict.post(add_booth_url(live_booth), {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert Favourite.objects.filter(user=buyer, booth=live_booth).exists()


def test_saving_a_booth_twice_keeps_one_and_redirects_back(buyer_client, buyer, fair, live_booth):
    back = f"/en/{fair.slug}/exhibitors/?q=coffee"

    first = buyer_client.post(add_booth_url(live_booth), {"next": back})
    second = buyer_client.post(add_booth_url(live_booth), {"next": back})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == back
    assert Favourite.objects.filter(user=buyer, booth=live_booth).count() == 1


def test_redirect_back_never_leaves_the_site(buyer_client, live_booth):
    response = buyer_client.post(add_booth_url(live_booth), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("fair:favourites")


def test_saving_answers_json_for_the_script(buyer_client, buyer, live_booth):
    response = buyer_client.post(add_booth_url(live_booth), headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response.json() == {"saved": True, "message": "Booth saved to your favourites."}
    assert Favourite.objects.filter(user=buyer, booth=live_booth).exists()


def test_only_post_saves(buyer_client, live_booth):
    assert buyer_client.get(add_booth_url(live_booth)).status_code == 405
    assert not Favourite.objects.exists()


@pytest.mark.parametrize("status", [ApplicationStatus.PENDING, ApplicationStatus.REJECTED])
def test_saving_a_booth_not_on_show_is_404(buyer_client, fair, status):
    booth = BoothFactory(fair=fair, status=status)

    assert buyer_client.post(add_booth_url(booth)).status_code == 404
    assert buyer_client.post(reverse("fair:favourite_booth_add", args=[999999])).status_code == 404
    assert buyer_client.post(reverse("fair:favourite_booth_remove", args=[booth.pk])).status_code == 404
    assert not Favourite.objects.exists()


def test_saving_a_product_only_when_a_live_booth_shows_it(buyer_client, buyer, live_booth):
    shown = ProductFactory(company=live_booth.company, name="Shown")
    BoothProductFactory(booth=live_booth, product=shown)
    catalogue_only = ProductFactory(company=live_booth.company, name="Catalogue only")
    pending_booth = BoothFactory(fair=live_booth.fair)
    at_pending = ProductFactory(company=pending_booth.company)
    BoothProductFactory(booth=pending_booth, product=at_pending)

    ok = buyer_client.post(reverse("fair:favourite_product_add", args=[shown.pk]))

    assert ok.status_code == 302
    for product in (catalogue_only, at_pending):
        assert buyer_client.post(reverse("fair:favourite_product_add", args=[product.pk])).status_code == 404
    assert list(Favourite.objects.values_list("product_id", flat=True)) == [shown.pk]


def test_removing_only_touches_own_favourites(buyer_client, buyer, live_booth):
    other = UserFactory()
    favourite_add(user=other, booth=live_booth)
    favourite_add(user=buyer, booth=live_booth)

    response = buyer_client.post(reverse("fair:favourite_booth_remove", args=[live_booth.pk]))

    assert response.status_code == 302
    assert list(Favourite.objects.values_list("user_id", flat=True)) == [other.pk]


def test_a_saved_booth_gone_off_show_can_still_be_removed(buyer_client, buyer, live_booth):
    favourite_add(user=buyer, booth=live_booth)
    live_booth.application.status = ApplicationStatus.WITHDRAWN
    live_booth.application.save()

    page = buyer_client.get(reverse("fair:favourites"))
    response = buyer_client.post(reverse("fair:favourite_booth_remove", args=[live_booth.pk]))

    assert [booth.pk for booth in page.context["gone_booths"]] == [live_booth.pk]
    assert page.context["favourite_booths"] == []
    assert response.status_code == 302
    assert not Favourite.objects.exists()


def test_my_favourites_lists_booths_and_products_with_links(buyer_client, buyer, fair, live_booth):
    product = ProductFactory(company=live_booth.company, name="Cacao nibs")
    BoothProductFactory(booth=live_booth, product=product)
    favourite_add(user=buyer, booth=live_booth)
    favourite_add(user=buyer, product=product)
    someone_else = approved_booth(fair, company=CompanyFactory(legal_name="Not Mine"))
    favourite_add(user=UserFactory(), booth=someone_else)

    response = buyer_client.get(reverse("fair:favourites"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Cafe Inca S.A.C." in html and "Cacao nibs" in html
    assert "Not Mine" not in html
    assert f'href="/en/{fair.slug}/booths/{live_booth.company.slug}/"' in html
    assert f'href="/en/{fair.slug}/booths/{live_booth.company.slug}/#product-{product.pk}"' in html


def test_my_favourites_link_to_the_fair_in_the_visitors_language(
    buyer_client, buyer, fair, spanish_fair, live_booth
):
    favourite_add(user=buyer, booth=live_booth)

    html = buyer_client.get("/es/favourites/").content.decode()

    assert f'href="/es/{spanish_fair.slug}/booths/{live_booth.company.slug}/"' in html


def test_booth_page_shows_saved_state_to_its_saver_only(client, fair, live_booth, buyer):
    favourite_add(user=buyer, booth=live_booth)
    url = f"/en/{fair.slug}/booths/{live_booth.company.slug}/"
    client.force_login(buyer)
    saved = client.get(url)
    client.force_login(UserFactory())
    not_saved = client.get(url)

    # The button is a hole (fair/holes.py): its state is filled in for each person.
    assert (
        f'action="{reverse("fair:favourite_booth_remove", args=[live_booth.pk])}"' in saved.content.decode()
    )
    assert 'aria-pressed="true"' in saved.content.decode()
    assert 'aria-pressed="true"' not in not_saved.content.decode()
    assert (
        f'action="{reverse("fair:favourite_booth_add", args=[live_booth.pk])}"' in not_saved.content.decode()
    )
