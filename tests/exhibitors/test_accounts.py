"""Sign-up (consents, account kind, onboarding), e-mails in the recipient's language, personal settings,
and allauth's pages inside the site's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent, User
from exhibitors.services.accounts import ACCOUNT_KIND_SESSION_KEY, user_complete_signup
from tests.factories.exhibitors import BuyerProfileFactory, MembershipFactory, UserFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts e-mails per address in the cache; each test starts with none sent."""
    cache.clear()


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Rosa",
        "last_name": "Quispe",
        "email": "rosa@cafe-andino.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "account_kind": "exhibitor",
        "preferred_language": "en",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def confirm_and_sign_in(client, *, email: str):
    """Follow the confirmation link from the e-mail in the browser that signed up, which signs the person
    in; returns that response."""
    confirm_url = link_in(mail.outbox[-1].body)
    response = client.post(confirm_url)
    assert EmailAddress.objects.get(email=email).verified is True
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
    return response


# --- Sign-up and consents ---


def test_signup_records_each_consent_with_time_version_and_address(client, db):
    response = client.post(reverse("account_signup"), signup_data(), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    user = User.objects.get(email="rosa@cafe-andino.example")
    assert (user.first_name, user.last_name, user.preferred_language) == ("Rosa", "Quispe", "en")
    consents = {consent.kind: consent for consent in Consent.objects.filter(user=user)}
    assert set(consents) == {ConsentKind.TERMS, ConsentKind.PRIVACY, ConsentKind.MARKETING}
    assert consents[ConsentKind.TERMS].granted is True
    assert consents[ConsentKind.TERMS].version == settings.FERIA_TERMS_VERSION
    assert consents[ConsentKind.PRIVACY].granted is True
    assert consents[ConsentKind.PRIVACY].version == settings.FERIA_PRIVACY_VERSION
    assert consents[ConsentKind.MARKETING].granted is False
    assert all(consent.recorded_at is not None for consent in consents.values())
    assert all(consent.ip_address == "203.0.113.7" for consent in consents.values())


def test_signup_records_marketing_consent_when_ticked(client, db):
    client.post(reverse("account_signup"), signup_data(accept_marketing="on"))

    consent = Consent.objects.get(user__email="rosa@cafe-andino.example", kind=ConsentKind.MARKETING)
    assert consent.granted is True


def test_signup_without_terms_is_refused_and_keeps_the_input(client, db):
    data = signup_data()
    del data["accept_terms"]

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert not User.objects.filter(email="rosa@cafe-andino.example").exists()
    assert "accept_terms" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="Quispe"' in html
    assert 'value="rosa@cafe-andino.example"' in html
    assert Consent.objects.count() == 0


def test_user_complete_signup_service_stores_details_and_account_kind(db):
    user = UserFactory(preferred_language="en")

    user_complete_signup(
        user=user,
        first_name="Ana",
        last_name="Silva",
        account_kind="buyer",
        preferred_language="pt",
        accepted_marketing=True,
        ip_address=None,
    )

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.preferred_language) == ("Ana", "Silva", "pt")
    assert Consent.objects.filter(user=user, granted=True).count() == 3


def test_signup_remembers_the_account_kind_in_the_session(client, db):
    client.post(reverse("account_signup"), signup_data(account_kind="buyer"))

    assert client.session[ACCOUNT_KIND_SESSION_KEY] == "buyer"


# --- Onboarding: the first sign-in continues on the chosen path ---


def test_first_sign_in_of_an_exhibitor_opens_the_company_form(client, db):
    client.post(reverse("account_signup"), signup_data(account_kind="exhibitor"))

    response = confirm_and_sign_in(client, email="rosa@cafe-andino.example")

    assert response.status_code == 302
    assert response.url == reverse("company_create")


def test_first_sign_in_of_a_buyer_opens_the_buyer_profile(client, db):
    client.post(reverse("account_signup"), signup_data(account_kind="buyer", email="max@import.example"))

    response = confirm_and_sign_in(client, email="max@import.example")

    assert response.url == reverse("buyer_profile_edit")


def test_confirming_signs_in_and_returns_to_the_page_signup_started_from(client, db):
    booth_path = "/en/fairs/andean/booths/cafe-inca/"
    client.post(f"{reverse('account_signup')}?next={booth_path}", {**signup_data(), "next": booth_path})

    response = confirm_and_sign_in(client, email="rosa@cafe-andino.example")

    assert response.status_code == 302
    assert response.url == booth_path


def notices(response) -> list[str]:
    return re.findall(r'<p class="message[^"]*">([^<]*)', response.content.decode())


def test_each_notice_of_signup_and_confirmation_is_shown_once(client, db):
    response = client.post(reverse("account_signup"), signup_data(), follow=True)

    assert notices(response) == []
    assert "We have sent an email to you for verification" in response.content.decode()

    response = client.post(link_in(mail.outbox[-1].body), follow=True)

    assert notices(response) == ["You have confirmed rosa@cafe-andino.example."]
    assert "Sign out" in response.content.decode()


def test_confirming_in_another_browser_still_returns_to_the_page_but_asks_to_sign_in(client, db):
    booth_path = "/en/fairs/andean/booths/cafe-inca/"
    client.post(reverse("account_signup"), {**signup_data(), "next": booth_path})
    other_browser = Client()

    response = other_browser.post(link_in(mail.outbox[-1].body))

    assert EmailAddress.objects.get(email="rosa@cafe-andino.example").verified is True
    assert response.url == booth_path
    assert "_auth_user_id" not in other_browser.session


def test_sign_in_goes_to_the_dashboard_once_the_person_has_a_company(client, db):
    membership = MembershipFactory()
    session = client.session
    session[ACCOUNT_KIND_SESSION_KEY] = "exhibitor"
    session.save()

    response = client.post(
        reverse("account_login"), {"login": membership.user.email, "password": "correct horse battery"}
    )

    assert response.url == "/en/dashboard/"


def test_sign_in_without_a_known_kind_goes_to_the_dashboard(client, db):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery"}
    )

    assert response.url == "/en/dashboard/"


def test_sign_in_opens_the_site_in_the_preferred_language(client, db):
    profile = BuyerProfileFactory(user__preferred_language="pt")

    response = client.post(
        "/en/accounts/login/", {"login": profile.user.email, "password": "correct horse battery"}
    )

    assert response.url == "/pt/dashboard/"


def test_sign_in_honours_an_explicit_next_link(client, db):
    user = UserFactory(preferred_language="es")

    response = client.post(
        "/en/accounts/login/?next=/en/buyer/profile/",
        {"login": user.email, "password": "correct horse battery"},
    )

    assert response.url == "/en/buyer/profile/"


# --- allauth's e-mails in the recipient's language ---


def test_signup_confirmation_email_is_in_the_language_chosen_at_signup(client, db):
    client.post("/en/accounts/signup/", signup_data(preferred_language="es"))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Confirme su dirección de correo electrónico" in message.subject
    assert "/es/accounts/confirm-email/" in link_in(message.body)


def test_signup_confirmation_email_in_english_for_an_english_speaker(client, db):
    client.post("/es/accounts/signup/", signup_data(preferred_language="en"))

    assert "Confirm your e-mail address" in mail.outbox[0].subject
    assert "/en/accounts/confirm-email/" in link_in(mail.outbox[0].body)


def test_password_reset_email_is_in_the_recipients_language(client, db):
    user = UserFactory(preferred_language="fr", email="claire@negoce.example")

    client.post("/en/accounts/password/reset/", {"email": "claire@negoce.example"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Choisissez un nouveau mot de passe" in message.subject
    assert "/fr/accounts/password/reset/key/" in link_in(message.body)


def test_email_to_an_unknown_address_uses_the_page_language(client, db):
    client.post("/es/accounts/password/reset/", {"email": "nobody@nowhere.example"})

    assert len(mail.outbox) == 1
    assert "Ninguna cuenta con esta dirección de correo electrónico" in mail.outbox[0].subject


# Forms of "tú" that must never appear in a Spanish e-mail (the site speaks "usted").
INFORMAL_SPANISH = re.compile(
    r"\b(tú|tu|tus|te|ti|contigo|puedes|tienes|has|haz|recibes|ignora|confirma|abre|elige|crea)\b",
    re.IGNORECASE,
)


def test_account_emails_in_spanish_speak_usted_throughout(client, db):
    UserFactory(email="taken@example.com", preferred_language="es")
    client.post("/es/accounts/signup/", signup_data(preferred_language="es"))
    Client().post("/es/accounts/signup/", signup_data(email="taken@example.com", preferred_language="es"))
    client.post("/es/accounts/password/reset/", {"email": "taken@example.com"})
    client.post("/es/accounts/password/reset/", {"email": "nobody@nowhere.example"})

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert INFORMAL_SPANISH.search(text) is None, text
        assert message.extra_headers["Content-Language"] == "es"
    assert "Hola:" in mail.outbox[0].body and "confirmar que la dirección es suya" in mail.outbox[0].body


# --- allauth's pages in the site's frame ---


def assert_site_page(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert "css/feria.css" in html
    assert 'class="site-header"' in html
    assert "<style" not in html
    assert 'style="' not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


@pytest.mark.parametrize(
    "url_name",
    ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"],
)
def test_account_pages_use_the_site_layout(client, db, url_name):
    assert_site_page(client.get(reverse(url_name)))


def test_sign_out_and_confirm_email_pages_use_the_site_layout(client, db):
    client.post(reverse("account_signup"), signup_data())
    assert_site_page(client.get(link_in(mail.outbox[0].body)))
    client.force_login(UserFactory())
    assert_site_page(client.get(reverse("account_logout")))


def test_signup_page_lists_both_paths_and_the_consents(client, db):
    html = client.get("/en/accounts/signup/").content.decode()

    assert 'value="exhibitor"' in html
    assert 'value="buyer"' in html
    assert 'name="accept_terms"' in html
    assert 'name="accept_privacy"' in html
    assert 'name="accept_marketing"' in html


# --- Personal settings ---


def test_settings_save_language_and_time_zone_and_reopen_in_that_language(client, db):
    user = UserFactory(preferred_language="en", time_zone="UTC")
    client.force_login(user)

    response = client.post(
        "/en/settings/",
        {
            "first_name": "Rosa",
            "last_name": "Quispe",
            "preferred_language": "es",
            "time_zone": "America/Lima",
        },
    )

    assert response.status_code == 302
    assert response.url == "/es/settings/"
    user.refresh_from_db()
    assert (user.preferred_language, user.time_zone, user.first_name) == ("es", "America/Lima", "Rosa")


def test_settings_refuse_an_unknown_time_zone_and_keep_the_input(client, db):
    user = UserFactory(time_zone="UTC", first_name="Old")
    client.force_login(user)

    response = client.post(
        reverse("personal_settings"),
        {"first_name": "New", "last_name": "Name", "preferred_language": "fr", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert 'value="New"' in response.content.decode()
    user.refresh_from_db()
    assert (user.time_zone, user.first_name, user.preferred_language) == ("UTC", "Old", "en")


def test_settings_need_a_signed_in_person(client, db):
    response = client.get(reverse("personal_settings"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def zone_groups(client) -> dict:
    choices = client.get(reverse("personal_settings")).context["form"].fields["time_zone"].choices
    return {label: options for label, options in choices}


def test_settings_group_zones_by_country_with_offsets_and_keep_a_legacy_current_one(client, db):
    user = UserFactory(time_zone="US/Eastern")
    client.force_login(user)

    groups = zone_groups(client)

    assert groups["UTC"] == "UTC"
    assert dict(groups["Peru"]) == {"America/Lima": "Lima (UTC−05:00)"}
    assert "America/New_York" in dict(groups["United States of America"])
    assert dict(groups["Other"]) == {"US/Eastern": "US/Eastern"}
    every_zone = [value for options in groups.values() if isinstance(options, list) for value, _ in options]
    assert "US/Pacific" not in every_zone and "Etc/GMT+5" not in every_zone
    html = client.get(reverse("personal_settings")).content.decode()
    assert '<optgroup label="Germany">' in html and "timezone.js" in html


def test_settings_zone_groups_follow_the_readers_language_and_alphabet(client, db):
    client.force_login(UserFactory(time_zone="Europe/Paris"))

    with translation.override("fr"):
        groups = list(zone_groups(client))

    assert (
        groups.index("Égypte") < groups.index("Équateur") < groups.index("Espagne") < groups.index("Zambie")
    )


def test_signup_takes_the_browsers_time_zone(client, db):
    client.post(reverse("account_signup"), {**signup_data(), "time_zone": "Europe/Berlin"})

    assert User.objects.get(email="rosa@cafe-andino.example").time_zone == "Europe/Berlin"


def test_signup_without_javascript_guesses_the_zone_from_the_browsers_country(client, db):
    client.post(
        reverse("account_signup"),
        {**signup_data(), "time_zone": ""},
        HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5",
    )
    assert User.objects.get(email="rosa@cafe-andino.example").time_zone == "America/Mexico_City"


def test_signup_ignores_a_made_up_zone_and_falls_back_to_the_country_or_the_site(client, db):
    client.post(
        reverse("account_signup"),
        {**signup_data(), "time_zone": "Mars/Olympus"},
        HTTP_ACCEPT_LANGUAGE="de-DE",
    )
    assert User.objects.get(email="rosa@cafe-andino.example").time_zone == "Europe/Berlin"
    client.post(
        reverse("account_signup"),
        {**signup_data(email="max@import.example"), "time_zone": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert User.objects.get(email="max@import.example").time_zone == "UTC"


def test_signup_page_carries_the_browser_zone_field_and_its_script(client, db):
    html = client.get(reverse("account_signup")).content.decode()

    assert 'name="time_zone"' in html and "data-browser-zone" in html
    assert "/static/js/timezone.js" in html
