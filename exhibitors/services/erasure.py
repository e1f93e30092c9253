"""Erasure: a person asks for their account to be erased (password re-entered), has 14 days to change their
mind, then `erasures_due` (a periodic job) anonymises the account.

What goes: name, e-mail addresses, password, buyer profile, consents, memberships, open invitations to their
addresses, exports, two-factor devices, sign-in failure records, and what the apps above register in
ERASURE_HOOKS (favourites...). What stays, because someone else needs it or the law does: the User row itself
(so messages, orders and receipts still point somewhere; it then reads "A deleted account"), the messages
they sent (the other party's conversation stays whole), orders, receipts and ledger entries (names and tax
ids as printed on receipts, amounts). The audit log gets one entry saying an erasure happened, nothing more.
See docs/privacy.md.
"""

import logging
import zoneinfo
from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from exhibitors.models import BuyerProfile, Consent, DataExport, Invitation, Membership, User
from exhibitors.selectors.accounts import user_verified_emails
from exhibitors.selectors.privacy import companies_left_without_owner
from exhibitors.services.mail import chamber_name, email_enqueue, site_url

logger = logging.getLogger("feria.privacy")

ERASURE_COOLING_OFF = timedelta(days=14)
ACTION_ERASED = "feria.account.erased"

# Called with the person, inside the erasure's transaction, by the apps above this one (registered from
# their AppConfig.ready()) to remove what they hold about the person and no one else needs.
ERASURE_HOOKS: list[Callable[[User], None]] = []


class ErasureError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _last_owner_check(user: User) -> None:
    companies = companies_left_without_owner(user)
    if companies:
        raise ErasureError(
            _(
                "You are the only owner of %(companies)s. Make another member an owner, or close the "
                "company, before erasing your account."
            )
            % {"companies": ", ".join(company.legal_name for company in companies)}
        )


def erasure_request(*, user: User, password: str) -> User:
    """Schedule the erasure of the person's account 14 days from now, after checking their password and that
    no company would be left without an owner; e-mails them the date and how to cancel."""
    if not user.has_usable_password() or not user.check_password(password):
        raise ErasureError(_("That is not your password."), field="password")
    _last_owner_check(user)
    if user.erasure_due_at is None:
        user.erasure_due_at = timezone.now() + ERASURE_COOLING_OFF
        user.save(update_fields=["erasure_due_at"])
        _erasure_email(user=user, template="erasure_requested")
    return user


def erasure_cancel(*, user: User) -> User:
    """Cancel a scheduled erasure (nothing was erased yet); e-mails the person that it is cancelled."""
    if user.erasure_due_at is not None and user.erased_at is None:
        user.erasure_due_at = None
        user.save(update_fields=["erasure_due_at"])
        _erasure_email(user=user, template="erasure_cancelled")
    return user


def _zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _erasure_email(*, user: User, template: str) -> None:
    language = user.preferred_language if user.preferred_language in dict(settings.LANGUAGES) else "en"
    # The erasure's date and time are written in the person's own zone, as on their pages.
    with translation.override(language), timezone.override(_zone_of(user)):
        context = {
            "user": user,
            "due_at": user.erasure_due_at,
            "url": site_url(reverse("privacy")),
            "chamber_name": chamber_name(),
        }
        subject = " ".join(render_to_string(f"exhibitors/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"exhibitors/emails/{template}_message.txt", context)
    email_enqueue(
        EmailMessage(subject=subject, body=body, to=[user.email], headers={"Content-Language": language})
    )


@transaction.atomic
def account_anonymise(*, user: User) -> User:
    """Erase the person's data now (see the module's docstring for what goes and what stays); refuses while
    they are a company's only owner. Writes one "account erased" audit-log entry."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        return user
    _last_owner_check(user)
    emails = user_verified_emails(user)
    for hook in ERASURE_HOOKS:
        hook(user)
    for export in DataExport.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
        export.delete()
    Consent.objects.filter(user=user).delete()
    BuyerProfile.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(accepted_at__isnull=True, email__in=list(emails)).delete()
    EmailAddress.objects.filter(user=user).delete()
    AccessAttempt.objects.filter(username__in=list(emails)).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.first_name = ""
    user.last_name = ""
    user.email = f"erased-{user.pk}@erased.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.time_zone = "UTC"
    user.erasure_due_at = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Earlier audit-log entries about this account carried its name as their label.
    ModelLogEntry.objects.filter(content_type__app_label="exhibitors", content_type__model="user").filter(
        object_id=str(user.pk)
    ).update(label=str(user))
    log(instance=user, action=ACTION_ERASED, user=None, data={})
    return user


def erasures_due(*, now=None) -> int:
    """Anonymise the accounts whose cooling-off ended; one still the only owner of a company waits (logged)
    and is tried again next time. Returns how many were erased."""
    now = now or timezone.now()
    done = 0
    for user in User.objects.filter(erasure_due_at__lte=now, erased_at__isnull=True).order_by("pk"):
        try:
            account_anonymise(user=user)
        except ErasureError as error:
            logger.warning("erasure of account %s waits: %s", user.pk, error.message)
        else:
            done += 1
    return done
