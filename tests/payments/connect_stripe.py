"""Connect routes for the local Stripe server (accounts, account links, refunds) and the shared world of the
buyer-payment tests: a fair with a commission, an exhibitor with an owner and a staff member and a connected
account, a buyer, and their conversation started from the exhibitor's booth."""

import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from stripe.params import (
    AccountCreateParams,
    AccountLinkCreateParams,
    AccountRetrieveParams,
    RefundCreateParams,
)

from exhibitors.enums import ApplicationStatus, MembershipRole
from tests.payments.stripe_server import StripeServer, stripe_error


def _account_create(server: StripeServer, request, match):
    account_id = server.new_id("acct")
    account = {
        "id": account_id,
        "object": "account",
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "country": request.params.get("country"),
        "email": request.params.get("email"),
        "metadata": request.params.get("metadata", {}),
        "controller": request.params.get("controller", {}),
        "requirements": {
            "currently_due": ["external_account", "tos_acceptance.date"],
            "past_due": [],
            "disabled_reason": "requirements.past_due",
        },
    }
    server.objects[account_id] = account
    return 200, account


def _account_retrieve(server: StripeServer, request, match):
    account = server.objects.get(match["id"])
    if account is None:
        return stripe_error(404, f"No such account: '{match['id']}'", code="resource_missing")
    return 200, account


def _account_link_create(server: StripeServer, request, match):
    params = request.params
    if params["account"] not in server.objects:
        return stripe_error(400, "No such account", param="account")
    return 200, {
        "object": "account_link",
        "created": int(time.time()),
        "expires_at": int(time.time()) + 300,
        "url": f"https://connect.stripe.com/setup/e/{params['account']}/{server.new_id('link')}",
    }


def _refund_create(server: StripeServer, request, match):
    params = request.params
    intent = params.get("payment_intent")
    if not intent:
        return stripe_error(400, "One of charge or payment_intent is required.")
    known = server.objects.get(intent)
    if known is not None:
        # As Stripe: never more than the charge minus what was refunded already.
        refunded = sum(
            item["amount"]
            for item in server.objects.values()
            if isinstance(item, dict)
            and item.get("object") == "refund"
            and item.get("payment_intent") == intent
        )
        if params["amount"] > known["amount"] - refunded:
            return stripe_error(
                400, "Refund amount is greater than unrefunded amount on charge.", param="amount"
            )
    refund_id = server.new_id("re")
    refund = {
        "id": refund_id,
        "object": "refund",
        "amount": params["amount"],
        "currency": known["currency"] if known else "usd",
        "payment_intent": intent,
        "charge": known["latest_charge"] if known else f"ch_for_{intent}",
        "metadata": params.get("metadata", {}),
        "status": server.objects.get("next_refund_status", "succeeded"),
        "transfer_reversal": f"trr_for_{refund_id}" if params.get("reverse_transfer") else None,
        "created": int(time.time()),
    }
    server.objects[refund_id] = refund
    return 200, refund


def add_connect_routes(server: StripeServer) -> StripeServer:
    server.route("POST", r"/v1/accounts", AccountCreateParams, _account_create)
    server.route("GET", r"/v1/accounts/(?P<id>[\w]+)", AccountRetrieveParams, _account_retrieve)
    server.route("POST", r"/v1/account_links", AccountLinkCreateParams, _account_link_create)
    server.route("POST", r"/v1/refunds", RefundCreateParams, _refund_create)
    return server


@dataclass
class World:
    server: StripeServer
    fair: object
    company: object
    owner: object
    staff: object
    buyer: object
    other_buyer: object
    booth: object
    conversation: object
    account: object


@pytest.fixture
def connect_server(stripe_server):
    return add_connect_routes(stripe_server)


@pytest.fixture
def world(connect_server, home_page):
    from fair.chat.services.conversations import conversation_start
    from payments.models import ConnectedAccount
    from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
    from tests.factories.fair import FairPageFactory

    fair = FairPageFactory(title="Andean Trade Fair", slug="andean-pay", commission_percent=Decimal("10"))
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca-pay", tax_id="20123456789")
    owner = UserFactory(email="olga.owner@example.com", first_name="Olga", last_name="Owner")
    staff = UserFactory(email="sam.staff@example.com", first_name="Sam", last_name="Staff")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    MembershipFactory(user=staff, company=company, role=MembershipRole.STAFF)
    buyer = UserFactory(
        email="bea.buyer@example.com", first_name="Bea", last_name="Buyer", preferred_language="en"
    )
    other_buyer = UserFactory(email="otto.other@example.com", first_name="Otto", last_name="Other")
    booth = BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    conversation = conversation_start(buyer=buyer, company=company, booth=booth)
    account = ConnectedAccount.objects.create(
        company=company,
        stripe_account_id="acct_test_cafeinca",
        charges_enabled=True,
        payouts_enabled=True,
        details_submitted=True,
    )
    return World(
        connect_server, fair, company, owner, staff, buyer, other_buyer, booth, conversation, account
    )


def send_request(
    world: World,
    *,
    lines=(("Coffee samples", 2, 2500),),
    currency="USD",
    taxes=(),
    by=None,
    client_id=None,
    expires_at=None,
    note="Shipping by DHL",
):
    from payments.services.orders import LineInput, TaxInput, payment_request_create

    return payment_request_create(
        conversation=world.conversation,
        by=by or world.staff,
        lines=[LineInput(d, q, u) for d, q, u in lines],
        taxes=[TaxInput(n, Decimal(r)) for n, r in taxes],
        currency=currency,
        note=note,
        expires_at=expires_at,
        client_id=client_id or f"req-{time.monotonic_ns()}",
    )


def start_payment(client, world: World, order):
    """The buyer presses Pay: returns the attempt (its session exists on the local server)."""
    from django.urls import reverse

    client.force_login(world.buyer)
    response = client.post(reverse("payments:buyer_pay", args=[order.pk]))
    assert response.status_code == 302, response.content
    attempt = order.attempts.get(status="open")
    assert response["Location"] == attempt.checkout_url
    return attempt
