"""Payment e-mails (receipts, excess payments given back), rendered in each recipient's language; the worker
sends them (payments.tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from exhibitors.models import User
from exhibitors.services.mail import site_url
from payments.enums import OrderKind, RefundStatus
from payments.models import Receipt, Refund


def _recipients(receipt: Receipt) -> list[User]:
    order = receipt.order
    if order.kind == OrderKind.BOOTH_FEE:
        return list(
            User.objects.filter(memberships__company_id=order.payer_company_id, is_active=True).distinct()
        )
    return [order.payer_user] if order.payer_user and order.payer_user.is_active else []


def _receipt_email(*, receipt: Receipt, person: User) -> EmailMessage:
    with translation.override(person.preferred_language):
        language = translation.get_language()
        context = {
            "receipt": receipt,
            "person": person,
            "receipt_url": site_url(reverse("payments:receipt", args=[receipt.pk])),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "language": language,
        }
        subject = " ".join(render_to_string("payments/emails/receipt_subject.txt", context).split())
        body = render_to_string("payments/emails/receipt.txt", context)
        return EmailMessage(
            subject=subject, body=body, to=[person.email], headers={"Content-Language": language}
        )


def receipt_notify(*, receipt: Receipt) -> int:
    """Send the receipt to the people who paid (a company's active members, or the buyer); returns how many
    e-mails went out."""
    messages = [_receipt_email(receipt=receipt, person=person) for person in _recipients(receipt)]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _payer(refund: Refund) -> list[User]:
    """Who paid the card payment being given back: the person who opened it, else the buyer or the
    company's active members."""
    opener = refund.attempt.created_by
    if opener is not None and opener.is_active and opener.email:
        return [opener]
    order = refund.order
    if order.kind == OrderKind.BOOTH_FEE:
        return list(
            User.objects.filter(memberships__company_id=order.payer_company_id, is_active=True).distinct()
        )
    return [order.payer_user] if order.payer_user and order.payer_user.is_active else []


def excess_refund_notify(*, refund: Refund) -> int:
    """Tell the payer, in their language, that money paid beyond the total is being given back to their card
    (once per refund, and only once Stripe accepted it). Side effects: e-mails, the refund's notified mark."""
    sendable = {RefundStatus.PENDING, RefundStatus.SUCCEEDED, RefundStatus.REQUIRES_ACTION}
    with transaction.atomic():
        locked = (
            # Only the refund row is locked: PostgreSQL refuses FOR UPDATE across the nullable side of a join.
            Refund.objects.select_for_update(of=("self",))
            .select_related("order", "attempt__created_by")
            .get(pk=refund.pk)
        )
        if not locked.excess or locked.payer_notified_at is not None or locked.status not in sendable:
            return 0
        messages = []
        for person in _payer(locked):
            with translation.override(person.preferred_language):
                language = translation.get_language()
                context = {
                    "refund": locked,
                    "order": locked.order,
                    "person": person,
                    "site_name": settings.WAGTAIL_SITE_NAME,
                }
                subject = " ".join(
                    render_to_string("payments/emails/excess_refund_subject.txt", context).split()
                )
                body = render_to_string("payments/emails/excess_refund.txt", context)
                messages.append(
                    EmailMessage(
                        subject=subject, body=body, to=[person.email], headers={"Content-Language": language}
                    )
                )
        locked.payer_notified_at = timezone.now()
        locked.save(update_fields=["payer_notified_at", "updated_at"])
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
