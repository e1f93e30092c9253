"""Complaints between a buyer and an exhibitor about an order, a meeting or a chat conversation, mediated by
the chamber (docs/complaints.md). Every change goes through complaints.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.enums import Audience, EntryKind, Outcome, Side, Status, SubjectKind, Wish

TEXT_MAX_LENGTH = 5000


class Complaint(models.Model):
    fair = models.ForeignKey(
        "fair.FairPage", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    subject_kind = models.CharField(_("about"), max_length=20, choices=SubjectKind.choices)
    order = models.ForeignKey(
        "payments.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    conversation = models.ForeignKey(
        "chat.Conversation", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # The two parties: a buyer and a company (every member of it).
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints")
    company = models.ForeignKey("exhibitors.Company", on_delete=models.PROTECT, related_name="complaints")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_side = models.CharField(_("opened by"), max_length=10, choices=Side.choices)
    what_happened = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    wish = models.CharField(_("what they want"), max_length=20, choices=Wish.choices)
    wish_detail = models.CharField(_("details of what they want"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.AWAITING_ANSWER
    )
    answer_due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("deadline missed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # Who a warning or suspension is for.
    sanctioned_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    decision_text = models.TextField(_("decision"), max_length=TEXT_MAX_LENGTH, blank=True)
    refund_amount = models.PositiveBigIntegerField(_("refund recommended"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    record = models.ForeignKey(
        "records.Record", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refund = models.ForeignKey(
        "payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject_kind=SubjectKind.ORDER, order__isnull=False, meeting=None, conversation=None)
                    | Q(
                        subject_kind=SubjectKind.MEETING, meeting__isnull=False, order=None, conversation=None
                    )
                    | Q(
                        subject_kind=SubjectKind.CONVERSATION,
                        conversation__isnull=False,
                        order=None,
                        meeting=None,
                    )
                ),
                name="complaint_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECIDED) | Q(decided_at__isnull=False) & ~Q(outcome=""),
                name="complaint_decided_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due_at"], name="complaint_status_due")]

    def __str__(self):
        return _("Complaint #%(number)s") % {"number": self.pk}

    @property
    def answering_side(self) -> str:
        return Side.COMPANY if self.opened_side == Side.BUYER else Side.BUYER


class ComplaintEvidence(models.Model):
    """A PDF or picture the opener attached, in private storage, served only to the parties and staff."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = models.ForeignKey("exhibitors.PrivateFile", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class ComplaintEntry(models.Model):
    """One line of a complaint's history: opening, answer, message, missed deadline, decision, refund,
    feedback. A party sees the entries addressed to both or to its side; the chamber sees all."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # buyer, company, or "chamber".
    author_side = models.CharField(max_length=10)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.BOTH)
    body = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ComplaintFeedback(models.Model):
    """A party's word after the decision: did it resolve their problem."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=10, choices=Side.choices)
    resolved = models.BooleanField(_("resolved my problem"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "side"], name="complaint_feedback_once")]


class FairSuspension(models.Model):
    """A company or buyer suspended from one fair by a complaint's decision: the company's booth is hidden
    there; the buyer can request no meetings there and is blocked from the chat."""

    fair = models.ForeignKey("fair.FairPage", on_delete=models.CASCADE, related_name="suspensions")
    company = models.ForeignKey(
        "exhibitors.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="suspensions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="suspensions"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="suspensions")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False, user=None) | Q(company=None, user__isnull=False),
                name="suspension_one_party",
            )
        ]
