"""Chamber staff confirm a company against the chamber's member register (and can withdraw it). Each step is
written to Wagtail's audit log and to the record log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import get_cc_module
from stdnum.exceptions import ValidationError as NumberInvalid
from wagtail.log_actions import log

from exhibitors.models import Company, User
from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_subject
from exhibitors.records.services import record_append
from exhibitors.services.mail import chamber_name

ACTION_VERIFY = "feria.company.verify"
ACTION_UNVERIFY = "feria.company.unverify"

# python-stdnum's names for company tax numbers, most general first ("vat" exists for most countries).
TAX_ID_MODULES = ("vat", "tin", "ruc", "nit", "rut", "rfc", "cuit", "cnpj", "nif", "siren", "ein")


def tax_id_modules(country_code: str) -> list:
    """python-stdnum's validators for the country's company tax ids (empty when it has none)."""
    found = []
    for name in TAX_ID_MODULES:
        module = get_cc_module(country_code.lower(), name)
        if module is not None and module not in found:
            found.append(module)
    return found


def tax_id_check(*, tax_id: str, country_code: str) -> tuple[str, bool]:
    """The tax id in its compact form and whether its format could be checked for the country; raises
    ValidationError when the country has a known format and the id does not fit it."""
    tax_id = tax_id.strip()
    if not tax_id:
        raise ValidationError({"tax_id": _("Enter the company's tax id as the member register shows it.")})
    modules = tax_id_modules(country_code)
    for module in modules:
        try:
            return module.validate(tax_id), True
        except NumberInvalid:
            continue
    if modules:
        raise ValidationError(
            {
                "tax_id": _(
                    "This is not a valid tax id for the company's country. Check it against the register."
                )
            }
        )
    return tax_id, False


@transaction.atomic
def company_verify(*, company: Company, by: User, register_number: str, tax_id: str) -> Company:
    """Mark the company as a verified member (row locked); stores the checked tax id. Side effects: the
    company's verification fields, an audit-log entry and a `company.verified` record."""
    register_number = register_number.strip()
    if not register_number:
        raise ValidationError({"register_number": _("Enter the company's number in the member register.")})
    compact, checked = tax_id_check(tax_id=tax_id, country_code=company.country.code or "")
    locked = Company.objects.select_for_update().get(pk=company.pk)
    locked.verified_at = timezone.now()
    locked.verified_by = by
    locked.verified_chamber = chamber_name()
    locked.member_register_number = register_number
    locked.tax_id = compact
    locked.save(
        update_fields=["verified_at", "verified_by", "verified_chamber", "member_register_number", "tax_id"]
    )
    facts = {
        "company_id": locked.pk,
        "company": locked.legal_name,
        "country": locked.country.code,
        "tax_id": compact,
        "tax_id_format_checked": checked,
        "register_number": register_number,
        "chamber": locked.verified_chamber,
        "verified_by_id": by.pk,
        "verified_at": time_text(locked.verified_at),
    }
    log(instance=locked, action=ACTION_VERIFY, user=by, data=facts)
    record_append(
        kind="company.verified",
        facts=facts,
        subject=record_subject("exhibitors.company", locked.pk),
        companies=[locked.pk],
    )
    company.verified_at, company.verified_chamber, company.tax_id = (
        locked.verified_at,
        locked.verified_chamber,
        locked.tax_id,
    )
    return locked


@transaction.atomic
def company_unverify(*, company: Company, by: User) -> Company:
    """Withdraw the verification at once (row locked). Side effects: the verification fields cleared, an
    audit-log entry and a `company.unverified` record. Nothing happens when it was not verified."""
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.verified_at is None:
        return locked
    facts = {
        "company_id": locked.pk,
        "company": locked.legal_name,
        "register_number": locked.member_register_number,
        "chamber": locked.verified_chamber,
        "unverified_by_id": by.pk,
        "unverified_at": time_text(timezone.now()),
    }
    locked.verified_at = None
    locked.verified_by = None
    locked.verified_chamber = ""
    locked.save(update_fields=["verified_at", "verified_by", "verified_chamber"])
    log(instance=locked, action=ACTION_UNVERIFY, user=by, data=facts)
    record_append(
        kind="company.unverified",
        facts=facts,
        subject=record_subject("exhibitors.company", locked.pk),
        companies=[locked.pk],
    )
    company.verified_at = None
    company.verified_chamber = ""
    return locked
