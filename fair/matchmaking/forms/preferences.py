from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitors.models import BuyerProfile
from exhibitors.services.accounts import hs_codes_parse, hs_codes_validate
from exhibitors.validators import SingleLineFieldsMixin


class PreferencesForm(SingleLineFieldsMixin, forms.ModelForm):
    """What the buyer's suggestions are based on, and whether exhibitors may find them."""

    hs_codes = forms.CharField(
        label=_("HS codes of interest"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Chapters (2 digits), headings (4) or subheadings (6), separated by spaces or commas, "
            "e.g. “09 1801 080390”."
        ),
    )
    discoverable = forms.BooleanField(
        label=_("Let exhibitors find me among their recommended buyers"),
        required=False,
        help_text=_(
            "They see your country and interests, never your name, company or e-mail address. "
            "You can turn this off at any time; you disappear from their lists at once."
        ),
    )

    class Meta:
        model = BuyerProfile
        fields = [
            "personalised",
            "sectors",
            "hs_codes",
            "keywords",
            "looking_for",
            "target_certifications",
            "origin_countries",
            "order_size",
        ]
        labels = {"personalised": _("Suggest booths and products from my profile and activity")}
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "target_certifications": forms.CheckboxSelectMultiple,
            "looking_for": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "personalised": _(
                "Off: you see a plain list of exhibitors in alphabetical order, and nothing from your "
                "profile, favourites or conversations is used."
            ),
            "keywords": _("Words in any language, e.g. “café, cacao, alpaca”."),
            "target_certifications": _("Exhibitors holding these come first among equal matches."),
            "origin_countries": _("Exhibitors from these countries come first among equal matches."),
            "order_size": _("Compared with exhibitors' minimum orders."),
        }

    def __init__(self, *args, discoverable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["hs_codes"] = " ".join(self.instance.hs_codes or [])
            self.initial["discoverable"] = discoverable

    def clean_hs_codes(self) -> list[str]:
        return hs_codes_validate(hs_codes_parse(self.cleaned_data.get("hs_codes", "")))
