"""Booth applications, the booth builder and the product catalogue."""

urlpatterns: list = []
