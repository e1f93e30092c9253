"""Sign-up follow-up, company profile, colleagues, buyer profile, dashboard."""

from django.urls import path

from exhibitors.views import accounts

urlpatterns = [
    path("dashboard/", accounts.dashboard, name="dashboard"),
    path("settings/", accounts.personal_settings, name="personal_settings"),
    path("companies/new/", accounts.company_create_view, name="company_create"),
    path("companies/<int:company_id>/edit/", accounts.company_edit, name="company_edit"),
    path("companies/<int:company_id>/members/", accounts.member_list, name="member_list"),
    path(
        "companies/<int:company_id>/members/invite/",
        accounts.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "companies/<int:company_id>/members/<int:membership_id>/role/",
        accounts.member_role,
        name="member_role",
    ),
    path(
        "companies/<int:company_id>/members/<int:membership_id>/remove/",
        accounts.member_remove,
        name="member_remove",
    ),
    path(
        "companies/<int:company_id>/invitations/<int:invitation_id>/revoke/",
        accounts.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<uuid:token>/", accounts.invitation_accept_view, name="invitation_accept"),
    path("buyer/profile/", accounts.buyer_profile_edit, name="buyer_profile_edit"),
]
