"""Stripe events in the Wagtail admin, read-only: every event received, with how handling went. Events that
failed too often ("Gave up") are listed here for the staff to look at; nothing is edited from the admin.
Needs the "view Stripe event" permission (the "Chamber staff" group has it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from exhibitors.admin.viewsets import InspectOnlyViewSet
from payments.models import StripeEvent


class StripeEventFilterSet(WagtailFilterSet):
    class Meta:
        model = StripeEvent
        fields = ["status", "source"]


class StripeEventViewSet(InspectOnlyViewSet):
    model = StripeEvent
    name = "stripe_events"
    icon = "warning"
    menu_label = _("Stripe events")
    menu_order = 270
    add_to_admin_menu = True
    add_to_reference_index = False
    filterset_class = StripeEventFilterSet
    list_display = ["type", "status", "attempts", "event_id", "stripe_created", "last_attempt_at"]
    inspect_view_fields = [
        "event_id",
        "type",
        "source",
        "account",
        "status",
        "attempts",
        "error",
        "stripe_created",
        "received_at",
        "last_attempt_at",
        "processed_at",
        "payload",
    ]
    ordering = ["-received_at", "-id"]
    list_per_page = 50
