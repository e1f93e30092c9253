"""Buyers' favourites, and the booth page.

The booth page is a plain URL shaped like a route of the fair page (<fair>/booths/<company>/):
resolving the fair in one query instead of through Wagtail's page tree keeps the page within its
query budget. It is listed before Wagtail's catch-all in cms.urls.
"""

from django.urls import path

from fair import views

app_name = "fair"
urlpatterns = [
    path("<slug:fair_slug>/booths/<slug:company_slug>/", views.booth_page, name="booth"),
    path("favourites/", views.favourite_list, name="favourites"),
    path("favourites/booths/<id:booth_id>/add/", views.favourite_booth_add, name="favourite_booth_add"),
    path(
        "favourites/booths/<id:booth_id>/remove/",
        views.favourite_booth_remove,
        name="favourite_booth_remove",
    ),
    path(
        "favourites/products/<id:product_id>/add/", views.favourite_product_add, name="favourite_product_add"
    ),
    path(
        "favourites/products/<id:product_id>/remove/",
        views.favourite_product_remove,
        name="favourite_product_remove",
    ),
]
