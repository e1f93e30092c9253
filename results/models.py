"""Daily booth views (flushed from the cache by a periodic job) and what came of held meetings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from results.enums import OutcomeResult, OutcomeRound, OutcomeSide

CURRENCY_ISO = r"^[A-Z]{3}$"


class BoothDailyViews(models.Model):
    """How often a booth page was seen on one day of its fair's time zone, and by how many visitors.

    Counted in the cache by the booth page's beacon and added here by `results_views_flush`; no row is
    written while a page is served."""

    booth = models.ForeignKey("exhibitors.Booth", on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    unique_visitors = models.PositiveIntegerField(_("unique visitors"), default=0)

    class Meta:
        verbose_name = _("booth views on a day")
        verbose_name_plural = _("booth views per day")
        constraints = [models.UniqueConstraint(fields=["booth", "day"], name="results_booth_day_unique")]
        permissions = [("view_chamber_report", _("Can view the chamber report"))]

    def __str__(self):
        return f"{self.booth_id} {self.day}: {self.views}"


class MeetingOutcome(models.Model):
    """One party's answer to "what came of this meeting?". The row is made when the survey is sent (once per
    meeting, side and round: right after the fair, and six months on); `answered_at` is set when the party
    answers, and the answer may be changed later."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="outcomes")
    side = models.CharField(_("side"), max_length=10, choices=OutcomeSide.choices)
    round = models.PositiveSmallIntegerField(
        _("round"), choices=OutcomeRound.choices, default=OutcomeRound.AFTER_FAIR
    )
    asked_at = models.DateTimeField(_("asked"))
    result = models.CharField(_("result"), max_length=20, choices=OutcomeResult.choices, blank=True)
    value_amount = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(_("currency"), max_length=3, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "side", "round"], name="results_outcome_once_per_side_and_round"
            ),
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True, value_currency="")
                | Q(value_amount__gte=0, value_currency__regex=CURRENCY_ISO),
                name="results_outcome_value_with_currency",
            ),
        ]
        indexes = [models.Index(fields=["side", "answered_at"], name="results_outcome_side_answered")]

    def __str__(self):
        return f"{self.meeting_id} {self.side}: {self.result or '-'}"
