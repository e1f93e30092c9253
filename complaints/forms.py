"""Forms of the complaint pages (parties) and the chamber's screens."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.enums import Audience, Outcome, Side, Wish
from complaints.models import TEXT_MAX_LENGTH
from exhibitors.forms.uploads import MultipleFileField
from payments.money import AmountNotRepresentable, from_decimal


class ComplaintForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX_LENGTH
    )
    wish = forms.ChoiceField(label=_("What would you like?"), choices=Wish.choices, widget=forms.RadioSelect)
    wish_detail = forms.CharField(label=_("Details (optional)"), max_length=300, required=False)
    evidence = MultipleFileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Up to 5 PDF files or pictures. Only the other party and the chamber can see them."),
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH
    )


class FeedbackForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Did the decision resolve your problem?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class StaffMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("To"), choices=Audience.choices)
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    sanctioned_side = forms.ChoiceField(
        label=_("Warning or suspension for"), choices=[("", "—"), *Side.choices], required=False
    )
    refund_amount = forms.CharField(label=_("Refund amount"), required=False, max_length=30)
    text = forms.CharField(
        label=_("Decision (both parties read it)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_LENGTH,
    )

    def __init__(self, *args, currency: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_refund_amount(self):
        value = (self.cleaned_data.get("refund_amount") or "").strip()
        if not value:
            return None
        if not self.currency:
            raise forms.ValidationError(_("A refund can be recommended only on a complaint about an order."))
        try:
            amount = Decimal(value.replace(",", "."))
            if not amount.is_finite() or amount <= 0 or amount.adjusted() > 15:
                raise InvalidOperation
            return from_decimal(amount, self.currency)
        except (InvalidOperation, AmountNotRepresentable) as exc:
            raise forms.ValidationError(_("Enter an amount above zero, e.g. 150.00.")) from exc
