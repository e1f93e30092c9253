"""Leads: a buyer who showed interest in a company (chatted, met or asked to meet, saved a booth, shared
their card), one row per company, buyer and fair (or none, for a chat begun outside any booth)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fair.leads.enums import LeadEventKind, LeadStage


class LeadTag(models.Model):
    """A free tag a company puts on its leads (its own list)."""

    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="lead_tags")
    name = models.CharField(_("tag"), max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="leads_tag_unique_per_company")
        ]

    def __str__(self):
        return self.name


class Lead(models.Model):
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="leads")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leads_as_buyer"
    )
    fair = models.ForeignKey(
        "fair.FairPage", null=True, blank=True, on_delete=models.CASCADE, related_name="leads"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=LeadStage.choices, default=LeadStage.NEW)
    from_chat = models.BooleanField(default=False)
    from_meeting = models.BooleanField(default=False)
    from_favourite = models.BooleanField(default=False)
    from_card = models.BooleanField(default=False)
    first_activity_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    tags = models.ManyToManyField(LeadTag, blank=True, related_name="leads")

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "buyer", "fair"],
                condition=Q(fair__isnull=False),
                name="leads_one_per_company_buyer_fair",
            ),
            models.UniqueConstraint(
                fields=["company", "buyer"],
                condition=Q(fair__isnull=True),
                name="leads_one_per_company_buyer",
            ),
        ]
        indexes = [models.Index(fields=["company", "-last_activity_at"], name="leads_company_recent")]

    def __str__(self):
        return f"{self.buyer_id} → {self.company_id}"

    @property
    def sources(self) -> list[str]:
        from fair.leads.enums import LeadSource

        flags = {
            LeadSource.CHAT: self.from_chat,
            LeadSource.MEETING: self.from_meeting,
            LeadSource.FAVOURITE: self.from_favourite,
            LeadSource.CARD: self.from_card,
        }
        return [source for source, on in flags.items() if on]


class LeadEvent(models.Model):
    """One thing the buyer did, on the lead's timeline; `ref` names the row it came from (e.g. "meeting:12")
    so recording it again (a backfill, a retry) adds nothing."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=LeadEventKind.choices)
    ref = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["lead", "kind", "ref"], name="leads_event_once")]


class LeadNote(models.Model):
    """A note by the company's staff on a lead."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class LeadStageChange(models.Model):
    """The history of a lead's stage: who moved it from what to what, and when."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=LeadStage.choices)
    to_stage = models.CharField(max_length=20, choices=LeadStage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
