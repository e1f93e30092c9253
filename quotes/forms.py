"""Forms of requests and quotes. They turn posted text into the services' inputs; the services hold the
rules (the form only reports their errors on the right fields). A fixed number of quote lines, so the form
works without JavaScript; empty rows are skipped."""

from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from exhibitors.forms.uploads import MultipleFileField
from exhibitors.validators import SingleLineFieldsMixin
from payments.forms.orders import currency_choices
from payments.money import AmountNotRepresentable, from_decimal, max_amount, minor_unit_exponent
from quotes.enums import Incoterm, PaymentRoute, Unit
from quotes.services.quotes import QuoteInput, QuoteLineInput
from quotes.services.requests import MAX_ATTACHMENTS, REQUEST_MAX_DAYS, RequestInput, hs_code_valid

LINE_ROWS = 5
DEFAULT_OPEN_DAYS = 14


def parse_amount(text: str, currency: str) -> int:
    """Major units as typed ("1250.50", "1250,50") into minor units, within one payment's limit."""
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation as exc:
        raise forms.ValidationError(_("Enter a number, e.g. 150.00.")) from exc
    if not value.is_finite() or value <= 0:
        raise forms.ValidationError(_("Enter an amount above zero."))
    if value.adjusted() > 15 or from_decimal(value.quantize(Decimal(1)), currency) > max_amount(currency):
        raise forms.ValidationError(_("That amount is too large for one payment."))
    try:
        return from_decimal(value, currency)
    except AmountNotRepresentable as exc:
        raise forms.ValidationError(
            _("%(currency)s amounts have at most %(digits)d decimals.")
            % {"currency": currency, "digits": minor_unit_exponent(currency)}
        ) from exc


def end_of_day(day) -> datetime:
    """The last second of `day` in the active (the person's) time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)), timezone.get_current_timezone())


class RequestForm(SingleLineFieldsMixin, forms.Form):
    description = forms.CharField(
        label=_("Product description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        # Room for the dots and spaces people type ("0901.11", "09 01 11"); dropped when cleaned.
        max_length=10,
        help_text=_("The HS 2022 heading (4 digits) or subheading (6 digits), e.g. 0901 or 090111."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=12, decimal_places=3
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    incoterm = forms.ChoiceField(label=_("Incoterm (2020)"), choices=Incoterm.choices, initial=Incoterm.FOB)
    destination_country = forms.ChoiceField(label=_("Destination country"))
    destination_port = forms.CharField(label=_("Destination port or place"), max_length=120)
    wanted_by = forms.DateField(
        label=_("Wanted delivery date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Take quotes until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most %(days)d days from today.") % {"days": REQUEST_MAX_DAYS},
    )
    target_currency = forms.ChoiceField(label=_("Target price currency"), required=False)
    target_price = forms.CharField(label=_("Target price (total, optional)"), required=False, max_length=30)
    attachments = MultipleFileField(label=_("Specification sheets or pictures (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Up to %(count)d PDF files or pictures. Exhibitors receive them under neutral names, "
            "pictures without their camera data; a PDF is sent as it is, so remove your name from its "
            "properties first."
        ) % {"count": MAX_ATTACHMENTS}
        self.fields["destination_country"].choices = [("", "—")] + list(countries)
        self.fields["target_currency"].choices = [("", "—")] + currency_choices()
        if not self.is_bound:
            self.initial.setdefault("closes_on", timezone.localdate() + timedelta(days=DEFAULT_OPEN_DAYS))

    def clean_hs_code(self):
        code = self.cleaned_data["hs_code"].replace(".", "").replace(" ", "")
        if not hs_code_valid(code):
            raise forms.ValidationError(
                _("Enter an HS 2022 heading (4 digits) or subheading (6 digits) that exists.")
            )
        return code

    def clean(self):
        data = super().clean()
        price = (data.get("target_price") or "").strip()
        currency = data.get("target_currency") or ""
        data["target_amount"] = None
        if price and not currency:
            self.add_error("target_currency", _("Choose the currency of the target price."))
        elif price:
            try:
                data["target_amount"] = parse_amount(price, currency)
            except forms.ValidationError as error:
                self.add_error("target_price", error)
        return data

    def to_input(self) -> RequestInput:
        data = self.cleaned_data
        return RequestInput(
            description=data["description"],
            hs_code=data["hs_code"],
            quantity=data["quantity"],
            unit=data["unit"],
            incoterm=data["incoterm"],
            destination_country=data["destination_country"],
            destination_port=data["destination_port"],
            wanted_by=data["wanted_by"],
            closes_at=end_of_day(data["closes_on"]),
            target_currency=data["target_currency"] if data.get("target_amount") else "",
            target_amount=data.get("target_amount"),
        )


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label=_("New closing date"), widget=forms.DateInput(attrs={"type": "date"}))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the exhibitor reads it)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    route = forms.ChoiceField(
        label=_("How you will pay"), choices=PaymentRoute.choices, widget=forms.RadioSelect, initial="card"
    )


class QuoteForm(SingleLineFieldsMixin, forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))
    incoterm = forms.ChoiceField(label=_("Incoterm (2020)"), choices=Incoterm.choices)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=730)
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    terms = forms.CharField(
        label=_("Terms"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        product_choices = [("", _("— free text —"))] + [(str(p.pk), p.name) for p in products]
        for index in range(LINE_ROWS):
            required = index == 0
            self.fields[f"line_{index}_product"] = forms.ChoiceField(
                label=_("From your catalogue"), choices=product_choices, required=False
            )
            self.fields[f"line_{index}_description"] = forms.CharField(
                label=_("Product"), max_length=200, required=False
            )
            self.fields[f"line_{index}_quantity"] = forms.IntegerField(
                label=_("Quantity"), min_value=1, max_value=1_000_000_000, required=required
            )
            self.fields[f"line_{index}_unit"] = forms.ChoiceField(
                label=_("Unit"), choices=Unit.choices, required=False
            )
            self.fields[f"line_{index}_unit_price"] = forms.CharField(
                label=_("Unit price"), max_length=30, required=required
            )
        self._names = {str(p.pk): p.name for p in products}

    def line_rows(self):
        return [
            [
                self[f"line_{i}_{name}"]
                for name in ("product", "description", "quantity", "unit", "unit_price")
            ]
            for i in range(LINE_ROWS)
        ]

    def clean(self):
        data = super().clean()
        currency = data.get("currency") or "USD"
        lines = []
        for index in range(LINE_ROWS):
            product = data.get(f"line_{index}_product") or ""
            description = (data.get(f"line_{index}_description") or "").strip() or self._names.get(
                product, ""
            )
            quantity = data.get(f"line_{index}_quantity")
            price = (data.get(f"line_{index}_unit_price") or "").strip()
            if not (product or description or quantity or price):
                continue
            if not description:
                self.add_error(
                    f"line_{index}_description", _("Name the product or choose it from your catalogue.")
                )
                continue
            if not quantity:
                self.add_error(f"line_{index}_quantity", _("Enter a quantity."))
                continue
            try:
                amount = parse_amount(price, currency)
            except forms.ValidationError as error:
                self.add_error(f"line_{index}_unit_price", error)
                continue
            lines.append(
                QuoteLineInput(
                    description=description,
                    quantity=quantity,
                    unit=data.get(f"line_{index}_unit") or "",
                    unit_amount=amount,
                    product_id=int(product) if product else None,
                )
            )
        data["lines"] = lines
        return data

    def to_input(self) -> QuoteInput:
        data = self.cleaned_data
        return QuoteInput(
            currency=data["currency"],
            incoterm=data["incoterm"],
            lead_time_days=data["lead_time_days"],
            valid_until=data["valid_until"],
            terms=data.get("terms", ""),
            lines=data["lines"],
        )


def quote_initial(quote) -> dict:
    """The form's values for editing a submitted quote."""
    from payments.money import to_decimal

    initial = {
        "currency": quote.currency,
        "incoterm": quote.incoterm,
        "lead_time_days": quote.lead_time_days,
        "valid_until": quote.valid_until,
        "terms": quote.terms,
    }
    for index, line in enumerate(quote.lines.all()):
        initial |= {
            f"line_{index}_product": str(line.product_id or ""),
            f"line_{index}_description": line.description,
            f"line_{index}_quantity": line.quantity,
            f"line_{index}_unit": line.unit,
            f"line_{index}_unit_price": str(to_decimal(line.unit_amount, quote.currency)),
        }
    return initial
