"""Chamber staff's "Member companies" screen: a list of companies and, for each, the verification against
the chamber's member register (exhibitors.services.verification)."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.models import ModelLogEntry

from exhibitors.admin.viewsets import InspectOnlyViewSet
from exhibitors.models import Company
from exhibitors.services.verification import company_unverify, company_verify, tax_id_modules


class VerifyForm(forms.Form):
    register_number = forms.CharField(label=_("Member register number"), max_length=60)
    tax_id = forms.CharField(label=_("Tax id"), max_length=40)


def _inspect_url(company) -> str:
    return reverse("member_companies:inspect", args=[company.pk])


class CompanyIndexView(IndexView):
    default_ordering = "legal_name"
    search_fields = ["legal_name", "tax_id", "member_register_number"]

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(_("Verification"), url=self.get_inspect_url(instance), icon_name="view", priority=10)
        ]

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "legal_name", label=_("Company"), get_url=self.get_inspect_url, sort_key="legal_name"
            ),
            Column("country", label=_("Country"), accessor=lambda company: company.country.name),
            Column("tax_id", label=_("Tax id")),
            DateColumn("verified_at", label=_("Membership verified"), sort_key="verified_at"),
        ]


class CompanyVerificationView(InspectView):
    template_name = "exhibitors/admin/company_verification.html"
    page_title = _("Membership verification")
    any_permission_required = ["change", "view"]

    def get_object(self, queryset=None):
        return get_object_or_404(Company.objects.select_related("verified_by"), pk=self.pk)

    def get_fields_context(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = self.object
        context.update(
            {
                "company": company,
                "can_change": self.user_has_permission("change"),
                "format_checked": bool(tax_id_modules(company.country.code or "")),
                "verify_form": kwargs.get("verify_form")
                or VerifyForm(
                    initial={"register_number": company.member_register_number, "tax_id": company.tax_id}
                ),
                "history": ModelLogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Company), object_id=str(company.pk)
                )
                .select_related("user")
                .order_by("-timestamp", "-pk")[:20],
            }
        )
        return context


class CompanyVerifyView(CompanyVerificationView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                company_verify(
                    company=self.object,
                    by=request.user,
                    register_number=form.cleaned_data["register_number"],
                    tax_id=form.cleaned_data["tax_id"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for item in errors:
                        form.add_error(field if field in form.fields else None, item)
            else:
                messages.success(
                    request, _("“%(company)s” is now shown as a verified member.") % {"company": self.object}
                )
                return redirect(_inspect_url(self.object))
        return self.render_to_response(self.get_context_data(verify_form=form), status=400)


class CompanyUnverifyView(CompanyVerificationView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        company_unverify(company=self.object, by=request.user)
        messages.success(
            request, _("“%(company)s” is no longer shown as verified.") % {"company": self.object}
        )
        return redirect(_inspect_url(self.object))


class CompanyViewSet(InspectOnlyViewSet):
    """Companies, to verify them against the member register; edited by their own members, not here."""

    model = Company
    name = "member_companies"
    icon = "group"
    menu_label = _("Member companies")
    menu_order = 160
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = CompanyIndexView
    inspect_view_class = CompanyVerificationView
    list_per_page = 50

    @property
    def verify_view(self):
        return self.construct_view(CompanyVerifyView, **self.get_inspect_view_kwargs())

    @property
    def unverify_view(self):
        return self.construct_view(CompanyUnverifyView, **self.get_inspect_view_kwargs())

    def action_urlpatterns(self):
        return [
            path("<id:pk>/verify/", self.verify_view, name="verify"),
            path("<id:pk>/unverify/", self.unverify_view, name="unverify"),
        ]
