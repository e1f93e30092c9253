"""Reads for complaint pages, the admin queue, suspensions and the chamber's report."""

from statistics import median

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.enums import OPEN_STATUSES, Audience, Outcome, Side, Status, SubjectKind
from complaints.models import Complaint, ComplaintEntry, ComplaintFeedback, FairSuspension
from exhibitors.integers import parse_id
from exhibitors.models import Membership
from exhibitors.records.kinds import record_subject
from fair.meetings.services.errors import MeetingError


def booth_not_suspended_q() -> Q:
    """A rule of exhibitors.selectors.booths.BOOTH_LIVE_RULES: the company is not suspended from the
    booth's fair."""
    return ~Q(
        Exists(
            FairSuspension.objects.filter(
                company_id=OuterRef("company_id"), fair_id=OuterRef("fair_id"), lifted_at__isnull=True
            )
        )
    )


def buyer_suspended(*, user, fair) -> bool:
    return FairSuspension.objects.filter(user=user, fair=fair, lifted_at__isnull=True).exists()


def meeting_request_check(*, buyer, fair) -> None:
    """A check of fair.meetings.services.requests.MEETING_REQUEST_CHECKS."""
    if buyer_suspended(user=buyer, fair=fair):
        raise MeetingError(
            _("You are suspended from this fair and cannot request meetings."), code="suspended"
        )


def complaints_for(user) -> QuerySet[Complaint]:
    """Complaints the person is a party to (as the buyer, or as a member of the company)."""
    if not user.is_authenticated:
        return Complaint.objects.none()
    companies = Membership.objects.filter(user_id=user.pk).values("company_id")
    return Complaint.objects.filter(Q(buyer_id=user.pk) | Q(company_id__in=companies))


def my_complaints(user) -> list[Complaint]:
    return list(
        complaints_for(user).select_related("company", "buyer", "fair").order_by("-created_at", "-id")
    )


def complaint_for_party(*, user, complaint_id: int) -> tuple[Complaint, str]:
    """The complaint and the person's side, or 404 (not found, or not a party)."""
    if parse_id(complaint_id) is None:
        raise Http404
    complaint = (
        complaints_for(user)
        .select_related("company", "buyer", "fair", "order", "meeting", "conversation", "record", "refund")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise Http404
    side = Side.BUYER if complaint.buyer_id == user.pk else Side.COMPANY
    return complaint, side


def entries_for(*, complaint: Complaint, side: str | None) -> list[ComplaintEntry]:
    """The history a reader sees: a party, entries addressed to both or to its side; the chamber (None),
    all of them."""
    entries = complaint.entries.select_related("author")
    if side is not None:
        entries = entries.filter(audience__in=[Audience.BOTH, side])
    return list(entries)


def complaint_receipt_subject(complaint: Complaint) -> str:
    return record_subject("complaints.complaint", complaint.pk)


def complaints_queue(*, fair_id=None, status: str = "", kind: str = "", overdue: bool = False):
    """The chamber's queue: open ones first, by deadline."""
    queryset = Complaint.objects.select_related("company", "buyer", "fair")
    if fair_id:
        queryset = queryset.filter(fair_id=fair_id)
    if status in Status.values:
        queryset = queryset.filter(status=status)
    if kind in SubjectKind.values:
        queryset = queryset.filter(subject_kind=kind)
    if overdue:
        queryset = queryset.filter(
            Q(overdue_at__isnull=False) | Q(status=Status.AWAITING_ANSWER, answer_due_at__lte=timezone.now())
        )
    return queryset.order_by("decided_at", "answer_due_at", "id")


def complaint_for_staff(complaint_id: int) -> Complaint:
    if parse_id(complaint_id) is None:
        raise Http404
    complaint = (
        Complaint.objects.select_related(
            "company", "buyer", "fair", "order", "meeting", "conversation", "record", "refund", "decided_by"
        )
        .prefetch_related("evidence__file", Prefetch("feedback", queryset=ComplaintFeedback.objects.all()))
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def complaints_summary(fair) -> dict:
    """For the chamber's report: counts per status, kind and outcome, how many missed their answer deadline,
    the median days from opening to decision, and the parties' feedback, for one fair."""
    complaints = Complaint.objects.filter(fair=fair)
    by_status = dict(complaints.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(complaints.values_list("subject_kind").annotate(n=Count("id")).order_by())
    by_outcome = dict(
        complaints.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    durations = [
        (decided - created).total_seconds() / 86400
        for created, decided in complaints.filter(decided_at__isnull=False).values_list(
            "created_at", "decided_at"
        )
    ]
    feedback = dict(
        ComplaintFeedback.objects.filter(complaint__fair=fair)
        .values_list("resolved")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "total": sum(by_status.values()),
        "open": sum(by_status.get(status, 0) for status in OPEN_STATUSES),
        "by_status": {status.value: by_status.get(status.value, 0) for status in Status},
        "by_kind": {kind.value: by_kind.get(kind.value, 0) for kind in SubjectKind},
        "by_outcome": {outcome.value: by_outcome.get(outcome.value, 0) for outcome in Outcome},
        "overdue": complaints.filter(overdue_at__isnull=False).count(),
        "median_days_to_decision": round(median(durations), 1) if durations else None,
        "feedback_resolved": feedback.get(True, 0),
        "feedback_not_resolved": feedback.get(False, 0),
    }
