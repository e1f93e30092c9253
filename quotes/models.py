"""Requests for quotation and the quotes that answer them (docs/rfq.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from quotes.enums import Incoterm, PaymentRoute, QuoteStatus, RequestStatus, Unit


class QuoteRequest(models.Model):
    """A buyer's request for quotation, to one booth's company or to the whole fair."""

    fair = models.ForeignKey("fair.FairPage", on_delete=models.CASCADE, related_name="quote_requests")
    booth = models.ForeignKey(
        "exhibitors.Booth", null=True, blank=True, on_delete=models.SET_NULL, related_name="quote_requests"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quote_requests"
    )
    # The buyer's country as exhibitors see it while the buyer stays anonymous.
    buyer_country = CountryField(_("buyer's country"), blank=True)
    description = models.TextField(_("product description"), max_length=2000)
    hs_code = models.CharField(_("HS code"), max_length=6)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    destination_country = CountryField(_("destination country"))
    destination_port = models.CharField(_("destination port or place"), max_length=120)
    wanted_by = models.DateField(_("wanted delivery date"))
    target_currency = models.CharField(_("currency"), max_length=3, blank=True)
    target_amount = models.PositiveBigIntegerField(_("target price"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    revealed_at = models.DateTimeField(_("identity revealed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_request_quantity_positive"),
            models.CheckConstraint(
                condition=Q(target_amount=None, target_currency="")
                | Q(target_amount__gt=0, target_currency__regex=r"^[A-Z]{3}$"),
                name="quote_request_target_price_whole",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"], name="quote_request_status_closes")]

    def __str__(self):
        return f"RFQ-{self.pk}"

    @property
    def reference(self) -> str:
        return f"RFQ-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class RequestRecipient(models.Model):
    """A company the request was sent to, with why (the matchmaking reasons, rendered in the reader's
    language: [{"kind": "hs", "params": {"code": "0901"}}, ...]); empty for a request to a booth."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="recipients")
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="quote_requests")
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "company"], name="quote_request_recipient_once")
        ]


class Quote(models.Model):
    """A company's answer to a request."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="quotes")
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="quotes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="quotes_made"
    )
    currency = models.CharField(_("currency"), max_length=3)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    valid_until = models.DateField(_("valid until"))
    terms = models.TextField(_("terms"), blank=True, max_length=4000)
    total_amount = models.PositiveBigIntegerField(_("total"))
    status = models.CharField(
        _("status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED
    )
    decline_reason = models.TextField(_("reason"), blank=True, max_length=1000)
    payment_route = models.CharField(_("payment"), max_length=20, choices=PaymentRoute.choices, blank=True)
    order = models.OneToOneField(
        "payments.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="quote"
    )
    record_position = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.ForeignKey(
        "chat.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["total_amount", "id"]
        verbose_name = pgettext_lazy("price offer", "quote")
        verbose_name_plural = pgettext_lazy("price offer", "quotes")
        constraints = [
            models.UniqueConstraint(fields=["request", "company"], name="quote_one_per_company"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="accepted"), name="quote_one_accepted_per_request"
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="quote_currency_iso"),
        ]

    def __str__(self):
        return f"Q-{self.pk}"

    @property
    def reference(self) -> str:
        return f"Q-{self.pk}"


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "exhibitors.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("product"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices)
    unit_amount = models.PositiveBigIntegerField(_("unit price"))
    amount = models.PositiveBigIntegerField(_("amount"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]


class RequestAttachment(models.Model):
    """A specification sheet or picture the buyer attached to a request: a PDF or image checked like every
    upload, in private storage under a neutral name ("rfq-12-1.pdf", never the buyer's file name), served only
    to the buyer, the receiving companies' members and the chamber's staff (docs/rfq.md)."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("exhibitors.PrivateFile", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name

    @property
    def kind_label(self) -> str:
        """ "PDF" or "Picture (JPEG)", for the links on the request pages."""
        content_type = self.file.content_type
        if content_type == "application/pdf":
            return "PDF"
        return _("Picture (%(format)s)") % {"format": content_type.removeprefix("image/").upper()}
