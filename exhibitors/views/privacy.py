"""The person's privacy page: consents, data exports (theirs, and their companies' for owners) and erasure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.enums import ConsentKind, DataExportStatus
from exhibitors.forms.privacy import CompanyCloseForm, ConsentForm, ErasureForm
from exhibitors.models import Company, DataExport
from exhibitors.permissions import membership_or_404
from exhibitors.selectors.privacy import (
    companies_left_without_owner,
    consent_states,
    contact_sharing_companies,
    data_exports_for,
    owned_companies,
)
from exhibitors.services.closing import CompanyCloseError, company_close, company_close_preview
from exhibitors.services.consents import consent_record, contact_sharing_set
from exhibitors.services.erasure import ERASURE_COOLING_OFF, ErasureError, erasure_cancel, erasure_request
from exhibitors.services.exports import EXPORT_VALID_FOR, export_request


def _privacy_page(request, *, erasure_form=None, status=200):
    user = request.user
    exports = data_exports_for(user=user)
    return render(
        request,
        "exhibitors/privacy.html",
        {
            "consents": consent_states(user),
            "company_consents": contact_sharing_companies(user),
            "exports": exports,
            "export_pending": any(
                e.status in (DataExportStatus.QUEUED, DataExportStatus.RUNNING) for e in exports
            ),
            "owned_companies": owned_companies(user),
            "blocking_companies": companies_left_without_owner(user),
            "erasure_form": erasure_form or ErasureForm(),
            "cooling_off_days": ERASURE_COOLING_OFF.days,
            "valid_hours": int(EXPORT_VALID_FOR.total_seconds() // 3600),
            "essential_kinds": [ConsentKind.TERMS.value, ConsentKind.PRIVACY.value],
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def privacy(request):
    return _privacy_page(request)


@login_required
@require_POST
def consent_change(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a consent and whether you give or withdraw it."))
        return redirect("privacy")
    kind = ConsentKind(form.cleaned_data["kind"])
    granted = form.cleaned_data["granted"]
    consent_record(user=request.user, kind=kind, granted=granted, ip_address=request.META.get("REMOTE_ADDR"))
    if granted:
        messages.success(request, _("Recorded: you gave your consent to “%(kind)s”.") % {"kind": kind.label})
    else:
        messages.success(
            request, _("Recorded: you withdrew your consent to “%(kind)s”.") % {"kind": kind.label}
        )
    return redirect("privacy")


@login_required
@require_POST
def company_consent_withdraw(request, company_id: int):
    """POST: stop sharing contact details with one company (takes effect at once on its leads)."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        raise Http404
    contact_sharing_set(
        user=request.user, company=company, granted=False, ip_address=request.META.get("REMOTE_ADDR")
    )
    messages.success(
        request,
        _("%(company)s no longer sees your contact details.") % {"company": company.legal_name},
    )
    return redirect("privacy")


@login_required
@require_POST
def export_create(request):
    export_request(user=request.user)
    messages.success(request, _("Your export is being prepared. We will e-mail you when it is ready."))
    return redirect("privacy")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def company_privacy(request, company_id: int):
    company = membership_or_404(user=request.user, company_id=company_id, owner=True).company
    if request.method == "POST":
        export_request(user=request.user, company=company)
        messages.success(request, _("The export is being prepared. We will e-mail you when it is ready."))
        return redirect("company_privacy", company_id=company.pk)
    exports = data_exports_for(user=request.user, company=company)
    return render(
        request,
        "exhibitors/company_privacy.html",
        {
            "company": company,
            "exports": exports,
            "export_pending": any(
                e.status in (DataExportStatus.QUEUED, DataExportStatus.RUNNING) for e in exports
            ),
            "valid_hours": int(EXPORT_VALID_FOR.total_seconds() // 3600),
        },
    )


@login_required
@never_cache
@require_GET
def export_download(request, public_id):
    """The ZIP, only to the person who asked for it, while it is valid; 404 to anyone else."""
    export = (
        DataExport.objects.filter(
            public_id=public_id,
            user=request.user,
            status=DataExportStatus.READY,
            expires_at__gt=timezone.now(),
        )
        .select_related("company")
        .first()
    )
    if export is None or not export.file:
        raise Http404
    if export.company_id:
        membership_or_404(user=request.user, company_id=export.company_id, owner=True)
    name = f"feria-export-{timezone.localdate(export.finished_at):%Y-%m-%d}.zip"
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def erasure_request_view(request):
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            erasure_request(user=request.user, password=form.cleaned_data["password"])
        except ErasureError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("Your account will be erased in %(days)s days. You can cancel until then.")
                % {"days": ERASURE_COOLING_OFF.days},
            )
            return redirect("privacy")
    return _privacy_page(request, erasure_form=form, status=400)


@login_required
@require_POST
def erasure_cancel_view(request):
    erasure_cancel(user=request.user)
    messages.success(request, _("The erasure of your account is cancelled."))
    return redirect("privacy")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def company_close_view(request, company_id: int):
    """An owner closes the company: what it will do, counted; the export first; password and name."""
    company = membership_or_404(user=request.user, company_id=company_id, owner=True).company
    form = CompanyCloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                company_close(
                    company=company,
                    by=request.user,
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"],
                )
            except CompanyCloseError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _("%(company)s is closed. Its members were told by e-mail.")
                    % {"company": company.legal_name},
                )
                return redirect("privacy")
        status = 400
    return render(
        request,
        "exhibitors/company_close.html",
        {"company": company, "form": form, "counts": company_close_preview(company=company)},
        status=status,
    )
