"""B2B meetings at a fair: the slots companies publish, the availability buyers publish, the meetings booked
in them, and each person's private calendar feed.

Every row points at the fair's original-language page. The rules that no slot is booked twice and that no
person holds two overlapping meetings are kept by the database: partial unique indexes here (both
databases), and on PostgreSQL also exclusion constraints on time ranges, which the migration
0002_no_overlap adds only there (see docs/meetings.md); SQLite's single writer (BEGIN IMMEDIATE) makes the
services' check-then-write safe there.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fair.meetings.enums import SLOT_HOLDING, MeetingSide, MeetingStatus

AGENDA_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500


class MeetingSlot(models.Model):
    """A time a company offers for meetings, with one staff member or anyone from the company (staff null)."""

    fair = models.ForeignKey("fair.FairPage", on_delete=models.CASCADE, related_name="meeting_slots")
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="meeting_slots")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_slots",
        verbose_name=_("with"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_slot_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["fair", "company", "starts_at"], name="meeting_slot_company_time")]

    def __str__(self):
        return f"{self.company_id} {self.starts_at:%Y-%m-%d %H:%M}"


class BuyerAvailability(models.Model):
    """A time a buyer offers for meetings at a fair. Publishing any makes the buyer findable by exhibitors."""

    fair = models.ForeignKey("fair.FairPage", on_delete=models.CASCADE, related_name="buyer_availability")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_availability"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("buyer availability")
        verbose_name_plural = _("buyer availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="buyer_availability_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["fair", "buyer", "starts_at"], name="buyer_avail_fair_time")]

    def __str__(self):
        return f"{self.buyer_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    """A request for a meeting and, once accepted, the meeting. Its status changes only through
    fair.meetings.services.transitions.meeting_transition."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fair = models.ForeignKey("fair.FairPage", on_delete=models.CASCADE, related_name="meetings")
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="meetings")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings")
    # Null: anyone from the company.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_meetings",
        verbose_name=_("with"),
    )
    # The company's slot it was requested in (buyer's request), or the buyer's availability (company's).
    slot = models.ForeignKey(
        MeetingSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    buyer_slot = models.ForeignKey(
        BuyerAvailability, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_side = models.CharField(max_length=10, choices=MeetingSide.choices, default=MeetingSide.BUYER)
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX_LENGTH, blank=True)
    products = models.ManyToManyField("exhibitors.Product", blank=True, related_name="+")
    volumes = models.CharField(_("volumes"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=REASON_MAX_LENGTH, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=REASON_MAX_LENGTH, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The request this one was proposed instead of (staff proposed another slot).
    proposed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    external_link = models.URLField(
        _("own meeting link"), blank=True, help_text=_("A video-call link of the exhibitor's own, if any.")
    )
    # Bumped on every change a calendar should see (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who did not come, for a no-show.
    no_show_side = models.CharField(max_length=10, choices=MeetingSide.choices, blank=True)
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status__in=SLOT_HOLDING), name="meeting_one_per_slot"
            ),
            models.UniqueConstraint(
                fields=["buyer_slot"],
                condition=Q(status__in=SLOT_HOLDING),
                name="meeting_one_per_buyer_slot",
            ),
            models.CheckConstraint(
                condition=Q(no_show_side="") | Q(status=MeetingStatus.NO_SHOW),
                name="meeting_no_show_side_only_for_no_show",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="meeting_status_expiry"),
            models.Index(fields=["buyer", "starts_at"], name="meeting_buyer_time"),
            models.Index(fields=["company", "starts_at"], name="meeting_company_time"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_time"),
        ]

    def __str__(self):
        return f"Meeting {self.uuid}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed. The token is the only thing in its URL; revoking keeps the row (so
    an old URL answers 404) and a new one can be made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_active"
            )
        ]
