"""Forms of buyer payments: the exhibitor's payment request (a fixed number of line and tax rows, so it works
without JavaScript; empty rows are skipped) and the owner's refund."""

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_name
from django import forms
from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from exhibitors.validators import SingleLineFieldsMixin
from payments.money import (
    STRIPE_CURRENCIES,
    AmountNotRepresentable,
    format_money,
    from_decimal,
    max_amount,
    minor_unit_exponent,
)
from payments.services.orders import REQUEST_DEFAULT_DAYS, REQUEST_MAX_DAYS, LineInput, TaxInput

LINE_ROWS = 6
TAX_ROWS = 3
COMMON_CURRENCIES = ["USD", "EUR", "PEN", "CLP", "COP", "MXN", "BRL", "ARS", "GBP", "JPY", "CNY", "CAD"]


def currency_choices() -> list[tuple[str, str]]:
    locale = to_locale(get_language() or "en")
    codes = COMMON_CURRENCIES + sorted(STRIPE_CURRENCIES - set(COMMON_CURRENCIES))
    return [(code, f"{code} – {get_currency_name(code, locale=locale)}") for code in codes]


def _parse_amount(text: str, currency: str) -> int:
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation as exc:
        raise forms.ValidationError(_("Enter a number, e.g. 150.00.")) from exc
    if not value.is_finite() or value <= 0:
        raise forms.ValidationError(_("Enter an amount above zero."))
    # Checked on the decimal's magnitude first, so "1e999999" never becomes a huge integer.
    if value.adjusted() > 15 or from_decimal(value.quantize(Decimal(1)), currency) > max_amount(currency):
        raise forms.ValidationError(
            _("Stripe takes at most %(max)s in one payment.")
            % {"max": format_money(max_amount(currency), currency)}
        )
    try:
        return from_decimal(value, currency)
    except AmountNotRepresentable as exc:
        raise forms.ValidationError(
            _("%(currency)s amounts have at most %(digits)d decimals.")
            % {"currency": currency, "digits": minor_unit_exponent(currency)}
        ) from exc


class PaymentRequestForm(SingleLineFieldsMixin, forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))
    note = forms.CharField(
        label=_("Note for the buyer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expires_on = forms.DateField(
        label=_("Pay by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the buyer can pay (at most %(days)d days from today).")
        % {"days": REQUEST_MAX_DAYS},
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = "USD"
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + timedelta(days=REQUEST_DEFAULT_DAYS)
        self.fields["client_id"].initial = uuid.uuid4().hex
        for index in range(LINE_ROWS):
            self.fields[f"line_{index}_description"] = forms.CharField(
                label=_("Description"), required=False, max_length=200
            )
            self.fields[f"line_{index}_quantity"] = forms.IntegerField(
                label=_("Quantity"), required=False, min_value=1, max_value=100_000
            )
            self.fields[f"line_{index}_unit_price"] = forms.CharField(
                label=_("Unit price"), required=False, max_length=20
            )
        for index in range(TAX_ROWS):
            self.fields[f"tax_{index}_name"] = forms.CharField(label=_("Tax"), required=False, max_length=60)
            self.fields[f"tax_{index}_rate"] = forms.DecimalField(
                label=_("Rate (%)"),
                required=False,
                min_value=Decimal("0.001"),
                max_value=Decimal("100"),
                max_digits=6,
                decimal_places=3,
            )

    def line_rows(self):
        return [
            (self[f"line_{i}_description"], self[f"line_{i}_quantity"], self[f"line_{i}_unit_price"])
            for i in range(LINE_ROWS)
        ]

    def tax_rows(self):
        return [(self[f"tax_{i}_name"], self[f"tax_{i}_rate"]) for i in range(TAX_ROWS)]

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if value > today + timedelta(days=REQUEST_MAX_DAYS):
            raise forms.ValidationError(
                _("A request can stay open for at most %(days)d days.") % {"days": REQUEST_MAX_DAYS}
            )
        return value

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        lines, taxes = [], []
        for index in range(LINE_ROWS):
            description = (data.get(f"line_{index}_description") or "").strip()
            quantity = data.get(f"line_{index}_quantity")
            price = (data.get(f"line_{index}_unit_price") or "").strip()
            if not (description or quantity or price):
                continue
            if not description or not price:
                self.add_error(
                    f"line_{index}_description", _("Give each line a description and a unit price.")
                )
                continue
            if currency:
                try:
                    unit = _parse_amount(price, currency)
                except forms.ValidationError as error:
                    self.add_error(f"line_{index}_unit_price", error)
                    continue
                lines.append(LineInput(description=description, quantity=quantity or 1, unit_amount=unit))
        if not lines and not self.errors:
            self.add_error("line_0_description", _("Add at least one line."))
        for index in range(TAX_ROWS):
            name = (data.get(f"tax_{index}_name") or "").strip()
            rate = data.get(f"tax_{index}_rate")
            if not name and rate is None:
                continue
            if not name or rate is None:
                self.add_error(f"tax_{index}_name", _("Give each tax a name and a rate."))
                continue
            taxes.append(TaxInput(name=name, rate=rate))
        data["lines"], data["taxes"] = lines, taxes
        expires_on = data.get("expires_on")
        if expires_on:
            data["expires_at"] = timezone.make_aware(
                datetime.combine(expires_on, time(23, 59, 59)), timezone.get_current_timezone()
            )
        return data


class RefundForm(forms.Form):
    amount = forms.CharField(label=_("Amount to refund"), max_length=20)
    reason = forms.CharField(label=_("Reason (for your records)"), required=False, max_length=300)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self):
        return _parse_amount(self.cleaned_data["amount"], self.currency)
