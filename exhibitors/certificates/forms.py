"""The company's certificate form and the chamber's verify / reject forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitors.certificates.enums import CertificateKind, OrganicScheme
from exhibitors.models import Certification, Company, Product
from exhibitors.uploads import IMAGE_ACCEPT, PDF_ACCEPT
from exhibitors.validators import SingleLineFieldsMixin


class CertificateForm(SingleLineFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CertificateKind.choices)
    scheme = forms.ChoiceField(
        label=_("Organic scheme"),
        choices=[("", "—")] + list(OrganicScheme.choices),
        required=False,
        help_text=_("Only for organic certificates."),
    )
    name = forms.CharField(
        label=_("What the certificate is"),
        max_length=120,
        required=False,
        help_text=_("Only for “Other”."),
    )
    certification = forms.ModelChoiceField(
        label=_("Certification it proves"),
        queryset=Certification.objects.all(),
        required=False,
        help_text=_("Buyers who ask for this certification see yours as verified by the chamber."),
    )
    number = forms.CharField(label=_("Certificate number"), max_length=80)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    issued_on = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expiry date"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("The certificate"),
        widget=forms.FileInput(attrs={"accept": f"{PDF_ACCEPT},{IMAGE_ACCEPT}"}),
        help_text=_(
            "A scan or the PDF, as a PDF or a picture (PNG, JPEG, GIF or WebP). Only your company and the "
            "chamber's staff can open it."
        ),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products it covers"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = company.products.order_by("sort_order", "id")


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For the chamber's staff: what you compared it with."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company is told this by e-mail."),
    )
