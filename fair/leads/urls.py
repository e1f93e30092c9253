"""Leads: a company's list, detail, CSV, and the buyer's "share my card"."""

from django.urls import path

from fair.leads import views

app_name = "leads"
urlpatterns = [
    path("companies/<id:company_id>/leads/", views.lead_list, name="list"),
    path("companies/<id:company_id>/leads.csv", views.lead_csv, name="csv"),
    path("companies/<id:company_id>/leads/<id:lead_id>/", views.lead_detail, name="detail"),
    path("companies/<id:company_id>/leads/<id:lead_id>/stage/", views.lead_stage, name="stage"),
    path("companies/<id:company_id>/leads/<id:lead_id>/tags/", views.lead_tag_add, name="tag_add"),
    path(
        "companies/<id:company_id>/leads/<id:lead_id>/tags/<id:tag_id>/remove/",
        views.lead_tag_remove,
        name="tag_remove",
    ),
    path("companies/<id:company_id>/leads/<id:lead_id>/notes/", views.lead_note_add, name="note_add"),
    path("leads/share-card/<id:company_id>/", views.card_share, name="share_card"),
]
