"""Stripe Connect for exhibitors: an Express account per company, its onboarding links, and its status.

The company's owner starts onboarding: the Account is created once (idempotency key `account-<company id>`,
controller properties of an Express account: Stripe collects the requirements, the Express Dashboard, the
platform pays Stripe's fees and bears negative balances, which is what destination charges need), then an
AccountLink sends the owner to Stripe's hosted onboarding. The account's state (charges and payouts enabled,
what Stripe still needs) is kept from `account.updated` events and refreshed when the owner comes back.
"""

import logging
import uuid

import stripe
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Company
from payments.models import ConnectedAccount
from payments.stripe_client import request_options, stripe_client, stripe_configured

logger = logging.getLogger("feria.payments")


class ConnectUnavailable(ValidationError):
    pass


def account_create_params(*, company: Company, email: str) -> dict:
    """The Account for a company: an Express configuration through controller properties, asking for the
    `transfers` capability (what a destination charge needs on the connected side)."""
    params = {
        "controller": {
            "stripe_dashboard": {"type": "express"},
            "fees": {"payer": "application"},
            "losses": {"payments": "application"},
            "requirement_collection": "stripe",
        },
        "capabilities": {"transfers": {"requested": True}},
        "country": str(company.country),
        "business_profile": {"name": company.legal_name[:200]},
        "metadata": {"company_id": str(company.pk)},
    }
    if email:
        params["email"] = email
    return params


def _requirements(account: dict) -> list[str]:
    requirements = account.get("requirements") or {}
    due = list(requirements.get("past_due") or []) + list(requirements.get("currently_due") or [])
    return sorted(set(due), key=due.index)


def connected_account_apply(*, account: dict) -> ConnectedAccount | None:
    """Copy an Account object (from `account.updated` or a retrieve) onto our row; None for accounts we do not
    know. Side effects: the ConnectedAccount row."""
    with transaction.atomic():
        row = ConnectedAccount.objects.select_for_update().filter(stripe_account_id=account.get("id")).first()
        if row is None:
            return None
        requirements = account.get("requirements") or {}
        row.charges_enabled = bool(account.get("charges_enabled"))
        row.payouts_enabled = bool(account.get("payouts_enabled"))
        row.details_submitted = bool(account.get("details_submitted"))
        row.requirements_due = _requirements(account)
        row.disabled_reason = (requirements.get("disabled_reason") or "")[:100]
        row.save()
        return row


def _account_ensure(*, company: Company, by) -> ConnectedAccount:
    existing = ConnectedAccount.objects.filter(company=company).first()
    if existing is not None:
        return existing
    params = account_create_params(company=company, email=getattr(by, "email", "") or "")
    account = stripe_client().v1.accounts.create(
        params=params, options=request_options(idempotency_key=f"account-{company.pk}")
    )
    try:
        with transaction.atomic():
            row = ConnectedAccount.objects.create(
                company=company, stripe_account_id=account.id, created_by=by
            )
    except IntegrityError:
        # Two clicks at once: Stripe answered both with the same account (same idempotency key).
        row = ConnectedAccount.objects.get(company=company)
    connected_account_apply(account=account.to_dict())
    row.refresh_from_db()
    return row


def connect_onboarding_link(*, company: Company, by, refresh_url: str, return_url: str) -> str:
    """The URL of Stripe's hosted onboarding for the company (its Account is created first if needed).
    Only the company's owner may call this (the views check). Raises ConnectUnavailable when Stripe is off
    or cannot be reached. Side effects: up to two Stripe requests, a ConnectedAccount row."""
    if not stripe_configured():
        raise ConnectUnavailable(_("Card payments are not available on this site."), code="stripe_off")
    try:
        row = _account_ensure(company=company, by=by)
        link = stripe_client().v1.account_links.create(
            params={
                "account": row.stripe_account_id,
                "type": "account_onboarding",
                "refresh_url": refresh_url,
                "return_url": return_url,
                "collection_options": {"fields": "currently_due"},
            },
            # An account link is used once; a new click is a new link.
            options=request_options(idempotency_key=f"account-link-{row.pk}-{uuid.uuid4().hex}"),
        )
    except stripe.StripeError as exc:
        logger.warning("Connect onboarding for company %s failed: %s", company.pk, exc)
        raise ConnectUnavailable(
            _("Stripe could not be reached just now. Please try again in a moment."), code="stripe_error"
        ) from exc
    return link.url


def connected_account_refresh(*, company: Company) -> ConnectedAccount | None:
    """Fetch the company's Account from Stripe and keep its state (when the owner comes back from
    onboarding: the account.updated event may come later). Stripe errors are logged and leave the row as
    it was. Side effects: one Stripe request, the ConnectedAccount row."""
    row = ConnectedAccount.objects.filter(company=company).first()
    if row is None or not stripe_configured():
        return row
    try:
        account = stripe_client().v1.accounts.retrieve(row.stripe_account_id)
    except stripe.StripeError as exc:
        logger.warning("Account %s could not be fetched: %s", row.stripe_account_id, exc)
        return row
    return connected_account_apply(account=account.to_dict()) or row


def can_take_payments(company: Company) -> bool:
    """The company has a connected account that Stripe lets take charges."""
    return (
        stripe_configured()
        and ConnectedAccount.objects.filter(company=company, charges_enabled=True).exists()
    )
