"""Forms for applying for a booth and building it. They parse input; the rules live in services/booths.py."""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import Weekday
from exhibitors.forms.multilingual import optional_line, optional_text, with_translations
from exhibitors.services.ordering import DOWN, UP
from exhibitors.uploads import IMAGE_ACCEPT, PDF_ACCEPT
from exhibitors.validators import SingleLineFieldsMixin

WEB_ADDRESS = URLValidator(schemes=["http", "https"], message=_("Enter a web address starting with https://"))


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def format_price(amount_minor: int, currency: str) -> str:
    """An amount in minor units, written the way the reader's language writes money."""
    precision = get_currency_precision(currency)
    amount = Decimal(amount_minor).scaleb(-precision)
    return format_currency(amount, currency, locale=to_locale(get_language() or settings.LANGUAGE_CODE))


def format_price_range(low: Decimal | None, high: Decimal | None, currency: str) -> str:
    """“$4.50 – $6.00” (or one end alone) the way the reader's language writes money; "" without a price."""
    if not currency:
        return ""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    ends = [format_currency(value, currency, locale=locale) for value in (low, high) if value is not None]
    if len(ends) == 2 and low == high:
        ends = ends[:1]
    return " – ".join(ends)


class PackageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, package) -> str:
        price = _("free") if package.is_free else format_price(package.price_amount, package.currency)
        return _("%(name)s (%(price)s): up to %(products)s products and %(images)s gallery images") % {
            "name": package.name,
            "price": price,
            "products": package.max_products,
            "images": package.gallery_size,
        }


class BoothApplyForm(forms.Form):
    hall = forms.ModelChoiceField(queryset=None, label=_("Hall"), empty_label=None, widget=forms.RadioSelect)
    package = PackageChoiceField(
        queryset=None, label=_("Package"), empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = fair.halls.all()
        self.fields["package"].queryset = fair.packages.all()


class BoothDetailsForm(SingleLineFieldsMixin, forms.Form):
    tagline = forms.CharField(
        label=_("Tagline"),
        max_length=160,
        required=False,
        help_text=_("One line buyers read first, up to 160 characters."),
    )
    description = forms.CharField(
        label=_("Booth text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    language = forms.ChoiceField(
        label=_("These texts are written in"),
        choices=settings.LANGUAGES,
        help_text=_("So they can be translated."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        validators=[WEB_ADDRESS],
        help_text=_("Shown as a link; the video is not embedded or loaded on the booth page."),
    )


BoothDetailsForm = with_translations(
    BoothDetailsForm,
    fields={"tagline": optional_line(160), "description": optional_text(6)},
    source_field="language",
)


class BoothPictureForm(forms.Form):
    image = forms.FileField(
        label=_("Image file"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("PNG, JPEG, GIF or WebP."),
    )


class BoothGalleryForm(SingleLineFieldsMixin, forms.Form):
    image = forms.FileField(
        label=_("Image file"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("PNG, JPEG, GIF or WebP."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class BoothBrochureForm(SingleLineFieldsMixin, forms.Form):
    document = forms.FileField(
        label=_("PDF file"), widget=forms.FileInput(attrs={"accept": PDF_ACCEPT}), help_text=_("PDF only.")
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to use the file name.")
    )


class BoothLinkForm(SingleLineFieldsMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100)
    url = forms.URLField(label=_("Address"), assume_scheme="https", validators=[WEB_ADDRESS])


class BoothOfficeHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    opens_at = forms.TimeField(
        label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, product) -> str:
        return f"{product.name} (HS {product.hs_code})"


class BoothProductsForm(forms.Form):
    products = ProductChoiceField(
        queryset=None, label=_("Products shown"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, booth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = booth.company.products.order_by("sort_order", "id")
        if not self.is_bound:
            self.initial["products"] = [row.product_id for row in booth.booth_products.all()]
        self.fields["products"].help_text = _("Tick up to %(limit)s products.") % {
            "limit": booth.package.max_products
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, _("Up")), (DOWN, _("Down"))])
