"""Forms for sign-up, company profiles, colleagues, buyer profiles and personal settings.

They check and convert input only; views hand the cleaned data to the services."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import AccountKind, MembershipRole
from exhibitors.forms.multilingual import optional_text, with_translations
from exhibitors.models import BuyerProfile, Company, User
from exhibitors.services.accounts import (
    ACCOUNT_KIND_SESSION_KEY,
    hs_codes_parse,
    hs_codes_validate,
    user_complete_signup,
)
from exhibitors.timezones import time_zone_choices, zone_from_accept_language, zone_is_valid
from exhibitors.validators import SingleLineFieldsMixin


class SignupExtraForm(SingleLineFieldsMixin, forms.Form):
    """Extra fields on allauth's sign-up form: who you are, your language, and what you agree to."""

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "account_kind",
        "preferred_language",
        "accept_terms",
        "accept_privacy",
        "accept_marketing",
    ]

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    account_kind = forms.ChoiceField(label=_("I am"), choices=AccountKind.choices, widget=forms.RadioSelect)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("We write to you in this language."),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"))
    accept_privacy = forms.BooleanField(label=_("I have read the privacy notice"))
    accept_marketing = forms.BooleanField(label=_("Send me e-mails about upcoming fairs"), required=False)
    # Filled by static/js/timezone.js with the browser's zone; without JavaScript it stays empty and the
    # zone is guessed from the country of the browser's language.
    time_zone = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-browser-zone": ""})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            self.fields["preferred_language"].initial = language

    def proposed_time_zone(self, request) -> str:
        """The browser's zone if it sent a real one, else one guessed from its languages' country, else the
        site's."""
        browser_zone = self.cleaned_data.get("time_zone", "")
        if zone_is_valid(browser_zone):
            return browser_zone
        return zone_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or settings.TIME_ZONE

    def signup(self, request, user):
        user_complete_signup(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            account_kind=self.cleaned_data["account_kind"],
            preferred_language=self.cleaned_data["preferred_language"],
            accepted_marketing=self.cleaned_data["accept_marketing"],
            time_zone=self.proposed_time_zone(request),
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        # Kept in the session so the first sign-in continues on the right path.
        request.session[ACCOUNT_KIND_SESSION_KEY] = self.cleaned_data["account_kind"]


class CompanyForm(SingleLineFieldsMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    class Meta:
        model = Company
        fields = [
            "legal_name",
            "country",
            "city",
            "sectors",
            "description",
            "description_language",
            "website",
            "export_markets",
            "certifications",
            "founded_year",
            "size",
            "tax_id",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "certifications": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "founded_year": forms.NumberInput(attrs={"min": 1800, "max": 2100, "inputmode": "numeric"}),
        }
        help_texts = {
            "legal_name": _("As registered, e.g. “Café Andino S.A.C.”."),
            "description_language": _("The language you wrote the description in."),
            "export_markets": _(
                "The countries you already sell to. On a computer, hold Ctrl (⌘ on a Mac) to choose several."
            ),
            "tax_id": _("Shown to the chamber only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export_markets"].widget.attrs["size"] = 8


CompanyForm = with_translations(
    CompanyForm, fields={"description": optional_text(6)}, source_field="description_language"
)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        widget=forms.RadioSelect,
        help_text=_("Owners can edit the company and manage colleagues; staff work on booths and products."),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class BuyerProfileForm(SingleLineFieldsMixin, forms.ModelForm):
    hs_codes = forms.CharField(
        label=_("HS codes of interest"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Chapters (2 digits), headings (4) or subheadings (6), separated by spaces or commas, "
            "e.g. “09 1801 080390”."
        ),
    )

    class Meta:
        model = BuyerProfile
        fields = [
            "company_name",
            "country",
            "sectors",
            "hs_codes",
            "keywords",
            "looking_for",
            "looking_for_language",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "looking_for": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "keywords": _("Words exhibitors might use, e.g. “organic, fair trade, arabica”."),
            "looking_for_language": _("The language you wrote “what you are looking for” in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["hs_codes"] = " ".join(self.instance.hs_codes or [])

    def clean_hs_codes(self) -> list[str]:
        return hs_codes_validate(hs_codes_parse(self.cleaned_data.get("hs_codes", "")))


class PersonalSettingsForm(SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language", "time_zone"]
        help_texts = {
            "preferred_language": _(
                "The site opens in this language when you sign in, and we write to you in it."
            ),
            "time_zone": _("Times of sessions and meetings are shown in this time zone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by country with today's offset; a <select> with groups is searchable by typing.
        self.fields["time_zone"].choices = time_zone_choices(current=self.instance.time_zone)
        self.fields["time_zone"].widget.attrs.update(
            {"data-zone-filter": "", "data-zone-filter-label": _("Find a country or city")}
        )
