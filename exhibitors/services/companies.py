"""Writes about companies and the people in them: profile, memberships, invitations."""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from exhibitors.enums import MembershipRole
from exhibitors.models import Certification, Company, Invitation, Membership, Sector, User
from exhibitors.multilingual import translations_clean
from exhibitors.selectors.accounts import user_verified_emails
from exhibitors.services.mail import site_url

# An invitation link works this long after it was (last) sent.
INVITATION_VALID_FOR = timedelta(days=14)
_SLUG_MAX = Company._meta.get_field("slug").max_length


class MembershipError(Exception):
    """A change to a company's people that is not allowed; the message is shown to the person."""

    message = _("This change is not allowed.")

    def __init__(self, message=None):
        self.message = message or self.message
        super().__init__(str(self.message))


class LastOwnerError(MembershipError):
    message = _("A company always keeps at least one owner. Make someone else owner first.")


class AlreadyMemberError(MembershipError):
    message = _("This person is already a member of the company.")


class InvitationClosedError(MembershipError):
    message = _("This invitation is no longer valid. Ask the company's owner to invite you again.")


class InvitationEmailMismatchError(MembershipError):
    message = _(
        "This invitation was sent to another e-mail address. Sign in with the address it was sent to, "
        "or ask the company's owner to invite this one."
    )


# --- Company profile ---


def _unique_slug(legal_name: str) -> str:
    base = slugify(legal_name)[: _SLUG_MAX - 8].strip("-") or "company"
    taken = set(
        Company.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def company_create(
    *,
    user: User,
    legal_name: str,
    country: str,
    city: str = "",
    sectors: Iterable[Sector] = (),
    description: str = "",
    description_language: str = "en",
    website: str = "",
    export_markets: Iterable[str] = (),
    certifications: Iterable[Certification] = (),
    founded_year: int | None = None,
    size: str = "",
    tax_id: str = "",
    translations: dict | None = None,
) -> Company:
    """Create a company with a unique slug and make `user` its owner (writes Company and Membership)."""
    fields = {
        "legal_name": legal_name,
        "country": country,
        "city": city,
        "description": description,
        "description_language": description_language,
        "website": website,
        "export_markets": list(export_markets),
        "founded_year": founded_year,
        "size": size,
        "tax_id": tax_id,
        "translations": translations_clean(
            translations, fields=Company.translated_fields, source_language=description_language
        ),
    }
    # Two people registering the same name at once can race for a slug: take the next free one and retry.
    attempt = 0
    while True:
        attempt += 1
        try:
            with transaction.atomic():
                company = Company.objects.create(slug=_unique_slug(legal_name), **fields)
                company.sectors.set(list(sectors))
                company.certifications.set(list(certifications))
                Membership.objects.create(user=user, company=company, role=MembershipRole.OWNER)
            return company
        except IntegrityError:
            if attempt >= 5:
                raise


@transaction.atomic
def company_update(
    *,
    company: Company,
    legal_name: str,
    country: str,
    city: str = "",
    sectors: Iterable[Sector] = (),
    description: str = "",
    description_language: str = "en",
    website: str = "",
    export_markets: Iterable[str] = (),
    certifications: Iterable[Certification] = (),
    founded_year: int | None = None,
    size: str = "",
    tax_id: str = "",
    translations: dict | None = None,
) -> Company:
    """Save the company's profile (its description's translations too; None keeps the stored ones) and
    replace its sectors and certifications. The slug stays as it was."""
    company.legal_name = legal_name
    company.country = country
    company.city = city
    company.description = description
    company.description_language = description_language
    company.website = website
    company.export_markets = list(export_markets)
    company.founded_year = founded_year
    company.size = size
    company.tax_id = tax_id
    company.translations = translations_clean(
        company.translations if translations is None else translations,
        fields=Company.translated_fields,
        source_language=description_language,
    )
    company.save()
    company.sectors.set(list(sectors))
    company.certifications.set(list(certifications))
    return company


# --- Memberships ---


def _locked_memberships(company_id: int) -> list[Membership]:
    """All the company's memberships, row-locked in id order (one order for everyone, so two owners
    changing each other at once wait instead of deadlocking)."""
    return list(Membership.objects.select_for_update().filter(company_id=company_id).order_by("pk"))


def _locked_member(locked: list[Membership], membership: Membership) -> Membership:
    for candidate in locked:
        if candidate.pk == membership.pk:
            return candidate
    raise Membership.DoesNotExist


def _is_last_owner(locked: list[Membership], member: Membership) -> bool:
    return member.role == MembershipRole.OWNER and not any(
        other.role == MembershipRole.OWNER and other.pk != member.pk for other in locked
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Make a member owner or staff; refuses to demote the last owner (the company's rows locked)."""
    role = MembershipRole(role)
    locked = _locked_memberships(membership.company_id)
    current = _locked_member(locked, membership)
    if current.role == role:
        return current
    if _is_last_owner(locked, current):
        raise LastOwnerError
    current.role = role
    current.save(update_fields=["role"])
    membership.role = role
    return current


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a person out of a company (deletes the Membership); never the last owner."""
    locked = _locked_memberships(membership.company_id)
    current = _locked_member(locked, membership)
    if _is_last_owner(locked, current):
        raise LastOwnerError
    current.delete()


# --- Invitations ---


def invitation_is_expired(invitation: Invitation, *, now=None) -> bool:
    return (now or timezone.now()) >= invitation.created_at + INVITATION_VALID_FOR


@transaction.atomic
def invitation_create(
    *, company: Company, email: str, role: str, invited_by: User, language: str
) -> Invitation:
    """Invite an e-mail address to the company, or renew the open invitation for it (new token and
    date); queues the e-mail in `language`."""
    role = MembershipRole(role)
    email = email.strip()
    if (
        Membership.objects.filter(company=company)
        .filter(
            Q(user__email__iexact=email)
            | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
        )
        .exists()
    ):
        raise AlreadyMemberError
    invitation = (
        Invitation.objects.select_for_update()
        .filter(company=company, email__iexact=email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(company=company, email=email, role=role, invited_by=invited_by)
    else:
        # Sending again renews the link: the old one stops working and the validity period restarts.
        Invitation.objects.filter(pk=invitation.pk).update(
            role=role, invited_by=invited_by, token=uuid.uuid4(), created_at=timezone.now()
        )
        invitation.refresh_from_db()
    invitation_email_send.enqueue(invitation_id=invitation.pk, language=language)
    return invitation


@task()
def invitation_email_send(*, invitation_id: int, language: str) -> bool:
    """Send the invitation e-mail in `language` (the inviting owner's page language). Returns whether
    one was sent: a revoked or accepted invitation sends nothing."""
    invitation = (
        Invitation.objects.select_related("company", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    with translation.override(language):
        path = reverse("invitation_accept", kwargs={"token": invitation.token})
        context = {
            "invitation": invitation,
            "company": invitation.company,
            "inviter": invitation.invited_by,
            "role": MembershipRole(invitation.role).label,
            "accept_url": site_url(path),
            "valid_days": INVITATION_VALID_FOR.days,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string("exhibitors/emails/invitation_subject.txt", context).split())
        body = render_to_string("exhibitors/emails/invitation_message.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[invitation.email],
        headers={"Content-Language": language},
    )
    message.send()
    return True


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the company as the invitation says, if it was sent to one of the person's verified addresses
    (creates the Membership, or promotes staff invited as owner; marks the invitation accepted)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or invitation_is_expired(locked):
        raise InvitationClosedError
    if locked.email.lower() not in user_verified_emails(user):
        raise InvitationEmailMismatchError
    membership, created = Membership.objects.get_or_create(
        user=user, company_id=locked.company_id, defaults={"role": locked.role}
    )
    if not created and locked.role == MembershipRole.OWNER and membership.role != MembershipRole.OWNER:
        # Already staff and invited as owner: the invitation promotes them.
        membership.role = MembershipRole.OWNER
        membership.save(update_fields=["role"])
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    invitation.accepted_at = locked.accepted_at
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an open invitation (deletes it, so its link stops working)."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
