"""Chamber staff translate a page with wagtail-localize, and the Spanish site keeps working meanwhile."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import StringSegment, Translation

from cms.models import ChamberSettings, HomePage, StandardPage
from cms.templatetags.feria_pages import url_in_current_language
from fair.models import FairPage
from tests.factories.fair import FairPageFactory

NOTE = "Its content is shown in its original language"


@pytest.fixture
def fair(home_page):
    return FairPageFactory(title="Andean Coffee Fair", slug="andean", summary="Coffee from the Andes.")


@pytest.fixture
def visitor():
    """Someone not signed in (the `client` fixture is the staff member's own browser here)."""
    return Client()


@pytest.fixture
def spanish():
    return Locale.objects.get(language_code="es")


def submit_for_translation(client, page, locale):
    return client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale.pk]}
    )


def translate_every_string(client, source_page, locale, values):
    """What the wagtail-localize editor sends: one PUT per string of the page."""
    translation_record = Translation.objects.get(
        source__object_id=source_page.translation_key, target_locale=locale
    )
    segments = StringSegment.objects.filter(source=translation_record.source).select_related("context")
    for segment in segments:
        response = client.put(
            reverse("wagtail_localize:edit_string_translation", args=[translation_record.pk, segment.pk]),
            f"value={values[segment.context.path]}",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 201), response.content
    return translation_record


def links(html):
    """The page's links to pages, leaving out the language switcher (which links every language)."""
    html = re.sub(r'<nav class="lang".*?</nav>', "", html, flags=re.S)
    return re.findall(r'href="(/[a-z]{2}/[^"]*)"', html)


def test_staff_translate_publish_and_read_page_under_spanish(
    staff_client, visitor, fair, spanish, django_capture_on_commit_callbacks
):
    editor = staff_client.get(reverse("wagtailadmin_pages:edit", args=[fair.pk])).content.decode()
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[fair.pk])
    assert "Translate this page" in editor
    assert f'href="{submit_url}"' in editor

    # Whatever wagtail-localize does once the submission commits, the translation stays a draft.
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit_for_translation(staff_client, fair, spanish)
    draft = FairPage.objects.get(translation_key=fair.translation_key, locale=spanish)
    assert not draft.live
    assert submitted.status_code == 302
    assert submitted["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    # The wagtail-localize editor of the Spanish page opens for staff (it said "no permission" before).
    assert staff_client.get(submitted["Location"]).status_code == 200

    # While the translation is a draft, the Spanish site shows the original under /es/, with a note.
    waiting = visitor.get("/es/andean/")
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert '<h1 lang="en">Andean Coffee Fair</h1>' in html
    assert NOTE not in html  # the note is in Spanish
    assert "Su contenido se muestra en su idioma original, inglés." in html
    assert '<html lang="es">' in html
    assert [link for link in links(html) if "andean/exhibitors" in link] == ["/es/andean/exhibitors/"] * 2
    others = [link for link in links(html) if "andean" in link and "exhibitors" not in link]
    assert others == ["/es/andean/catalogue/"]
    home = visitor.get("/es/").content.decode()
    assert "/es/andean/" in links(home)
    assert not [link for link in links(home) if link.startswith("/en/andean")]

    translate_every_string(
        staff_client,
        fair,
        spanish,
        {"title": "Feria Andina del Café", "slug": "feria-andina", "summary": "Café de los Andes."},
    )
    # wagtail-localize publishes the new revision once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        published = staff_client.post(
            reverse("wagtailadmin_pages:edit", args=[draft.pk]), {"action": "publish"}
        )
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.title == "Feria Andina del Café"

    page = visitor.get("/es/feria-andina/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Feria Andina del Café</h1>" in html
    assert "Su contenido se muestra en su idioma original" not in html
    assert "/es/feria-andina/" in links(visitor.get("/es/").content.decode())
    # The English original is untouched.
    assert "<h1>Andean Coffee Fair</h1>" in visitor.get("/en/andean/").content.decode()


def test_untranslated_pages_stay_under_spanish_once_home_is_aliased(staff_client, visitor, fair, spanish):
    home_page = fair.get_parent().specific
    terms = home_page.add_child(instance=StandardPage(title="Terms of use", slug="terms"))
    privacy = home_page.add_child(instance=StandardPage(title="Privacy notice", slug="privacy"))
    chamber = ChamberSettings.for_site(home_page.get_site())
    chamber.terms_page, chamber.privacy_page = terms, privacy
    chamber.save()

    # Makes the Spanish home, an alias of the English one.
    submit_for_translation(staff_client, fair, spanish)
    assert HomePage.objects.filter(locale=spanish, alias_of=home_page).exists()

    for path in ("/es/terms/", "/es/privacy/"):
        response = visitor.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<article class="prose" lang="en">' in html
        assert "Su contenido se muestra en su idioma original, inglés." in html
    home = visitor.get("/es/").content.decode()
    assert "Su contenido se muestra en su idioma original, inglés." in home
    signup = visitor.get("/es/accounts/signup/").content.decode()
    assert 'href="/es/terms/"' in signup
    assert 'href="/es/privacy/"' in signup
    # A page that exists in no language is still a 404.
    assert visitor.get("/es/no-such-page/").status_code == 404


def test_english_page_shows_no_language_note(visitor, fair):
    html = visitor.get("/en/andean/").content.decode()

    assert "Its content is shown" not in html
    assert "<h1>Andean Coffee Fair</h1>" in html


def test_spanish_home_routes_fallback_for_routable_subpages(staff_client, visitor, fair, spanish):
    submit_for_translation(staff_client, fair, spanish)

    response = visitor.get("/es/andean/exhibitors/")

    assert response.status_code == 200
    assert 'href="/es/andean/"' in response.content.decode()


def test_translation_of_home_gets_group_page_permissions(home_page, spanish):
    group = Group.objects.get(name="Chamber staff")

    alias = home_page.copy_for_translation(spanish, alias=True)

    granted = GroupPagePermission.objects.filter(group=group, page=alias)
    assert set(granted.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
    }


def test_migration_extends_permissions_to_existing_translations(home_page, spanish):
    group = Group.objects.get(name="Chamber staff")
    alias = home_page.copy_for_translation(spanish, alias=True)
    GroupPagePermission.objects.filter(page=alias).delete()
    migration = importlib.import_module("cms.migrations.0006_translated_trees_page_permissions")

    migration.extend_page_permissions_to_translations(apps, None)
    migration.extend_page_permissions_to_translations(apps, None)

    assert GroupPagePermission.objects.filter(group=group, page=alias).count() == 4


def test_translate_action_hidden_once_every_language_is_translated(staff_client, fair):
    for locale in Locale.objects.exclude(pk=fair.locale_id):
        fair.copy_for_translation(locale, copy_parents=True)

    editor = staff_client.get(reverse("wagtailadmin_pages:edit", args=[fair.pk])).content.decode()

    assert "Translate this page" not in editor


def test_url_in_current_language_moves_only_the_language_prefix(db):
    with translation.override("es"):
        assert url_in_current_language("/en/andean/exhibitors/?hall=2") == "/es/andean/exhibitors/?hall=2"
        assert url_in_current_language("/es/feria/") == "/es/feria/"
        assert url_in_current_language("") == ""


def test_root_is_never_routed_as_fallback(visitor, home_page):
    assert Page.objects.filter(depth=2).count() == 1
    assert visitor.get("/es/no-such-page/").status_code == 404
