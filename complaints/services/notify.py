"""E-mails about complaints, each in its recipient's language and time zone, queued after commit."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from complaints.enums import Side
from complaints.models import Complaint
from exhibitors.models import Membership, User
from exhibitors.services.mail import chamber_name, email_enqueue, site_url


def side_people(*, complaint: Complaint, side: str) -> list[User]:
    """The people of one side: the buyer, or the company's members."""
    if side == Side.BUYER:
        return [complaint.buyer] if complaint.buyer.is_active else []
    return [
        membership.user
        for membership in Membership.objects.filter(company_id=complaint.company_id, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def chamber_people() -> list[User]:
    """Staff who mediate complaints (permission "change complaint", or superusers)."""
    staff = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(
            user_permissions__codename="change_complaint",
            user_permissions__content_type__app_label="complaints",
        )
        | Q(
            groups__permissions__codename="change_complaint",
            groups__permissions__content_type__app_label="complaints",
        )
    )
    return list(staff.distinct().order_by("pk"))


def complaint_email(
    *, complaint: Complaint, recipient: User, event: str, staff: bool = False
) -> EmailMessage:
    try:
        zone = zoneinfo.ZoneInfo(recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(recipient.preferred_language), timezone.override(zone):
        language = translation.get_language()
        if staff:
            url = site_url(reverse("complaints_admin:detail", kwargs={"complaint_id": complaint.pk}))
        else:
            url = site_url(reverse("complaints:detail", kwargs={"complaint_id": complaint.pk}))
        context = {
            "complaint": complaint,
            "recipient": recipient,
            "event": event,
            "url": url,
            "due_local": timezone.localtime(complaint.answer_due_at, zone),
            "zone_name": str(zone),
            "site_name": chamber_name(),
        }
        subject = render_to_string("complaints/emails/complaint_subject.txt", context)
        body = render_to_string("complaints/emails/complaint.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers={"Content-Language": language},
    )


def complaint_notify(*, complaint: Complaint, event: str, sides: list[str], staff: bool = False) -> None:
    """Queue one e-mail per person of the given sides, and to the chamber when `staff` (a task row in the
    caller's transaction: a rolled-back change sends nothing)."""
    recipients = [(person, False) for side in sides for person in side_people(complaint=complaint, side=side)]
    if staff:
        recipients += [(person, True) for person in chamber_people()]
    for person, is_staff in recipients:
        if person.email:
            email_enqueue(complaint_email(complaint=complaint, recipient=person, event=event, staff=is_staff))
