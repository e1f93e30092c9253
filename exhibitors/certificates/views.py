"""The company's certificates page (list, add, remove) and the public check page a QR code points to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exhibitors.certificates.enums import CertificateStatus
from exhibitors.certificates.forms import CertificateForm
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.selectors import certificate_public, company_certificates
from exhibitors.certificates.services import certificate_add, certificate_delete
from exhibitors.forms.booths import add_service_errors
from exhibitors.permissions import membership_or_404


def _page(request, membership, form=None, status=200):
    company = membership.company
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "company": company,
            "certificates": company_certificates(company=company),
            "form": form or CertificateForm(company=company),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_list(request, company_id: int):
    """The company's certificates and the form to add one (any member of the company)."""
    membership = membership_or_404(user=request.user, company_id=company_id)
    if request.method == "GET":
        return _page(request, membership)
    form = CertificateForm(request.POST, request.FILES, company=membership.company)
    if form.is_valid():
        data = form.cleaned_data
        try:
            certificate_add(
                company=membership.company,
                by=request.user,
                upload=data["document"],
                kind=data["kind"],
                scheme=data["scheme"],
                name=data["name"],
                certification=data["certification"],
                number=data["number"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                products=data["products"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Thank you: the chamber will check the certificate against the original.")
            )
            return redirect("certificate_list", company_id=company_id)
    return _page(request, membership, form=form, status=400)


@login_required
@require_POST
def certificate_remove(request, company_id: int, certificate_id: int):
    membership = membership_or_404(user=request.user, company_id=company_id)
    certificate = get_object_or_404(Certificate, pk=certificate_id, company=membership.company)
    certificate_delete(certificate=certificate)
    messages.success(request, _("The certificate was removed."))
    return redirect("certificate_list", company_id=company_id)


def certificate_check(request, token):
    """Public, no sign-in: what the chamber says about the certificate today. Nothing private is shown."""
    certificate = certificate_public(token=token)
    if certificate is None:
        raise Http404
    today = timezone.localdate()
    if certificate.status == CertificateStatus.VERIFIED and certificate.expires_on >= today:
        state = "valid"
    elif certificate.expires_on < today and certificate.status in (
        CertificateStatus.VERIFIED,
        CertificateStatus.EXPIRED,
    ):
        state = "expired"
    else:
        state = "not_verified"
    response = render(request, "certificates/check.html", {"certificate": certificate, "state": state})
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
