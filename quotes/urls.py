"""The quotes app's pages (language-prefixed, namespace "quotes"); docs/rfq.md lists them."""

from django.urls import path

from quotes.views import buyers, companies

app_name = "quotes"

urlpatterns = [
    path("quotes/fairs/<id:fair_id>/new/", buyers.request_new_fair, name="request_new_fair"),
    path("quotes/booths/<id:booth_id>/new/", buyers.request_new_booth, name="request_new_booth"),
    path("quotes/mine/", buyers.request_list, name="request_list"),
    path("quotes/mine/<id:request_id>/", buyers.request_detail, name="request_detail"),
    path(
        "quotes/mine/<id:request_id>/attachments/<id:attachment_id>/",
        buyers.request_attachment,
        name="request_attachment",
    ),
    path("quotes/mine/<id:request_id>/<slug:action>/", buyers.request_action, name="request_action"),
    path(
        "quotes/mine/<id:request_id>/quotes/<id:quote_id>/accept/",
        buyers.quote_accept_view,
        name="quote_accept",
    ),
    path(
        "quotes/mine/<id:request_id>/quotes/<id:quote_id>/decline/",
        buyers.quote_decline_view,
        name="quote_decline",
    ),
    path(
        "quotes/mine/<id:request_id>/quotes/<id:quote_id>/discuss/",
        buyers.quote_discuss_view,
        name="quote_discuss",
    ),
    path("quotes/companies/<id:company_id>/", companies.company_request_list, name="company_requests"),
    path(
        "quotes/companies/<id:company_id>/requests/<id:request_id>/",
        companies.company_request,
        name="company_request",
    ),
    path(
        "quotes/companies/<id:company_id>/requests/<id:request_id>/attachments/<id:attachment_id>/",
        companies.company_request_attachment,
        name="company_request_attachment",
    ),
    path(
        "quotes/companies/<id:company_id>/requests/<id:request_id>/withdraw/",
        companies.company_quote_withdraw,
        name="company_quote_withdraw",
    ),
]
