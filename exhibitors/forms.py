from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import AccountKind


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form: who you are, your language, and what you agree to."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    account_kind = forms.ChoiceField(label=_("I am"), choices=AccountKind.choices, widget=forms.RadioSelect)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"))
    accept_privacy = forms.BooleanField(label=_("I have read the privacy notice"))
    accept_marketing = forms.BooleanField(label=_("Send me e-mails about upcoming fairs"), required=False)

    def signup(self, request, user):
        from exhibitors.services.accounts import user_complete_signup

        user_complete_signup(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            account_kind=self.cleaned_data["account_kind"],
            preferred_language=self.cleaned_data["preferred_language"],
            accepted_marketing=self.cleaned_data["accept_marketing"],
            ip_address=request.META.get("REMOTE_ADDR"),
        )
