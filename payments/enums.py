"""Choices of the payments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderKind(models.TextChoices):
    BOOTH_FEE = "booth_fee", _("Booth fee")
    BUYER_PAYMENT = "buyer_payment", _("Buyer payment")


class OrderState(models.TextChoices):
    """Derived from an order's attempts, refunds and disputes; never stored."""

    UNPAID = "unpaid", _("Unpaid")
    PARTIALLY_PAID = "partially_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    REFUNDED = "refunded", _("Refunded")
    DISPUTED = "disputed", _("Disputed")
    EXPIRED = "expired", _("Expired")


class AttemptMethod(models.TextChoices):
    CHECKOUT = "checkout", _("Card (Stripe Checkout)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class AttemptStatus(models.TextChoices):
    CREATED = "created", _("Created")  # saved, Stripe not yet called (or the call failed)
    OPEN = "open", _("Waiting for payment")  # Checkout Session open / transfer announced
    PROCESSING = "processing", _("Processing")  # paid with a delayed method, funds not yet confirmed
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class RefundStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("Pending")
    REQUIRES_ACTION = "requires_action", _("Requires action")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Cancelled")


class DisputeStatus(models.TextChoices):
    """Stripe's dispute statuses."""

    WARNING_NEEDS_RESPONSE = "warning_needs_response", _("Inquiry: needs response")
    WARNING_UNDER_REVIEW = "warning_under_review", _("Inquiry: under review")
    WARNING_CLOSED = "warning_closed", _("Inquiry closed")
    NEEDS_RESPONSE = "needs_response", _("Needs response")
    UNDER_REVIEW = "under_review", _("Under review")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    PREVENTED = "prevented", _("Prevented")


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    FEE = "fee", _("Stripe fee")
    APPLICATION_FEE = "application_fee", _("Chamber commission")
    TAX = "tax", _("Tax")
    REFUND = "refund", _("Refund")
    APPLICATION_FEE_REFUND = "application_fee_refund", _("Commission refunded")
    TRANSFER = "transfer", _("Transfer")
    TRANSFER_REVERSAL = "transfer_reversal", _("Transfer reversal")
    DISPUTE = "dispute", _("Dispute")
    DISPUTE_FEE = "dispute_fee", _("Dispute fee")
    DISPUTE_WON = "dispute_won", _("Dispute won")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer received")


class LedgerBook(models.TextChoices):
    """Whose books an entry belongs to."""

    CHAMBER = "chamber", _("Chamber")
    EXHIBITOR = "exhibitor", _("Exhibitor")


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Failed")  # retried later
    GAVE_UP = "gave_up", _("Gave up")  # failed STRIPE_EVENT_MAX_ATTEMPTS times: for the staff to look at


class EventSource(models.TextChoices):
    PLATFORM = "platform", _("Platform")
    CONNECT = "connect", _("Connect")
    RECONCILE = "reconcile", _("Reconciled from Stripe's event list")
