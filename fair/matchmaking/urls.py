"""Matchmaking: a buyer's suggestions at a fair and what they rest on; an exhibitor's recommended buyers."""

from django.urls import path

from fair.matchmaking.views import buyers, preferences, recommendations

app_name = "matchmaking"
urlpatterns = [
    path("matchmaking/why/", preferences.preferences, name="preferences"),
    path("matchmaking/fairs/<slug:fair_slug>/", recommendations.recommended, name="recommended"),
    path("matchmaking/companies/<id:company_id>/buyers/", buyers.buyers, name="buyers"),
]
