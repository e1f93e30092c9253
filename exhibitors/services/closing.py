"""An owner closes their company: its booths leave every fair, the apps above withdraw what is still open with
counterparts (meeting slots and meetings, unpaid payment requests, conversations), the catalogue disappears
from public view, members and open invitations go. The company row stays, marked `closed_at`, so paid orders,
receipts, the ledger and the record log still name it with its legal name and tax id. See docs/privacy.md,
"Closing a company".

The apps above this one (fair.meetings, fair.chat, payments) register a handler in CLOSING_HANDLERS from their
AppConfig.ready(); exhibitors never imports them.
"""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import BoothApplication, Company, Invitation, Membership, User
from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_subject
from exhibitors.records.services import record_append
from exhibitors.services.applications import booth_application_transition
from exhibitors.services.mail import chamber_name, email_enqueue, site_url

ACTION_CLOSE = "feria.company.close"
RECORD_KIND = "company.closed"

# Called as handler(company=..., by=..., reason=...) inside the closing's transaction, while the members are
# still members; each does its app's part and returns {count name: number} for the audit log and record.
CLOSING_HANDLERS: list[Callable[..., dict[str, int]]] = []
# Called as preview(company=...) for the confirmation page: {count name: number} of what closing would do.
CLOSING_PREVIEWS: list[Callable[..., dict[str, int]]] = []

OPEN_APPLICATIONS = (ApplicationStatus.PENDING, ApplicationStatus.APPROVED)


class CompanyCloseError(Exception):
    """Closing refused; the message is shown to the person, `field` names the form field it is about."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


# The order handlers run in, lowest first (registration order among equals): chat runs last, so the
# cancellation cards the other apps post still reach the conversation before it is closed.
_HANDLER_ORDER: dict[Callable, int] = {}


def closing_handler_register(
    *, handler: Callable[..., dict[str, int]], preview=None, order: int = 50
) -> None:
    """Let an app above this one take part in closing a company (called from its AppConfig.ready)."""
    if handler not in CLOSING_HANDLERS:
        _HANDLER_ORDER[handler] = order
        CLOSING_HANDLERS.append(handler)
        CLOSING_HANDLERS.sort(key=lambda item: _HANDLER_ORDER.get(item, 50))
    if preview is not None and preview not in CLOSING_PREVIEWS:
        CLOSING_PREVIEWS.append(preview)


def company_close_preview(*, company: Company) -> dict[str, int]:
    """What closing the company would change, counted: its own rows and what the registered apps report."""
    counts = {
        "booths": company.booths.count(),
        "pending_applications": BoothApplication.objects.filter(
            booth__company=company, status=ApplicationStatus.PENDING
        ).count(),
        "members": company.memberships.count(),
        "invitations": company.invitations.filter(accepted_at__isnull=True).count(),
        "products": company.products.count(),
    }
    for preview in CLOSING_PREVIEWS:
        counts.update(preview(company=company))
    return counts


def company_close_check(*, company: Company, by: User, password: str, name: str) -> None:
    """Raise CompanyCloseError unless `by` re-entered their password and typed the company's name."""
    if not by.has_usable_password() or not by.check_password(password or ""):
        raise CompanyCloseError(_("That is not your password."), field="password")
    if " ".join((name or "").split()).casefold() != " ".join(company.legal_name.split()).casefold():
        raise CompanyCloseError(
            _("Type the company's name exactly as shown to confirm."),
            field="name",
        )


def company_close(
    *, company: Company, by: User, password: str | None = None, name: str | None = None
) -> dict:
    """Close the company (owner only; with `password` and `name` given they are checked first). Side effects,
    in one transaction: booth applications withdrawn, the registered apps' handlers run (slots, meetings,
    payment requests, conversations), memberships and open invitations deleted, `closed_at` set, an audit-log
    entry and a `company.closed` record; after commit the former members are e-mailed. Returns the counts."""
    if password is not None or name is not None:
        company_close_check(company=company, by=by, password=password or "", name=name or "")
    reason = str(_("The company has closed."))
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        if locked.closed_at is not None:
            raise CompanyCloseError(_("This company is already closed."))
        if not Membership.objects.filter(company=locked, user=by, role=MembershipRole.OWNER).exists():
            raise CompanyCloseError(_("Only an owner can close the company."))
        counts: dict[str, int] = {"booths": locked.booths.count(), "applications_withdrawn": 0}
        for application in BoothApplication.objects.filter(
            booth__company=locked, status__in=OPEN_APPLICATIONS
        ):
            booth_application_transition(
                application=application, to=ApplicationStatus.WITHDRAWN, by=by, reason=reason
            )
            counts["applications_withdrawn"] += 1
        try:
            for handler in CLOSING_HANDLERS:
                counts.update(handler(company=locked, by=by, reason=reason))
        except ValidationError as error:
            # An app refused its part (a payment being processed right now): nothing is closed.
            raise CompanyCloseError(error.messages[0]) from error
        members = list(
            User.objects.filter(memberships__company=locked, is_active=True).order_by("pk").distinct()
        )
        counts["members"] = Membership.objects.filter(company=locked).delete()[0]
        counts["invitations"] = Invitation.objects.filter(company=locked, accepted_at__isnull=True).delete()[
            0
        ]
        counts["products"] = locked.products.count()
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        facts = {
            "company_id": locked.pk,
            "company": locked.legal_name,
            "country": locked.country.code,
            "tax_id": locked.tax_id,
            "closed_by_id": by.pk,
            "closed_at": time_text(locked.closed_at),
            "counts": {key: int(value) for key, value in sorted(counts.items())},
        }
        log(instance=locked, action=ACTION_CLOSE, user=by, data=facts)
        record_append(
            kind=RECORD_KIND,
            facts=facts,
            subject=record_subject("exhibitors.company", locked.pk),
            users=[by.pk],
            companies=[locked.pk],
        )
        transaction.on_commit(lambda: _members_email(company=locked, members=members, by=by))
    company.closed_at = locked.closed_at
    return counts


def _zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _members_email(*, company: Company, members: list[User], by: User) -> None:
    """Tell each former member, in their language and time zone, that the company was closed."""
    for member in members:
        language = (
            member.preferred_language if member.preferred_language in dict(settings.LANGUAGES) else "en"
        )
        with translation.override(language), timezone.override(_zone_of(member)):
            context = {
                "company": company,
                "closed_at": company.closed_at,
                "by": by,
                "member": member,
                "url": site_url(reverse("dashboard")),
                "chamber_name": chamber_name(),
            }
            subject = " ".join(
                render_to_string("exhibitors/emails/company_closed_subject.txt", context).split()
            )
            body = render_to_string("exhibitors/emails/company_closed_message.txt", context)
        email_enqueue(
            EmailMessage(
                subject=subject, body=body, to=[member.email], headers={"Content-Language": language}
            )
        )
