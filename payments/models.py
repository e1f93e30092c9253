"""What is owed and how it was paid: orders, payment attempts, refunds, disputes, receipts, the ledger, and
the Stripe events and connected accounts they come from.

Money is always an integer amount in the currency's minor units (payments.money) with an ISO 4217 code.
Fields and constraints only: every write goes through payments.services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from payments.enums import (
    AttemptMethod,
    AttemptStatus,
    DisputeStatus,
    EventSource,
    EventStatus,
    LedgerBook,
    LedgerKind,
    OrderKind,
    RefundStatus,
)

CURRENCY_ISO = r"^[A-Z]{3}$"


def currency_field() -> models.CharField:
    return models.CharField(_("currency"), max_length=3)


class Order(models.Model):
    """What someone owes: a booth fee (company -> chamber) or a buyer payment (buyer -> exhibitor).

    Its state (unpaid, paid, refunded...) is derived from its attempts, refunds and disputes
    (payments.selectors.order_state); `paid_at` is set once, when the payments first cover the total.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrderKind.choices)
    fair = models.ForeignKey(
        "fair.FairPage", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_orders"
    )
    booth = models.ForeignKey(
        "exhibitors.Booth", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_orders"
    )
    # Who pays: a company (booth fee) or a person (buyer payment).
    payer_company = models.ForeignKey(
        "exhibitors.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="orders_paid"
    )
    payer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="orders_paid"
    )
    # Who is paid: an exhibitor (buyer payment); empty means the chamber (booth fee).
    payee_company = models.ForeignKey(
        "exhibitors.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="orders_received"
    )
    conversation = models.ForeignKey(
        "chat.Conversation", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_orders"
    )
    message = models.OneToOneField(
        "chat.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="payment_order"
    )
    currency = currency_field()
    net_amount = models.PositiveBigIntegerField(_("net"))
    tax_amount = models.PositiveBigIntegerField(_("tax"), default=0)
    total_amount = models.PositiveBigIntegerField(_("total"))
    # The chamber's commission on a buyer payment, in minor units (Stripe's application_fee_amount).
    application_fee_amount = models.PositiveBigIntegerField(_("chamber commission"), default=0)
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    note = models.TextField(_("note"), blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("what is owed", "order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_ISO), name="order_currency_iso"),
            models.CheckConstraint(
                condition=Q(total_amount=F("net_amount") + F("tax_amount")),
                name="order_total_is_net_plus_tax",
            ),
            models.CheckConstraint(
                condition=Q(application_fee_amount__lte=F("total_amount")), name="order_fee_within_total"
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrderKind.BOOTH_FEE)
                | Q(booth__isnull=False, fair__isnull=False, payer_company__isnull=False, payee_company=None),
                name="order_booth_fee_parties",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrderKind.BUYER_PAYMENT)
                | Q(payer_user__isnull=False, payee_company__isnull=False, booth=None),
                name="order_buyer_payment_parties",
            ),
            models.UniqueConstraint(
                fields=["booth"], condition=Q(kind=OrderKind.BOOTH_FEE), name="order_one_booth_fee_per_booth"
            ),
        ]
        indexes = [models.Index(fields=["kind", "fair", "paid_at"], name="order_kind_fair_paid")]

    def __str__(self):
        return self.reference


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_amount = models.PositiveBigIntegerField(_("unit price"))
    amount = models.PositiveBigIntegerField(_("amount"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_amount")), name="order_line_amount"
            ),
        ]


class OrderTaxLine(models.Model):
    """A tax on the order's net (e.g. IGV 18 %), added on top of it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tax_lines")
    name = models.CharField(_("tax"), max_length=60)
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    amount = models.PositiveBigIntegerField(_("amount"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class TaxRate(models.Model):
    """A tax the chamber charges on booth fees (e.g. VAT, IGV). Active rates apply to new booth-fee orders."""

    name = models.CharField(_("name"), max_length=60, help_text=_("As printed on receipts, e.g. “IGV”."))
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    applies_to_booth_fees = models.BooleanField(_("applies to booth fees"), default=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("rate"),
        FieldPanel("applies_to_booth_fees"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_percent"),
        ]

    def __str__(self):
        return f"{self.name} {self.rate.normalize()} %"


@register_setting(icon="form")
class PaymentSettings(BaseSiteSetting):
    """The chamber's bank details for booth fees paid by transfer, and what its receipts print."""

    bank_account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account_number = models.CharField(_("account number or IBAN"), max_length=64, blank=True)
    bank_swift = models.CharField(_("SWIFT / BIC"), max_length=16, blank=True)
    bank_instructions = models.TextField(
        _("other instructions"),
        blank=True,
        help_text=_("Shown with the bank details, e.g. an interbank code or where to send questions."),
    )
    receipt_footer = models.TextField(_("receipt footer"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bank_account_holder"),
                FieldPanel("bank_name"),
                FieldPanel("bank_account_number"),
                FieldPanel("bank_swift"),
                FieldPanel("bank_instructions"),
            ],
            heading=_("Bank details for booth fees"),
        ),
        FieldPanel("receipt_footer"),
    ]

    class Meta:
        verbose_name = _("payments")

    @property
    def bank_transfer_available(self) -> bool:
        return bool(self.bank_account_holder and self.bank_account_number)


class PaymentAttempt(models.Model):
    """One try at paying an order: a Stripe Checkout Session, or a bank transfer. Explicit state machine
    (payments.services.attempts.ATTEMPT_TRANSITIONS); saved before Stripe is called."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="attempts")
    method = models.CharField(_("method"), max_length=20, choices=AttemptMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.CREATED
    )
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = currency_field()
    # Stripe: the Checkout Session, its PaymentIntent and charge, and the connected account (destination
    # of a buyer payment; empty for booth fees, which are paid on the chamber's own account).
    stripe_session_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_destination = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    failure_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    # Stripe's processing fee, read once from the charge's balance transaction by the task worker
    # (payments.tasks.stripe_fee_fetch); tries and the last error are kept for the periodic retry.
    stripe_fee_fetched_at = models.DateTimeField(null=True, blank=True)
    stripe_fee_tries = models.PositiveSmallIntegerField(default=0)
    stripe_fee_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_ISO), name="attempt_currency_iso"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="attempt_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} #{self.pk} ({self.get_status_display()})"


class BankTransferProof(models.Model):
    """A PDF or image of a transfer order, uploaded by the payer (checked like every upload) and kept in
    private storage: only the paying company's members and the chamber's staff can download it."""

    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.CASCADE, related_name="proofs")
    file = models.ForeignKey("exhibitors.PrivateFile", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class BankTransferReceipt(models.Model):
    """An amount the chamber's staff saw arrive on the bank account. Partial amounts add up."""

    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="bank_receipts")
    amount = models.PositiveBigIntegerField(_("amount received"))
    received_on = models.DateField(_("received on"))
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The form's one-time token: the same form sent twice (a double click, a reload) records once.
    submission = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("amount received")
        verbose_name_plural = _("amounts received")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_receipt_amount_positive"),
            models.UniqueConstraint(
                fields=["attempt", "submission"],
                condition=~Q(submission=""),
                name="bank_receipt_submission_once",
            ),
        ]


class Refund(models.Model):
    """Money given back on a paid attempt. Saved before Stripe is called (idempotency key refund-<id>)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = currency_field()
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.CREATED
    )
    stripe_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    reverse_transfer = models.BooleanField(default=False)
    refund_application_fee = models.BooleanField(default=False)
    # Money that arrived after the order was covered (a card payment after transfers, a second payment of
    # the same request), given back automatically; it does not make the order "refunded".
    excess = models.BooleanField(_("excess payment given back"), default=False)
    payer_notified_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_ISO), name="refund_currency_iso"),
        ]


class Dispute(models.Model):
    """A chargeback (or inquiry) on a paid attempt, recorded from Stripe's events."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="disputes")
    attempt = models.ForeignKey(
        PaymentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    stripe_dispute_id = models.CharField(max_length=255, unique=True)
    amount = models.PositiveBigIntegerField(_("amount"))
    currency = currency_field()
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=DisputeStatus.choices)
    evidence_due_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")


class LedgerEntry(models.Model):
    """One money movement in one party's books, written in the same transaction as the change it records.

    `amount` is signed from the book owner's point of view (money in positive). `key` names the movement
    (e.g. "charge-<attempt id>"), so a replayed event can never write it twice.
    """

    book = models.CharField(_("book"), max_length=10, choices=LedgerBook.choices)
    company = models.ForeignKey(
        "exhibitors.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    fair = models.ForeignKey(
        "fair.FairPage", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    attempt = models.ForeignKey(
        PaymentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    dispute = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=LedgerKind.choices)
    amount = models.BigIntegerField(_("amount"))
    currency = currency_field()
    description = models.CharField(_("description"), max_length=300, blank=True)
    stripe_object_id = models.CharField(max_length=255, blank=True)
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_ISO), name="ledger_currency_iso"),
            models.CheckConstraint(
                condition=~Q(book=LedgerBook.EXHIBITOR) | Q(company__isnull=False),
                name="ledger_exhibitor_book_has_company",
            ),
        ]
        indexes = [models.Index(fields=["book", "company", "created_at"], name="ledger_book_company")]


class StripeEvent(models.Model):
    """Every Stripe event received (webhook or reconciliation), once, by its id, with how handling went."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    account = models.CharField(max_length=255, blank=True, help_text="Connected account (Connect events).")
    source = models.CharField(max_length=10, choices=EventSource.choices)
    livemode = models.BooleanField(default=False)
    api_version = models.CharField(max_length=40, blank=True)
    stripe_created = models.DateTimeField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.RECEIVED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stripe_created", "id"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        indexes = [models.Index(fields=["status", "last_attempt_at"], name="stripe_event_status")]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class ConnectedAccount(models.Model):
    """An exhibitor's Stripe Express account, kept up to date from account.updated events."""

    company = models.OneToOneField(
        "exhibitors.Company", on_delete=models.PROTECT, related_name="stripe_account"
    )
    stripe_account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)
    disabled_reason = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("connected Stripe account")
        verbose_name_plural = _("connected Stripe accounts")

    def __str__(self):
        return self.stripe_account_id


class ReceiptCounter(models.Model):
    """The next receipt number of one series: a fair's booth fees, or one exhibitor's sales. Locked with
    select_for_update while a number is taken, so numbers never repeat or skip."""

    fair = models.OneToOneField(
        "fair.FairPage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    company = models.OneToOneField(
        "exhibitors.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(fair__isnull=False) & Q(company__isnull=True))
                | (Q(fair__isnull=True) & Q(company__isnull=False)),
                name="receipt_counter_one_series",
            )
        ]


class Receipt(models.Model):
    """The receipt for a paid order, issued by the chamber (booth fee, numbered per fair) or by the exhibitor
    (buyer payment, numbered per company). Names, tax ids and amounts are copied at issue time."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="receipt")
    series_fair = models.ForeignKey(
        "fair.FairPage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    series_company = models.ForeignKey(
        "exhibitors.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"))
    display_number = models.CharField(_("receipt number"), max_length=40)
    issuer_name = models.CharField(max_length=200)
    issuer_tax_id = models.CharField(max_length=40, blank=True)
    issuer_address = models.TextField(blank=True)
    recipient_name = models.CharField(max_length=200)
    recipient_tax_id = models.CharField(max_length=40, blank=True)
    lines = models.JSONField(default=list)
    tax_lines = models.JSONField(default=list)
    currency = currency_field()
    net_amount = models.PositiveBigIntegerField()
    tax_amount = models.PositiveBigIntegerField()
    total_amount = models.PositiveBigIntegerField()
    payment_method = models.CharField(max_length=20, choices=AttemptMethod.choices)
    # Every payment that made up the total: [{"method", "amount", "date"}], e.g. a transfer and a card.
    payments = models.JSONField(default=list, blank=True)
    footer = models.TextField(blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(series_fair__isnull=False) & Q(series_company__isnull=True))
                | (Q(series_fair__isnull=True) & Q(series_company__isnull=False)),
                name="receipt_one_series",
            ),
            models.UniqueConstraint(
                fields=["series_fair", "number"],
                condition=Q(series_fair__isnull=False),
                name="receipt_number_unique_per_fair",
            ),
            models.UniqueConstraint(
                fields=["series_company", "number"],
                condition=Q(series_company__isnull=False),
                name="receipt_number_unique_per_company",
            ),
        ]

    def __str__(self):
        return self.display_number
