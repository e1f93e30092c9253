"""Leads: a company's list, detail, CSV, and the buyer's "share my card"."""

from django.urls import path

from fair.leads import views

app_name = "leads"
urlpatterns = [
    path("companies/<int:company_id>/leads/", views.lead_list, name="list"),
    path("companies/<int:company_id>/leads.csv", views.lead_csv, name="csv"),
    path("companies/<int:company_id>/leads/<int:lead_id>/", views.lead_detail, name="detail"),
    path("companies/<int:company_id>/leads/<int:lead_id>/stage/", views.lead_stage, name="stage"),
    path("companies/<int:company_id>/leads/<int:lead_id>/tags/", views.lead_tag_add, name="tag_add"),
    path(
        "companies/<int:company_id>/leads/<int:lead_id>/tags/<int:tag_id>/remove/",
        views.lead_tag_remove,
        name="tag_remove",
    ),
    path("companies/<int:company_id>/leads/<int:lead_id>/notes/", views.lead_note_add, name="note_add"),
    path("leads/share-card/<int:company_id>/", views.card_share, name="share_card"),
]
