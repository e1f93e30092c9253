from django.conf import settings
from django.urls import reverse
from wagtail.models import Locale

from fair.models import FairPage
from fair.selectors.fairs import fair_original
from tests.factories.fair import FairPageFactory


def test_every_site_language_has_a_locale(db):
    codes = set(Locale.objects.values_list("language_code", flat=True))

    assert codes == {code for code, _name in settings.LANGUAGES}


def test_staff_translates_fair_page_from_admin(staff_client, home_page):
    fair = FairPageFactory(title="Andean Coffee Fair")
    spanish = Locale.objects.get(language_code="es")

    form = staff_client.get(reverse("wagtail_localize:submit_page_translation", args=[fair.pk]))
    response = staff_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[fair.pk]), {"locales": [spanish.pk]}
    )

    assert form.status_code == 200
    assert response.status_code == 302
    copy = FairPage.objects.get(translation_key=fair.translation_key, locale=spanish)
    assert copy.pk != fair.pk
    assert copy.title == "Andean Coffee Fair"
    assert copy.get_parent().locale == spanish
    assert fair_original(copy) == fair
    fair.refresh_from_db()
    assert fair.locale == Locale.get_default()


def test_staff_sees_translate_button_on_fair_page(staff_client, home_page):
    fair = FairPageFactory()

    response = staff_client.get(reverse("wagtailadmin_explore", args=[home_page.pk]))

    assert response.status_code == 200
    assert reverse("wagtail_localize:submit_page_translation", args=[fair.pk]) in response.content.decode()
