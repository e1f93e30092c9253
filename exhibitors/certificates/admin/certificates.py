"""Chamber staff's "Certificates" screen: the queue (pending, verified, rejected, expired) and, for each
certificate, the document and the verify / reject / withdraw actions (exhibitors.certificates.services)."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.models import ModelLogEntry

from exhibitors.admin.viewsets import InspectOnlyViewSet
from exhibitors.certificates.enums import CertificateKind, CertificateStatus
from exhibitors.certificates.forms import RejectForm, VerifyForm
from exhibitors.certificates.models import Certificate
from exhibitors.certificates.services import certificate_reject, certificate_unverify, certificate_verify

QUEUE_CHOICES = [
    ("pending", _("Pending")),
    ("verified", _("Verified")),
    ("rejected", _("Rejected")),
    ("expired", _("Expired")),
]


def queue_q(value: str, today) -> Q:
    """Which certificates are in the queue's `value` today; expiry is read from the date, so a verified
    certificate past its date is "expired" even before the periodic job marks it."""
    if value == "pending":
        return Q(status=CertificateStatus.PENDING, expires_on__gte=today)
    if value == "verified":
        return Q(status=CertificateStatus.VERIFIED, expires_on__gte=today)
    if value == "rejected":
        return Q(status=CertificateStatus.REJECTED)
    if value == "expired":
        return Q(status=CertificateStatus.EXPIRED) | (
            Q(status__in=[CertificateStatus.VERIFIED, CertificateStatus.PENDING]) & Q(expires_on__lt=today)
        )
    return Q()


class CertificateFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=QUEUE_CHOICES,
        empty_label=_("Any status"),
        method="filter_queue",
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CertificateKind.choices, empty_label=_("Any kind")
    )
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Expires on or before")
    )

    class Meta:
        model = Certificate
        fields: list[str] = []

    def filter_queue(self, queryset, name, value):
        return queryset.filter(queue_q(value, timezone.localdate())) if value else queryset


def _inspect_url(certificate) -> str:
    return reverse("certificates:inspect", args=[certificate.pk])


def status_label(certificate) -> str:
    if certificate.status in (CertificateStatus.VERIFIED, CertificateStatus.PENDING) and (
        certificate.expires_on < timezone.localdate()
    ):
        return str(CertificateStatus.EXPIRED.label)
    return str(certificate.get_status_display())


class CertificateIndexView(IndexView):
    default_ordering = "-created_at"
    search_fields = ["company__legal_name", "number", "issuer"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("company")

    def get_list_more_buttons(self, instance):
        return [MenuItem(_("Check"), url=self.get_inspect_url(instance), icon_name="view", priority=10)]

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "company",
                label=_("Company"),
                accessor=lambda c: c.company.legal_name,
                get_url=self.get_inspect_url,
            ),
            Column("title", label=_("Certificate"), accessor=lambda c: c.title),
            Column("number", label=_("Number")),
            Column("status", label=_("Status"), accessor=status_label),
            DateColumn("expires_on", label=_("Expires"), sort_key="expires_on"),
            DateColumn("created_at", label=_("Added"), sort_key="created_at"),
        ]


class CertificateCheckView(InspectView):
    template_name = "certificates/admin/certificate_check.html"
    page_title = _("Certificate check")
    any_permission_required = ["change", "view"]

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related(
                "company", "file", "verified_by", "decided_by", "certification"
            ),
            pk=self.pk,
        )

    def get_fields_context(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        today = timezone.localdate()
        context.update(
            {
                "certificate": certificate,
                "status_label": status_label(certificate),
                "expired": certificate.expires_on < today,
                "can_change": self.user_has_permission("change"),
                "verify_form": kwargs.get("verify_form") or VerifyForm(),
                "reject_form": kwargs.get("reject_form") or RejectForm(),
                "products": list(certificate.products.all()),
                "history": ModelLogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(Certificate), object_id=str(certificate.pk)
                )
                .select_related("user")
                .order_by("-timestamp", "-pk")[:20],
            }
        )
        return context


class _ActionView(CertificateCheckView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]


class CertificateVerifyView(_ActionView):
    def post(self, request, *args, **kwargs):
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                certificate_verify(certificate=self.object, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                for item in error.messages:
                    form.add_error(None, item)
            else:
                messages.success(
                    request, _("“%(certificate)s” is now shown as verified.") % {"certificate": self.object}
                )
                return redirect(_inspect_url(self.object))
        return self.render_to_response(self.get_context_data(verify_form=form), status=400)


class CertificateRejectView(_ActionView):
    def post(self, request, *args, **kwargs):
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                certificate_reject(
                    certificate=self.object, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for item in error.messages:
                    form.add_error("reason", item)
            else:
                messages.success(
                    request,
                    _("“%(certificate)s” was rejected; the company is told why.")
                    % {"certificate": self.object},
                )
                return redirect(_inspect_url(self.object))
        return self.render_to_response(self.get_context_data(reject_form=form), status=400)


class CertificateUnverifyView(_ActionView):
    def post(self, request, *args, **kwargs):
        certificate_unverify(certificate=self.object, by=request.user)
        messages.success(
            request, _("“%(certificate)s” is no longer shown as verified.") % {"certificate": self.object}
        )
        return redirect(_inspect_url(self.object))


class CertificateViewSet(InspectOnlyViewSet):
    """Certificates companies uploaded, to check against the originals; edited by the companies, not here."""

    model = Certificate
    name = "certificates"
    icon = "tick-inverse"
    menu_label = _("Certificates")
    menu_order = 165
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateCheckView
    filterset_class = CertificateFilterSet
    list_per_page = 50

    @property
    def verify_view(self):
        return self.construct_view(CertificateVerifyView, **self.get_inspect_view_kwargs())

    @property
    def reject_view(self):
        return self.construct_view(CertificateRejectView, **self.get_inspect_view_kwargs())

    @property
    def unverify_view(self):
        return self.construct_view(CertificateUnverifyView, **self.get_inspect_view_kwargs())

    def action_urlpatterns(self):
        return [
            path("<id:pk>/verify/", self.verify_view, name="verify"),
            path("<id:pk>/reject/", self.reject_view, name="reject"),
            path("<id:pk>/unverify/", self.unverify_view, name="unverify"),
        ]
