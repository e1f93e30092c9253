"""Background work for payments: fetch what is needed, then call a service."""

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from payments.models import Receipt, Refund
from payments.services.fees import stripe_fee_record
from payments.services.mail import excess_refund_notify, receipt_notify

logger = logging.getLogger("feria.payments")


@task()
def receipt_email(*, receipt_id: int) -> int:
    """E-mail a receipt to the payer, each person in their own language; returns how many were sent."""
    receipt = (
        Receipt.objects.select_related("order__payer_company", "order__payer_user", "order__fair")
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None:
        return 0
    return receipt_notify(receipt=receipt)


@task()
def stripe_fee_fetch(*, attempt_id: int) -> bool:
    """Read Stripe's processing fee of a card payment into the ledger; returns whether it is recorded (a
    failure is counted and retried by payments.periodic.payments_retry)."""
    attempt = stripe_fee_record(attempt_id=attempt_id)
    return bool(attempt and attempt.stripe_fee_fetched_at)


@task()
def excess_refund_send(*, refund_id: int) -> str:
    """Send an automatic refund of money paid beyond the total to Stripe (same idempotency key on every
    try), then e-mail the payer once; returns the refund's status. Stripe unreachable: it stays `created`
    and payments.periodic.payments_retry queues it again."""
    from payments.services.refunds import refund_send

    refund = Refund.objects.filter(pk=refund_id, excess=True).first()
    if refund is None:
        return ""
    try:
        refund = refund_send(refund=refund)
    except ValidationError as exc:
        logger.warning("Excess refund %s not sent yet: %s", refund_id, exc.messages)
        return "created"
    excess_refund_notify(refund=refund)
    return refund.status
