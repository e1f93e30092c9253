"""The exhibitor directory's search and filter form (GET, so results can be linked and bookmarked)."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from exhibitors.hs import hs_is_prefix
from fair.selectors.directory import search_words

SEARCH_MAX_LENGTH = 1000


class DirectoryFilterForm(forms.Form):
    """Choices come from the fair's own halls, countries and certifications (see fair.selectors)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": SEARCH_MAX_LENGTH}),
        help_text=_("Company names, descriptions and products."),
    )
    hall = forms.TypedChoiceField(label=_("Hall"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    certification = forms.TypedChoiceField(
        label=_("Certification"), required=False, coerce=int, empty_value=None
    )
    hs = forms.CharField(
        label=_("HS code"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
        help_text=_("A chapter (2 digits), heading (4) or subheading (6), e.g. 09 or 0901."),
    )

    def __init__(self, *args, halls=(), countries=(), certifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [("", _("All halls")), *halls]
        self.fields["country"].choices = [("", _("All countries")), *countries]
        self.fields["certification"].choices = [("", _("Any certification")), *certifications]
        self.fields["hall"].error_messages["invalid_choice"] = _("That hall is not part of this fair.")
        self.fields["country"].error_messages["invalid_choice"] = _("No exhibitor comes from that country.")
        self.fields["certification"].error_messages["invalid_choice"] = _(
            "No exhibitor holds that certification."
        )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(query) > SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _("Your search is too long: use at most %(limit)s characters."),
                code="too_long",
                params={"limit": number_format(SEARCH_MAX_LENGTH, force_grouping=True)},
            )
        if query and not search_words(query):
            raise forms.ValidationError(_("Type at least one word or number to search for."), code="no_words")
        return query

    def clean_hs(self) -> str:
        code = self.cleaned_data["hs"].replace(".", "").replace(" ", "")
        if len(code) > 6:
            raise forms.ValidationError(_("An HS code has 2, 4 or 6 digits, e.g. 0901."), code="invalid_hs")
        if code and not hs_is_prefix(code):
            raise forms.ValidationError(
                _("“%(code)s” is not an HS chapter, heading or subheading. Use 2, 4 or 6 digits, e.g. 0901."),
                code="invalid_hs",
                params={"code": code},
            )
        return code

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)
