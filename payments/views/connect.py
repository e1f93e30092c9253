"""Stripe Connect pages of an exhibitor: its account status (every member), onboarding (the owner only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from exhibitors.enums import MembershipRole
from exhibitors.permissions import membership_or_404
from payments.models import ConnectedAccount
from payments.services.connect import ConnectUnavailable, connect_onboarding_link, connected_account_refresh
from payments.stripe_client import stripe_configured

# What Stripe's requirement names mean, for the most common ones (others are shown as Stripe names them).
REQUIREMENT_HINTS = {
    "external_account": gettext_lazy("a bank account for payouts"),
    "tos_acceptance.date": gettext_lazy("acceptance of Stripe's terms"),
    "tos_acceptance.ip": gettext_lazy("acceptance of Stripe's terms"),
    "business_profile.url": gettext_lazy("your website or product description"),
    "business_profile.mcc": gettext_lazy("your business category"),
    "representative.first_name": gettext_lazy("the representative's name"),
    "representative.last_name": gettext_lazy("the representative's name"),
    "representative.dob.day": gettext_lazy("the representative's date of birth"),
    "representative.dob.month": gettext_lazy("the representative's date of birth"),
    "representative.dob.year": gettext_lazy("the representative's date of birth"),
    "company.tax_id": gettext_lazy("the company's tax id"),
}


def _urls(request, company_id: int) -> tuple[str, str]:
    return (
        request.build_absolute_uri(reverse("payments:connect_refresh", args=[company_id])),
        request.build_absolute_uri(reverse("payments:connect_return", args=[company_id])),
    )


def requirement_labels(account: ConnectedAccount | None) -> list[str]:
    if account is None:
        return []
    labels = []
    for name in account.requirements_due:
        label = str(REQUIREMENT_HINTS.get(name, name))
        if label not in labels:
            labels.append(label)
    return labels


@login_required
@require_GET
def connect_status(request, company_id: int):
    """GET: the company's Stripe account: whether it takes card payments and pays out, what Stripe still
    needs; the owner gets the button to (continue) onboarding."""
    membership = membership_or_404(user=request.user, company_id=company_id)
    account = ConnectedAccount.objects.filter(company=membership.company).first()
    context = {
        "company": membership.company,
        "is_owner": membership.role == MembershipRole.OWNER,
        "account": account,
        "requirements": requirement_labels(account),
        "stripe_on": stripe_configured(),
    }
    return TemplateResponse(request, "payments/connect/status.html", context)


def _onboard(request, company_id: int):
    membership = membership_or_404(user=request.user, company_id=company_id, owner=True)
    refresh_url, return_url = _urls(request, company_id)
    try:
        url = connect_onboarding_link(
            company=membership.company, by=request.user, refresh_url=refresh_url, return_url=return_url
        )
    except ConnectUnavailable as error:
        messages.error(request, " ".join(error.messages))
        return redirect("payments:connect_status", company_id)
    return HttpResponseRedirect(url)


@login_required
@require_POST
def connect_start(request, company_id: int):
    """POST (owner): create the Stripe account if needed and go to Stripe's onboarding."""
    return _onboard(request, company_id)


@login_required
@require_GET
def connect_refresh(request, company_id: int):
    """GET (owner): Stripe sends the owner here when an onboarding link expired; a fresh link follows."""
    return _onboard(request, company_id)


@login_required
@require_GET
def connect_return(request, company_id: int):
    """GET: back from Stripe's onboarding; the account's status is fetched now (its event may come later)."""
    membership = membership_or_404(user=request.user, company_id=company_id)
    account = connected_account_refresh(company=membership.company)
    if account is not None and account.charges_enabled:
        messages.success(request, _("Your Stripe account can take card payments."))
    elif account is not None:
        messages.info(request, _("Stripe still needs some details before you can take card payments."))
    return redirect("payments:connect_status", company_id)
