"""Receipt e-mails, rendered in each recipient's language (the worker sends them, see payments.tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exhibitors.mail import site_url
from exhibitors.models import User
from payments.enums import OrderKind
from payments.models import Receipt


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
