"""Stripe Connect onboarding of an exhibitor: the owner creates the Express account and follows Stripe's
link; everyone in the company sees its status, kept from account.updated events."""

import pytest
from django.urls import reverse

from payments.enums import EventStatus
from payments.models import ConnectedAccount, StripeEvent
from tests.payments import connect_stripe
from tests.payments.conftest import CONNECT_SECRET, PLATFORM_SECRET, make_event

pytestmark = pytest.mark.django_db
connect_server, world = connect_stripe.connect_server, connect_stripe.world


@pytest.fixture
def unconnected(world):
    world.account.delete()
    return world


def test_owner_onboarding_creates_the_account_once_and_links_to_stripe(client, unconnected):
    world = unconnected
    client.force_login(world.owner)
    response = client.post(reverse("payments:connect_start", args=[world.company.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://connect.stripe.com/setup/e/acct_test_")
    (create,) = world.server.calls("POST", "/v1/accounts")
    assert create.idempotency_key == f"account-{world.company.pk}"
    assert create.stripe_account is None
    assert create.params == {
        "controller": {
            "stripe_dashboard": {"type": "express"},
            "fees": {"payer": "application"},
            "losses": {"payments": "application"},
            "requirement_collection": "stripe",
        },
        "capabilities": {"transfers": {"requested": True}},
        "country": "PE",
        "business_profile": {"name": "Cafe Inca S.A.C."},
        "metadata": {"company_id": str(world.company.pk)},
        "email": "olga.owner@example.com",
    }
    account = ConnectedAccount.objects.get(company=world.company)
    assert not account.charges_enabled
    assert account.requirements_due == ["external_account", "tos_acceptance.date"]
    (link,) = world.server.calls("POST", "/v1/account_links")
    assert link.params == {
        "account": account.stripe_account_id,
        "type": "account_onboarding",
        "refresh_url": "http://testserver" + reverse("payments:connect_refresh", args=[world.company.pk]),
        "return_url": "http://testserver" + reverse("payments:connect_return", args=[world.company.pk]),
        "collection_options": {"fields": "currently_due"},
    }
    # An expired link brings the owner back to refresh_url: a new link for the same account.
    response = client.get(reverse("payments:connect_refresh", args=[world.company.pk]))
    assert response.status_code == 302
    assert len(world.server.calls("POST", "/v1/accounts")) == 1
    assert len(world.server.calls("POST", "/v1/account_links")) == 2
    page = client.get(reverse("payments:connect_status", args=[world.company.pk])).content.decode()
    assert "a bank account for payouts" in page and "Continue on Stripe" in page


def test_staff_see_the_status_but_cannot_onboard(client, unconnected):
    world = unconnected
    client.force_login(world.staff)
    assert client.post(reverse("payments:connect_start", args=[world.company.pk])).status_code == 404
    assert client.get(reverse("payments:connect_refresh", args=[world.company.pk])).status_code == 404
    page = client.get(reverse("payments:connect_status", args=[world.company.pk]))
    assert page.status_code == 200
    assert "Only the company's owners" in page.content.decode()
    assert not world.server.calls("POST", "/v1/accounts")
    client.force_login(world.buyer)
    assert client.get(reverse("payments:connect_status", args=[world.company.pk])).status_code == 404


def test_account_updated_events_keep_the_status(client, unconnected, post_event):
    world = unconnected
    client.force_login(world.owner)
    client.post(reverse("payments:connect_start", args=[world.company.pk]))
    account = ConnectedAccount.objects.get()
    acct = account.stripe_account_id
    payload = {
        "id": acct,
        "object": "account",
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": True,
        "requirements": {
            "currently_due": ["company.tax_id"],
            "past_due": ["external_account"],
            "disabled_reason": "requirements.past_due",
        },
    }
    event = make_event("account.updated", payload, account=acct)
    assert post_event(event).status_code == 200
    account.refresh_from_db()
    assert account.requirements_due == ["external_account", "company.tax_id"] and account.details_submitted
    # Signed with the platform secret, a Connect event is refused.
    forged = make_event("account.updated", {**payload, "charges_enabled": True}, account=acct)
    assert post_event(forged, secret=PLATFORM_SECRET).status_code == 400
    account.refresh_from_db()
    assert not account.charges_enabled
    enabled = make_event(
        "account.updated",
        {
            **payload,
            "charges_enabled": True,
            "payouts_enabled": True,
            "requirements": {"currently_due": [], "past_due": []},
        },
        account=acct,
    )
    assert post_event(enabled, secret=CONNECT_SECRET).status_code == 200
    account.refresh_from_db()
    assert account.charges_enabled and account.payouts_enabled and account.requirements_due == []
    assert StripeEvent.objects.get(event_id=enabled["id"]).status == EventStatus.PROCESSED
    page = client.get(reverse("payments:company_payments", args=[world.company.pk])).content.decode()
    assert "Request a payment" in page


def test_return_page_fetches_the_account(client, unconnected):
    world = unconnected
    client.force_login(world.owner)
    client.post(reverse("payments:connect_start", args=[world.company.pk]))
    account = ConnectedAccount.objects.get()
    world.server.objects[account.stripe_account_id].update(
        charges_enabled=True, requirements={"currently_due": [], "past_due": []}
    )
    response = client.get(reverse("payments:connect_return", args=[world.company.pk]), follow=True)
    assert "can take card payments" in response.content.decode()
    account.refresh_from_db()
    assert account.charges_enabled
    (retrieve,) = world.server.calls("GET", f"/v1/accounts/{account.stripe_account_id}")
    assert retrieve.stripe_account is None


def test_stripe_down_during_onboarding_is_explained(client, unconnected):
    world = unconnected
    world.server.fail_next(500, path="/v1/accounts")
    client.force_login(world.owner)
    response = client.post(reverse("payments:connect_start", args=[world.company.pk]), follow=True)
    assert "could not be reached" in response.content.decode()
    assert not ConnectedAccount.objects.exists()
    client.post(reverse("payments:connect_start", args=[world.company.pk]))
    keys = [call.idempotency_key for call in world.server.calls("POST", "/v1/accounts")]
    assert keys == [f"account-{world.company.pk}"] * 2
    assert ConnectedAccount.objects.count() == 1


def test_without_stripe_keys_card_payments_are_explained_and_hidden(client, settings, home_page):
    from exhibitors.enums import MembershipRole
    from fair.chat.services.conversations import conversation_start
    from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

    settings.STRIPE_SECRET_KEY = ""
    company = CompanyFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    conversation = conversation_start(buyer=UserFactory(), company=company)
    client.force_login(owner)
    page = client.get(reverse("payments:connect_status", args=[company.pk])).content.decode()
    assert "not available on this site" in page and "Connect a Stripe account" not in page
    form = client.get(reverse("payments:payment_request_new", args=[conversation.pk])).content.decode()
    assert "not available on this site" in form and "Send the payment request" not in form
    assert (
        "not available"
        in client.get(reverse("payments:company_payments", args=[company.pk])).content.decode()
    )
    response = client.post(reverse("payments:connect_start", args=[company.pk]), follow=True)
    assert "not available" in response.content.decode()


def conversation_page(client, user, conversation) -> str:
    client.force_login(user)
    return client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()


def test_conversation_offers_payment_requests_only_when_the_company_can_take_cards(client, world):
    request_url = reverse("payments:payment_request_new", args=[world.conversation.pk])
    connect_url = reverse("payments:connect_status", args=[world.company.pk])

    page = conversation_page(client, world.staff, world.conversation)
    assert request_url in page and "Request a payment" in page

    world.account.charges_enabled = False
    world.account.save()
    page = conversation_page(client, world.owner, world.conversation)
    assert request_url not in page
    assert "connect your company's Stripe account" in page and connect_url in page
    page = conversation_page(client, world.staff, world.conversation)
    assert request_url not in page
    assert "an owner of your company must first connect its Stripe account" in page


def test_conversation_without_stripe_keys_explains_instead_of_offering(client, world, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = conversation_page(client, world.owner, world.conversation)
    assert reverse("payments:payment_request_new", args=[world.conversation.pk]) not in page
    assert "the chamber has not switched on for this site" in page
