"""No account enumeration: sign-in, sign-up and password reset answer the same whether or not an address
belongs to an account (allauth's ACCOUNT_PREVENT_ENUMERATION, axes' per-address pause)."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories.exhibitors import UserFactory

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_wrong_password_and_unknown_address_get_the_same_answer(client, db):
    UserFactory(email="owner@feria.example")
    known = client.post(reverse("account_login"), {"login": "owner@feria.example", "password": "nope"})
    unknown = client.post(reverse("account_login"), {"login": "nobody@feria.example", "password": "nope"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known).replace("owner@feria.example", "X") == _page(unknown).replace(
        "nobody@feria.example", "X"
    )


def test_signup_with_a_taken_address_looks_like_any_signup(client, db):
    UserFactory(email="owner@feria.example")
    form = {
        "first_name": "Ana",
        "last_name": "Ríos",
        "password1": "a long new passphrase 42",
        "password2": "a long new passphrase 42",
        "account_kind": "buyer",
        "preferred_language": "en",
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    taken = client.post(reverse("account_signup"), {**form, "email": "owner@feria.example"})
    client.logout()
    fresh = client.post(reverse("account_signup"), {**form, "email": "new@feria.example"})
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The owner of the taken address hears about it by e-mail, not the person at the keyboard.
    assert sorted(message.to[0] for message in mail.outbox) == ["new@feria.example", "owner@feria.example"]


def test_password_reset_answers_the_same_for_unknown_addresses(client, db):
    UserFactory(email="owner@feria.example")
    known = client.post(reverse("account_reset_password"), {"email": "owner@feria.example"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@feria.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
