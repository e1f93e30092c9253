"""A company's product catalogue: list, create, edit, delete, reorder, pictures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exhibitors.forms.booths import MoveForm, add_service_errors, format_price_range
from exhibitors.forms.catalogue import ProductCreateForm, ProductForm, ProductImageForm, product_initial
from exhibitors.hs import hs_describe
from exhibitors.models import ProductImage
from exhibitors.permissions import company_or_404, product_or_404
from exhibitors.selectors.catalogue import company_default_currency, product_for_edit, products_for_list
from exhibitors.services import catalogue as catalogue_services
from exhibitors.views.booths import FETCH_HEADER


@login_required
def product_list(request, company_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    products = list(products_for_list(company))
    for product in products:
        product.hs = hs_describe(product.hs_code)
        product.price_text = format_price_range(product.price_min, product.price_max, product.currency)
    return render(request, "exhibitors/product_list.html", {"company": company, "products": products})


@login_required
def product_create(request, company_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    if request.method == "POST":
        form = ProductCreateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                product = catalogue_services.product_create(
                    company=company, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("“%(name)s” was added to your catalogue.") % {"name": product.name}
                )
                return redirect("product_edit", product_id=product.pk)
    else:
        form = ProductCreateForm(
            initial={"language": get_language(), "currency": company_default_currency(company)}
        )
    return render(
        request, "exhibitors/product_form.html", {"company": company, "form": form, "product": None}
    )


def _initial_with_currency(product) -> dict:
    initial = product_initial(product)
    # A product saved without prices still gets a currency proposed, so adding a price later just works.
    initial["currency"] = initial["currency"] or company_default_currency(product.company)
    return initial


def _edit_page(request, product_id: int, *, form=None, image_form=None) -> HttpResponse:
    product = product_for_edit(product_id)
    return render(
        request,
        "exhibitors/product_form.html",
        {
            "company": product.company,
            "product": product,
            "hs": hs_describe(product.hs_code),
            "form": form or ProductForm(initial=_initial_with_currency(product)),
            "image_form": image_form or ProductImageForm(),
            "images": list(product.images.all()),
            "images_full": len(product.images.all()) >= catalogue_services.PRODUCT_MAX_IMAGES,
            "max_images": catalogue_services.PRODUCT_MAX_IMAGES,
        },
    )


@login_required
def product_edit(request, product_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    if request.method == "POST":
        form = ProductForm(request.POST)
        if form.is_valid():
            try:
                catalogue_services.product_update(product=product, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Product saved."))
                return redirect("product_edit", product_id=product.pk)
        return _edit_page(request, product.pk, form=form)
    return _edit_page(request, product.pk)


@login_required
def product_delete(request, product_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    if request.method == "POST":
        company_id = product.company_id
        name = product.name
        catalogue_services.product_delete(product=product)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect("product_list", company_id=company_id)
    return render(request, "exhibitors/product_delete.html", {"product": product, "company": product.company})


@login_required
@require_POST
def product_move(request, product_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    catalogue_services.product_move(product=product, direction=form.cleaned_data["direction"])
    if request.headers.get("X-Requested-With") == FETCH_HEADER:
        return HttpResponse(status=204)
    return redirect(
        reverse("product_list", kwargs={"company_id": product.company_id}) + f"#product-{product.pk}"
    )


@login_required
@require_POST
def product_image_add(request, product_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    form = ProductImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            catalogue_services.product_image_add(
                product=product, image=form.cleaned_data["image"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Picture added."))
            return redirect(reverse("product_edit", kwargs={"product_id": product.pk}) + "#pictures")
    return _edit_page(request, product.pk, image_form=form)


@login_required
@require_POST
def product_image_remove(request, product_id: int, item_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    item = get_object_or_404(ProductImage, pk=item_id, product=product)
    catalogue_services.product_image_remove(item=item)
    messages.success(request, _("Picture removed."))
    return redirect(reverse("product_edit", kwargs={"product_id": product.pk}) + "#pictures")


@login_required
@require_POST
def product_image_move(request, product_id: int, item_id: int):
    product = product_or_404(user=request.user, product_id=product_id)
    item = get_object_or_404(ProductImage, pk=item_id, product=product)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    catalogue_services.product_image_move(item=item, direction=form.cleaned_data["direction"])
    if request.headers.get("X-Requested-With") == FETCH_HEADER:
        return HttpResponse(status=204)
    return redirect(reverse("product_edit", kwargs={"product_id": product.pk}) + "#pictures")
