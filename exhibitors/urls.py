"""The exhibitors app's pages (cms.urls includes them under the language prefix): accounts, booths and the
catalogue, and private file downloads."""

from django.urls import path

from exhibitors.views import accounts, booths, catalogue, files, lite, privacy, two_factor

# Sign-up follow-up, company profile, colleagues, buyer profile, dashboard.
account_patterns = [
    path("dashboard/", accounts.dashboard, name="dashboard"),
    path("settings/", accounts.personal_settings, name="personal_settings"),
    path("companies/new/", accounts.company_create_view, name="company_create"),
    path("companies/<id:company_id>/edit/", accounts.company_edit, name="company_edit"),
    path("companies/<id:company_id>/members/", accounts.member_list, name="member_list"),
    path(
        "companies/<id:company_id>/members/invite/",
        accounts.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "companies/<id:company_id>/members/<id:membership_id>/role/",
        accounts.member_role,
        name="member_role",
    ),
    path(
        "companies/<id:company_id>/members/<id:membership_id>/remove/",
        accounts.member_remove,
        name="member_remove",
    ),
    path(
        "companies/<id:company_id>/invitations/<id:invitation_id>/revoke/",
        accounts.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<uuid:token>/", accounts.invitation_accept_view, name="invitation_accept"),
    path("buyer/profile/", accounts.buyer_profile_edit, name="buyer_profile_edit"),
]

# Booth applications and the booth builder.
booth_patterns = [
    path("companies/<id:company_id>/fairs/<id:fair_id>/apply/", booths.booth_apply, name="booth_apply"),
    path("booths/<id:booth_id>/", booths.booth_edit, name="booth_edit"),
    path("booths/<id:booth_id>/withdraw/", booths.booth_withdraw, name="booth_withdraw"),
    path("booths/<id:booth_id>/picture/<str:kind>/", booths.booth_picture, name="booth_picture"),
    path("booths/<id:booth_id>/gallery/", booths.booth_gallery_add, name="booth_gallery_add"),
    path(
        "booths/<id:booth_id>/gallery/<id:item_id>/remove/",
        booths.booth_gallery_remove,
        name="booth_gallery_remove",
    ),
    path(
        "booths/<id:booth_id>/gallery/<id:item_id>/move/",
        booths.booth_gallery_move,
        name="booth_gallery_move",
    ),
    path("booths/<id:booth_id>/brochures/", booths.booth_brochure_add, name="booth_brochure_add"),
    path(
        "booths/<id:booth_id>/brochures/<id:item_id>/remove/",
        booths.booth_brochure_remove,
        name="booth_brochure_remove",
    ),
    path(
        "booths/<id:booth_id>/brochures/<id:item_id>/move/",
        booths.booth_brochure_move,
        name="booth_brochure_move",
    ),
    path("booths/<id:booth_id>/links/", booths.booth_link_add, name="booth_link_add"),
    path(
        "booths/<id:booth_id>/links/<id:item_id>/remove/",
        booths.booth_link_remove,
        name="booth_link_remove",
    ),
    path("booths/<id:booth_id>/hours/", booths.booth_hours_add, name="booth_hours_add"),
    path(
        "booths/<id:booth_id>/hours/<id:item_id>/remove/",
        booths.booth_hours_remove,
        name="booth_hours_remove",
    ),
    path("booths/<id:booth_id>/products/", booths.booth_products, name="booth_products"),
    path(
        "booths/<id:booth_id>/products/<id:item_id>/move/",
        booths.booth_product_move,
        name="booth_product_move",
    ),
]

# The product catalogue.
catalogue_patterns = [
    path("companies/<id:company_id>/products/", catalogue.product_list, name="product_list"),
    path("companies/<id:company_id>/products/new/", catalogue.product_create, name="product_create"),
    path("products/<id:product_id>/", catalogue.product_edit, name="product_edit"),
    path("products/<id:product_id>/delete/", catalogue.product_delete, name="product_delete"),
    path("products/<id:product_id>/move/", catalogue.product_move, name="product_move"),
    path("products/<id:product_id>/pictures/", catalogue.product_image_add, name="product_image_add"),
    path(
        "products/<id:product_id>/pictures/<id:item_id>/remove/",
        catalogue.product_image_remove,
        name="product_image_remove",
    ),
    path(
        "products/<id:product_id>/pictures/<id:item_id>/move/",
        catalogue.product_image_move,
        name="product_image_move",
    ),
]

file_patterns = [
    path("files/<uuid:public_id>/", files.private_file_download, name="private_file"),
]

urlpatterns = account_patterns + booth_patterns + catalogue_patterns + file_patterns

# Privacy: consents, data exports, erasure; two-factor sign-in.
privacy_patterns = [
    path("settings/privacy/", privacy.privacy, name="privacy"),
    path("settings/privacy/consents/", privacy.consent_change, name="consent_change"),
    path(
        "settings/privacy/consents/companies/<id:company_id>/withdraw/",
        privacy.company_consent_withdraw,
        name="company_consent_withdraw",
    ),
    path("settings/privacy/exports/", privacy.export_create, name="export_create"),
    path("settings/privacy/exports/<uuid:public_id>/", privacy.export_download, name="export_download"),
    path("settings/privacy/erasure/", privacy.erasure_request_view, name="erasure_request"),
    path("settings/privacy/erasure/cancel/", privacy.erasure_cancel_view, name="erasure_cancel"),
    path("companies/<id:company_id>/privacy/", privacy.company_privacy, name="company_privacy"),
    path("companies/<id:company_id>/close/", privacy.company_close_view, name="company_close"),
    path("settings/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("sign-in/code/", two_factor.two_factor_verify, name="two_factor_verify"),
]

urlpatterns += privacy_patterns

# The lite-mode switch (footer and Save-Data banner).
lite_patterns = [path("lite/", lite.lite_mode_switch, name="lite_mode_switch")]

urlpatterns += lite_patterns
