"""Forms of the payments pages and of the chamber's admin screens."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from exhibitors.uploads import IMAGE_ACCEPT, PDF_ACCEPT
from exhibitors.validators import SingleLineFieldsMixin
from payments.money import AmountNotRepresentable, from_decimal, minor_unit_exponent


class BankProofForm(SingleLineFieldsMixin, forms.Form):
    proof = forms.FileField(
        label=_("Proof of transfer"),
        widget=forms.FileInput(attrs={"accept": f"{PDF_ACCEPT},{IMAGE_ACCEPT}"}),
        help_text=_("The bank's confirmation, as a PDF or a picture (PNG, JPEG, GIF or WebP)."),
    )
    note = forms.CharField(label=_("Note for the chamber"), max_length=300, required=False)


class BankReceiptForm(SingleLineFieldsMixin, forms.Form):
    """Staff record an amount that arrived, typed in the currency's major units (e.g. 150.00)."""

    amount = forms.DecimalField(label=_("Amount received"), min_value=Decimal("0"), max_digits=14)
    received_on = forms.DateField(label=_("Received on"), initial=timezone.localdate, widget=AdminDateInput)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].decimal_places = minor_unit_exponent(currency)
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": currency}

    def clean_amount(self) -> int:
        try:
            return from_decimal(self.cleaned_data["amount"], self.currency)
        except AmountNotRepresentable as exc:
            raise forms.ValidationError(_("Too many decimals for this currency."), code="decimals") from exc

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future")
        return day


class MoneyReceivedForm(BankReceiptForm):
    """The same, on the exhibitor's order page (outside the admin: a plain date field), with a one-time
    token so that the same form sent twice records the amount once."""

    submission = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"submission": uuid.uuid4().hex, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["received_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["bank_reference"].label = _("Bank or letter-of-credit reference")
