"""Forms for the product catalogue. They parse input; the rules live in services/catalogue.py."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exhibitors.forms.multilingual import (
    optional_line,
    optional_text,
    translations_initial,
    with_translations,
)
from exhibitors.integers import StrictIntegerField
from exhibitors.models import Certification
from exhibitors.services.catalogue import currency_choices
from exhibitors.uploads import IMAGE_ACCEPT
from exhibitors.validators import SingleLineFieldsMixin

_HS_PUNCTUATION = re.compile(r"[\s.\-]")


class ProductForm(SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    language = forms.ChoiceField(
        label=_("Name and description are written in"),
        choices=settings.LANGUAGES,
        help_text=_("So they can be translated."),
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=12,
        help_text=_("The 6-digit subheading of the Harmonized System, e.g. 0901.11 for coffee beans."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    min_order_quantity = StrictIntegerField(label=_("Minimum order"), required=False, min_value=1)
    unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("kg, tonnes, boxes, containers…")
    )
    price_min = forms.DecimalField(
        label=_("Price from"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    price_max = forms.DecimalField(
        label=_("Price up to"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    lead_time_days = StrictIntegerField(
        label=_("Lead time (days)"), required=False, min_value=0, max_value=3650
    )
    certifications = forms.ModelMultipleChoiceField(
        queryset=Certification.objects.all(),
        label=_("Certifications"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", _("No price given"))] + currency_choices(
            get_language() or settings.LANGUAGE_CODE
        )

    def clean_hs_code(self) -> str:
        """People write 0901.11 or 0901 11; the nomenclature's subheadings are 6 plain digits."""
        return _HS_PUNCTUATION.sub("", self.cleaned_data["hs_code"])

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


ProductForm = with_translations(
    ProductForm,
    fields={"name": optional_line(200), "description": optional_text(4)},
    source_field="language",
)


class ProductCreateForm(ProductForm):
    image = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("Optional. PNG, JPEG, GIF or WebP; you can add more later."),
    )


class ProductImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image file"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("PNG, JPEG, GIF or WebP."),
    )


def product_initial(product) -> dict:
    """The form's starting values for an existing product."""
    initial = {
        field: getattr(product, field)
        for field in ProductForm.base_fields
        if field != "certifications" and hasattr(product, field)
    }
    initial.update(translations_initial(product.translations))
    initial["certifications"] = list(product.certifications.all())
    initial["hs_code"] = product.hs_code
    return initial
