"""The chamber staff's screens in the Wagtail admin: reviewing booth applications, featuring booths, and the
reference lists (sectors, certifications). Views translate HTTP into calls to exhibitors.services.decisions.

Fairs, halls and packages are models of the fair app; this module reaches them only through the booth's
relations (`Booth._meta.get_field("fair").related_model`), never by importing the fair app.
"""

from decimal import Decimal
from urllib.parse import urlencode

import django_filters
from babel.core import UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusFlagColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.models import Locale, ModelLogEntry
from wagtail.permissions import policy_registry

from exhibitors.admin.viewsets import InspectOnlyViewSet
from exhibitors.enums import ApplicationStatus
from exhibitors.models import Booth, BoothApplication, Company
from exhibitors.services.applications import ALLOWED_TRANSITIONS, ApplicationTransitionError
from exhibitors.services.decisions import (
    BoothFeatureError,
    application_approve,
    application_reject,
    booth_set_featured,
)


def format_minor_units(amount: int, currency: str) -> str:
    """A price kept in minor units, written the way the viewer's language does (15000 USD → $150.00)."""
    precision = get_currency_precision(currency)  # Babel answers 2 for a code it does not know.
    value = Decimal(amount).scaleb(-precision)
    try:
        return format_currency(value, currency, locale=to_locale(get_language() or "en"))
    except UnknownLocaleError:
        return f"{value:.{precision}f} {currency}"


def _fair_model():
    return Booth._meta.get_field("fair").related_model


def _hall_model():
    return Booth._meta.get_field("hall").related_model


# --- Filters ---


def _fairs_for_filter(request):
    """Fairs in the site's main language: booths only ever point at those."""
    return _fair_model().objects.filter(locale=Locale.get_default()).order_by("title")


def _halls_for_filter(request):
    return _hall_model().objects.select_related("fair").order_by("fair__title", "sort_order", "name")


def _countries_for_filter():
    codes = (
        Company.objects.filter(booths__application__isnull=False)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])


class HallChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        # Several fairs may each have a hall called "Agrifood".
        return f"{obj.fair.title} – {obj.name}"


class HallFilter(django_filters.ModelChoiceFilter):
    field_class = HallChoiceField


class BoothApplicationFilterSet(WagtailFilterSet):
    fair = django_filters.ModelChoiceFilter(
        field_name="booth__fair", label=_("Fair"), queryset=_fairs_for_filter, empty_label=_("All fairs")
    )
    hall = HallFilter(
        field_name="booth__hall", label=_("Hall"), queryset=_halls_for_filter, empty_label=_("All halls")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ApplicationStatus.choices,
        empty_label=_("Any status"),
        widget=forms.RadioSelect,
    )
    country = django_filters.ChoiceFilter(
        field_name="booth__company__country",
        label=_("Country"),
        choices=_countries_for_filter,
        empty_label=_("All countries"),
    )

    class Meta:
        model = BoothApplication
        fields: list[str] = []


# --- Forms ---


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the company's members with the decision."),
        error_messages={"required": _("Say why the application is rejected: the company will read it.")},
    )


class FeatureForm(forms.Form):
    featured = forms.BooleanField(required=False)


# --- Views ---


def _review_url(application) -> str:
    return reverse("booth_applications:inspect", args=[application.pk])


class BoothApplicationIndexView(IndexView):
    """The list of applications, newest first, with one query however many rows."""

    default_ordering = "-submitted_at"
    search_fields = ["booth__company__legal_name"]

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("booth__company", "booth__fair", "booth__hall", "booth__package")
        )

    def get_list_more_buttons(self, instance):
        return [MenuItem(_("Review"), url=self.get_inspect_url(instance), icon_name="view", priority=10)]

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "company",
                label=_("Company"),
                accessor="booth.company.legal_name",
                sort_key="booth__company__legal_name",
                get_url=self.get_inspect_url,
            ),
            Column(
                "country",
                label=_("Country"),
                accessor="booth.company.country.name",
                sort_key="booth__company__country",
            ),
            Column("fair", label=_("Fair"), accessor="booth.fair.title", sort_key="booth__fair__title"),
            Column("hall", label=_("Hall"), accessor="booth.hall.name", sort_key="booth__hall__name"),
            Column("package", label=_("Package"), accessor="booth.package.name"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda application: application.status == ApplicationStatus.APPROVED,
            ),
            StatusFlagColumn(
                "featured", label=_("Featured"), accessor="booth.featured", true_label=_("Featured")
            ),
            StatusFlagColumn(
                "sponsored",
                label=_("Sponsored"),
                accessor="booth.package.sponsored",
                true_label=_("Sponsored"),
            ),
            DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
        ]


class ApplicationReviewView(InspectView):
    """One application: the company's profile, the booth, the decision forms and the audit trail."""

    template_name = "exhibitors/admin/application_review.html"
    page_title = _("Review")
    any_permission_required = ["change", "view"]

    def get_object(self, queryset=None):
        return get_object_or_404(
            BoothApplication.objects.select_related(
                "booth__company",
                "booth__fair",
                "booth__hall",
                "booth__package",
                "submitted_by",
                "decided_by",
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        booth = self.object.booth
        return f"{booth.company.legal_name} – {booth.fair.title}"

    def get_fields_context(self):
        # The template lays out the company and booth itself.
        return []

    def user_can_feature(self) -> bool:
        return policy_registry.get_by_type(Booth).user_has_permission(self.request.user, "change")

    def history(self):
        application = self.object
        return (
            ModelLogEntry.objects.filter(
                Q(
                    content_type=ContentType.objects.get_for_model(BoothApplication),
                    object_id=str(application.pk),
                )
                | Q(
                    content_type=ContentType.objects.get_for_model(Booth), object_id=str(application.booth_id)
                )
            )
            .select_related("user")
            .order_by("-timestamp", "-pk")[:20]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        booth = application.booth
        company = booth.company
        allowed = ALLOWED_TRANSITIONS.get(application.status, set())
        can_decide = self.user_has_permission("change")
        context.update(
            {
                "application": application,
                "booth": booth,
                "company": company,
                "sectors": list(company.sectors.all()),
                "certifications": list(company.certifications.all()),
                "export_markets": [country.name for country in company.export_markets],
                "members": list(company.memberships.select_related("user").order_by("role", "user__email")),
                "product_count": booth.booth_products.count(),
                "package_price": format_minor_units(booth.package.price_amount, booth.package.currency),
                "can_decide": can_decide,
                "can_approve": can_decide and ApplicationStatus.APPROVED in allowed,
                "can_reject": can_decide and ApplicationStatus.REJECTED in allowed,
                "can_feature": self.user_can_feature()
                and (booth.featured or application.status == ApplicationStatus.APPROVED),
                "reject_form": kwargs.get("reject_form") or RejectForm(),
                "history": self.history(),
                "history_url": reverse("booth_applications:history", args=[application.pk]),
            }
        )
        return context


class ApplicationApproveView(ApplicationReviewView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            application_approve(application=self.object, by=request.user)
        except ApplicationTransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The booth of “%(company)s” is approved. Its members will be e-mailed.")
                % {"company": self.object.booth.company.legal_name},
            )
        return redirect(_review_url(self.object))


class ApplicationRejectView(ApplicationReviewView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                application_reject(
                    application=self.object, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ApplicationTransitionError as error:
                messages.error(request, str(error))
                return redirect(_review_url(self.object))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The application of “%(company)s” is rejected. Its members will be e-mailed.")
                    % {"company": self.object.booth.company.legal_name},
                )
                return redirect(_review_url(self.object))
        messages.error(request, _("The application could not be rejected: see the form below."))
        return self.render_to_response(self.get_context_data(reject_form=form))


class BoothFeatureView(ApplicationReviewView):
    """Feature or unfeature the application's booth ("Featured by the chamber"; not the paid "Sponsored")."""

    any_permission_required = ["change", "view"]
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not self.user_can_feature():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = FeatureForm(request.POST)
        featured = form.is_valid() and form.cleaned_data["featured"]
        booth = self.object.booth
        try:
            booth_set_featured(booth=booth, featured=featured, by=request.user)
        except BoothFeatureError as error:
            messages.error(request, str(error))
        else:
            message = (
                _("The booth of “%(company)s” is now featured by the chamber.")
                if featured
                else _("The booth of “%(company)s” is no longer featured.")
            )
            messages.success(request, message % {"company": booth.company.legal_name})
        return redirect(_review_url(self.object))


class PendingApplicationsPanel(Component):
    """Admin dashboard panel: applications waiting for a decision, per fair, each linking to its list."""

    name = "pending_booth_applications"
    template_name = "exhibitors/admin/pending_applications_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        list_url = reverse("booth_applications:index")
        rows = (
            BoothApplication.objects.filter(status=ApplicationStatus.PENDING)
            .values("booth__fair_id", "booth__fair__title")
            .annotate(count=Count("pk"))
            .order_by("booth__fair__title")
        )
        return {
            "fairs": [
                {
                    "title": row["booth__fair__title"],
                    "count": row["count"],
                    "url": f"{list_url}?{urlencode({'fair': row['booth__fair_id'], 'status': 'pending'})}",
                }
                for row in rows
            ]
        }


class BoothApplicationViewSet(InspectOnlyViewSet):
    """Booth applications: a list and a review page; no creating, editing or deleting from the admin."""

    model = BoothApplication
    name = "booth_applications"
    icon = "clipboard-list"
    menu_label = _("Booth applications")
    menu_order = 150
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = BoothApplicationIndexView
    inspect_view_class = ApplicationReviewView
    filterset_class = BoothApplicationFilterSet
    list_per_page = 50

    @property
    def approve_view(self):
        return self.construct_view(ApplicationApproveView, **self.get_inspect_view_kwargs())

    @property
    def reject_view(self):
        return self.construct_view(ApplicationRejectView, **self.get_inspect_view_kwargs())

    @property
    def feature_view(self):
        return self.construct_view(BoothFeatureView, **self.get_inspect_view_kwargs())

    def action_urlpatterns(self):
        return [
            path("<id:pk>/approve/", self.approve_view, name="approve"),
            path("<id:pk>/reject/", self.reject_view, name="reject"),
            path("<id:pk>/featured/", self.feature_view, name="featured"),
        ]
