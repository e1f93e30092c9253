"""Forms of the privacy page (consents, erasure) and of two-factor sign-in. They check input only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import ConsentKind


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices, widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(
        choices=[("1", _("Give")), ("0", _("Withdraw"))], coerce=lambda value: value == "1"
    )


class ErasureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": ""}),
    )


class CompanyCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    name = forms.CharField(
        label=_("The company's name"),
        max_length=200,
        help_text=_("Type the company's name exactly as shown above to confirm."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
