from django.urls import reverse
from wagtail.models import Site

from cms.models import ChamberSettings, StandardPage


def test_header_shows_the_chamber_name_and_follows_an_edit(client, home_page):
    site = Site.objects.get(is_default_site=True)
    settings = ChamberSettings.for_site(site)
    settings.chamber_name = "Cámara de Comercio de Piura"
    settings.save()
    assert "Cámara de Comercio de Piura" in client.get("/en/").content.decode()

    settings.chamber_name = "Cámara Regional de Piura"
    settings.save()
    html = client.get("/en/").content.decode()
    assert "Cámara Regional de Piura" in html
    assert "Cámara de Comercio de Piura" not in html


def test_signup_links_the_terms_and_privacy_pages(client, home_page):
    terms = home_page.add_child(instance=StandardPage(title="Terms of use", slug="terms"))
    privacy = home_page.add_child(instance=StandardPage(title="Privacy notice", slug="privacy"))
    settings = ChamberSettings.for_site(Site.objects.get(is_default_site=True))
    settings.terms_page = terms
    settings.privacy_page = privacy
    settings.save()

    html = client.get(reverse("account_signup")).content.decode()

    assert 'href="/en/terms/"' in html
    assert 'href="/en/privacy/"' in html


def test_signup_without_terms_pages_shows_no_dead_links(client, home_page):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Read them before you accept" not in html
