from django import forms
from django.utils.translation import gettext_lazy as _

from results.enums import OutcomeResult


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(
        label=_("What came of the meeting?"), choices=OutcomeResult.choices, widget=forms.RadioSelect
    )
    value_amount = forms.DecimalField(
        label=_("Value (optional)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    value_currency = forms.CharField(
        label=_("Currency (optional, e.g. USD)"), required=False, max_length=3, min_length=3
    )

    def clean_value_currency(self):
        value = self.cleaned_data["value_currency"].strip().upper()
        if value and not value.isalpha():
            raise forms.ValidationError(_("Give the currency as a three-letter code, such as USD."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("value_amount") is not None and not cleaned.get("value_currency"):
            self.add_error("value_currency", _("Give the currency of the value, such as USD."))
        return cleaned
