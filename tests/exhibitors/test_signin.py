"""Failed sign-ins pause an address, never an account (django-axes, settings AXES_*; exhibitors/signin.py)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cms.periodic import JOBS
from exhibitors.services.accounts import sign_in_failures_clear
from tests.factories.exhibitors import UserFactory

PASSWORD = "correct horse battery"
OWNER_ADDRESS = "203.0.113.7"


def sign_in(client, email: str, password: str, address: str, path: str | None = None):
    return client.post(
        path or reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_sign_in_failures_from_many_addresses_never_lock_out_the_owner(client, db):
    owner = UserFactory(email="owner@feria.example")

    for n in range(20):
        response = sign_in(client, "owner@feria.example", f"guess {n}", f"198.51.100.{n + 1}")
        assert response.status_code == 200  # the form again, with its error: not locked
    response = sign_in(client, "owner@feria.example", PASSWORD, OWNER_ADDRESS)

    assert response.status_code == 302
    assert signed_in_as(client) == owner.pk
    assert len(mail.outbox) == 0  # no address reached the limit: nothing to tell the owner


def test_sign_in_failures_from_one_address_lock_that_address_only(client, db):
    owner = UserFactory(email="owner@feria.example", preferred_language="es")
    other = UserFactory(email="someone@feria.example")
    attacker = "198.51.100.66"

    statuses = [
        sign_in(client, email, f"guess {n}", attacker).status_code
        for n, email in enumerate(["someone@feria.example", "owner@feria.example"] * 10)
    ]

    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (20 - limit + 1)
    # The right password from that address is refused too, and the page says why and what still works.
    response = sign_in(client, "owner@feria.example", PASSWORD, attacker)
    assert response.status_code == 429
    assert signed_in_as(client) is None
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "too many failed sign-ins from your connection" in page
    assert "No account has been locked" in page
    assert reverse("account_reset_password") in page
    # Everyone else, owner included, signs in from their own addresses.
    assert sign_in(client, "owner@feria.example", PASSWORD, OWNER_ADDRESS).status_code == 302
    assert signed_in_as(client) == owner.pk
    client.logout()
    assert sign_in(client, "someone@feria.example", PASSWORD, "192.0.2.10").status_code == 302
    assert signed_in_as(client) == other.pk
    # The account tried when the limit was reached hears of it once, in its owner's language.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@feria.example"]
    assert message.extra_headers["Content-Language"] == "es"
    assert "Inicios de sesión fallidos" in message.subject
    assert attacker in message.body
    assert "Su cuenta no está bloqueada" in message.body
    assert re.search(r"https?://\S+/es/accounts/password/reset/", message.body)


def test_sign_in_lockout_page_is_translated_and_the_same_for_unknown_addresses(client, db):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nobody@nowhere.example", f"guess {n}", "198.51.100.5", path="/fr/accounts/login/")

    response = sign_in(client, "nobody@nowhere.example", "guess", "198.51.100.5", path="/fr/accounts/login/")

    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "Connexion suspendue" in response.content.decode()
    assert len(mail.outbox) == 0  # nobody's address: nobody to tell


def test_sign_in_counts_an_address_typed_in_another_case_as_the_same_account(client, db):
    UserFactory(email="owner@feria.example")

    sign_in(client, "Owner@Feria.Example", "guess", "198.51.100.5")
    sign_in(client, " owner@feria.example", "guess", "198.51.100.5")

    assert list(AccessAttempt.objects.values_list("username", flat=True).distinct()) == [
        "owner@feria.example"
    ]


def test_password_reset_by_email_signs_the_owner_in_and_clears_their_failures(client, db):
    owner = UserFactory(email="owner@feria.example")
    # The owner got their password wrong from their own address until sign-in there was paused.
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner@feria.example", f"forgotten {n}", OWNER_ADDRESS)
    assert sign_in(client, "owner@feria.example", PASSWORD, OWNER_ADDRESS).status_code == 429
    mail.outbox.clear()

    client.post(
        reverse("account_reset_password"), {"email": "owner@feria.example"}, REMOTE_ADDR=OWNER_ADDRESS
    )
    reset_link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(reset_link, REMOTE_ADDR=OWNER_ADDRESS, follow=True)
    new_password = "a brand new passphrase 77"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_link,
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR=OWNER_ADDRESS,
    )

    assert response.status_code == 302
    assert signed_in_as(client) == owner.pk
    assert not AccessAttempt.objects.filter(username="owner@feria.example").exists()
    client.logout()
    assert sign_in(client, "owner@feria.example", new_password, OWNER_ADDRESS).status_code == 302
    assert signed_in_as(client) == owner.pk


def failed_attempt(username: str, *, minutes_ago: int = 0) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="198.51.100.5",
        user_agent="test",
        failures_since_start=3,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    # attempt_time is set on creation (auto_now_add); an older failure is moved back afterwards.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return attempt


def test_sign_in_failures_clear_keeps_other_accounts_failures(db):
    owner = UserFactory(email="owner@feria.example")
    failed_attempt("owner@feria.example")
    failed_attempt("someone@feria.example")

    assert sign_in_failures_clear(user=owner) == 1

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone@feria.example"]


def test_periodic_job_deletes_failed_sign_ins_past_the_cool_off(db):
    cool_off_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    failed_attempt("old@feria.example", minutes_ago=cool_off_minutes + 1)
    recent = failed_attempt("recent@feria.example", minutes_ago=cool_off_minutes - 1)

    job = next(job for job in JOBS if job.name == "sign_in_failures_expire")
    job.run()

    assert list(AccessAttempt.objects.all()) == [recent]


def test_wagtail_admin_sign_in_is_throttled_by_address_too(client, db):
    staff = UserFactory(email="staff@feria.example", is_staff=True, is_superuser=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": staff.email, "password": f"guess {n}"}, REMOTE_ADDR="198.51.100.5"
        )

    refused = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.5"
    )
    accepted = client.post(
        "/admin/login/", {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR=OWNER_ADDRESS
    )

    assert refused.status_code == 429
    assert accepted.status_code == 302
    assert signed_in_as(client) == staff.pk


@pytest.mark.parametrize("path", ["/en/accounts/login/", "/admin/login/"])
def test_sign_in_page_still_opens_from_a_paused_address(client, db, path):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nobody@nowhere.example", f"guess {n}", "198.51.100.5")

    assert client.get(path, REMOTE_ADDR="198.51.100.5").status_code == 200
