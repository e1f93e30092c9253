"""Buyers' favourites. The directory and booth pages are routes of the fair page (fair.models.FairPage)."""

from django.urls import path

from fair import views

app_name = "fair"
urlpatterns = [
    path("favourites/", views.favourite_list, name="favourites"),
    path("favourites/booths/<int:booth_id>/add/", views.favourite_booth_add, name="favourite_booth_add"),
    path(
        "favourites/booths/<int:booth_id>/remove/",
        views.favourite_booth_remove,
        name="favourite_booth_remove",
    ),
    path(
        "favourites/products/<int:product_id>/add/", views.favourite_product_add, name="favourite_product_add"
    ),
    path(
        "favourites/products/<int:product_id>/remove/",
        views.favourite_product_remove,
        name="favourite_product_remove",
    ),
]
