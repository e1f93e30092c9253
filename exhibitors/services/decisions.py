"""The chamber's decisions on booth applications, and featuring booths. Each one is audit-logged.

Approving and rejecting go through the application state machine; the company's members hear about the
decision by e-mail, each in their own language, from a background task queued once the decision is committed.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Locale

from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, BoothApplication, User
from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_subject
from exhibitors.records.services import record_append
from exhibitors.services.applications import booth_application_transition
from exhibitors.services.mail import site_url

ACTION_APPROVE = "feria.application.approve"
ACTION_REJECT = "feria.application.reject"
ACTION_FEATURE = "feria.booth.feature"
ACTION_UNFEATURE = "feria.booth.unfeature"

DECISIONS = {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}


class BoothFeatureError(Exception):
    """Featuring a booth whose application is not approved."""

    def __init__(self):
        super().__init__(_("Only booths with an approved application can be featured."))


def _decision_log_data(*, previous: str, application: BoothApplication) -> dict:
    booth = application.booth
    return {
        "booth_id": booth.pk,
        "company": booth.company.legal_name,
        "fair_id": booth.fair_id,
        "from": previous,
        "to": application.status,
        "reason": application.reason,
    }


def _decision_record(application: BoothApplication, by: User) -> None:
    booth = application.booth
    record_append(
        kind="booth_application.decided",
        facts={
            "application_id": application.pk,
            "booth_id": booth.pk,
            "company_id": booth.company_id,
            "company": booth.company.legal_name,
            "fair_id": booth.fair_id,
            "decision": application.status,
            "reason": application.reason,
            "decided_by_id": by.pk,
            "decided_at": time_text(application.decided_at) if application.decided_at else None,
        },
        subject=record_subject("exhibitors.boothapplication", application.pk),
        companies=[booth.company_id],
    )


def _notify_after_commit(application: BoothApplication) -> None:
    # Imported here: the task module imports this one to call application_decision_notify.
    from exhibitors.tasks import application_decision_email

    transaction.on_commit(
        partial(application_decision_email.enqueue, application_id=application.pk, status=application.status)
    )


@transaction.atomic
def application_approve(*, application: BoothApplication, by: User) -> BoothApplication:
    """Approve through the state machine; writes an audit-log entry and e-mails the members after commit."""
    previous = application.status
    decided = booth_application_transition(application=application, to=ApplicationStatus.APPROVED, by=by)
    log(
        instance=decided,
        action=ACTION_APPROVE,
        user=by,
        data=_decision_log_data(previous=previous, application=decided),
    )
    _decision_record(decided, by)
    _notify_after_commit(decided)
    return decided


@transaction.atomic
def application_reject(*, application: BoothApplication, by: User, reason: str) -> BoothApplication:
    """Reject with a reason through the state machine; unfeatures the booth, writes audit-log entries and
    e-mails the members after commit."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the application is rejected: the company will read it.")})
    previous = application.status
    decided = booth_application_transition(
        application=application, to=ApplicationStatus.REJECTED, by=by, reason=reason
    )
    log(
        instance=decided,
        action=ACTION_REJECT,
        user=by,
        data=_decision_log_data(previous=previous, application=decided),
    )
    _decision_record(decided, by)
    # A rejected booth is not shown, so it cannot stay featured.
    booth_set_featured(booth=decided.booth, featured=False, by=by)
    _notify_after_commit(decided)
    return decided


@transaction.atomic
def booth_set_featured(*, booth: Booth, featured: bool, by: User) -> Booth:
    """Feature or unfeature a booth (row locked); writes an audit-log entry when the flag changes."""
    locked = (
        Booth.objects.select_for_update(of=("self",))
        .select_related("application", "company")
        .get(pk=booth.pk)
    )
    if locked.featured == featured:
        booth.featured = featured
        return locked
    if featured and locked.application.status != ApplicationStatus.APPROVED:
        raise BoothFeatureError()
    locked.featured = featured
    locked.save(update_fields=["featured"])
    log(
        instance=locked,
        action=ACTION_FEATURE if featured else ACTION_UNFEATURE,
        user=by,
        data={"company": locked.company.legal_name, "fair_id": locked.fair_id},
    )
    booth.featured = featured
    return locked


def _fair_title(fair, language: str) -> str:
    """The fair's title in the reader's language when that translation is published, else the original's."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None and locale.pk != fair.locale_id:
        translated = fair.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.title
    return fair.title


def _decision_email(*, application: BoothApplication, member: User) -> EmailMessage:
    """One member's e-mail, rendered in their preferred language (the Content-Language header says which)."""
    booth = application.booth
    with translation.override(member.preferred_language):
        language = translation.get_language()
        context = {
            "member": member,
            "application": application,
            "approved": application.status == ApplicationStatus.APPROVED,
            "company": booth.company,
            "fair_title": _fair_title(booth.fair, language),
            "hall": booth.hall,
            "booth_url": site_url(reverse("booth_edit", args=[booth.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(
            render_to_string("exhibitors/emails/application_decision_subject.txt", context).split()
        )
        body = render_to_string("exhibitors/emails/application_decision.txt", context)
        return EmailMessage(
            subject=subject,
            body=body,
            to=[member.email],
            headers={"Content-Language": language},
        )


def application_decision_notify(*, application: BoothApplication) -> int:
    """E-mail the company's active members the chamber's decision, each in their own language; returns the
    number of e-mails sent."""
    if application.status not in DECISIONS:
        return 0
    members = User.objects.filter(
        memberships__company_id=application.booth.company_id, is_active=True
    ).distinct()
    messages = [_decision_email(application=application, member=member) for member in members]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
