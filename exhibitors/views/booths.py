"""Applying for a booth and building it. Each section of the builder posts to its own view; on bad input the
whole builder is shown again with that section's form holding what the person typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exhibitors.completeness import booth_completeness
from exhibitors.enums import ApplicationStatus
from exhibitors.forms.booths import (
    BoothApplyForm,
    BoothBrochureForm,
    BoothDetailsForm,
    BoothGalleryForm,
    BoothLinkForm,
    BoothOfficeHoursForm,
    BoothPictureForm,
    BoothProductsForm,
    MoveForm,
    add_service_errors,
)
from exhibitors.forms.multilingual import translations_initial
from exhibitors.models import BoothDocument, BoothImage, BoothLink, BoothProduct, OfficeHours
from exhibitors.permissions import booth_or_404, company_or_404
from exhibitors.records.kinds import record_subject
from exhibitors.records.selectors import records_for_subjects
from exhibitors.selectors.booths import booth_for_builder, booth_of_company_at_fair, fair_original_by_id
from exhibitors.services import booths as booth_services
from exhibitors.services.applications import ApplicationTransitionError

RESUBMITTABLE = {ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}

# Script-driven reordering asks for an empty answer instead of the page it would be redirected to.
FETCH_HEADER = "fetch"


def _application(booth):
    return getattr(booth, "application", None)


@login_required
def booth_apply(request, company_id: int, fair_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    fair = fair_original_by_id(fair_id)
    if fair is None:
        raise Http404
    booth = booth_of_company_at_fair(company=company, fair=fair)
    application = _application(booth) if booth else None
    resubmitting = application is not None and application.status in RESUBMITTABLE
    can_submit = fair.accepts_applications and (booth is None or resubmitting)

    if request.method == "POST":
        form = BoothApplyForm(request.POST, fair=fair)
        if form.is_valid():
            try:
                if booth is None:
                    booth = booth_services.booth_apply(
                        company=company,
                        fair=fair,
                        hall=form.cleaned_data["hall"],
                        package=form.cleaned_data["package"],
                        by=request.user,
                        language=get_language() or "en",
                    )
                elif resubmitting:
                    booth_services.booth_application_resubmit(
                        booth=booth,
                        hall=form.cleaned_data["hall"],
                        package=form.cleaned_data["package"],
                        by=request.user,
                    )
                else:
                    raise ValidationError(
                        _("Your company already has a booth at this fair. Open it from your dashboard.")
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationTransitionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your application was sent. While the chamber reviews it, you can build your booth."),
                )
                return redirect("booth_edit", booth_id=booth.pk)
    else:
        initial = {"hall": booth.hall_id, "package": booth.package_id} if booth else {}
        form = BoothApplyForm(fair=fair, initial=initial)

    return render(
        request,
        "exhibitors/booth_apply.html",
        {
            "company": company,
            "fair": fair,
            "booth": booth,
            "application": application,
            "form": form,
            "can_submit": can_submit,
            "resubmitting": resubmitting,
        },
    )


@login_required
@require_POST
def booth_withdraw(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    if _application(booth) is None:
        raise Http404
    try:
        booth_services.booth_application_withdraw(booth=booth, by=request.user)
    except ApplicationTransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Your application was withdrawn. You can send it again while applications are open.")
        )
    return redirect("booth_edit", booth_id=booth.pk)


def _builder(request, booth_id: int, **bound_forms) -> HttpResponse:
    """The builder page, with any bound (invalid) form in place of the empty one."""
    booth = booth_for_builder(booth_id)
    gallery = list(booth.gallery.all())
    forms = {
        "details_form": BoothDetailsForm(
            initial={
                "tagline": booth.tagline,
                "description": booth.description,
                "language": booth.language,
                "video_url": booth.video_url,
                **translations_initial(booth.translations),
            }
        ),
        "logo_form": BoothPictureForm(prefix="logo"),
        "cover_form": BoothPictureForm(prefix="cover"),
        "gallery_form": BoothGalleryForm(),
        "brochure_form": BoothBrochureForm(),
        "link_form": BoothLinkForm(),
        "hours_form": BoothOfficeHoursForm(),
        "products_form": BoothProductsForm(booth=booth),
    }
    forms.update(bound_forms)
    application = _application(booth)
    context = {
        "booth": booth,
        "fair": booth.fair,
        "application": application,
        "resubmittable": application is not None and application.status in RESUBMITTABLE,
        "withdrawable": application is not None
        and application.status in {ApplicationStatus.PENDING, ApplicationStatus.APPROVED},
        "completeness": booth_completeness(booth),
        "gallery": gallery,
        "gallery_full": len(gallery) >= booth.package.gallery_size,
        "brochures": list(booth.brochures.all()),
        "brochures_full": len(booth.brochures.all()) >= booth_services.BOOTH_MAX_BROCHURES,
        "links": list(booth.links.all()),
        "links_full": len(booth.links.all()) >= booth_services.BOOTH_MAX_LINKS,
        "office_hours": list(booth.office_hours.all()),
        "booth_products": list(booth.booth_products.all()),
        "records": records_for_subjects(
            subjects=[record_subject("exhibitors.boothapplication", application.pk)], user=request.user
        )
        if application is not None
        else [],
        **forms,
    }
    return render(request, "exhibitors/booth_edit.html", context)


def _back(booth, section: str):
    return redirect(reverse("booth_edit", kwargs={"booth_id": booth.pk}) + f"#{section}")


@login_required
def booth_edit(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    if request.method == "POST":
        form = BoothDetailsForm(request.POST)
        if form.is_valid():
            try:
                booth_services.booth_update(booth=booth, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Booth texts saved."))
                return _back(booth, "details")
        return _builder(request, booth.pk, details_form=form)
    return _builder(request, booth.pk)


@login_required
@require_POST
def booth_picture(request, booth_id: int, kind: str):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    if kind not in booth_services.PICTURE_KINDS:
        raise Http404
    if request.POST.get("remove"):
        booth_services.booth_picture_remove(booth=booth, kind=kind)
        messages.success(request, _("Picture removed."))
        return _back(booth, kind)
    form = BoothPictureForm(request.POST, request.FILES, prefix=kind)
    if form.is_valid():
        try:
            booth_services.booth_picture_set(
                booth=booth, kind=kind, image=form.cleaned_data["image"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Picture saved."))
            return _back(booth, kind)
    return _builder(request, booth.pk, **{f"{kind}_form": form})


@login_required
@require_POST
def booth_gallery_add(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    form = BoothGalleryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            booth_services.booth_gallery_add(
                booth=booth,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Image added to the gallery."))
            return _back(booth, "gallery")
    return _builder(request, booth.pk, gallery_form=form)


@login_required
@require_POST
def booth_gallery_remove(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothImage, pk=item_id, booth=booth)
    booth_services.booth_gallery_remove(item=item)
    messages.success(request, _("Image removed from the gallery."))
    return _back(booth, "gallery")


def _moved(request, booth, section: str, move, item) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    move(item=item, direction=form.cleaned_data["direction"])
    if request.headers.get("X-Requested-With") == FETCH_HEADER:
        return HttpResponse(status=204)
    return _back(booth, section)


@login_required
@require_POST
def booth_gallery_move(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothImage, pk=item_id, booth=booth)
    return _moved(request, booth, "gallery", booth_services.booth_gallery_move, item)


@login_required
@require_POST
def booth_brochure_add(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    form = BoothBrochureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            booth_services.booth_brochure_add(
                booth=booth,
                document=form.cleaned_data["document"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Brochure added."))
            return _back(booth, "brochures")
    return _builder(request, booth.pk, brochure_form=form)


@login_required
@require_POST
def booth_brochure_remove(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothDocument, pk=item_id, booth=booth)
    booth_services.booth_brochure_remove(item=item)
    messages.success(request, _("Brochure removed."))
    return _back(booth, "brochures")


@login_required
@require_POST
def booth_brochure_move(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothDocument, pk=item_id, booth=booth)
    return _moved(request, booth, "brochures", booth_services.booth_brochure_move, item)


@login_required
@require_POST
def booth_link_add(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    form = BoothLinkForm(request.POST)
    if form.is_valid():
        try:
            booth_services.booth_link_add(booth=booth, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Link added."))
            return _back(booth, "links")
    return _builder(request, booth.pk, link_form=form)


@login_required
@require_POST
def booth_link_remove(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothLink, pk=item_id, booth=booth)
    booth_services.booth_link_remove(item=item)
    messages.success(request, _("Link removed."))
    return _back(booth, "links")


@login_required
@require_POST
def booth_hours_add(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    form = BoothOfficeHoursForm(request.POST)
    if form.is_valid():
        try:
            booth_services.booth_office_hours_add(booth=booth, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Office hours added."))
            return _back(booth, "office-hours")
    return _builder(request, booth.pk, hours_form=form)


@login_required
@require_POST
def booth_hours_remove(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(OfficeHours, pk=item_id, booth=booth)
    booth_services.booth_office_hours_remove(item=item)
    messages.success(request, _("Office hours removed."))
    return _back(booth, "office-hours")


@login_required
@require_POST
def booth_products(request, booth_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    form = BoothProductsForm(request.POST, booth=booth)
    if form.is_valid():
        try:
            booth_services.booth_products_set(booth=booth, products=form.cleaned_data["products"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The booth's products were saved."))
            return _back(booth, "products")
    return _builder(request, booth.pk, products_form=form)


@login_required
@require_POST
def booth_product_move(request, booth_id: int, item_id: int):
    booth = booth_or_404(user=request.user, booth_id=booth_id)
    item = get_object_or_404(BoothProduct, pk=item_id, booth=booth)
    return _moved(request, booth, "products", booth_services.booth_product_move, item)
