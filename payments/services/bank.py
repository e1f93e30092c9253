"""Paying by bank transfer (or a letter of credit, whose money also arrives on a bank account).

Booth fees: the company announces the transfer and uploads proof; the chamber's staff record each amount
that arrives on the chamber's account. Buyer orders from an accepted quote paid outside Stripe: the quoting
company's owners record what arrived on theirs. Partial amounts add up; when they cover the total the order
is paid, with its receipt, as by card."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from exhibitors.services.uploads import private_file_store, upload_atomic
from exhibitors.uploads import pdf_or_image_check
from payments.enums import AttemptMethod, AttemptStatus, LedgerBook, LedgerKind, OrderKind
from payments.models import BankTransferProof, BankTransferReceipt, Order, PaymentAttempt
from payments.services.attempts import attempt_transition
from payments.services.booth_fees import check_payable, order_settle, received_amount
from payments.services.ledger import ledger_write


def _open_attempt(order: Order, by) -> PaymentAttempt:
    """The (locked) order's open bank-transfer attempt, made if there is none."""
    attempt = order.attempts.filter(method=AttemptMethod.BANK_TRANSFER, status=AttemptStatus.OPEN).first()
    if attempt is None:
        attempt = PaymentAttempt.objects.create(
            order=order,
            method=AttemptMethod.BANK_TRANSFER,
            status=AttemptStatus.OPEN,
            amount=order.total_amount,
            currency=order.currency,
            created_by=by,
        )
    return attempt


@transaction.atomic
def bank_transfer_start(*, order: Order, by) -> PaymentAttempt:
    """The order's open bank-transfer attempt, made if there is none. Side effects: a PaymentAttempt row."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    check_payable(locked)
    return _open_attempt(locked, by)


def bank_transfer_proof_add(*, order: Order, upload, by, note: str = "") -> BankTransferProof:
    """Store a proof of transfer (a PDF or an image, checked like every upload, before any row is written)
    on the order's bank-transfer attempt, in private storage: only the paying company's members and the
    chamber's staff can download it. Raises UploadRefused / ValidationError.

    Side effects: the stored file, PrivateFile and BankTransferProof rows."""
    kind = pdf_or_image_check(upload)
    with upload_atomic():
        attempt = bank_transfer_start(order=order, by=by)
        stored = private_file_store(
            upload=upload,
            kind=kind,
            company=order.payer_company,
            user=by,
            name=f"proof-of-transfer-{order.reference}",
        )
        return BankTransferProof.objects.create(
            attempt=attempt, uploaded_by=by, note=note.strip()[:300], file=stored
        )


@transaction.atomic
def bank_transfer_record(
    *,
    order: Order,
    amount: int,
    received_on,
    by,
    bank_reference: str = "",
    note: str = "",
    submission: str = "",
) -> BankTransferReceipt:
    """Record an amount received for the order: by the chamber's staff for a booth fee (the chamber's
    books), by an owner of the paid company for a buyer order (the exhibitor's books; who may is the view's
    check). Amounts add up; the order is settled once they cover its total. Refused for a paid or cancelled
    order, or an amount that is not positive or is more than still due. A `submission` token seen before on
    this order returns that earlier receipt and records nothing.
    Side effects: BankTransferReceipt and ledger rows; maybe the attempt, paid mark and receipt."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if submission:
        # The same form again (the order row is locked, so a concurrent twin waits and finds this one).
        earlier = BankTransferReceipt.objects.filter(attempt__order=locked, submission=submission).first()
        if earlier is not None:
            order.paid_at = locked.paid_at
            return earlier
    if locked.paid_at is not None:
        raise ValidationError(_("This is paid already; nothing more can be recorded."), code="already_paid")
    if locked.cancelled_at is not None:
        raise ValidationError(_("This order is cancelled; nothing can be recorded."), code="cancelled")
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")}, code="amount")
    outstanding = locked.total_amount - received_amount(locked)
    if amount > outstanding:
        from payments.money import format_money

        raise ValidationError(
            {"amount": _("Only %(due)s is still due.") % {"due": format_money(outstanding, locked.currency)}},
            code="amount_too_high",
        )
    attempt = _open_attempt(locked, by)
    receipt = BankTransferReceipt.objects.create(
        attempt=attempt,
        amount=amount,
        received_on=received_on,
        bank_reference=bank_reference.strip()[:100],
        note=note.strip()[:300],
        recorded_by=by,
        submission=submission[:32],
    )
    to_exhibitor = locked.kind == OrderKind.BUYER_PAYMENT
    ledger_write(
        key=f"bank-{receipt.pk}",
        book=LedgerBook.EXHIBITOR if to_exhibitor else LedgerBook.CHAMBER,
        kind=LedgerKind.BANK_TRANSFER,
        amount=amount,
        currency=locked.currency,
        company=locked.payee_company if to_exhibitor else None,
        fair=locked.fair,
        order=locked,
        attempt=attempt,
        description=f"Bank transfer for {locked.reference}",
        stripe_object_id="",
    )
    if order_settle(order=locked, method=AttemptMethod.BANK_TRANSFER):
        attempt_transition(attempt=attempt, to=AttemptStatus.SUCCEEDED)
        for other in locked.attempts.select_for_update().filter(
            method=AttemptMethod.CHECKOUT, status__in=[AttemptStatus.CREATED, AttemptStatus.OPEN]
        ):
            attempt_transition(attempt=other, to=AttemptStatus.CANCELLED, reason="Paid by bank transfer.")
    order.paid_at = locked.paid_at
    return receipt


def order_takes_bank_receipts(order: Order) -> bool:
    """Whether amounts received by bank are recorded for the order: every booth fee, and a buyer order made
    to be paid outside Stripe (an accepted quote's bank transfer or letter of credit: it has a bank-transfer
    attempt from the start). Reads the order's prefetched attempts."""
    if order.kind == OrderKind.BOOTH_FEE:
        return True
    return any(attempt.method == AttemptMethod.BANK_TRANSFER for attempt in order.attempts.all())
