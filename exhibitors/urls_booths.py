"""Booth applications, the booth builder and the product catalogue."""

from django.urls import path

from exhibitors.views import booths, catalogue

urlpatterns = [
    path("companies/<int:company_id>/fairs/<int:fair_id>/apply/", booths.booth_apply, name="booth_apply"),
    path("booths/<int:booth_id>/", booths.booth_edit, name="booth_edit"),
    path("companies/<int:company_id>/products/", catalogue.product_list, name="product_list"),
    path("companies/<int:company_id>/products/new/", catalogue.product_create, name="product_create"),
    path("products/<int:product_id>/", catalogue.product_edit, name="product_edit"),
]
