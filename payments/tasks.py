"""Background work for payments: fetch what is needed, then call a service."""

from django_tasks import task

from payments.models import Receipt
from payments.services.mail import receipt_notify


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
